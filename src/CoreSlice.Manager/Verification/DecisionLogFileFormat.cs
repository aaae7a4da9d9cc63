using System.Buffers.Binary;
using CoreSlice.Log;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// The decision-log file (what <c>coreslice simulate --log FILE</c> writes and
/// <c>coreslice log verify FILE</c> reads): a 24-byte header — "CSDECLOG",
/// version u16 = 1, reserved u16 = 0, entry size u32 = 168, entry count u64 —
/// followed by the canonical entries, oldest first. Little-endian.
/// </summary>
public static class DecisionLogFileFormat
{
    /// <summary>"CSDECLOG".</summary>
    public static ReadOnlySpan<byte> Magic => "CSDECLOG"u8;

    /// <summary>The version written.</summary>
    public const ushort Version = 1;

    /// <summary>Size of the header.</summary>
    public const int HeaderSize = 24;

    /// <summary>A file holding <paramref name="entries"/> (concatenated canonical entries).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> entries)
    {
        if (entries.Length % DecisionLogLayout.EntrySize != 0)
        {
            throw new ArgumentException("not a whole number of entries", nameof(entries));
        }
        byte[] file = new byte[HeaderSize + entries.Length];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), DecisionLogLayout.EntrySize);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), (ulong)(entries.Length / DecisionLogLayout.EntrySize));
        entries.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>A file holding every entry <paramref name="log"/> holds now (it is not drained).</summary>
    public static byte[] Encode(DecisionLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        byte[] entries = new byte[log.Count * DecisionLogLayout.EntrySize];
        _ = log.CopyTo(entries);
        return Encode(entries);
    }

    /// <summary>
    /// The entries of a log file; null (with <paramref name="problem"/>) when it is not
    /// one. When the header's count disagrees with the entries present, the entries are
    /// returned and <paramref name="problem"/> says so: that is evidence, not an unusable file.
    /// </summary>
    public static byte[]? Decode(ReadOnlySpan<byte> file, out string? problem)
    {
        problem = null;
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
            problem = $"unsupported decision-log file: version {version}, entry size {entrySize}";
            return null;
        }
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
