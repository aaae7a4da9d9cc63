using CoreSlice.Attestation;
using CoreSlice.Log;

namespace CoreSlice;

/// <summary>
/// The slicevisor's public entry points: each records its decision in the
/// decision log and then returns it. The decisions themselves are made by the
/// <c>Decide*</c> methods in Operations/ (unchanged by logging); this part adds the
/// full-log policy, the argument digests, the boot counter, and the attestation
/// operations. The gate lock is reentrant, so the Decide* methods keep their own.
/// </summary>
public sealed partial class Slicevisor<THardware>
{
    private readonly DecisionLog log;
    private readonly Attestor attestor;

    /// <summary>The decision log (read-only view): entries, chain head, sequence.</summary>
    public DecisionLog Log => log;

    /// <summary>The attestation key's public half, as DER SubjectPublicKeyInfo (ECDSA P-384).</summary>
    public ReadOnlySpan<byte> AttestationPublicKey
    {
        get
        {
            lock (gate)
            {
                attestor.EnsureKey(ref hardware);
                return attestor.PublicKey;
            }
        }
    }

    /// <summary>Successful CreateSlice calls so far on this machine; each slice is named by the value it was given.</summary>
    public ulong BootCounter
    {
        get
        {
            lock (gate)
            {
                return attestor.BootCounter;
            }
        }
    }

