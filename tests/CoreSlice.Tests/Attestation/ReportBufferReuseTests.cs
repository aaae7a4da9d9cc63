using CoreSlice.Attestation;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// S8: a report describes only the slice it names. The slicevisor builds every report (and the
/// entry encoding it hashes) in buffers it reuses, so a report of a slice with fewer ranges, made
/// after one of a slice with more, must not carry the earlier slice's ranges in its unused range
/// slots, and its entry hash must be the one recomputed from its own fields.
/// </summary>
public sealed class ReportBufferReuseTests
{
    private const ulong MiB = AttestationRig.MiB;

    /// <summary>Three ranges, none in the rig's <see cref="AttestationRig.Request"/> or its control memory.</summary>
    private static SliceRequest ThreeRanges => new()
    {
        Cores = new[] { 4, 5 },
        Ranges = new[] { new MemoryRange(16 * MiB, 4 * MiB), new MemoryRange(24 * MiB, 4 * MiB), new MemoryRange(48 * MiB, 4 * MiB) },
        Devices = new[] { 2 },
        Ways = 0b11000,
        EntryPoint = 16 * MiB,
    };

    [Fact]
    public void S8_report_after_a_larger_slices_report_has_empty_unused_range_slots_and_its_own_entry_hash()
    {
        using var rig = new AttestationRig();
        SliceResult one = rig.Slicevisor.CreateSlice(AttestationRig.Request);
        SliceResult three = rig.Slicevisor.CreateSlice(ThreeRanges);
        Assert.True(one.Ok, one.ToString());
        Assert.True(three.Ok, three.ToString());
        byte[] nonce = AttestationRig.Nonce(9);

        byte[] before = rig.Attest(one.Slot, nonce);
        byte[] large = rig.Attest(three.Slot, nonce);
        byte[] after = rig.Attest(one.Slot, nonce);

        Assert.Equal(3u, BitConverter.ToUInt32(large, ReportLayout.RangeCount));
        Assert.Equal(1u, BitConverter.ToUInt32(after, ReportLayout.RangeCount));
        // Slot 0 holds the one range; slots 1 .. RangeSlots − 1 are zero, as in a report made before the larger one.
        Assert.Equal(32 * MiB, BitConverter.ToUInt64(after, ReportLayout.Ranges));
        Assert.Equal(16 * MiB, BitConverter.ToUInt64(after, ReportLayout.Ranges + 8));
        Assert.All(after.AsSpan(ReportLayout.Ranges + 16, (ReportLayout.RangeSlots - 1) * 16).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(before.AsSpan(ReportLayout.Ranges, ReportLayout.RangeSlots * 16).ToArray(), after.AsSpan(ReportLayout.Ranges, ReportLayout.RangeSlots * 16).ToArray());
        // The entry did not change between the two reports of it, so neither did its hash.
        Assert.Equal(before.AsSpan(ReportLayout.EntryHash, ReportLayout.HashSize).ToArray(), after.AsSpan(ReportLayout.EntryHash, ReportLayout.HashSize).ToArray());

        // The larger report holds each of its three ranges in its own 16-byte slot.
        Assert.Equal<MemoryRange>(ThreeRanges.Ranges.ToArray(), ReportVerifier.Verify(large, rig.PublicKey).Report!.Ranges);
        Assert.Equal(48 * MiB, BitConverter.ToUInt64(large, ReportLayout.Ranges + 32));

        foreach (byte[] report in new[] { before, large, after })
        {
            ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey);
            Assert.True(v.Valid, string.Join("; ", v.Mismatches));
        }
    }
}
