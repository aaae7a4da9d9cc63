using CoreSlice.Tests.Attestation;
using Xunit;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// A slice may use every range register a core has (4 on the attestation rig's machine): its entry
/// then holds as many ranges as its range array has room for, and the address test must look at
/// exactly those ranges, no fewer (the last one owns its bytes) and no more (there is nothing past
/// the last register to read).
/// </summary>
public sealed class EveryRangeRegisterTests
{
    private const ulong MiB = AttestationRig.MiB;

    private static readonly MemoryRange[] FourRanges =
    [
        new(16 * MiB, 4 * MiB), new(24 * MiB, 4 * MiB), new(32 * MiB, 4 * MiB), new(48 * MiB, 4 * MiB),
    ];

    [Fact]
    public void OwnsAddress_of_a_slice_using_every_range_register_is_exact_at_each_edge()
    {
        using var rig = new AttestationRig();
        Assert.Equal(FourRanges.Length, AttestationRig.Config.RangeRegistersPerCore);
        SliceResult created = rig.Slicevisor.CreateSlice(new SliceRequest { Cores = new[] { 2 }, Ranges = FourRanges, Ways = 0b10, EntryPoint = 48 * MiB });
        Assert.True(created.Ok, created.ToString());
        SliceEntry entry = rig.Slicevisor.Table[created.Slot];
        Assert.Equal(FourRanges, entry.Ranges.ToArray());

        foreach (MemoryRange r in FourRanges)
        {
            Assert.True(entry.OwnsAddress(r.Base));
            Assert.True(entry.OwnsAddress(r.Base + r.Size - 1));
            Assert.False(entry.OwnsAddress(r.Base - 1));
            Assert.False(entry.OwnsAddress(r.Base + r.Size));
        }
        // Outside every range: answered false (not by reading past the last register).
        Assert.False(entry.OwnsAddress(0));
        Assert.False(entry.OwnsAddress(63 * MiB));
        Assert.False(entry.OwnsAddress(ulong.MaxValue));
    }
}