    /// <summary>
    /// Assigns the requested resources to the lowest free slot, exclusively (I1),
    /// or returns the first failing check of spec/create.smt2 and changes nothing.
    /// On success the boot counter moves on and names the new slice. Logged;
    /// refused with <see cref="SliceError.LogFull"/>, unexecuted, when the log is full.
    /// </summary>
    public SliceResult CreateSlice(in SliceRequest request)
    {
        // One private copy of the request struct, logged, validated and applied: the caller's
        // variable may change during the call (no TOCTOU on Ways or EntryPoint).
        SliceRequest copy = request;
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(0);
            }
            log.CreateArguments(copy);
            SliceResult result = DecideCreateSlice(copy);
            if (result.Ok)
            {
                attestor.RecordCreate(result.Slot);
            }
            log.Append(DecisionOperation.CreateSlice, result);
            return result;
        }
    }

    /// <summary>
    /// Copies <paramref name="bytes"/> to [address, address + length), which must lie
    /// inside one range of a Created slice, and extends its measurement. Logged
    /// (the digest covers slot, address, length and the bytes).
    /// </summary>
    public SliceResult LoadImage(int slot, ulong address, ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(slot);
            }
            log.Argument(slot);
            log.Argument(address);
            log.Argument((ulong)bytes.Length);
            log.Argument(bytes);
            SliceResult result = DecideLoadImage(slot, address, bytes);
            log.Append(DecisionOperation.LoadImage, result);
            return result;
        }
    }

    /// <summary>
    /// Starts a Created slice: opens its devices' IOMMU windows, then secure-resets
    /// each core into the sliceloader (I2, I3, I4). A fault part-way quarantines the slot. Logged.
    /// </summary>
    public SliceResult StartSlice(int slot) => LoggedSlotOperation(DecisionOperation.StartSlice, slot);

    /// <summary>
    /// Tears a slice down: resets its cores, closes its IOMMU windows, scrubs its
    /// memory (I5) and frees everything; a fault part-way leaves it Destroying. Logged.
    /// </summary>
    public SliceResult DestroySlice(int slot) => LoggedSlotOperation(DecisionOperation.DestroySlice, slot);

    /// <summary>The operations whose only argument is a slot: refuse when the log is full, else decide and log.</summary>
    private SliceResult LoggedSlotOperation(DecisionOperation operation, int slot)
    {
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(slot);
            }
            log.Argument(slot);
            SliceResult result = operation == DecisionOperation.StartSlice ? DecideStartSlice(slot) : DecideDestroySlice(slot);
            log.Append(operation, result);
            return result;
        }
    }

    /// <summary>
    /// Manager's attestation request: writes a signed report of <paramref name="slot"/>
    /// (Created or Running) binding <paramref name="nonce"/> (exactly 64 bytes) into
    /// the first <see cref="ReportLayout.ReportSize"/> bytes of <paramref name="report"/>.
    /// Checks, in order: SlotOutOfRange, WrongState, NonceLength, BufferTooSmall.
    /// The report carries the log head as of the decision before this one; this
    /// request is then logged as the next entry.
    /// </summary>
    public SliceResult Attest(int slot, ReadOnlySpan<byte> nonce, Span<byte> report)
    {
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(slot);
            }
            log.Argument(slot);
            log.Argument(nonce.Length);
            log.Argument(nonce);
            SliceResult result = !Table.IsSlot(slot)
                ? SliceResult.Fail(SliceError.SlotOutOfRange, slot, slot)
                : CheckAttestation(slot, nonce, report, requireRunning: false, core: -1);
            if (result.Ok)
            {
                attestor.EnsureKey(ref hardware);
                attestor.Write(Table.Entry(slot), requester: 0, nonce, log.Sequence, log.Head, report);
            }
            log.Append(DecisionOperation.Attest, result);
            return result;
        }
    }

    /// <summary>
    /// The guest's mailbox: a core running guest code asks for a report of its own
    /// slice. <paramref name="core"/> is the calling core as the mailbox hardware
    /// identifies it (a guest cannot name another slot). Checks, in order:
    /// NotGuestCore (not a core of a Running slice), NonceLength, BufferTooSmall. Logged.
    /// </summary>
    public SliceResult GuestAttest(int core, ReadOnlySpan<byte> nonce, Span<byte> report)
    {
        lock (gate)
        {
            int slot = Table.CoreOwner(core);
            int logged = Table.IsSlot(slot) ? slot : 0;
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(logged);
            }
            log.Argument(core);
            log.Argument(nonce.Length);
            log.Argument(nonce);
            SliceResult result = !Table.IsSlot(slot)
                ? SliceResult.Fail(SliceError.NotGuestCore, 0, core)
                : CheckAttestation(slot, nonce, report, requireRunning: true, core);
            if (result.Ok)
            {
                attestor.EnsureKey(ref hardware);
                attestor.Write(Table.Entry(slot), requester: 1, nonce, log.Sequence, log.Head, report);
            }
            log.Append(DecisionOperation.GuestAttest, result);
            return result;
        }
    }

    /// <summary>
    /// Moves the oldest log entries that fit (whole entries of
    /// <see cref="DecisionLogLayout.EntrySize"/> bytes) into <paramref name="destination"/>,
    /// then records the drain itself (with the number of requests refused while the
    /// log was full). The chain continues from the last hash, so successive drains
    /// link up. Always accepted while there is room for its record, which the log
    /// reserves. BufferTooSmall when entries are held and not one fits.
    /// </summary>
    public SliceResult DrainLog(Span<byte> destination, out int drained)
    {
        lock (gate)
        {
            return log.Drain(destination, out drained);
        }
    }

    /// <summary>The slice number the boot counter gave <paramref name="slot"/>'s current slice (0 if never created).</summary>
    public ulong SliceBootId(int slot)
    {
        lock (gate)
        {
            return Table.IsSlot(slot) ? attestor.BootId(slot) : 0;
        }
    }

    private SliceResult CheckAttestation(int slot, ReadOnlySpan<byte> nonce, Span<byte> report, bool requireRunning, int core)
    {
        SliceState state = Table.Entry(slot).State;
        if (requireRunning && state != SliceState.Running)
        {
            return SliceResult.Fail(SliceError.NotGuestCore, slot, core);
        }
        if (state != SliceState.Created && state != SliceState.Running)
        {
            return SliceResult.Fail(SliceError.WrongState, slot, (int)state);
        }
        if (nonce.Length != ReportLayout.NonceSize)
        {
            return SliceResult.Fail(SliceError.NonceLength, slot, nonce.Length);
        }
        if (report.Length < ReportLayout.ReportSize)
        {
            return SliceResult.Fail(SliceError.BufferTooSmall, slot, ReportLayout.ReportSize);
        }
        return SliceResult.Success(slot);
    }

    /// <summary>Full-log policy: refuse before executing, and count it (reported by the next drain record).</summary>
    private SliceResult RefuseLogFull(int slot)
    {
        log.CountRefusal();
        return SliceResult.Fail(SliceError.LogFull, slot, log.Capacity);
    }
}
