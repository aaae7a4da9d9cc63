using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// S8 with sharing: a version-3 report shows each private range's permission, every window onto
/// control memory and every DMA range (or that none is listed), binds them under the signature and
/// the entry hash, and the verifier reads them back exactly.
/// </summary>
public sealed class SharingReportTests
{
    private const ulong MiB = AttestationRig.MiB;
    private const Permissions R = Permissions.Read;
    private const Permissions RW = Permissions.Read | Permissions.Write;

    /// <summary>Two ranges (read/write, read/write/execute), two windows (read/write, read), three DMA ranges, one in a window: the rig's four range registers.</summary>
    public static SliceRequest Sharing => new()
    {
        Cores = new[] { 4, 5 },
        Ranges = new[] { new MemoryRange(16 * MiB, 4 * MiB), new MemoryRange(24 * MiB, 4 * MiB) },
        RangePermissions = new[] { RW, Permissions.ReadWriteExecute },
        Windows = new[] { new SharedWindow(new MemoryRange(2 * MiB, 64 * 1024), RW), new SharedWindow(new MemoryRange(3 * MiB, 4096), R) },
        Devices = new[] { 2, 3 },
        DmaRanges = new[]
        {
            new DmaRange(2, new MemoryRange(16 * MiB, MiB), RW),
            new DmaRange(3, new MemoryRange((24 * MiB) + 4096, 4096), R),
            new DmaRange(2, new MemoryRange(2 * MiB, 4096), R),
        },
        Ways = 0b11000,
        EntryPoint = 24 * MiB,
    };

    private static (AttestationRig Rig, byte[] Report) Attested(SliceRequest request, byte nonce)
    {
        var rig = new AttestationRig();
        SliceResult created = rig.Slicevisor.CreateSlice(request);
        Assert.True(created.Ok, created.ToString());
        return (rig, rig.Attest(created.Slot, AttestationRig.Nonce(nonce)));
    }

