using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using L = CoreSlice.Attestation.ReportLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// A decoded attestation report (format version 4, see docs/attestation.md; earlier
/// versions are refused, see <see cref="ReportVersions"/>). Decoding checks structure only;
/// <see cref="ReportVerifier"/> checks the signature and what the report claims. Untrusted
/// code: it runs in verifiers, guests and tools, never in the slicevisor. The sharing
/// section (permissions, windows, DMA ranges) is in AttestationReport.Sharing.cs.
/// </summary>
public sealed partial class AttestationReport
{
    private AttestationReport(byte[] bytes) => Bytes = bytes;

    /// <summary>The whole report as received (body then signature).</summary>
    public byte[] Bytes { get; }

    /// <summary>Format version.</summary>
    public ushort Version { get; private init; }

    /// <summary>Signature algorithm (1 = ECDSA P-384 / SHA-384, P1363).</summary>
    public ushort Algorithm { get; private init; }

    /// <summary>The 64-byte nonce / report data.</summary>
    public byte[] Nonce { get; private init; } = [];

    /// <summary>The slot.</summary>
    public int Slot { get; private init; }

    /// <summary>The slot's state when attested (Created or Running).</summary>
    public SliceState State { get; private init; }

    /// <summary>0 = the manager asked; 1 = the guest asked through its mailbox.</summary>
    public byte Requester { get; private init; }

    /// <summary>The boot counter value this slice's CreateSlice was given.</summary>
    public ulong SliceBootId { get; private init; }

    /// <summary>The machine's boot counter when attested.</summary>
    public ulong BootCounter { get; private init; }

    /// <summary>Slices created in this slot so far.</summary>
    public ulong Generation { get; private init; }

    /// <summary>Sequence number of the decision-log entry whose hash is <see cref="LogHead"/>.</summary>
    public ulong LogSequence { get; private init; }

    /// <summary>The decision-log chain head before this attestation.</summary>
    public byte[] LogHead { get; private init; } = [];

    /// <summary>The platform boot count the decision log's genesis was derived from.</summary>
    public ulong LogBootCount { get; private init; }

    /// <summary>The image measurement (LoadImage's SHA-384 chain).</summary>
    public byte[] ImageMeasurement { get; private init; } = [];

    /// <summary>The slicevisor's measurement, as the platform gave it.</summary>
    public byte[] SlicevisorMeasurement { get; private init; } = [];

    /// <summary>The sliceloader's measurement, as the platform gave it.</summary>
    public byte[] SliceloaderMeasurement { get; private init; } = [];

    /// <summary>SHA-384 of the slice-table entry's canonical encoding.</summary>
    public byte[] EntryHash { get; private init; } = [];

    /// <summary>The entry point.</summary>
    public ulong EntryPoint { get; private init; }

    /// <summary>The cache-way mask in domain 0 (all of them on a machine of one cache domain; every domain: <see cref="DomainWays"/>).</summary>
    public ulong Ways { get; private init; }

    /// <summary>Core ids, ascending.</summary>
    public IReadOnlyList<int> Cores { get; private init; } = [];

    /// <summary>Device ids, ascending.</summary>
    public IReadOnlyList<int> Devices { get; private init; } = [];

    /// <summary>Memory ranges, in range-register order.</summary>
    public IReadOnlyList<MemoryRange> Ranges { get; private init; } = [];

    /// <summary>The signed body.</summary>
    public ReadOnlySpan<byte> Body => Bytes.AsSpan(0, L.BodySize);

    /// <summary>The signature (r ‖ s).</summary>
    public ReadOnlySpan<byte> Signature => Bytes.AsSpan(L.Signature, L.SignatureSize);

    /// <summary>Decodes <paramref name="bytes"/>; null with the first structural problem when it is not a version-4 report.</summary>
    public static AttestationReport? TryDecode(ReadOnlySpan<byte> bytes, out string? problem)
    {
        problem = StructuralProblem(bytes) ?? SharingProblem(bytes) ?? DomainsProblem(bytes);
        if (problem is not null)
        {
            return null;
        }
        byte[] copy = bytes[..L.ReportSize].ToArray();
        ReadOnlySpan<byte> b = copy;
        int rangeCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(b[L.RangeCount..]);
        var ranges = new MemoryRange[rangeCount];
        for (int i = 0; i < rangeCount; i++)
        {
            ranges[i] = new MemoryRange(
                BinaryPrimitives.ReadUInt64LittleEndian(b[(L.Ranges + (i * 16))..]),
                BinaryPrimitives.ReadUInt64LittleEndian(b[(L.Ranges + (i * 16) + 8)..]));
        }
        return new AttestationReport(copy)
        {
            Version = BinaryPrimitives.ReadUInt16LittleEndian(b[L.Version..]),
            Algorithm = BinaryPrimitives.ReadUInt16LittleEndian(b[L.Algorithm..]),
            Nonce = b.Slice(L.Nonce, L.NonceSize).ToArray(),
            Slot = BinaryPrimitives.ReadInt32LittleEndian(b[L.Slot..]),
            State = (SliceState)b[L.State],
            Requester = b[L.Requester],
            SliceBootId = BinaryPrimitives.ReadUInt64LittleEndian(b[L.SliceBootId..]),
            BootCounter = BinaryPrimitives.ReadUInt64LittleEndian(b[L.BootCounter..]),
            Generation = BinaryPrimitives.ReadUInt64LittleEndian(b[L.Generation..]),
            LogSequence = BinaryPrimitives.ReadUInt64LittleEndian(b[L.LogSequence..]),
            LogHead = b.Slice(L.LogHead, CoreSlice.Log.DecisionLogLayout.HashSize).ToArray(),
            LogBootCount = BinaryPrimitives.ReadUInt64LittleEndian(b[L.LogBootCount..]),
            ImageMeasurement = b.Slice(L.ImageMeasurement, L.HashSize).ToArray(),
            SlicevisorMeasurement = b.Slice(L.SlicevisorMeasurement, L.HashSize).ToArray(),
            SliceloaderMeasurement = b.Slice(L.SliceloaderMeasurement, L.HashSize).ToArray(),
            EntryHash = b.Slice(L.EntryHash, L.HashSize).ToArray(),
            EntryPoint = BinaryPrimitives.ReadUInt64LittleEndian(b[L.EntryPoint..]),
            Ways = BinaryPrimitives.ReadUInt64LittleEndian(b[L.Ways..]),
            Cores = ReadSet(b.Slice(L.Cores, 128)),
            Devices = ReadSet(b.Slice(L.Devices, 128)),
            Ranges = ranges,
            RangePermissions = ReadRangePermissions(b, rangeCount),
            Windows = ReadWindows(b),
            DmaScope = (DmaScope)b[L.DmaScopeField],
            DmaRanges = ReadDmaRanges(b),
            DomainWays = ReadDomainWays(b),
        };
    }

