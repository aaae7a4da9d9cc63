using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static CoreSlice.Log.DecisionLogLayout;

namespace CoreSlice.Log;

/// <summary>
/// The decision log: every request the slicevisor receives, accepted or refused,
/// with its error, slot, subject, holder and a digest of its arguments, in a
/// fixed-capacity ring of canonical entries, each hash-chained to the one before
/// (see <see cref="DecisionLogLayout"/>). Removing, reordering or altering an
/// entry breaks the chain; the attestation report carries the current head, so a
/// remote verifier can also detect a truncated tail.
/// <para>
/// Full-log policy: nothing is ever dropped. One entry is reserved for the drain
/// record, so when <see cref="Count"/> reaches <see cref="Capacity"/> − 1 every request
/// except <c>DrainLog</c> is refused with <see cref="SliceError.LogFull"/> before it
/// is executed (state unchanged) and counted in <see cref="RefusedWhileFull"/>.
/// <c>DrainLog</c> copies the oldest entries out to the manager and records itself,
/// with that count; the chain continues from the last hash, so drained batches link.
/// </para>
/// <para>Public members are read-only; only the slicevisor appends and drains. Appending allocates nothing.</para>
/// </summary>
public sealed class DecisionLog : IDisposable
{
    /// <summary>Capacity used when the platform does not choose one.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>Smallest capacity: one request plus the reserved drain record.</summary>
    public const int MinCapacity = 2;

    /// <summary>Largest capacity (168 MiB of entries): a bound, like every table here.</summary>
    public const int MaxCapacity = 1 << 20;

    private readonly byte[] store;
    private readonly byte[] head = new byte[HashSize];
    // Two hash objects made once: one for the arguments, fed while a request is
    // decoded, one for the chain. Reusing them is what makes appending allocation-free.
    private readonly IncrementalHash arguments = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
    private readonly IncrementalHash chain = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
    private readonly int capacity;
    private int start;
    private int count;
    private ulong sequence;
    private ulong refusedWhileFull;

