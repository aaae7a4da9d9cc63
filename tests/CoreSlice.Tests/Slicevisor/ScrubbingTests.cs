using CoreSlice;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>S7 / I5: memory is scrubbed before anyone else owns it.</summary>
public sealed class ScrubbingTests
{
    private static readonly ulong[] Offsets = [0, 0x123, Granule - 1, Granule, (64 * KiB) + 7, (1 * MiB) - 8];

    [Fact]
    public void Recreated_slice_reads_zeros_where_the_previous_owner_wrote_by_core_DMA_and_LoadImage()
    {
        using var rig = Rig.Default();
        var request = Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4);
        int first = rig.Create(request);
        Assert.True(rig.Visor.LoadImage(first, FreeBase + (512 * KiB), [0xC0, 0xDE, 0xC0, 0xDE]).Ok);
        Assert.True(rig.Visor.StartSlice(first).Ok);
        byte[] pattern = [0xDE, 0xAD, 0xBE, 0xEF, 0x55, 0xAA, 0x55, 0xAA];
        foreach (ulong off in Offsets)
        {
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(4, FreeBase + off, pattern));
        }
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaWrite(2, FreeBase + (300 * KiB), pattern));
        // The writes happened (positive control).
        byte[] check = new byte[8];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(5, FreeBase + 0x123, check));
        Assert.Equal(pattern, check);

        Assert.True(rig.Visor.DestroySlice(first).Ok);
        // A different slice shape over the same memory: other cores, other device, other slot state.
        int second = rig.Create(Request([7], [new MemoryRange(FreeBase, 1 * MiB)], [3], 1UL << 5));
        Assert.True(rig.Visor.StartSlice(second).Ok);
        byte[] all = new byte[1 * MiB];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(7, FreeBase, all));
        Assert.All(all, b => Assert.Equal(0, b));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaRead(3, FreeBase + (300 * KiB), check));
        Assert.Equal(new byte[8], check);
        Assert.Equal(0, rig.Machine.Memory.PresentPages);
    }

    [Fact]
    public void Destroyed_slice_memory_is_zero_with_no_writer_before_reassignment()
    {
        using Rig rig = Make();
        Assert.Equal(1, rig.Machine.Memory.LastWriter(Slot1Base + 0x100));
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        Assert.Equal(MemoryWriter.Nobody, rig.Machine.Memory.LastWriter(Slot1Base + 0x100));
        Assert.Equal(MemoryWriter.Nobody, rig.Machine.Memory.LastWriter(Slot1Base + 0x2000));
        Assert.False(rig.Machine.Memory.IsPresent(Slot1Base + 0x100));
        // The created-but-never-started slice's image is scrubbed too.
        Assert.True(rig.Visor.DestroySlice(2).Ok);
        Assert.False(rig.Machine.Memory.IsPresent(Slot2Base + 0x10));
    }

    [Fact]
    public void A_slice_over_part_of_old_memory_and_part_of_new_reads_zeros()
    {
        using var rig = Rig.Default();
        int a = rig.Run(cores: 1, bytes: 256 * KiB, devices: 0, ways: 1);
        MemoryRange ra = rig.FirstRange(a);
        int core = rig.FirstCore(a);
        byte[] ones = Enumerable.Repeat((byte)0xFF, (int)Granule).ToArray();
        for (ulong off = 0; off < ra.Size; off += Granule)
        {
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(core, ra.Base + off, ones));
        }
        Assert.True(rig.Visor.DestroySlice(a).Ok);
        int b = rig.Create(Request([9], [new MemoryRange(ra.Base + (128 * KiB), 1 * MiB)], [], 1UL << 6));
        Assert.True(rig.Visor.StartSlice(b).Ok);
        byte[] all = new byte[1 * MiB];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(9, ra.Base + (128 * KiB), all));
        Assert.All(all, x => Assert.Equal(0, x));
    }
}