    /// <summary>
    /// Recomputes the slice-table entry hash from the fields of this report
    /// (written independently of the slicevisor's encoder, so the two check each other).
    /// </summary>
    public byte[] ComputeEntryHash()
    {
        byte[] e = new byte[L.EntryEncodingSize];
        "CSENTRY3"u8.CopyTo(e);
        BinaryPrimitives.WriteInt32LittleEndian(e.AsSpan(8), Slot);
        e[12] = (byte)State;
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(16), SliceBootId);
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(24), Generation);
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(32), EntryPoint);
        BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(40), Ways);
        Bytes.AsSpan(L.Cores, 128).CopyTo(e.AsSpan(48));
        Bytes.AsSpan(L.Devices, 128).CopyTo(e.AsSpan(176));
        BinaryPrimitives.WriteUInt32LittleEndian(e.AsSpan(304), (uint)Ranges.Count);
        for (int i = 0; i < Ranges.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(312 + (i * 16)), Ranges[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(e.AsSpan(312 + (i * 16) + 8), Ranges[i].Size);
        }
        ImageMeasurement.CopyTo(e.AsSpan(312 + (L.RangeSlots * 16)));
        EncodeSharing(e.AsSpan(L.EntrySharing));
        EncodeDomains(e.AsSpan(L.EntrySharing));
        return SHA384.HashData(e);
    }

    // Magic and version come before the size: an earlier version has another size, and its refusal should name the version.
    private static string? StructuralProblem(ReadOnlySpan<byte> b)
    {
        if (b.Length < L.Algorithm)
        {
            return SizeProblem(b.Length);
        }
        if (!b[..8].SequenceEqual(L.MagicBytes))
        {
            return "magic: the report does not start with \"CSREPORT\"";
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(b[L.Version..]);
        if (ReportVersions.Refusal(version) is string refused)
        {
            return refused;
        }
        if (b.Length != L.ReportSize)
        {
            return SizeProblem(b.Length);
        }
        ushort algorithm = BinaryPrimitives.ReadUInt16LittleEndian(b[L.Algorithm..]);
        if (algorithm != L.EcdsaP384Sha384)
        {
            return $"algorithm: {algorithm} is not ECDSA P-384/SHA-384 (1)";
        }
        uint body = BinaryPrimitives.ReadUInt32LittleEndian(b[L.BodyLength..]);
        if (body != L.BodySize)
        {
            return $"body length: {body}, expected {L.BodySize}";
        }
        if (b[L.State] != (byte)SliceState.Created && b[L.State] != (byte)SliceState.Running)
        {
            return $"state: {b[L.State]} is neither Created (1) nor Running (2)";
        }
        if (b[L.Requester] > 1)
        {
            return $"requester: {b[L.Requester]} is neither manager (0) nor guest (1)";
        }
        if (b[L.Reserved1] != 0 || b[L.Reserved1 + 1] != 0 || BinaryPrimitives.ReadUInt32LittleEndian(b[L.Reserved2..]) != 0 || BinaryPrimitives.ReadUInt64LittleEndian(b[L.Reserved3..]) != 0)
        {
            return "reserved bytes are not zero";
        }
        uint ranges = BinaryPrimitives.ReadUInt32LittleEndian(b[L.RangeCount..]);
        if (ranges > L.RangeSlots)
        {
            return $"range count: {ranges} exceeds the {L.RangeSlots} slots";
        }
        if (b[(L.Ranges + ((int)ranges * 16))..L.RangePermissions].ContainsAnyExcept((byte)0))
        {
            return "ranges: unused range slots are not zero";
        }
        return null;
    }

    private static string SizeProblem(int length) => $"size: a version-{L.CurrentVersion} report is {L.ReportSize} bytes, this one is {length}";

    private static int[] ReadSet(ReadOnlySpan<byte> words)
    {
        var members = new List<int>();
        for (int w = 0; w < 16; w++)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(words[(w * 8)..]);
            for (int bit = 0; bit < 64; bit++)
            {
                if ((word & (1UL << bit)) != 0)
                {
                    members.Add((w * 64) + bit);
                }
            }
        }
        return [.. members];
    }
}
