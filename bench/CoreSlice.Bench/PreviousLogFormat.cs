using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CoreSlice.Bench;

/// <summary>
/// The baseline for <see cref="LogBenchmarks"/>: the decision log's previous entry format (format 2),
/// kept here only to be timed. A 120-byte entry, previous hash (32) ‖ fields (56) ‖ hash (32), with
/// one SHA-256 finalization per entry over its first 88 bytes, plus one over the arguments when they
/// exceed 32 bytes (CreateSlice), both through one reused IncrementalHash. (Format 1, two SHA-384
/// finalizations over 168-byte entries, is in the bench/README history.)
/// </summary>
public sealed class PreviousLogFormat : IDisposable
{
    private const int EntrySize = 120, HashSize = 32, Hashed = 88, ArgumentsAt = 56, ArgumentsSize = 32;
    private readonly byte[] store;
    private readonly byte[] head = new byte[HashSize];
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly int capacity;
    private int next;
    private ulong sequence;

    public PreviousLogFormat(int capacity)
    {
        this.capacity = capacity;
        store = new byte[capacity * EntrySize];
    }

    public ulong Sequence => sequence;

    /// <summary>One entry as format 2 appended it: inline arguments up to 32 bytes, else their SHA-256.</summary>
    public void Append(byte operation, in SliceResult result, ReadOnlySpan<byte> arguments)
    {
        Span<byte> e = store.AsSpan(next * EntrySize, EntrySize);
        next = (next + 1) % capacity;
        head.CopyTo(e);
        sequence++;
        BinaryPrimitives.WriteUInt64LittleEndian(e[32..], sequence);
        e[40] = operation;
        BinaryPrimitives.WriteUInt16LittleEndian(e[42..], (ushort)result.Error);
        BinaryPrimitives.WriteInt32LittleEndian(e[44..], result.Slot);
        BinaryPrimitives.WriteInt32LittleEndian(e[48..], result.Subject);
        BinaryPrimitives.WriteInt32LittleEndian(e[52..], result.Holder);
        Span<byte> args = e.Slice(ArgumentsAt, ArgumentsSize);
        if (arguments.Length <= ArgumentsSize)
        {
            e[41] = 0;
            args.Clear();
            arguments.CopyTo(args);
        }
        else
        {
            e[41] = 1;
            sha256.AppendData(arguments);
            sha256.GetHashAndReset(args);
        }
        sha256.AppendData(e[..Hashed]);
        sha256.GetHashAndReset(e.Slice(Hashed, HashSize));
        e.Slice(Hashed, HashSize).CopyTo(head);
    }

    public void Dispose() => sha256.Dispose();
}
