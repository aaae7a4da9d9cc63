using CoreSlice.Tests.Attestation;
using Xunit;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// I1 for memory, through <see cref="SliceTable.MemoryOwner"/>: each byte of a slice's ranges is
/// owned by its slot from create until destroy, and Free afterwards — whether the slice's intervals
/// come first, last, or interleaved with other slices' in address order, and whatever order the
/// request listed them in. Freed memory can be given to a new slice; memory still held cannot.
/// </summary>
public sealed class MemoryOwnershipTests
{
    private const ulong MiB = AttestationRig.MiB;

    private static SliceRequest Request(int core, ulong ways, params ulong[] megabytes) => new()
    {
        Cores = new[] { core },
        Ranges = megabytes.Select(m => new MemoryRange(m * MiB, MiB)).ToArray(),
        Ways = ways,
        EntryPoint = megabytes[0] * MiB,
    };

    /// <summary>The owner of the first and last byte of each MiB from 16 to 27.</summary>
    private static int[] Owners(AttestationRig rig) =>
        [.. Enumerable.Range(16, 12).SelectMany(m => new[] { rig.Slicevisor.Table.MemoryOwner((ulong)m * MiB), rig.Slicevisor.Table.MemoryOwner(((ulong)m + 1) * MiB - 1) })];

    private static int[] Expected(params (int Megabyte, int Owner)[] held)
    {
        int[] owners = new int[24];
        Array.Fill(owners, Owner.Free);
        foreach ((int m, int owner) in held)
        {
            owners[2 * (m - 16)] = owner;
            owners[(2 * (m - 16)) + 1] = owner;
        }
        return owners;
    }

    [Fact]
    public void I1_destroying_a_slice_frees_exactly_its_memory_wherever_its_intervals_lie_among_the_others()
    {
        using var rig = new AttestationRig();
        // A: 16 and 20 (listed high first), B: 18 and 22, C: 24 — so in address order A, B, A, B, C.
        SliceResult a = rig.Slicevisor.CreateSlice(Request(2, 0b10, 20, 16));
        SliceResult b = rig.Slicevisor.CreateSlice(Request(3, 0b100, 22, 18));
        SliceResult c = rig.Slicevisor.CreateSlice(Request(4, 0b1000, 24));
        Assert.Equal((true, true, true), (a.Ok, b.Ok, c.Ok));
        Assert.Equal(Expected((16, a.Slot), (18, b.Slot), (20, a.Slot), (22, b.Slot), (24, c.Slot)), Owners(rig));

        // A's intervals are the first in address order.
        Assert.True(rig.Slicevisor.DestroySlice(a.Slot).Ok);
        Assert.Equal(Expected((18, b.Slot), (22, b.Slot), (24, c.Slot)), Owners(rig));
        // C's is the last.
        Assert.True(rig.Slicevisor.DestroySlice(c.Slot).Ok);
        Assert.Equal(Expected((18, b.Slot), (22, b.Slot)), Owners(rig));

        // What was freed can be created over; what B holds cannot.
        Assert.Equal(SliceError.RangeInUse, rig.Slicevisor.CreateSlice(Request(5, 0b10000, 17, 18)).Error);
        SliceResult d = rig.Slicevisor.CreateSlice(Request(5, 0b10000, 24, 16, 20));
        Assert.True(d.Ok, d.ToString());
        Assert.Equal(Expected((16, d.Slot), (18, b.Slot), (20, d.Slot), (22, b.Slot), (24, d.Slot)), Owners(rig));

        Assert.True(rig.Slicevisor.DestroySlice(b.Slot).Ok);
        Assert.True(rig.Slicevisor.DestroySlice(d.Slot).Ok);
        Assert.Equal(Expected(), Owners(rig));
        SliceResult whole = rig.Slicevisor.CreateSlice(new SliceRequest { Cores = new[] { 6 }, Ranges = new[] { new MemoryRange(16 * MiB, 12 * MiB) }, Ways = 0b10, EntryPoint = 16 * MiB });
        Assert.True(whole.Ok, whole.ToString());
    }
}