    [Fact]
    public void S8_windows_permissions_and_DMA_ranges_are_read_back_exactly()
    {
        (AttestationRig rig, byte[] report) = Attested(Sharing, 1);
        using (rig)
        {
            ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey, new ReportExpectations { Assignment = ExpectedAssignment.From(Sharing) });
            Assert.True(v.Valid, string.Join("; ", v.Mismatches));
            AttestationReport r = v.Report!;
            Assert.Equal(ReportLayout.CurrentVersion, r.Version);
            Assert.Equal(Sharing.Ranges.ToArray(), r.Ranges);
            Assert.Equal(Sharing.RangePermissions.ToArray(), r.RangePermissions);
            Assert.Equal(Sharing.Windows.ToArray(), r.Windows);
            Assert.Equal(DmaScope.Listed, r.DmaScope);
            Assert.Equal(Sharing.DmaRanges.ToArray(), r.DmaRanges);
            Assert.Equal(Sharing.DmaRanges.ToArray(), r.EffectiveDmaRanges);
            // The bytes sit where the layout says.
            Assert.Equal((byte)RW, report[ReportLayout.RangePermissions]);
            Assert.Equal(2u, BitConverter.ToUInt32(report, ReportLayout.WindowCount));
            Assert.Equal((byte)DmaScope.Listed, report[ReportLayout.DmaScopeField]);
            Assert.Equal(3u, BitConverter.ToUInt32(report, ReportLayout.DmaRangeCount));
            Assert.Equal(3 * MiB, BitConverter.ToUInt64(report, ReportLayout.Windows + ReportLayout.GrantSize + ReportLayout.GrantBase));
            Assert.Equal(3u, BitConverter.ToUInt32(report, ReportLayout.DmaRanges + ReportLayout.GrantSize + ReportLayout.GrantHolder));
        }
    }

    [Fact]
    public void S8_a_slice_that_lists_no_DMA_ranges_says_so_and_its_devices_reach_every_private_range()
    {
        (AttestationRig rig, byte[] report) = Attested(AttestationRig.Request, 2);
        using (rig)
        {
            ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey, new ReportExpectations { Assignment = ExpectedAssignment.From(AttestationRig.Request) });
            Assert.True(v.Valid, string.Join("; ", v.Mismatches));
            AttestationReport r = v.Report!;
            Assert.Equal(DmaScope.AllPrivateRanges, r.DmaScope);
            Assert.Empty(r.DmaRanges);
            Assert.Empty(r.Windows);
            Assert.Equal([Permissions.ReadWriteExecute], r.RangePermissions);
            Assert.Equal([new DmaRange(1, new MemoryRange(32 * MiB, 16 * MiB), RW)], r.EffectiveDmaRanges);
        }
    }

    [Fact]
    public void S8_an_exact_verifier_not_told_of_the_sharing_names_each_sharing_field()
    {
        (AttestationRig rig, byte[] report) = Attested(Sharing, 3);
        using (rig)
        {
            ExpectedAssignment private_ = ExpectedAssignment.From(Sharing with { RangePermissions = default, Windows = default, DmaRanges = default });
            ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey, new ReportExpectations { Assignment = private_ });
            Assert.Equal(["rangePermissions", "windows", "dmaRanges"], v.Mismatches.Select(m => m.Field));
        }
    }

    /// <summary>Offsets in the sharing section whose byte, flipped, still decodes: only the signature and the entry hash catch it.</summary>
    public static TheoryData<string, int, byte> Tampering => new()
    {
        { "range permission rw- to rwx", ReportLayout.RangePermissions, (byte)Permissions.Execute },
        { "window 0 permission rw- to r--", ReportLayout.Windows + ReportLayout.GrantPermissions, (byte)Permissions.Write },
        { "window 1 base", ReportLayout.Windows + ReportLayout.GrantSize + ReportLayout.GrantBase + 2, 0x01 },
        { "DMA range 0 device 2 to 3", ReportLayout.DmaRanges + ReportLayout.GrantHolder, 0x01 },
        { "DMA range 1 size", ReportLayout.DmaRanges + ReportLayout.GrantSize + ReportLayout.GrantLength + 2, 0x10 },
        { "DMA range 2 permission r-- to rw-", (ReportLayout.DmaRanges + (2 * ReportLayout.GrantSize)) + ReportLayout.GrantPermissions, (byte)Permissions.Write },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void S8_a_tampered_byte_in_the_sharing_section_fails_the_signature_and_the_entry_hash(string what, int offset, byte flip)
    {
        (AttestationRig rig, byte[] report) = Attested(Sharing, 4);
        using (rig)
        {
            report[offset] ^= flip;
            ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey);
            Assert.False(v.Valid, what);
            Assert.Equal(["signature", "entryHash"], v.Mismatches.Select(m => m.Field));
        }
    }

    /// <summary>Flips that break the section's structure: the decoder refuses them before any signature check.</summary>
    public static TheoryData<string, int, byte, string> Malformed => new()
    {
        { "DMA scope 2 to 1 with ranges listed", ReportLayout.DmaScopeField, 0x03, "DMA scope 1 with 3 DMA ranges" },
        { "DMA scope zeroed", ReportLayout.DmaScopeField, (byte)DmaScope.Listed, "DMA scope 0" },
        { "window count 2 to 3", ReportLayout.WindowCount, 0x01, "windows: record 2" },
        { "an unused window slot", ReportLayout.Windows + (5 * ReportLayout.GrantSize) + ReportLayout.GrantBase, 0x01, "windows: unused slots" },
        { "a window executable", ReportLayout.Windows + ReportLayout.GrantPermissions, (byte)Permissions.Execute, "windows: record 0 holds permissions" },
        { "a holder on a window", ReportLayout.Windows + ReportLayout.GrantHolder, 0x01, "windows: record 0 names a holder" },
        { "a reserved byte", ReportLayout.Reserved4 + 1, 0x01, "reserved bytes" },
        { "an unused range permission", ReportLayout.RangePermissions + 2, 0x01, "range permissions" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_sharing_section_is_refused_as_structure(string what, int offset, byte flip, string problem)
    {
        (AttestationRig rig, byte[] report) = Attested(Sharing, 5);
        using (rig)
        {
            report[offset] ^= flip;
            ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey);
            Mismatch structure = Assert.Single(v.Mismatches);
            Assert.Equal("structure", structure.Field);
            Assert.Contains(problem, structure.Actual, StringComparison.Ordinal);
            Assert.Null(v.Report);
            _ = what;
        }
    }
}
