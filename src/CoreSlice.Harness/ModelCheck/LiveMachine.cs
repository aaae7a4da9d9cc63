using CoreSlice.Harness.Steps;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Harness.Model;
using CoreSlice.Simulation.Audit;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// One real slicevisor on a fresh simulated machine, with its audit: what a state
/// is restored into (by replaying the state's trace from power-on).
/// </summary>
internal sealed class LiveMachine : IDisposable
{
    private static readonly byte[] Image = [0xA5];
    private static readonly byte[] Payload = [1, 2, 3, 4, 5, 6, 7, 8];

    // A small decision log, drained whenever it is half full, as a manager would: the checker
    // makes a slicevisor per state, and the default 4096-entry log would dominate its cost.
    // Neither the log nor its drains are part of the explored state (StateEncoder leaves them out).
    private const int LogCapacity = 64;
    private readonly byte[] drained = new byte[LogCapacity * Log.DecisionLogLayout.EntrySize];

    public LiveMachine(MachineConfig config, ModelBug modelVariant = ModelBug.None)
    {
        Config = config;
        Machine = new SimulatedMachine(config);
        Slicevisor = new Slicevisor<SimulatedHardwarePort>(config, Machine.OpenPrivilegedPort(), PlatformIdentity.Unmeasured, LogCapacity);
        Machine.AttachOwnership(Slicevisor.Table.CoreOwner, Slicevisor.Table.DeviceOwner, Slicevisor.Table.MemoryOwner);
        Audit = new InvariantAudit(Slicevisor, Machine);
        Model = new SpecModel(config, modelVariant);
    }

    /// <summary>
    /// The executable model, driven through the same operations: the deliberately independent
    /// second statement of the spec, whose result every slicevisor call is compared with.
    /// </summary>
    public SpecModel Model { get; }

    public MachineConfig Config { get; }

    public SimulatedMachine Machine { get; }

    public Slicevisor<SimulatedHardwarePort> Slicevisor { get; }

    public InvariantAudit Audit { get; }

    public SliceTable Table => Slicevisor.Table;

    /// <summary>False when the operation does not apply in this state (a corrupted write to a core the start will not program).</summary>
    public bool Enabled(Operation op)
    {
        if (op.Fault != FaultKind.CorruptRegister)
        {
            return true;
        }
        // The simulator cannot disarm a corruption; arm it only where the start consumes it.
        return Table.IsSlot(op.Slot) && Table[op.Slot].State == SliceState.Created && Table[op.Slot].Cores.Contains(op.FaultTarget);
    }

    /// <summary>Performs <paramref name="op"/>; the slicevisor's result, or null for a guest action.</summary>
    public SliceResult? Apply(Operation op)
    {
        if (Slicevisor.Log.Count * 2 >= LogCapacity && !Slicevisor.DrainLog(drained, out _).Ok)
        {
            throw new InvalidOperationException("the decision log could not be drained");
        }
        op.Armed.ArmOn(Machine);
        try
        {
            switch (op.Kind)
            {
                case OpKind.Create:
                    return Slicevisor.CreateSlice(op.Request);
                case OpKind.Load:
                    return Slicevisor.LoadImage(op.Slot, op.Address, op.Length == 1 ? Image : [0xA5, 0x5A]);
                case OpKind.Start:
                    return Slicevisor.StartSlice(op.Slot);
                case OpKind.Destroy:
                    return Slicevisor.DestroySlice(op.Slot);
                case OpKind.Store:
                    _ = Machine.GuestStore(op.Actor, op.Address, Payload);
                    return null;
                case OpKind.Dma:
                    _ = Machine.DeviceDmaWrite(op.Actor, op.Address, Payload);
                    return null;
                case OpKind.WriteRangeRegister:
                    _ = Machine.GuestWriteRangeRegister(op.Actor, 0, new RangeRegister(0, ulong.MaxValue, Permissions.ReadWriteExecute));
                    return null;
                case OpKind.WriteIpiMask:
                    ResourceSet everyone = default;
                    for (int c = 0; c < Config.CoreCount; c++)
                    {
                        everyone.Add(c);
                    }
                    _ = Machine.GuestWriteIpiMask(op.Actor, everyone);
                    return null;
                case OpKind.WriteWayMask:
                    _ = Machine.GuestWriteWayMask(op.Actor, Config.AllWaysMask);
                    return null;
                default:
                    _ = Machine.GuestRequestReset(op.Actor, op.Target);
                    return null;
            }
        }
        finally
        {
            op.Armed.DisarmOn(Machine);
        }
    }

    /// <summary>
    /// Performs <paramref name="op"/> on the model (with the same armed fault, withdrawn after the
    /// call as on the machine); the model's result for a slicevisor call, or null for a guest action.
    /// </summary>
    public ModelResult? ApplyToModel(Operation op)
    {
        SpecModel m = Model;
        switch (op.Fault)
        {
            case FaultKind.ResetFails: m.InjectResetFaults(op.FaultTarget, 1); break;
            case FaultKind.IommuFails: m.InjectIommuFaults(op.FaultTarget, 1); break;
            case FaultKind.CorruptRegister: m.InjectCorruption(op.FaultTarget); break;
            default: break;
        }
        try
        {
            switch (op.Kind)
            {
                case OpKind.Create:
                    return m.Create(op.Request);
                case OpKind.Load:
                    return m.Load(op.Slot, op.Address, op.Length == 1 ? Image : [0xA5, 0x5A]);
                case OpKind.Start:
                    return m.Start(op.Slot);
                case OpKind.Destroy:
                    return m.Destroy(op.Slot);
                case OpKind.Store:
                    _ = m.GuestStore(op.Actor, op.Address, Payload.Length);
                    return null;
                case OpKind.Dma:
                    _ = m.DmaWrite(op.Actor, op.Address, Payload.Length);
                    return null;
                case OpKind.WriteRangeRegister:
                    _ = m.GuestWriteRegister(op.Actor, 0, new ModelRegister(0, ulong.MaxValue, 0b111));
                    return null;
                case OpKind.WriteIpiMask:
                    _ = m.GuestWriteIpi(op.Actor, [.. Enumerable.Range(0, Config.CoreCount)]);
                    return null;
                case OpKind.WriteWayMask:
                    _ = m.GuestWriteWays(op.Actor, Config.AllWaysMask);
                    return null;
                default:
                    _ = m.GuestRequestReset(op.Actor);
                    return null;
            }
        }
        finally
        {
            // As on the machine: an unused reset or IOMMU fault does not linger.
            if (op.Fault == FaultKind.ResetFails)
            {
                m.FailResets[op.FaultTarget] = 0;
            }
            else if (op.Fault == FaultKind.IommuFails)
            {
                m.FailIommu[op.FaultTarget] = 0;
            }
        }
    }

    public void Dispose() => Slicevisor.Dispose();
}
