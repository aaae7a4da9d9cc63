using System.Buffers.Binary;
using L = CoreSlice.Attestation.ReportLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>The cache-domain section of a version-4 report: the slice's ways in every cache domain of the machine.</summary>
public sealed partial class AttestationReport
{
    /// <summary>The slice's ways per cache domain, one mask per domain of the machine (index = domain); [0] is <see cref="Ways"/>.</summary>
    public IReadOnlyList<ulong> DomainWays { get; private init; } = [];

    /// <summary>The cache-domain section's structural problem, or null.</summary>
    private static string? DomainsProblem(ReadOnlySpan<byte> b)
    {
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(b[L.DomainCount..]);
        if (count is 0 or > L.DomainSlots)
        {
            return $"cache domain count: {count}, expected 1..{L.DomainSlots}";
        }
        if (BinaryPrimitives.ReadUInt32LittleEndian(b[L.Reserved6..]) != 0)
        {
            return "reserved bytes are not zero";
        }
        if (b[(L.DomainWays + ((int)count * 8))..L.BodySize].ContainsAnyExcept((byte)0))
        {
            return "cache domains: unused domain slots are not zero";
        }
        ulong first = BinaryPrimitives.ReadUInt64LittleEndian(b[L.DomainWays..]);
        ulong ways = BinaryPrimitives.ReadUInt64LittleEndian(b[L.Ways..]);
        return first == ways ? null : $"cache domains: domain 0's ways 0x{first:x} differ from the ways field 0x{ways:x}";
    }

    private static ulong[] ReadDomainWays(ReadOnlySpan<byte> b)
    {
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(b[L.DomainCount..]);
        var masks = new ulong[count];
        for (int d = 0; d < count; d++)
        {
            masks[d] = BinaryPrimitives.ReadUInt64LittleEndian(b[(L.DomainWays + (d * 8))..]);
        }
        return masks;
    }

    /// <summary>The cache-domain section rebuilt from <see cref="DomainWays"/> (for the entry hash; <paramref name="section"/> starts at <see cref="L.RangePermissions"/>).</summary>
    private void EncodeDomains(Span<byte> section)
    {
        const int at = L.RangePermissions;
        BinaryPrimitives.WriteUInt32LittleEndian(section[(L.DomainCount - at)..], (uint)DomainWays.Count);
        for (int d = 0; d < DomainWays.Count; d++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(section[(L.DomainWays - at + (d * 8))..], DomainWays[d]);
        }
    }
}
