using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using static CoreSlice.Log.DecisionLogLayout;

namespace CoreSlice.Log;

/// <summary>
/// The decision log: every request the slicevisor receives, accepted or refused,
/// with its error, slot, subject, holder and its decoded arguments (inline or as a
/// digest), in a fixed-capacity ring of canonical entries, all chained by one running
/// SHA-256 (see <see cref="DecisionLogLayout"/>). The chain starts at a genesis
/// derived from the platform identity and boot count, so removing, reordering or
/// altering any entry, the first included, changes the head; the attestation report
/// signs the current head, so a remote verifier detects any of these and a truncated tail.
/// <para>
/// Full-log policy: no state change goes unrecorded. One entry is reserved for the drain
/// record, so when <see cref="Count"/> reaches <see cref="Capacity"/> − 1 every request
/// except <c>DrainLog</c> is refused with <see cref="SliceError.LogFull"/> before it
/// is executed (state unchanged) and counted in <see cref="RefusedWhileFull"/>. The one
/// exception is a guest's mailbox call (<c>GuestAttest</c>): it is answered whatever the log
/// holds and, when there is no room for its entry, counted in <see cref="UnrecordedWhileFull"/>
/// instead of recorded. Refusing it would tell the guest that the log is full, which other
/// guests' calls decide: a guest-to-guest channel (spec/README.md, "Noninterference").
/// <c>DrainLog</c> copies the oldest entries out to the manager and records itself,
/// with that count; its entry starts a new segment anchored at the head before it, so
/// drained batches link and a batch that begins with a drain record verifies from that anchor.
/// </para>
/// <para>Public members are read-only; only the slicevisor appends and drains, holding its
/// lock, which this log shares (reading <see cref="Head"/> takes it: the hash state is never
/// touched by two threads). Appending allocates nothing and calls no hash: it writes 56 bytes
/// into the ring (plus one SHA-256 of the arguments when they do not fit inline). The entries
/// not yet in the chain are absorbed in one call when the head is read or entries leave.</para>
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
    private readonly byte[] anchor = new byte[HashSize];
    // The running SHA-256 of the current segment (anchor ‖ entries). On OpenSSL a finalization
    // (final + re-init) costs several times an update, so the chain finalizes only when its head
    // is read, and the entries in between go in as one update (bench/README.md, LogBenchmarks).
    private readonly IncrementalHash chain = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    // Argument digests: a second object, because the chain's must keep its running state.
    private readonly IncrementalHash digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Lock gate;
    private readonly int capacity;
    private int start;
    private int count;
    private int pending; // the newest entries held, written but not yet absorbed into the chain
    private bool headCurrent; // head holds the chain value of everything appended so far
    private ulong sequence;
    private ulong refusedWhileFull;
    private ulong unrecordedWhileFull;

    /// <summary>A log whose appends and drains happen under <paramref name="gate"/> (the slicevisor's lock).</summary>
    internal DecisionLog(int capacity, PlatformIdentity identity, Lock gate)
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
        genesis.CopyTo(anchor, 0);
        chain.AppendData(anchor);
        this.gate = gate;
        Identity = identity;
    }

    /// <summary>The platform identity and boot count the genesis was derived from.</summary>
    public PlatformIdentity Identity { get; }

    /// <summary>The genesis: the anchor of the first segment (the head before the entry with sequence 1).</summary>
    public ReadOnlySpan<byte> Genesis => genesis;

    /// <summary>
    /// The current segment's anchor: the genesis, or the head just before the newest DrainLog
    /// entry. A batch that begins with that entry verifies from this value.
    /// </summary>
    public ReadOnlySpan<byte> Anchor
    {
        get
        {
            lock (gate)
            {
                return anchor;
            }
        }
    }

    /// <summary>Most entries held at once (one of them reserved for the drain record).</summary>
    public int Capacity => capacity;

    /// <summary>Entries held now (appended and not yet drained).</summary>
    public int Count => count;

    /// <summary>Sequence number of the newest entry ever appended (0 before the first).</summary>
    public ulong Sequence => sequence;

    /// <summary>
    /// The chain head: SHA-256 of the current segment's anchor and every entry appended since
    /// (SHA-256 of the genesis alone before any entry).
    /// Reading it absorbs the entries not yet in the chain and finalizes a copy of the hash state.
    /// </summary>
    public ReadOnlySpan<byte> Head
    {
        get
        {
            lock (gate)
            {
                Absorb();
                if (!headCurrent)
                {
                    _ = chain.GetCurrentHash(head);
                    headCurrent = true;
                }
                return head;
            }
        }
    }

    /// <summary>Requests refused with <see cref="SliceError.LogFull"/> since the last drain.</summary>
    public ulong RefusedWhileFull => refusedWhileFull;

    /// <summary>Guest mailbox calls answered while the log was full, without an entry, since the last drain.</summary>
    public ulong UnrecordedWhileFull => unrecordedWhileFull;

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
    public void Dispose()
    {
        chain.Dispose();
        digest.Dispose();
    }

    // ---- The slicevisor's side (callers hold its lock) ----

    /// <summary>Counts a request refused because the log is full (it was not executed).</summary>
    internal void CountRefusal() => refusedWhileFull++;

    /// <summary>Counts a guest mailbox call answered while the log was full (it has no entry; the next drain record reports the count).</summary>
    internal void CountUnrecorded() => unrecordedWhileFull++;

    /// <summary>
    /// Appends the decision on a request whose decoded arguments are <paramref name="arguments"/>:
    /// writes its fields into the ring; the chain absorbs it when the head is next read or it
    /// leaves. The caller holds the lock and has checked that there is room
    /// (<see cref="AcceptsRequests"/>, or the drain's reserved entry).
    /// </summary>
    internal void Append(DecisionOperation operation, in SliceResult result, ReadOnlySpan<byte> arguments)
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "decision log: append without the slicevisor's lock");
        Invariant.Holds(count < capacity, "decision log: append without room (the room check was skipped)");
        Span<byte> e = store.AsSpan(Physical(count) * EntrySize, EntrySize);
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
            digest.AppendData(arguments);
            _ = digest.GetHashAndReset(args);
        }
        count++;
        pending++;
        headCurrent = false;
        Debug.Assert(pending <= count && count <= capacity, "decision log: count beyond capacity");
    }

    /// <summary>
    /// Moves the oldest entries that fit into <paramref name="destination"/> out of
    /// the log and records the drain. Returns the error (None, or BufferTooSmall
    /// when entries are held and not even one fits).
    /// </summary>
    internal SliceResult Drain(Span<byte> destination, out int drained)
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "decision log: drain without the slicevisor's lock");
        Absorb(); // the entries leaving are in the chain before they leave
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
        // Arguments, inline: entries drained (i32) ‖ the exact refusal count (u64; Holder is clamped to i32)
        // ‖ the mailbox calls answered without an entry (u64).
        Span<byte> args = stackalloc byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(args, drained);
        BinaryPrimitives.WriteUInt64LittleEndian(args[4..], refusedWhileFull);
        BinaryPrimitives.WriteUInt64LittleEndian(args[12..], unrecordedWhileFull);
        StartSegment();
        Append(DecisionOperation.DrainLog, result with { Holder = (int)Math.Min(refusedWhileFull, int.MaxValue) }, args);
        refusedWhileFull = 0;
        unrecordedWhileFull = 0;
    }

    private int Physical(int index) => (start + index) % capacity;

    /// <summary>Absorbs the pending entries into the chain: the newest held, at most two runs of the ring.</summary>
    private void Absorb()
    {
        if (pending == 0)
        {
            return;
        }
        int first = Physical(count - pending);
        int run = Math.Min(pending, capacity - first);
        chain.AppendData(store.AsSpan(first * EntrySize, run * EntrySize));
        if (run < pending)
        {
            chain.AppendData(store.AsSpan(0, (pending - run) * EntrySize));
        }
        pending = 0;
    }

    /// <summary>Ends the segment: its head becomes the anchor the next segment (starting with a drain record) begins from.</summary>
    private void StartSegment()
    {
        Absorb();
        _ = chain.GetHashAndReset(anchor);
        chain.AppendData(anchor);
        headCurrent = false;
    }
}