    internal DecisionLog(int capacity)
    {
        if (capacity < MinCapacity || capacity > MaxCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"the decision log holds {MinCapacity}..{MaxCapacity} entries");
        }
        if (!BitConverter.IsLittleEndian)
        {
            // Argument digests hash request arrays as they lie in memory; the format is little-endian.
            throw new PlatformNotSupportedException("the decision log's canonical encoding assumes a little-endian machine");
        }
        this.capacity = capacity;
        store = new byte[checked(capacity * EntrySize)];
    }

    /// <summary>Most entries held at once (one of them reserved for the drain record).</summary>
    public int Capacity => capacity;

    /// <summary>Entries held now (appended and not yet drained).</summary>
    public int Count => count;

    /// <summary>Sequence number of the newest entry ever appended (0 before the first).</summary>
    public ulong Sequence => sequence;

    /// <summary>The chain head: the newest entry's hash (48 zero bytes before the first).</summary>
    public ReadOnlySpan<byte> Head => head;

    /// <summary>Requests refused with <see cref="SliceError.LogFull"/> since the last drain.</summary>
    public ulong RefusedWhileFull => refusedWhileFull;

    /// <summary>True while a request other than a drain can be recorded (one entry stays reserved for the drain record).</summary>
    public bool AcceptsRequests => count < capacity - 1;

    /// <summary>The canonical bytes of held entry <paramref name="index"/> (0 = oldest held).</summary>
    public ReadOnlySpan<byte> Entry(int index)
    {
        if ((uint)index >= (uint)count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "no such entry");
        }
        return store.AsSpan(Physical(index) * EntrySize, EntrySize);
    }

    /// <summary>
    /// Copies every held entry, oldest first, into <paramref name="destination"/>
    /// without draining (for export and audit); returns the bytes written, or -1
    /// when the destination is smaller than <see cref="Count"/> × <see cref="DecisionLogLayout.EntrySize"/>.
    /// </summary>
    public int CopyTo(Span<byte> destination)
    {
        if (destination.Length < count * EntrySize)
        {
            return -1;
        }
        for (int i = 0; i < count; i++)
        {
            Entry(i).CopyTo(destination[(i * EntrySize)..]);
        }
        return count * EntrySize;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        arguments.Dispose();
        chain.Dispose();
    }

    // ---- The slicevisor's side ----

    /// <summary>Counts a request refused because the log is full (it was not executed).</summary>
    internal void CountRefusal() => refusedWhileFull++;

    /// <summary>Feeds argument bytes of the request being decided into its digest.</summary>
    internal void Argument(ReadOnlySpan<byte> bytes) => arguments.AppendData(bytes);

    internal void Argument(int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        arguments.AppendData(b);
    }

    internal void Argument(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        arguments.AppendData(b);
    }

    /// <summary>Arguments of CreateSlice: each list as u32 count ‖ items (LE), then ways and entry point.</summary>
    internal void CreateArguments(in SliceRequest request)
    {
        // The request is hashed as received, before validation; a manager that rewrites
        // its own arrays during the call can only blur its own record, not the decision.
        Argument(request.Cores.Length);
        Argument(MemoryMarshal.AsBytes(request.Cores.Span));
        Argument(request.Ranges.Length);
        Argument(MemoryMarshal.AsBytes(request.Ranges.Span));
        Argument(request.Devices.Length);
        Argument(MemoryMarshal.AsBytes(request.Devices.Span));
        Argument(request.Ways);
        Argument(request.EntryPoint);
    }

    /// <summary>
    /// Appends the decision on the request whose arguments were just fed: links it
    /// to the head, hashes it, and makes it the new head. The caller has checked
    /// that there is room (<see cref="AcceptsRequests"/>, or the drain's reserved entry).
    /// </summary>
    internal void Append(DecisionOperation operation, in SliceResult result)
    {
        if (count == capacity)
        {
            // Unreachable: callers check room first. An assertion, not a silent drop.
            throw new InvalidOperationException("decision log full: the room check was skipped");
        }
        Span<byte> e = store.AsSpan(Physical(count) * EntrySize, EntrySize);
        head.CopyTo(e);
        sequence++;
        BinaryPrimitives.WriteUInt64LittleEndian(e[DecisionLogLayout.Sequence..], sequence);
        e[Operation] = (byte)operation;
        e[Reserved] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(e[Error..], (ushort)result.Error);
        BinaryPrimitives.WriteInt32LittleEndian(e[Slot..], result.Slot);
        BinaryPrimitives.WriteInt32LittleEndian(e[Subject..], result.Subject);
        BinaryPrimitives.WriteInt32LittleEndian(e[Holder..], result.Holder);
        arguments.GetHashAndReset(e.Slice(ArgumentsDigest, HashSize));
        chain.AppendData(e[..Hash]);
        chain.GetHashAndReset(e.Slice(Hash, HashSize));
        e.Slice(Hash, HashSize).CopyTo(head);
        count++;
    }

    /// <summary>
    /// Moves the oldest entries that fit into <paramref name="destination"/> out of
    /// the log and records the drain. Returns the error (None, or BufferTooSmall
    /// when entries are held and not even one fits).
    /// </summary>
    internal SliceResult Drain(Span<byte> destination, out int drained)
    {
        drained = Math.Min(count, destination.Length / EntrySize);
        if (count > 0 && drained == 0)
        {
            SliceResult refused = SliceResult.Fail(SliceError.BufferTooSmall, 0, EntrySize);
            if (count == capacity)
            {
                // No room even for this drain's record: refuse it like any request on a full log.
                refusedWhileFull++;
                return refused;
            }
            RecordDrain(refused, 0);
            return refused;
        }
        for (int i = 0; i < drained; i++)
        {
            Entry(i).CopyTo(destination[(i * EntrySize)..]);
        }
        // Scrub what left, so the ring never holds stale copies; then advance.
        for (int i = 0; i < drained; i++)
        {
            store.AsSpan(Physical(i) * EntrySize, EntrySize).Clear();
        }
        start = (start + drained) % capacity;
        count -= drained;
        SliceResult ok = SliceResult.Success(0) with { Subject = drained, Holder = (int)Math.Min(refusedWhileFull, int.MaxValue) };
        RecordDrain(ok, drained);
        return ok;
    }

    private void RecordDrain(in SliceResult result, int drained)
    {
        // The digest carries the exact refusal count (the Holder field is clamped to i32).
        Argument(drained);
        Argument(refusedWhileFull);
        Append(DecisionOperation.DrainLog, result with { Holder = (int)Math.Min(refusedWhileFull, int.MaxValue) });
        refusedWhileFull = 0;
    }

    private int Physical(int index) => (start + index) % capacity;
}
