using CoreSlice;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Support;

/// <summary>
/// A default machine with a non-trivial state, so that "changes nothing" has something to
/// change: slot 1 Running (cores 1,2; [1G,+1M); device 0; way 2) whose guest has written
/// memory, slot 2 Created (core 3; [1G+2M,+1M) and [1G+8M,+64K); device 1; way 3) with an
/// image loaded. <see cref="Valid"/> is a request that would succeed on it.
/// </summary>
public static class Populated
{
    public const ulong Slot1Base = 1 * GiB;
    public const ulong Slot2Base = (1 * GiB) + (2 * MiB);
    public const ulong Slot2Second = (1 * GiB) + (8 * MiB);
    public const ulong FreeBase = 2 * GiB;

    public static SliceRequest Request(int[] cores, MemoryRange[] ranges, int[] devices, ulong ways, ulong? entry = null) => new()
    {
        Cores = cores,
        Ranges = ranges,
        Devices = devices,
        Ways = ways,
        EntryPoint = entry ?? (ranges.Length > 0 ? ranges[0].Base : 0),
    };

    /// <summary>Cores 4,5; [2G, +1M); device 2; way 4; entry 2G: valid on <see cref="Make"/>'s state.</summary>
    public static SliceRequest Valid() => Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4);

    public static Rig Make()
    {
        var rig = Rig.Default();
        int s1 = rig.Create(Request([1, 2], [new MemoryRange(Slot1Base, 1 * MiB)], [0], 1UL << 2, Slot1Base + 0x40));
        Assert.Equal(1, s1);
        Assert.Equal(SliceError.None, rig.Visor.StartSlice(s1).Error);
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(1, Slot1Base + 0x100, [1, 2, 3, 4]));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaWrite(0, Slot1Base + 0x2000, [5, 6, 7]));
        int s2 = rig.Create(Request([3], [new MemoryRange(Slot2Base, 1 * MiB), new MemoryRange(Slot2Second, 64 * KiB)], [1], 1UL << 3));
        Assert.Equal(2, s2);
        Assert.Equal(SliceError.None, rig.Visor.LoadImage(s2, Slot2Base + 0x10, [9, 9, 9, 9, 9]).Error);
        return rig;
    }

    /// <summary>The expected result of a rejected call.</summary>
    public static SliceResult Rejected(SliceError error, int subject, int holder = Owner.None, int holderRegion = -1,
        ulong conflictBase = 0, ulong conflictSize = 0, int slot = 0) => new()
        {
            Error = error, Slot = slot, Subject = subject, Holder = holder, HolderRegion = holderRegion,
            ConflictBase = conflictBase, ConflictSize = conflictSize,
        };

    /// <summary>Runs <paramref name="call"/>, asserts it returned exactly <paramref name="expected"/> and that nothing changed.</summary>
    public static void AssertRejectedAndUnchanged(Rig rig, Func<SliceResult> call, SliceResult expected)
    {
        StateSnapshot before = StateSnapshot.Take(rig);
        SliceResult actual = call();
        StateSnapshot after = StateSnapshot.Take(rig);
        Assert.Equal(expected, actual);
        before.AssertSameAs(after);
    }
}
