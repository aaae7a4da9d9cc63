using CoreSlice.Manager.Verification;

namespace CoreSlice.Harness.Files;

/// <summary>
/// Files for <c>attest verify</c>: a report is its raw bytes (version 1,
/// <see cref="CoreSlice.Attestation.ReportLayout.ReportSize"/> bytes); the key is the
/// slicevisor's <c>AttestationPublicKey</c> as PEM. For simulate (e.g. <c>--report DIR</c>).
/// </summary>
public static class AttestationFiles
{
    /// <summary>Writes a report as raw bytes.</summary>
    public static void WriteReport(string path, ReadOnlySpan<byte> report) => File.WriteAllBytes(path, report.ToArray());

    /// <summary>Writes the public key (DER SubjectPublicKeyInfo) as PEM.</summary>
    public static void WritePublicKey(string path, ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        File.WriteAllText(path, ReportVerifier.PublicKeyPem(subjectPublicKeyInfo) + "\n");
}
