using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using static CoreSlice.Log.DecisionLogLayout;

namespace CoreSlice.Log;

/// <summary>
/// The decision log: every request the slicevisor receives, accepted or refused,
/// with its error, slot, subject, holder and its decoded arguments (inline or as a
/// digest), in a fixed-capacity ring of canonical entries, each hash-chained to the
/// one before (see <see cref="DecisionLogLayout"/>). The chain starts at a genesis
/// derived from the platform identity and boot count, so removing, reordering or
/// altering any entry, the first included, breaks it; the attestation report signs
/// the current head, so a remote verifier can also detect a truncated tail.
/// <para>
/// Full-log policy: nothing is ever dropped. One entry is reserved for the drain
/// record, so when <see cref="Count"/> reaches <see cref="Capacity"/> − 1 every request
/// except <c>DrainLog</c> is refused with <see cref="SliceError.LogFull"/> before it
/// is executed (state unchanged) and counted in <see cref="RefusedWhileFull"/>.
/// <c>DrainLog</c> copies the oldest entries out to the manager and records itself,
/// with that count; the chain continues from the last hash, so drained batches link.
/// </para>
/// <para>Public members are read-only; only the slicevisor appends and drains. Appending
/// allocates nothing: one SHA-256 over an 88-byte entry (plus one over the arguments when
/// they do not fit inline), through one reused hash object.</para>
/// </summary>
public sealed class DecisionLog : IDisposable
{
    /// <summary>Capacity used when the platform does not choose one.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>Smallest capacity: one request plus the reserved drain record.</summary>
    public const int MinCapacity = 2;

    /// <summary>Largest capacity (120 MiB of entries): a bound, like every table here.</summary>
    public const int MaxCapacity = 1 << 20;

    private readonly byte[] store;
    private readonly byte[] head = new byte[HashSize];
    private readonly byte[] genesis = new byte[HashSize];
    // One SHA-256 object made once and reused: on OpenSSL this measured ~30 % faster per entry
    // than the one-shot SHA256.HashData (which sets up a digest context per call), and allocates nothing.
    private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly int capacity;
    private int start;
    private int count;
    private ulong sequence;
    private ulong refusedWhileFull;

    internal DecisionLog(int capacity, PlatformIdentity identity)
    {
        if (capacity < MinCapacity || capacity > MaxCapacity)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(capacity));
        }
        this.capacity = capacity;
        store = new byte[checked(capacity * EntrySize)];
        Span<byte> input = stackalloc byte[GenesisLabel.Length + (2 * ReportLayout.HashSize) + 8];
        GenesisLabel.CopyTo(input);
        identity.SlicevisorMeasurement.CopyTo(input[GenesisLabel.Length..]);
        identity.SliceloaderMeasurement.CopyTo(input[(GenesisLabel.Length + ReportLayout.HashSize)..]);
        BinaryPrimitives.WriteUInt64LittleEndian(input[(GenesisLabel.Length + (2 * ReportLayout.HashSize))..], identity.BootCount);
        _ = SHA256.HashData(input, genesis);
        genesis.CopyTo(head, 0);
        Identity = identity;
    }

    /// <summary>The platform identity and boot count the genesis was derived from.</summary>
    public PlatformIdentity Identity { get; }

    /// <summary>The genesis: the previous hash of the entry with sequence 1.</summary>
    public ReadOnlySpan<byte> Genesis => genesis;

    /// <summary>Most entries held at once (one of them reserved for the drain record).</summary>
    public int Capacity => capacity;

    /// <summary>Entries held now (appended and not yet drained).</summary>
    public int Count => count;

    /// <summary>Sequence number of the newest entry ever appended (0 before the first).</summary>
    public ulong Sequence => sequence;

    /// <summary>The chain head: the newest entry's hash (the genesis before the first).</summary>
    public ReadOnlySpan<byte> Head => head;

    /// <summary>Requests refused with <see cref="SliceError.LogFull"/> since the last drain.</summary>
    public ulong RefusedWhileFull => refusedWhileFull;

    /// <summary>True while a request other than a drain can be recorded (one entry stays reserved for the drain record).</summary>
    public bool AcceptsRequests => count < capacity - 1;

    /// <summary>The canonical bytes of held entry <paramref name="index"/> (0 = oldest held); empty when there is no such entry.</summary>
    public ReadOnlySpan<byte> Entry(int index) =>
        (uint)index < (uint)count ? store.AsSpan(Physical(index) * EntrySize, EntrySize) : default;

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
    public void Dispose() => sha256.Dispose();

    // ---- The slicevisor's side (callers hold its lock) ----

    /// <summary>Counts a request refused because the log is full (it was not executed).</summary>
    internal void CountRefusal() => refusedWhileFull++;

    /// <summary>
    /// Appends the decision on a request whose decoded arguments are <paramref name="arguments"/>:
    /// links it to the head, hashes it once, and makes it the new head. The caller has checked
    /// that there is room (<see cref="AcceptsRequests"/>, or the drain's reserved entry).
    /// </summary>
    internal void Append(DecisionOperation operation, in SliceResult result, ReadOnlySpan<byte> arguments)
    {
        Invariant.Holds(count < capacity, "decision log: append without room (the room check was skipped)");
        Span<byte> e = store.AsSpan(Physical(count) * EntrySize, EntrySize);
        head.CopyTo(e);
        sequence++;
        BinaryPrimitives.WriteUInt64LittleEndian(e[DecisionLogLayout.Sequence..], sequence);
        e[Operation] = (byte)operation;
        BinaryPrimitives.WriteUInt16LittleEndian(e[Error..], (ushort)result.Error);
        BinaryPrimitives.WriteInt32LittleEndian(e[Slot..], result.Slot);
        BinaryPrimitives.WriteInt32LittleEndian(e[Subject..], result.Subject);
        BinaryPrimitives.WriteInt32LittleEndian(e[Holder..], result.Holder);
        Span<byte> args = e.Slice(Arguments, ArgumentsSize);
        if (arguments.Length <= ArgumentsSize)
        {
            e[ArgumentForm] = ArgumentsInline;
            args.Clear();
            arguments.CopyTo(args);
        }
        else
        {
            e[ArgumentForm] = ArgumentsDigested;
            Sha256(arguments, args);
        }
        Sha256(e[..Hash], e.Slice(Hash, HashSize));
        e.Slice(Hash, HashSize).CopyTo(head);
        count++;
        Debug.Assert(count <= capacity, "decision log: count beyond capacity");
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
        // Arguments, inline: entries drained (i32) ‖ the exact refusal count (u64; Holder is clamped to i32).
        Span<byte> args = stackalloc byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(args, drained);
        BinaryPrimitives.WriteUInt64LittleEndian(args[4..], refusedWhileFull);
        Append(DecisionOperation.DrainLog, result with { Holder = (int)Math.Min(refusedWhileFull, int.MaxValue) }, args);
        refusedWhileFull = 0;
    }

    private int Physical(int index) => (start + index) % capacity;

    private void Sha256(ReadOnlySpan<byte> input, Span<byte> output)
    {
        sha256.AppendData(input);
        sha256.GetHashAndReset(output);
    }
}
