using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CoreSlice.Bench;

/// <summary>
/// The baseline for <see cref="LogBenchmarks"/>: the decision log's previous entry format, kept
/// here only to be timed. A 168-byte entry, previous hash (48) ‖ fields (72) ‖ hash (48), with two
/// SHA-384 finalizations per entry: one for the argument digest (fed while the request was
/// decoded), one for the chain link over 120 bytes, both through reused IncrementalHash objects.
/// </summary>
public sealed class PreviousLogFormat : IDisposable
{
    private const int EntrySize = 168, HashSize = 48;
    private readonly byte[] store;
    private readonly byte[] head = new byte[HashSize];
    private readonly IncrementalHash arguments = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
    private readonly IncrementalHash chain = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
    private readonly int capacity;
    private int next;
    private ulong sequence;

    public PreviousLogFormat(int capacity)
    {
        this.capacity = capacity;
        store = new byte[capacity * EntrySize];
    }

    public ulong Sequence => sequence;

    /// <summary>One entry for a slot-argument decision, as StartSlice and DestroySlice logged it.</summary>
    public void AppendSlotDecision(int slot, in SliceResult result)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, slot);
        arguments.AppendData(b);
        Span<byte> e = store.AsSpan(next * EntrySize, EntrySize);
        next = (next + 1) % capacity;
        head.CopyTo(e);
        sequence++;
        BinaryPrimitives.WriteUInt64LittleEndian(e[48..], sequence);
        e[56] = 3;
        e[57] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(e[58..], (ushort)result.Error);
        BinaryPrimitives.WriteInt32LittleEndian(e[60..], result.Slot);
        BinaryPrimitives.WriteInt32LittleEndian(e[64..], result.Subject);
        BinaryPrimitives.WriteInt32LittleEndian(e[68..], result.Holder);
        arguments.GetHashAndReset(e.Slice(72, HashSize));
        chain.AppendData(e[..120]);
        chain.GetHashAndReset(e.Slice(120, HashSize));
        e.Slice(120, HashSize).CopyTo(head);
    }

    public void Dispose()
    {
        arguments.Dispose();
        chain.Dispose();
    }
}
