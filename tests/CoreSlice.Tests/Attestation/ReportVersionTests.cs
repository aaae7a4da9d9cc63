using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// The verifier reads version 4 only (version 3 is refused by name: DomainWaysReportTests). A version-2 report, even one genuinely signed by the
/// slicevisor's key, is refused by name: it cannot show windows, permissions or DMA ranges, and
/// slicevisors wrote it for slices that had them (docs/attestation.md, "Earlier versions").
/// Any other version is refused as unknown.
/// </summary>
public sealed class ReportVersionTests
{
    [Fact]
    public void S8_a_version_2_report_signed_by_the_slicevisors_key_is_refused_naming_its_version()
    {
        using var rig = new AttestationRig();
        SliceResult created = rig.Slicevisor.CreateSlice(SharingReportTests.Sharing);
        Assert.True(created.Ok, created.ToString());
        using ECDsa key = Version2ReportWriter.SlicevisorKey(rig);
        Assert.Equal(rig.PublicKey, key.ExportSubjectPublicKeyInfo());
        byte[] version2 = Version2ReportWriter.From(rig.Attest(created.Slot, AttestationRig.Nonce(1)), key);
        // Genuine by the old rules: its signature holds under the slicevisor's key. It shows no window though the slice has two.
        Assert.True(key.VerifyData(version2.AsSpan(0, Version2ReportWriter.BodySize), version2.AsSpan(Version2ReportWriter.BodySize), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        Assert.Null(AttestationReport.TryDecode(version2, out string? problem));
        Assert.StartsWith("version: 2 is refused: a version-2 report does not show the slice's range permissions, windows onto control memory or DMA ranges", problem, StringComparison.Ordinal);
        ReportVerification v = ReportVerifier.Verify(version2, rig.PublicKey);
        Assert.False(v.Valid);
        Mismatch structure = Assert.Single(v.Mismatches);
        Assert.Equal(("structure", "a version-4 CoreSlice report", problem), (structure.Field, structure.Expected, structure.Actual));
    }

    [Fact]
    public void A_version_1_report_is_refused_naming_its_version()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        using ECDsa key = Version2ReportWriter.SlicevisorKey(rig);
        byte[] version1 = Version2ReportWriter.From(rig.Attest(slot, AttestationRig.Nonce(2)), key, version: 1);
        Assert.Null(AttestationReport.TryDecode(version1, out string? problem));
        Assert.StartsWith("version: 1 is refused: ", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((ushort)0)]
    [InlineData((ushort)5)]
    [InlineData(ushort.MaxValue)]
    public void An_unknown_version_is_refused_as_unknown(ushort version)
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        byte[] report = rig.Attest(slot, AttestationRig.Nonce(3));
        BinaryPrimitives.WriteUInt16LittleEndian(report.AsSpan(ReportLayout.Version), version);

        ReportVerification v = ReportVerifier.Verify(report, rig.PublicKey);
        Assert.Null(v.Report);
        Assert.Equal($"version: {version} is not a report version this verifier knows (it reads version 4 only)", Assert.Single(v.Mismatches).Actual);
    }

    [Fact]
    public void The_version_is_checked_before_the_size_so_a_short_old_report_is_named_by_its_version()
    {
        byte[] report = new byte[Version2ReportWriter.ReportSize];
        ReportLayout.MagicBytes.CopyTo(report);
        report[ReportLayout.Version] = 2;
        Assert.Null(AttestationReport.TryDecode(report, out string? problem));
        Assert.StartsWith("version: 2 is refused", problem, StringComparison.Ordinal);

        report[ReportLayout.Version] = (byte)ReportLayout.CurrentVersion;
        Assert.Null(AttestationReport.TryDecode(report, out problem));
        Assert.Equal($"size: a version-{ReportLayout.CurrentVersion} report is {ReportLayout.ReportSize} bytes, this one is {Version2ReportWriter.ReportSize}", problem);
        Assert.Null(AttestationReport.TryDecode(new byte[5], out problem));
        Assert.StartsWith("size: ", problem, StringComparison.Ordinal);
    }
}
