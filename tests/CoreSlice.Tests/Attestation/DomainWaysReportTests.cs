using System.Buffers.Binary;
using CoreSlice.Attestation;
using CoreSlice.Manager.Verification;
using CoreSlice.Simulation;
using CoreSlice.Tests.CacheDomains;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// Report version 4: the cache-domain section shows and binds a slice's ways in every cache domain,
/// so a slice holding ways of socket 1 is told apart from one holding other ways there.
/// </summary>
public sealed class DomainWaysReportTests
{
    private static readonly SliceRequest Spanning = TwoSocketMachine.Request([3, 4], 0b10, new DomainWays(1, 0b1100));

    private static (Slicevisor<SimulatedHardwarePort> Visor, byte[] Report) AttestSpanning(SliceRequest request)
    {
        MachineConfig config = TwoSocketMachine.Config();
        var machine = new SimulatedMachine(config);
        var visor = new Slicevisor<SimulatedHardwarePort>(config, machine.OpenPrivilegedPort(), PlatformMeasurements.Measure(), 64);
        SliceResult created = visor.CreateSlice(request);
        Assert.True(created.Ok, created.ToString());
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.Equal(SliceResult.Success(created.Slot), visor.Attest(created.Slot, AttestationRig.Nonce(5), report));
        return (visor, report);
    }

    [Fact]
    public void S8_a_report_shows_and_binds_the_ways_in_every_cache_domain()
    {
        (var visor, byte[] report) = AttestSpanning(Spanning);
        using var _ = visor;
        var expect = new ReportExpectations { Assignment = ExpectedAssignment.From(Spanning) };
        ReportVerification v = ReportVerifier.Verify(report, visor.AttestationPublicKey.ToArray(), expect);
        Assert.True(v.Valid, string.Join("; ", v.Mismatches));
        Assert.Equal<ulong>([0b10, 0b1100], v.Report!.DomainWays);
        Assert.Equal(0b10UL, v.Report.Ways);
        Assert.Equal(v.Report.EntryHash, v.Report.ComputeEntryHash());

        // The same cores and domain-0 ways, other ways of socket 1: the verifier names the difference.
        var other = ExpectedAssignment.From(Spanning) with { DomainWays = [new DomainWays(1, 0b110000)] };
        ReportVerification wrong = ReportVerifier.Verify(report, visor.AttestationPublicKey.ToArray(), new ReportExpectations { Assignment = other });
        Mismatch m = Assert.Single(wrong.Mismatches);
        Assert.Equal(("domainWays", "[0x2, 0x30]", "[0x2, 0xc]"), (m.Field, m.Expected, m.Actual));
    }

    [Fact]
    public void S8_a_changed_domain_mask_breaks_the_signature_and_the_entry_hash()
    {
        (var visor, byte[] report) = AttestSpanning(Spanning);
        using var _ = visor;
        BinaryPrimitives.WriteUInt64LittleEndian(report.AsSpan(ReportLayout.DomainWays + 8), 0b110000);
        ReportVerification v = ReportVerifier.Verify(report, visor.AttestationPublicKey.ToArray());
        Assert.False(v.Valid);
        Assert.Contains(v.Mismatches, x => x.Field == "signature");
        Assert.NotEqual(v.Report!.EntryHash, v.Report.ComputeEntryHash());
    }

    [Theory]
    [InlineData(0, "cache domain count: 0, expected 1..8")]
    [InlineData(9, "cache domain count: 9, expected 1..8")]
    [InlineData(1, "cache domains: unused domain slots are not zero")]
    public void A_malformed_cache_domain_section_is_refused_by_structure(int count, string problem)
    {
        (var visor, byte[] report) = AttestSpanning(Spanning);
        using var _ = visor;
        BinaryPrimitives.WriteUInt32LittleEndian(report.AsSpan(ReportLayout.DomainCount), (uint)count);
        Assert.Null(AttestationReport.TryDecode(report, out string? found));
        Assert.Equal(problem, found);
    }

    [Fact]
    public void Domain_zeros_mask_must_equal_the_ways_field()
    {
        (var visor, byte[] report) = AttestSpanning(Spanning);
        using var _ = visor;
        BinaryPrimitives.WriteUInt64LittleEndian(report.AsSpan(ReportLayout.DomainWays), 0b110);
        Assert.Null(AttestationReport.TryDecode(report, out string? found));
        Assert.Equal("cache domains: domain 0's ways 0x6 differ from the ways field 0x2", found);
    }

    [Fact]
    public void A_version_3_report_is_refused_naming_its_version()
    {
        (var visor, byte[] report) = AttestSpanning(Spanning);
        using var _ = visor;
        BinaryPrimitives.WriteUInt16LittleEndian(report.AsSpan(ReportLayout.Version), 3);
        Assert.Null(AttestationReport.TryDecode(report, out string? found));
        Assert.StartsWith("version: 3 is refused: a version-3 report shows the slice's cache ways in domain 0 only", found, StringComparison.Ordinal);
    }
}
