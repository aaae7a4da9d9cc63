using System.Buffers.Binary;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Validation;

namespace CoreSlice;

/// <summary>
/// The slicevisor: the small privileged core that checks every decision of the
/// untrusted manager, keeps the slice table, programs the IOMMU, measures guests,
/// scrubs memory, and is the only software that resets cores.
/// <para>
/// Every operation either succeeds or returns the first failing check and
/// changes nothing (validate fully, then mutate). Hardware faults part-way are
/// the one exception, and they fail safe: the slot is quarantined in
/// <see cref="SliceState.Destroying"/>, keeping its resources, until a later
/// <see cref="DestroySlice"/> completes. Nothing allocates after construction.
/// Calls are serialized by one lock, so concurrent callers see some sequential order.
/// </para>
/// <para>
/// The public call table: every entry point is <b>decode</b> (O(1) length checks against
/// the machine, one copy into the slicevisor's own bounded buffers) → <b>log</b> (the
/// argument bytes of that copy, never caller memory) → <b>decide</b> (a <c>Decide*</c>
/// method, which asserts the lock) → <b>append</b> (one decision-log entry). Work per
/// call is bounded by the machine, never by the request.
/// </para>
/// <code>
/// entry point   decoded (bounded by)                         logged arguments            decided by
/// CreateSlice   cores ≤ CoreCount, ranges ≤ RangeRegisters,   lengths ‖ copied lists ‖    DecideCreateSlice
///               permissions ≤ RangeRegisters, windows ≤       ways ‖ entry (digest)
///               RangeRegisters, devices ≤ DeviceCount;
///               ways, entry point
/// LoadImage     slot, address, length; bytes chunked through  slot ‖ address ‖ length ‖  DecideLoadImage
///               a 4 KiB buffer once accepted (≤ the range)    new measurement (digest)
/// StartSlice    slot                                          slot (inline)               DecideStartSlice
/// DestroySlice  slot                                          slot (inline)               DecideDestroySlice
/// Attest        slot, nonce (64 B copy), report length        slot ‖ nonce (digest)       DecideAttest
/// GuestAttest   core, nonce (64 B copy), report length        core ‖ nonce (digest)       DecideAttest
/// DrainLog      destination length                            drained ‖ refused ‖         DecisionLog.Drain
///                                                             unrecorded (inline)
/// </code>
/// </summary>
/// <typeparam name="THardware">The hardware port; a struct implementation is devirtualized.</typeparam>
public sealed partial class Slicevisor<THardware> : IDisposable
    where THardware : IHardwarePort
{
    private const int LoadChunk = 4096;

    private readonly Lock gate = new();
    private readonly FrozenMachine machine;
    private readonly RequestValidator validator;
    private readonly Measurement measurement = new();
    // Bounded TCB buffers, made once: the decoded arguments, image chunks, nonces and reports pass through these.
    private readonly byte[] arguments;
    private readonly byte[] loadBuffer = new byte[LoadChunk];
    private readonly byte[] nonceBuffer = new byte[ReportLayout.NonceSize];
    // One device's IOMMU entries while StartSlice opens its window (StartSlice.cs).
    private readonly IommuMapping[] iommuScratch = new IommuMapping[Math.Max(Limits.MaxDmaRanges, Limits.MaxRangeRegisters)];
    private THardware hardware;

    /// <summary>
    /// Takes charge of a machine whose platform measured nothing (both measurements
    /// zero) with a log of <see cref="DecisionLog.DefaultCapacity"/> entries.
    /// Throws <see cref="MachineConfigException"/> if the description has problems.
    /// </summary>
    public Slicevisor(MachineConfig config, THardware hardware)
        : this(config, hardware, PlatformIdentity.Unmeasured, DecisionLog.DefaultCapacity)
    {
    }

    /// <summary>
    /// Takes charge of a machine: <paramref name="identity"/> is what the platform
    /// measured of the slicevisor and sliceloader, and its boot count (copied into every
    /// report, the context of the signing key's derivation, and the decision log's
    /// genesis); the decision log holds <paramref name="logCapacity"/> entries. Throws
    /// <see cref="MachineConfigException"/> (listing every <see cref="ConfigError"/>)
    /// if the description has problems.
    /// </summary>
    public Slicevisor(MachineConfig config, THardware hardware, PlatformIdentity identity, int logCapacity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(config);
        // Copy first, then check the copy: the caller's description is never read again.
        var errors = new List<ConfigError>();
        machine = FrozenMachine.Freeze(config, errors);
        if (errors.Count > 0)
        {
            ThrowHelper.UnusableMachine(errors);
        }
        Config = machine.ToConfig();
        Table = new SliceTable(machine);
        validator = new RequestValidator(machine, Table);
        Hardware.Pmp.PmpHook.Attach(hardware, validator, machine);
        arguments = new byte[Math.Max(validator.MaxArgumentBytes, 4 + 4 + ReportLayout.NonceSize + 48)];
        this.hardware = hardware;
        log = new DecisionLog(logCapacity, identity, gate);
        attestor = new Attestor(machine.SlotCapacity, identity);
    }

    /// <summary>
    /// The machine this slicevisor runs: a fresh immutable copy of its own description,
    /// made at construction. The slicevisor never reads it, so nothing a caller does
    /// to it (or to the description it passed in) changes a decision.
    /// </summary>
    public MachineConfig Config { get; }

    /// <summary>The slice table (read-only view).</summary>
    public SliceTable Table { get; }

    /// <summary>
    /// Assigns the requested resources to the lowest free slot, exclusively (I1),
    /// or returns the first failing check of spec/create.smt2 and changes nothing.
    /// On success the boot counter moves on and names the new slice. Logged;
    /// refused with <see cref="SliceError.LogFull"/>, unexecuted, when the log is full.
    /// </summary>
    public SliceResult CreateSlice(in SliceRequest request)
    {
        // The spans are taken before the lock: a ReadOnlyMemory may run caller code to yield
        // its span, and none runs while the slicevisor holds its state. Each item is then read once.
        SliceRequest fields = request;
        var spans = new RequestSpans(fields);
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(0);
            }
            validator.Decode(spans, fields.Ways, fields.EntryPoint);
            ReadOnlySpan<byte> args = validator.EncodeArguments(arguments);
            SliceResult result = DecideCreateSlice();
            if (result.Ok)
            {
                attestor.RecordCreate(result.Slot);
            }
            log.Append(DecisionOperation.CreateSlice, result, args);
            return result;
        }
    }

    /// <summary>
    /// Copies <paramref name="bytes"/> to [address, address + length), which must lie
    /// inside one range of a Created slice, and extends its measurement. Logged: the
    /// arguments are slot, address, length and the measurement after the load.
    /// </summary>
    public SliceResult LoadImage(int slot, ulong address, ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(slot);
            }
            SliceResult result = DecideLoadImage(slot, address, bytes);
            Span<byte> args = arguments.AsSpan(0, 4 + 8 + 8 + SliceEntry.MeasurementSize);
            args.Clear();
            BinaryPrimitives.WriteInt32LittleEndian(args, slot);
            BinaryPrimitives.WriteUInt64LittleEndian(args[4..], address);
            BinaryPrimitives.WriteUInt64LittleEndian(args[12..], (ulong)bytes.Length);
            if (result.Ok)
            {
                // What was loaded, as measured from the slicevisor's own copy of the bytes.
                Table.Entry(slot).Measurement.CopyTo(args[20..]);
            }
            log.Append(DecisionOperation.LoadImage, result, args);
            return result;
        }
    }

    /// <summary>
    /// Starts a Created slice: opens its devices' IOMMU windows, then secure-resets
    /// each core into the sliceloader (I2, I3, I4). A fault part-way quarantines the slot. Logged.
    /// </summary>
    public SliceResult StartSlice(int slot)
    {
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(slot);
            }
            SliceResult result = DecideStartSlice(slot);
            log.Append(DecisionOperation.StartSlice, result, SlotArgument(slot));
            if (result.Ok)
            {
                attestor.RecordStart(slot, log.Sequence, log.Head);
            }
            return result;
        }
    }

    /// <summary>
    /// Tears a slice down: resets its cores, closes its IOMMU windows, scrubs its
    /// memory (I5) and frees everything; a fault part-way leaves it Destroying. Logged.
    /// </summary>
    public SliceResult DestroySlice(int slot)
    {
        lock (gate)
        {
            if (!log.AcceptsRequests)
            {
                return RefuseLogFull(slot);
            }
            SliceResult result = DecideDestroySlice(slot);
            log.Append(DecisionOperation.DestroySlice, result, SlotArgument(slot));
            return result;
        }
    }

    /// <summary>
    /// Manager's attestation request: writes a signed report of <paramref name="slot"/>
    /// (Created or Running) binding <paramref name="nonce"/> (exactly 64 bytes) into
    /// the first <see cref="ReportLayout.ReportSize"/> bytes of <paramref name="report"/>.
    /// Checks, in order: SlotOutOfRange, WrongState, NonceLength, BufferTooSmall
    /// (then AttestationKeyFault if the hardware gives no usable key). Never throws.
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
            ReadOnlySpan<byte> args = DecodeNonce(slot, nonce);
            SliceResult result = !Table.IsSlot(slot)
                ? SliceResult.Fail(SliceError.SlotOutOfRange, slot, slot)
                : DecideAttest(slot, nonce.Length, report, requester: 0, core: -1);
            log.Append(DecisionOperation.Attest, result, args);
            return result;
        }
    }

    /// <summary>
    /// The guest's mailbox: a core running guest code asks for a report of its own
    /// slice. <paramref name="core"/> is the calling core as the mailbox hardware
    /// identifies it (a guest cannot name another slot). Checks, in order:
    /// NotGuestCore (not a core of a Running slice), NonceLength, BufferTooSmall. Never throws.
    /// <para>Logged when the log has room; never refused with <see cref="SliceError.LogFull"/>: the
    /// call is answered and, with the log full, counted in <see cref="DecisionLog.UnrecordedWhileFull"/>
    /// instead. Every guest's calls fill the one log, so a refusal would tell this guest what the
    /// others did (spec/README.md, "Noninterference"). The report carries the log point and boot
    /// counter of the slice's start, for the same reason.</para>
    /// </summary>
    public SliceResult GuestAttest(int core, ReadOnlySpan<byte> nonce, Span<byte> report)
    {
        lock (gate)
        {
            int slot = Table.CoreOwner(core);
            ReadOnlySpan<byte> args = DecodeNonce(core, nonce);
            SliceResult result = !Table.IsSlot(slot)
                ? SliceResult.Fail(SliceError.NotGuestCore, 0, core)
                : DecideAttest(slot, nonce.Length, report, requester: 1, core);
            if (log.AcceptsRequests)
            {
                log.Append(DecisionOperation.GuestAttest, result, args);
            }
            else
            {
                log.CountUnrecorded();
            }
            return result;
        }
    }

    /// <summary>
    /// Moves the oldest log entries that fit (whole entries of
    /// <see cref="DecisionLogLayout.EntrySize"/> bytes) into <paramref name="destination"/>,
    /// then records the drain itself (with the number of requests refused while the
    /// log was full). The drain record starts a new chain segment anchored at the head
    /// before it, so successive drains link up. Always accepted while there is room for its record, which the log
    /// reserves. BufferTooSmall when entries are held and not one fits.
    /// </summary>
    public SliceResult DrainLog(Span<byte> destination, out int drained)
    {
        lock (gate)
        {
            return log.Drain(destination, out drained);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        measurement.Dispose();
        log.Dispose();
        attestor.Dispose();
    }

    private ReadOnlySpan<byte> SlotArgument(int slot)
    {
        BinaryPrimitives.WriteInt32LittleEndian(arguments, slot);
        return arguments.AsSpan(0, 4);
    }

    /// <summary>Decode for Attest/GuestAttest: the nonce is copied once into the slicevisor's buffer when it has the one valid length.</summary>
    private ReadOnlySpan<byte> DecodeNonce(int who, ReadOnlySpan<byte> nonce)
    {
        BinaryPrimitives.WriteInt32LittleEndian(arguments, who);
        BinaryPrimitives.WriteInt32LittleEndian(arguments.AsSpan(4), nonce.Length);
        if (nonce.Length != ReportLayout.NonceSize)
        {
            return arguments.AsSpan(0, 8);
        }
        nonce.CopyTo(nonceBuffer);
        nonceBuffer.CopyTo(arguments, 8);
        return arguments.AsSpan(0, 8 + ReportLayout.NonceSize);
    }

    private SliceResult CheckSlot(int slot, SliceState required)
    {
        if (!Table.IsSlot(slot))
        {
            return SliceResult.Fail(SliceError.SlotOutOfRange, slot, slot);
        }
        SliceState state = Table.Entry(slot).State;
        return state == required ? SliceResult.Success(slot) : SliceResult.Fail(SliceError.WrongState, slot, (int)state);
    }

    /// <summary>Fail safe after a hardware fault: the slot keeps everything it holds until destroyed.</summary>
    private SliceResult Quarantine(int slot, SliceError fault, int subject)
    {
        Table.Entry(slot).State = SliceState.Destroying;
        return SliceResult.Fail(fault, slot, subject);
    }
}
