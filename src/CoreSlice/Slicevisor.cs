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
/// </summary>
/// <typeparam name="THardware">The hardware port; a struct implementation is devirtualized.</typeparam>
public sealed partial class Slicevisor<THardware> : IDisposable
    where THardware : IHardwarePort
{
    private readonly Lock gate = new();
    private readonly FrozenMachine machine;
    private readonly RequestValidator validator;
    private readonly Measurement measurement = new();
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
    /// measured of the slicevisor and sliceloader (copied into every report, and the
    /// context of the signing key's derivation); the decision log holds
    /// <paramref name="logCapacity"/> entries. Throws <see cref="MachineConfigException"/>
    /// (listing every <see cref="ConfigError"/>) if the description has problems.
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
        this.hardware = hardware;
        // Attestation and the decision log (src/CoreSlice/Attestation, src/CoreSlice/Log).
        log = new DecisionLog(logCapacity);
        attestor = new Attestor(config.SlotCapacity, identity);
    }

    /// <summary>
    /// The machine this slicevisor runs: a fresh immutable copy of its own description,
    /// made at construction. The slicevisor never reads it, so nothing a caller does
    /// to it (or to the description it passed in) changes a decision.
    /// </summary>
    public MachineConfig Config { get; }

    /// <summary>The slice table (read-only view).</summary>
    public SliceTable Table { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        measurement.Dispose();
        log.Dispose();
        attestor.Dispose();
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
