using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Hardware;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// Checks an attestation report: structure, the ECDSA P-384 signature under the
/// slicevisor's public key, the consistency of the entry hash with the reported
/// fields, and then every expectation given — reporting each mismatch by field.
/// </summary>
public static class ReportVerifier
{
    /// <summary>Verifies <paramref name="report"/> against <paramref name="publicKey"/> (DER SubjectPublicKeyInfo).</summary>
    public static ReportVerification Verify(ReadOnlySpan<byte> report, ReadOnlySpan<byte> publicKey, ReportExpectations? expect = null)
    {
        var mismatches = new List<Mismatch>();
        AttestationReport? decoded = AttestationReport.TryDecode(report, out string? problem);
        if (decoded is null)
        {
            mismatches.Add(new Mismatch("structure", $"a version-{ReportVersions.Accepted} CoreSlice report", problem!));
            return new ReportVerification(null, mismatches);
        }
        if (!SignatureHolds(decoded, publicKey, out string? keyProblem))
        {
            mismatches.Add(new Mismatch("signature", "a valid ECDSA P-384 signature by the slicevisor's key", keyProblem ?? "a signature that does not verify (forged, altered, or another key)"));
        }
        byte[] entryHash = decoded.ComputeEntryHash();
        if (!entryHash.AsSpan().SequenceEqual(decoded.EntryHash))
        {
            mismatches.Add(new Mismatch("entryHash", Hex(entryHash) + " (recomputed from the reported assignment)", Hex(decoded.EntryHash)));
        }
        if (expect is not null)
        {
            CheckExpectations(decoded, expect, mismatches);
        }
        return new ReportVerification(decoded, mismatches);
    }

    /// <summary>
    /// Parses a public key file: PEM ("-----BEGIN PUBLIC KEY-----") or raw DER
    /// SubjectPublicKeyInfo. Returns the DER bytes, or null when it is neither.
    /// </summary>
    public static byte[]? ParsePublicKey(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            using var key = ECDsa.Create();
            string text = System.Text.Encoding.ASCII.GetString(file);
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(text);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(file, out _);
            }
            return key.KeySize == 384 ? key.ExportSubjectPublicKeyInfo() : null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The PEM text of a DER SubjectPublicKeyInfo (what <c>coreslice attest verify --key</c> reads).</summary>
    public static string PublicKeyPem(ReadOnlySpan<byte> publicKey) => PemEncoding.WriteString("PUBLIC KEY", publicKey);

    private static bool SignatureHolds(AttestationReport report, ReadOnlySpan<byte> publicKey, out string? problem)
    {
        problem = null;
        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            if (key.KeySize != 384)
            {
                problem = $"a {key.KeySize}-bit key, not P-384";
                return false;
            }
            return key.VerifyData(report.Body, report.Signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException e)
        {
            problem = "an unusable public key: " + e.Message;
            return false;
        }
    }

    private static void CheckExpectations(AttestationReport r, ReportExpectations x, List<Mismatch> m)
    {
        CheckBytes(m, "nonce", x.Nonce, r.Nonce);
        CheckBytes(m, "imageMeasurement", x.ImageMeasurement, r.ImageMeasurement);
        CheckBytes(m, "slicevisorMeasurement", x.SlicevisorMeasurement, r.SlicevisorMeasurement);
        CheckBytes(m, "sliceloaderMeasurement", x.SliceloaderMeasurement, r.SliceloaderMeasurement);
        if (x.Slot is int slot && slot != r.Slot)
        {
            m.Add(new Mismatch("slot", slot.ToString(), r.Slot.ToString()));
        }
        if (x.State is SliceState state && state != r.State)
        {
            m.Add(new Mismatch("state", state.ToString(), r.State.ToString()));
        }
        if (x.SliceBootId is ulong bootId && bootId != r.SliceBootId)
        {
            m.Add(new Mismatch("sliceBootId", bootId.ToString(), r.SliceBootId + (r.SliceBootId < bootId ? " (an earlier slice: replayed report?)" : "")));
        }
        if (x.MinimumSliceBootId is ulong minimum && r.SliceBootId < minimum)
        {
            m.Add(new Mismatch("sliceBootId", $">= {minimum}", $"{r.SliceBootId} (a slice created before the live one: replayed report of a destroyed slice?)"));
        }
        if (x.Assignment is ExpectedAssignment a)
        {
            CheckAssignment(r, a, m);
        }
    }

