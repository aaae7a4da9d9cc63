using System.Buffers.Binary;
using CoreSlice.Attestation;
using CoreSlice.Log;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// The decision-log file (what <c>coreslice simulate --log FILE</c> writes and
/// <c>coreslice log verify FILE</c> reads), version 3: a 136-byte header — "CSDECLOG",
/// version u16 = 3 (the entry format), reserved u16 = 0, entry size u32 = 56, entry count u64, the
/// slicevisor's measurement (48), the sliceloader's measurement (48), the platform boot
/// count u64, 8 reserved zero bytes — followed by the canonical entries, oldest first.
/// Little-endian. The identity fields say which genesis the log starts from; they are
/// claims of whoever wrote the file, to be compared with an attestation report.
/// </summary>
public static class DecisionLogFileFormat
{
    /// <summary>"CSDECLOG".</summary>
    public static ReadOnlySpan<byte> Magic => "CSDECLOG"u8;

    /// <summary>The version written.</summary>
    public const ushort Version = DecisionLogLayout.FormatVersion;

    /// <summary>Size of the header.</summary>
    public const int HeaderSize = 136;

    /// <summary>The header for <paramref name="count"/> entries of a log kept under <paramref name="identity"/>.</summary>
    public static byte[] Header(ulong count, PlatformIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        byte[] header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), DecisionLogLayout.EntrySize);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), count);
        identity.SlicevisorMeasurement.CopyTo(header.AsSpan(24));
        identity.SliceloaderMeasurement.CopyTo(header.AsSpan(72));
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(120), identity.BootCount);
        return header;
    }

    /// <summary>A file holding <paramref name="entries"/> (concatenated canonical entries) of a log kept under <paramref name="identity"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> entries, PlatformIdentity identity)
    {
        if (entries.Length % DecisionLogLayout.EntrySize != 0)
        {
            throw new ArgumentException("not a whole number of entries", nameof(entries));
        }
        byte[] file = new byte[HeaderSize + entries.Length];
        Header((ulong)(entries.Length / DecisionLogLayout.EntrySize), identity).CopyTo(file, 0);
        entries.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>A file holding every entry <paramref name="log"/> holds now (it is not drained).</summary>
    public static byte[] Encode(DecisionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        byte[] entries = new byte[log.Count * DecisionLogLayout.EntrySize];
        _ = log.CopyTo(entries);
        return Encode(entries, log.Identity);
    }

    /// <summary>The entries of a log file (see the three-argument overload).</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> file, out string? problem) => Decode(file, out problem, out _);

    /// <summary>
    /// The entries of a log file, and the identity its header names; null (with <paramref name="problem"/>)
    /// when it is not one. When the header's count disagrees with the entries present, the entries are
    /// returned and <paramref name="problem"/> says so: that is evidence, not an unusable file.
    /// </summary>
    public static byte[]? Decode(ReadOnlySpan<byte> file, out string? problem, out PlatformIdentity? identity)
    {
        problem = null;
        identity = null;
        if (file.Length < HeaderSize || !file[..8].SequenceEqual(Magic))
        {
            problem = "not a CoreSlice decision-log file (no \"CSDECLOG\" header)";
            return null;
        }
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
        uint entrySize = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(file[16..]);
        if (version != Version || entrySize != DecisionLogLayout.EntrySize)
        {
            problem = $"unsupported decision-log file: version {version}, entry size {entrySize} (this tool reads version {Version}, {DecisionLogLayout.EntrySize}-byte entries)";
            return null;
        }
        identity = new PlatformIdentity(file.Slice(24, 48), file.Slice(72, 48), BinaryPrimitives.ReadUInt64LittleEndian(file[120..]));
        int body = file.Length - HeaderSize;
        if (body % DecisionLogLayout.EntrySize != 0)
        {
            problem = $"the file holds {body} bytes of entries, not a whole number of {DecisionLogLayout.EntrySize}-byte entries";
            return null;
        }
        ulong present = (ulong)(body / DecisionLogLayout.EntrySize);
        if (count != present)
        {
            problem = $"the header announces {count} entries but the file holds {present}: entries were removed or added";
        }
        return file[HeaderSize..].ToArray();
    }
}
