using CoreSlice.Manager.Verification;

namespace CoreSlice.Harness.Files;

/// <summary>
/// Files for <c>attest verify</c>: a report is its raw bytes (version 4,
/// <see cref="CoreSlice.Attestation.ReportLayout.ReportSize"/> bytes, as the slicevisor wrote them); the key is the
/// slicevisor's <c>AttestationPublicKey</c> as PEM. For simulate (e.g. <c>--report DIR</c>).
/// </summary>
public static class AttestationFiles
{
    /// <summary>The report's file name in a report directory (<c>simulate --report DIR</c>).</summary>
    public const string ReportFileName = "report.bin";

    /// <summary>The public key's file name in a report directory.</summary>
    public const string KeyFileName = "key.pem";

    /// <summary>The decision log's file name in a report directory (unless <c>--log</c> names another file).</summary>
    public const string LogFileName = "decisions.log";

    /// <summary>
    /// Writes <paramref name="report"/> and <paramref name="subjectPublicKeyInfo"/> into <paramref name="directory"/>
    /// as <see cref="ReportFileName"/> and <see cref="KeyFileName"/>; returns the two paths.
    /// </summary>
    public static (string ReportPath, string KeyPath) WriteReportDirectory(string directory, ReadOnlySpan<byte> report, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        string reportPath = Path.Combine(directory, ReportFileName);
        string keyPath = Path.Combine(directory, KeyFileName);
        WriteReport(reportPath, report);
        WritePublicKey(keyPath, subjectPublicKeyInfo);
        return (reportPath, keyPath);
    }

    /// <summary>Writes a report as raw bytes.</summary>
    public static void WriteReport(string path, ReadOnlySpan<byte> report) => File.WriteAllBytes(path, report.ToArray());

    /// <summary>Writes the public key (DER SubjectPublicKeyInfo) as PEM.</summary>
    public static void WritePublicKey(string path, ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        File.WriteAllText(path, ReportVerifier.PublicKeyPem(subjectPublicKeyInfo) + "\n");
}