    /// <summary>Exact comparison of the reported assignment with <paramref name="a"/>, field by field.</summary>
    internal static void CheckAssignment(AttestationReport r, ExpectedAssignment a, List<Mismatch> m)
    {
        int[] cores = [.. a.Cores.Distinct().Order()];
        if (!cores.SequenceEqual(r.Cores))
        {
            m.Add(new Mismatch("cores", List(cores), List(r.Cores)));
        }
        int[] devices = [.. a.Devices.Distinct().Order()];
        if (!devices.SequenceEqual(r.Devices))
        {
            m.Add(new Mismatch("devices", List(devices), List(r.Devices)));
        }
        if (!a.Ranges.SequenceEqual(r.Ranges))
        {
            m.Add(new Mismatch("ranges", Ranges(a.Ranges), Ranges(r.Ranges)));
        }
        if (!a.EffectiveRangePermissions.SequenceEqual(r.RangePermissions))
        {
            m.Add(new Mismatch("rangePermissions", PermissionList(a.EffectiveRangePermissions), PermissionList(r.RangePermissions)));
        }
        if (!a.Windows.SequenceEqual(r.Windows))
        {
            m.Add(new Mismatch("windows", Windows(a.Windows), Windows(r.Windows)));
        }
        if (!a.DmaRanges.SequenceEqual(r.DmaRanges))
        {
            m.Add(new Mismatch("dmaRanges", DmaRanges(a.DmaRanges), DmaRanges(r.DmaRanges)));
        }
        if (a.Ways != r.Ways)
        {
            m.Add(new Mismatch("ways", $"0x{a.Ways:x}", $"0x{r.Ways:x}"));
        }
        string expectedDomains = DomainWays(a.WaysPerDomain(r.DomainWays.Count));
        string reportedDomains = DomainWays(r.DomainWays);
        if (expectedDomains != reportedDomains)
        {
            m.Add(new Mismatch("domainWays", expectedDomains, reportedDomains));
        }
        if (a.EntryPoint != r.EntryPoint)
        {
            m.Add(new Mismatch("entryPoint", $"0x{a.EntryPoint:x}", $"0x{r.EntryPoint:x}"));
        }
    }

    private static void CheckBytes(List<Mismatch> m, string field, byte[]? expected, byte[] actual)
    {
        if (expected is not null && !expected.AsSpan().SequenceEqual(actual))
        {
            m.Add(new Mismatch(field, Hex(expected), Hex(actual)));
        }
    }

    /// <summary>Lower-case hex, as reports and logs are printed.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>"[a,b,c]".</summary>
    public static string List(IEnumerable<int> items) => "[" + string.Join(",", items) + "]";

    /// <summary>"[[base, limit),...]".</summary>
    public static string Ranges(IEnumerable<MemoryRange> ranges) => "[" + string.Join(",", ranges) + "]";

    /// <summary>"rwx", with "-" for each permission not held (so "r--" is read-only).</summary>
    public static string Permission(Permissions p) =>
        string.Concat((p & Permissions.Read) != 0 ? "r" : "-", (p & Permissions.Write) != 0 ? "w" : "-", (p & Permissions.Execute) != 0 ? "x" : "-");

    /// <summary>"[rwx,r--,...]".</summary>
    public static string PermissionList(IEnumerable<Permissions> permissions) => "[" + string.Join(",", permissions.Select(Permission)) + "]";

    /// <summary>"[[base, limit) rwx,...]": ranges with their permissions, pairwise.</summary>
    public static string Ranges(IEnumerable<MemoryRange> ranges, IEnumerable<Permissions> permissions) => "[" + string.Join(",", ranges.Zip(permissions, Grant)) + "]";

    /// <summary>"[[base, limit) rw-,...]".</summary>
    public static string Windows(IEnumerable<SharedWindow> windows) => "[" + string.Join(",", windows.Select(w => Grant(w.Range, w.Permissions))) + "]";

    /// <summary>"[device d [base, limit) rw-,...]", or "none listed" for an empty list (the devices reach every private range).</summary>
    public static string DmaRanges(IReadOnlyCollection<DmaRange> ranges) => ranges.Count == 0
        ? "none listed (every device reaches every private range)"
        : "[" + string.Join(",", ranges.Select(d => $"device {d.Device} {Grant(d.Range, d.Permissions)}")) + "]";

    private static string Grant(MemoryRange range, Permissions permissions) => $"{range} {Permission(permissions)}";

    /// <summary>Per-domain way masks as text, e.g. "[0x6, 0x0]".</summary>
    public static string DomainWays(IReadOnlyList<ulong> masks) => "[" + string.Join(", ", masks.Select(w => $"0x{w:x}")) + "]";
}
