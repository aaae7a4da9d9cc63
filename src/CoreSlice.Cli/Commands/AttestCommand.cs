using System.CommandLine;
using CoreSlice.Manager.Verification;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// <c>coreslice attest verify REPORT --key PUB [--expect-measurement HEX] [--nonce HEX]
/// [--min-boot-id N] [--format text|json]</c>: checks a report's structure, its
/// signature under the slicevisor's public key (PEM or DER), and the expected values;
/// names every mismatch. Exit 0 valid, 1 a mismatch, 2 unreadable input.
/// </summary>
internal static class AttestCommand
{
    public static Command Create()
    {
        var report = new Argument<FileInfo>("REPORT") { Description = "The report file (binary, version 4; earlier versions are refused by name)." };
        var key = new Option<FileInfo>("--key") { Description = "The slicevisor's public key: PEM (BEGIN PUBLIC KEY) or DER SubjectPublicKeyInfo.", Required = true };
        var measurement = new Option<string?>("--expect-measurement") { Description = "The expected image measurement, 96 hex digits (SHA-384)." };
        var nonce = new Option<string?>("--nonce") { Description = "The nonce sent, 128 hex digits (64 bytes)." };
        var minBootId = new Option<ulong?>("--min-boot-id") { Description = "Reject reports of slices created before this boot counter value (replays of destroyed slices)." };
        Option<string> format = CommonOptions.Format();

        var verify = new Command("verify", "Check a report's signature and expected values.") { report, key, measurement, nonce, minBootId, format };
        verify.SetAction(parse => Guard.Run(() => Verify(
            parse.GetValue(report)!, parse.GetValue(key)!, parse.GetValue(measurement), parse.GetValue(nonce), parse.GetValue(minBootId), parse.GetValue(format)!)));
        return new Command("attest", "Attestation reports: verify a slice's signed report.") { verify };
    }

    private static int Verify(FileInfo reportFile, FileInfo keyFile, string? measurementHex, string? nonceHex, ulong? minBootId, string format)
    {
        byte[]? publicKey = ReportVerifier.ParsePublicKey(File.ReadAllBytes(keyFile.FullName));
        if (publicKey is null)
        {
            throw new UsageException($"{keyFile.Name}: not an ECDSA P-384 public key (PEM or DER SubjectPublicKeyInfo)");
        }
        var expect = new ReportExpectations
        {
            ImageMeasurement = CliOutput.Hex(measurementHex, 48, "--expect-measurement"),
            Nonce = CliOutput.Hex(nonceHex, 64, "--nonce"),
            MinimumSliceBootId = minBootId,
        };
        byte[] bytes = File.ReadAllBytes(reportFile.FullName);
        if (AttestationReport.TryDecode(bytes, out string? problem) is null)
        {
            throw new UsageException($"{reportFile.Name}: not a report this verifier reads: {problem}");
        }
        ReportVerification v = ReportVerifier.Verify(bytes, publicKey, expect);
        if (format == "json")
        {
            CliOutput.Json(w => ReportVerificationWriter.WriteJson(w, v));
        }
        else
        {
            ReportVerificationWriter.WriteText(Console.Out, v);
        }
        return v.Valid ? ExitCode.Holds : ExitCode.Violated;
    }
}
