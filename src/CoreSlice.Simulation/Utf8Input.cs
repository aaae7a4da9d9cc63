using System.Buffers;
using System.Text.Unicode;

namespace CoreSlice.Simulation;

/// <summary>
/// What the JSON readers of the tools do with a file's bytes before parsing: a UTF-8
/// byte-order mark is skipped (editors on some systems write one), and the first byte
/// that is not valid UTF-8 is found, so the reader can point at it instead of failing
/// somewhere inside a string.
/// </summary>
public static class Utf8Input
{
    /// <summary>The length of a leading UTF-8 byte-order mark in <paramref name="bytes"/> (3 or 0).</summary>
    public static int ByteOrderMarkLength(ReadOnlySpan<byte> bytes) => bytes.StartsWith("\uFEFF"u8) ? 3 : 0;

    /// <summary>The index of the first byte that does not start a valid UTF-8 sequence, or -1 when all of <paramref name="bytes"/> is valid.</summary>
    public static long FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        Span<char> scratch = stackalloc char[1024];
        long offset = 0;
        while (!bytes.IsEmpty)
        {
            OperationStatus status = Utf8.ToUtf16(bytes, scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            if (status == OperationStatus.InvalidData)
            {
                return offset + read;
            }
            bytes = bytes[read..];
            offset += read;
            if (status == OperationStatus.Done)
            {
                break;
            }
        }
        return -1;
    }
}
