using System.Buffers.Binary;
using System.Security.Cryptography;
using L = CoreSlice.Attestation.ReportLayout;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// Writes a version-2 report, as slicevisors wrote them before version 3, for the tests of how the
/// verifier treats one. Version 2 is version 3's first <see cref="BodySize"/> bytes (the same
/// offsets) with version 2, its own body length, an entry hash over the CSENTRY1 encoding (no
/// sharing section), and the signature right after. Kept here, not in the slicevisor, which writes version 3 only.
/// </summary>
internal static class Version2ReportWriter
{
    public const int BodySize = L.RangePermissions;
    public const int ReportSize = BodySize + L.SignatureSize;
    private const int EntryEncodingSize = L.EntrySharing;

    /// <summary>The slicevisor's own signing key, derived as it derives it (counter 0: a retry has probability ≈ 2⁻¹⁹⁰).</summary>
    public static ECDsa SlicevisorKey(AttestationRig rig)
    {
        byte[] context = [.. "CoreSlice attestation key v1"u8, 0, .. rig.Identity.SlicevisorMeasurement];
        return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP384, D = HMACSHA384.HashData(rig.Machine.RootKey, context) });
    }

    /// <summary>The version-2 report of what <paramref name="version3"/> says (its sharing section dropped), signed with <paramref name="key"/>.</summary>
    public static byte[] From(ReadOnlySpan<byte> version3, ECDsa key, ushort version = 2)
    {
        byte[] report = new byte[ReportSize];
        version3[..BodySize].CopyTo(report);
        BinaryPrimitives.WriteUInt16LittleEndian(report.AsSpan(L.Version), version);
        BinaryPrimitives.WriteUInt32LittleEndian(report.AsSpan(L.BodyLength), BodySize);
        SHA384.HashData(Csentry1(report), report.AsSpan(L.EntryHash, L.HashSize));
        key.SignData(report.AsSpan(0, BodySize), report.AsSpan(BodySize), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return report;
    }

    /// <summary>"CSENTRY1" ‖ slot ‖ state ‖ 3 zero ‖ boot id ‖ generation ‖ entry point ‖ ways ‖ cores ‖ devices ‖ range count ‖ 4 zero ‖ ranges ‖ measurement.</summary>
    private static byte[] Csentry1(ReadOnlySpan<byte> r)
    {
        byte[] e = new byte[EntryEncodingSize];
        "CSENTRY1"u8.CopyTo(e);
        r.Slice(L.Slot, 4).CopyTo(e.AsSpan(8));
        e[12] = r[L.State];
        r.Slice(L.SliceBootId, 8).CopyTo(e.AsSpan(16));
        r.Slice(L.Generation, 8).CopyTo(e.AsSpan(24));
        r.Slice(L.EntryPoint, 8).CopyTo(e.AsSpan(32));
        r.Slice(L.Ways, 8).CopyTo(e.AsSpan(40));
        r.Slice(L.Cores, 256).CopyTo(e.AsSpan(48));
        r.Slice(L.RangeCount, 4).CopyTo(e.AsSpan(304));
        r.Slice(L.Ranges, L.RangeSlots * 16).CopyTo(e.AsSpan(312));
        r.Slice(L.ImageMeasurement, L.HashSize).CopyTo(e.AsSpan(312 + (L.RangeSlots * 16)));
        return e;
    }
}
