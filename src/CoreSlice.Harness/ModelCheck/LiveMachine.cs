using CoreSlice.Harness.Steps;
using CoreSlice.Attestation;
using CoreSlice.Simulation;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Ports;
using CoreSlice.Simulation.Audit;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// One real slicevisor on a fresh simulated machine (through the run's port), with its audit: what a state
/// is restored into (by replaying the state's trace from power-on).
/// </summary>
internal sealed class LiveMachine : IDisposable
{
    // A small decision log, drained whenever it is half full, as a manager would: the checker
    // makes a slicevisor per state, and the default 4096-entry log would dominate its cost.
    // Neither the log nor its drains are part of the explored state (StateEncoder leaves them out).
    private const int LogCapacity = 64;
    private readonly byte[] drained = new byte[LogCapacity * Log.DecisionLogLayout.EntrySize];

    public LiveMachine(MachineConfig config, ModelBug modelVariant = ModelBug.None, Port? port = null)
    {
        Config = config;
        Bench = (port ?? Port.Abstract).Open(config, PlatformIdentity.Unmeasured, LogCapacity);
        Audit = Bench.NewAudit();
        Model = new SpecModel(config, modelVariant);
        driver = new StepDriver(Bench);
    }

    private readonly StepDriver driver;

    /// <summary>
    /// The executable model, driven through the same operations: the deliberately independent
    /// second statement of the spec, whose result every slicevisor call is compared with.
    /// </summary>
    public SpecModel Model { get; }

    public MachineConfig Config { get; }

    /// <summary>The slicevisor on its machine, through the run's port.</summary>
    public Bench Bench { get; }

    /// <summary>The abstract machine (on the PMP port: the one under the PMP harts).</summary>
    public SimulatedMachine Machine => Bench.Machine;

    public InvariantAudit Audit { get; }

    public SliceTable Table => Bench.Table;

    /// <summary>The real code's state as the views of the domains read it (made on first use).</summary>
    public Noninterference.RealViewSource RealView => realView ??= new Noninterference.RealViewSource(Bench);

    /// <summary>The executable model's state as the views of the domains read it.</summary>
    public Noninterference.ModelViewSource ModelView => modelView ??= new Noninterference.ModelViewSource(Model);

    private Noninterference.RealViewSource? realView;
    private Noninterference.ModelViewSource? modelView;

    /// <summary>False when the step does not apply in this state (a corrupted write to a core the start will not program).</summary>
    public bool Enabled(Step step)
    {
        if (step.Fault.Kind != FaultKind.CorruptRegister)
        {
            return true;
        }
        // The simulator cannot disarm a corruption; arm it only where the start consumes it.
        return Table.IsSlot(step.Slot) && Table[step.Slot].State == SliceState.Created && Table[step.Slot].Cores.Contains(step.Fault.Target);
    }

    /// <summary>Applies <paramref name="step"/> to the slicevisor and machine (draining the log first when half full).</summary>
    public Observation Apply(Step step)
    {
        if (Bench.Log.Count * 2 >= LogCapacity && !Bench.DrainLog(drained, out _).Ok)
        {
            throw new InvalidOperationException("the decision log could not be drained");
        }
        return driver.Apply(step);
    }

    /// <summary>Applies <paramref name="step"/> to the executable model, with the same fault armed and withdrawn.</summary>
    public Observation ApplyToModel(Step step) => StepDriver.Apply(step, Model);

    public void Dispose() => Bench.Dispose();
}
