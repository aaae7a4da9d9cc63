using System.Diagnostics;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Harness.ModelCheck;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Steps;
using CoreSlice.Proofs;
using CoreSlice.Simulation;
using HarnessFault = CoreSlice.Harness.Steps.Fault;

namespace CoreSlice.Conformance;

/// <summary>Options of a conformance run over the model checker's first-reaching transitions.</summary>
public sealed class ModelCheckConformanceOptions
{
    /// <summary>Explore at most this many states (0: the whole default scope).</summary>
    public int MaxStates { get; init; }

    /// <summary>As <see cref="ConformanceOptions.InvariantsEvery"/>: every invariant clause on every N-th reached state and the last.</summary>
    public int InvariantsEvery { get; init; } = 1;

    /// <summary>The spec (default: the one built into CoreSlice.Proofs).</summary>
    public Spec? Spec { get; init; }

    /// <summary>Z3 timeout per query.</summary>
    public int TimeoutMs { get; init; } = 20_000;

    /// <summary>
    /// The port the model checker explores on and every transition is replayed on: on the PMP port the spec's filter
    /// registers and IPI masks are read from the harts' PMP entries (<see cref="Abstraction.Capture(Bench, bool, List{string})"/>).
    /// </summary>
    public Port Port { get; init; } = Port.Abstract;

    /// <summary>
    /// The port the model checker explores on, when not <see cref="Port"/>: lets a test replay the states a sound port
    /// reaches on a port that misprograms the harts, which only the conformance check can then notice.
    /// </summary>
    public Port? ExplorePort { get; init; }

    /// <summary>Test hook: changes the abstract post-state of the transition into state n before it is checked.</summary>
    public Action<int, AbstractState>? PerturbPost { get; init; }

    /// <summary>Called after each checked transition with (checked, total, seconds); null: silent.</summary>
    public Action<int, int, double>? Progress { get; init; }
}

/// <summary>What the run over the model checker's transitions found.</summary>
public sealed class ModelCheckConformanceResult
{
    /// <summary>The port the states were explored and replayed on ("abstract" or "pmp").</summary>
    public string Port { get; init; } = "abstract";

    /// <summary>States the model checker reached (the initial one included).</summary>
    public int States { get; init; }

    /// <summary>Whether the model checker explored every reachable state of its scope.</summary>
    public bool Exhaustive { get; init; }

    /// <summary>The model checker's own verdict (I1–I6, T1, T2, the executable model): null when it holds, else its first broken check.</summary>
    public string? ModelCheckViolation { get; init; }

    /// <summary>First-reaching transitions checked against the spec (one per reached state but the initial one, up to a mismatch).</summary>
    public int Transitions { get; init; }

    /// <summary>The first transition that does not conform (its step is the state number it reached), or null.</summary>
    public Mismatch? Mismatch { get; init; }

    /// <summary>The trace from power-on to the mismatching transition, in words (empty when none).</summary>
    public IReadOnlyList<string> Trace { get; init; } = [];

    /// <summary>Per (operation, result) the number of transitions.</summary>
    public required SortedDictionary<string, int> Coverage { get; init; }

    /// <summary>Whether the initial state satisfies the spec's Init ("unsat" of its negation means it does).</summary>
    public string InitAnswer { get; init; } = "";

    /// <summary>Z3 queries asked.</summary>
    public long Queries { get; init; }

    /// <summary>Seconds the model checker took.</summary>
    public double ModelCheckSeconds { get; init; }

    /// <summary>Seconds the conformance checks took (replays, abstraction, Z3).</summary>
    public double ConformSeconds { get; init; }

    /// <summary>Checked transitions per second of <see cref="ConformSeconds"/>.</summary>
    public double TransitionsPerSecond => ConformSeconds > 0 ? Transitions / ConformSeconds : 0;

    /// <summary>True when the model checker held, the initial state satisfies Init, and every transition conforms.</summary>
    public bool Conforms => ModelCheckViolation is null && Mismatch is null && InitAnswer == "unsat";
}

/// <summary>
/// Every transition by which the model checker first reached a state, checked against the spec's
/// own transition relation: each reachable state of the default scope is then reached through a
/// step of the spec. The transitions form a breadth-first tree; a state's transition is replayed on
/// a fresh machine and slicevisor along the state's trace (the trace's steps were checked when their
/// own states were reached), and its abstract pre-state is the one the parent's check produced, so
/// ghost fields are carried along the tree exactly as along a sequential run.
/// </summary>
public static class ModelCheckConformance
{
    // Large enough that the default scope (depth 8) never drains; a deeper scope drains as a checked step.
    private const int LogCapacity = 64;

    /// <summary>Runs the model checker at its default scope (bounded by <see cref="ModelCheckConformanceOptions.MaxStates"/>), then checks its transitions.</summary>
    public static ModelCheckConformanceResult Run(ModelCheckConformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Z3Native.TryVersion() is null)
        {
            throw new DllNotFoundException("libz3.so.4 (Z3) cannot be loaded; install it with: apt-get install -y libz3-4");
        }
        var scope = new ModelCheckScope { MaxStates = options.MaxStates, Port = options.ExplorePort ?? options.Port };
        ModelCheckResult explored = new ModelChecker(scope).Run();
        var coverage = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (!explored.Holds)
        {
            ModelCheckViolation v = explored.Violations[0];
            return new ModelCheckConformanceResult
            {
                Port = options.Port.Name, States = explored.States, Exhaustive = explored.Exhaustive, Coverage = coverage, ModelCheckSeconds = explored.Seconds,
                ModelCheckViolation = $"{v.Check}: {v.Message}", Trace = v.Trace,
            };
        }
        MachineConfig config = scope.Machine();
        var clock = Stopwatch.StartNew();
        using var checker = new ConformanceChecker(options.Spec ?? Spec.BuiltIn(), config, options.TimeoutMs);
        IReadOnlyList<FirstReach> tree = explored.FirstReached;
        // A state's abstraction is kept until its last child has been checked.
        var children = new int[tree.Count];
        foreach (FirstReach r in tree.Skip(1))
        {
            children[r.Parent]++;
        }
        var abstracted = new AbstractState?[tree.Count];
        var problems = new List<string>();
        string init;
        using (var fresh = new Rig(config, options.Port))
        {
            abstracted[0] = Abstraction.Capture(fresh.Bench, true, problems);
            init = checker.InitHolds(abstracted[0]!);
        }
        int checkedCount = 0;
        for (int state = 1; state < tree.Count; state++)
        {
            FirstReach reach = tree[state];
            Step step = explored.Steps[reach.Step];
            using var rig = new Rig(config, options.Port);
            foreach (int o in Trace(tree, reach.Parent))
            {
                rig.Replay(explored.Steps[o]);
            }
            AbstractState pre = abstracted[reach.Parent]!;
            if (rig.DrainDue)
            {
                // Not a first-reaching transition: the log's housekeeping, checked like any step.
                (Mismatch? drained, pre) = rig.CheckDrain(checker, pre, state);
                if (drained is not null)
                {
                    return Stop(drained, state);
                }
            }
            long[] received = StepObservation.IpisReceived(rig.Bench, config.CoreCount);
            (SpecCall call, int error) = rig.Apply(step, pre);
            problems.Clear();
            AbstractState post = StepObservation.Post(checker, rig.Bench, pre, call, error, received, problems);
            options.PerturbPost?.Invoke(state, post);
            string key = call.Operation + " " + ConformanceChecker.Name(error);
            coverage[key] = coverage.GetValueOrDefault(key) + 1;
            bool invariants = state % Math.Max(1, options.InvariantsEvery) == 0 || state == tree.Count - 1;
            StepVerdict verdict = checker.Check(call, pre, post, error, problems, invariants);
            checkedCount++;
            if (!verdict.Conforms)
            {
                return Stop(new Mismatch(state, call.Operation, call.Describe(), ConformanceChecker.Name(error), verdict), state);
            }
            abstracted[state] = post;
            if (--children[reach.Parent] == 0)
            {
                abstracted[reach.Parent] = null;
            }
            options.Progress?.Invoke(checkedCount, tree.Count - 1, clock.Elapsed.TotalSeconds);
        }
        return Result(null, []);

        ModelCheckConformanceResult Stop(Mismatch mismatch, int state) =>
            Result(mismatch, [.. Trace(tree, tree[state].Parent).Select(o => explored.Steps[o].ToString()), explored.Steps[tree[state].Step].ToString()]);

        ModelCheckConformanceResult Result(Mismatch? mismatch, IReadOnlyList<string> trace) => new()
        {
            Port = options.Port.Name, States = explored.States, Exhaustive = explored.Exhaustive, Coverage = coverage, ModelCheckSeconds = explored.Seconds,
            Transitions = checkedCount, Mismatch = mismatch, Trace = trace, InitAnswer = init, Queries = checker.Queries,
            ConformSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The steps from power-on to <paramref name="state"/>, in order.</summary>
    private static List<int> Trace(IReadOnlyList<FirstReach> tree, int state)
    {
        var steps = new List<int>();
        for (int s = state; tree[s].Parent >= 0; s = tree[s].Parent)
        {
            steps.Add(tree[s].Step);
        }
        steps.Reverse();
        return steps;
    }

    /// <summary>A fresh simulated machine and real slicevisor on the run's port, as the model checker builds one per state.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly StepDriver driver;
        private readonly byte[] drained = new byte[LogCapacity * Log.DecisionLogLayout.EntrySize];

        public Rig(MachineConfig config, Port port)
        {
            Bench = port.Open(config, PlatformIdentity.Unmeasured, LogCapacity);
            driver = new StepDriver(Bench);
        }

        public Bench Bench { get; }

        /// <summary>True when the log is half full: the manager drains it before the next request, as the model checker's machine does.</summary>
        public bool DrainDue => Bench.Log.Count * 2 >= LogCapacity;

        /// <summary>Replays a step already checked (on the way to a state).</summary>
        public void Replay(Step step)
        {
            if (DrainDue)
            {
                _ = Bench.DrainLog(drained, out _);
            }
            _ = driver.Apply(step);
        }

        /// <summary>Drains the log as a checked DrainLog step.</summary>
        public (Mismatch? Mismatch, AbstractState Post) CheckDrain(ConformanceChecker checker, AbstractState pre, int state)
        {
            long[] received = StepObservation.IpisReceived(Bench, Bench.Config.CoreCount);
            var call = new DrainCall(LogCapacity);
            int error = (int)Bench.DrainLog(drained, out _).Error;
            var problems = new List<string>();
            AbstractState post = StepObservation.Post(checker, Bench, pre, call, error, received, problems);
            StepVerdict verdict = checker.Check(call, pre, post, error, problems, invariants: false);
            return (verdict.Conforms ? null : new Mismatch(state, call.Operation, call.Describe(), ConformanceChecker.Name(error), verdict), post);
        }

        /// <summary>Applies the transition and names it as a spec operation, with the code's error.</summary>
        public (SpecCall Call, int Error) Apply(Step step, AbstractState pre)
        {
            Observation seen = driver.Apply(step);
            int error = seen.Called ? (int)seen.Result.Error : seen.Access == AccessOutcome.Allowed ? 0 : 0xff;
            return (SpecCallOf(step, pre, error), error);
        }

        private SpecCall SpecCallOf(Step step, AbstractState pre, int error)
        {
            MachineConfig m = Bench.Config;
            ulong granule = m.GranuleSize - 1;
            bool oneGranule = step.Length <= 1 || (step.Address & ~granule) == ((step.Address + (ulong)step.Length - 1) & ~granule);
            return step.Kind switch
            {
                StepKind.Create => new CreateCall(step.Request),
                StepKind.Load => new LoadCall(step.Slot, step.Address, step.Length),
                StepKind.Start or StepKind.Destroy => new SlotCall(step.Kind == StepKind.Start, step.Slot, FaultOf(step, pre)),
                StepKind.Attest => new AttestCall(false, step.Slot, step.Length == ReportLayout.NonceSize, step.Buffer >= ReportLayout.ReportSize) { CodeError = error },
                StepKind.GuestAttest => new AttestCall(true, step.Actor, step.Length == ReportLayout.NonceSize, step.Buffer >= ReportLayout.ReportSize) { CodeError = error },
                // The spec's accesses are one byte: a wider one within one granule has the same owner, register and last writer for every byte.
                StepKind.GuestStore when oneGranule && m.ControlCores.Contains(step.Actor) => new ControlStoreCall(step.Address),
                StepKind.GuestLoad or StepKind.GuestStore or StepKind.GuestFetch when oneGranule && !m.ControlCores.Contains(step.Actor) =>
                    new AccessCall(step.Actor, step.Address, step.Kind switch
                    {
                        StepKind.GuestLoad => Permissions.Read,
                        StepKind.GuestStore => Permissions.Write,
                        _ => Permissions.Execute,
                    }),
                StepKind.DmaRead or StepKind.DmaWrite when oneGranule => new DmaCall(step.Actor, step.Address, step.Kind == StepKind.DmaWrite),
                StepKind.SendIpi => new IpiCall(step.Actor, step.Target),
                StepKind.WriteRangeRegister => new FilterCall(step.Actor, 0, step.Register, new RangeRegister(step.Address, step.Value, step.Permissions), [], 0),
                StepKind.WriteIpiMask => new FilterCall(step.Actor, 1, 0, default, [.. Bits(step.Value, m.CoreCount)], 0),
                StepKind.WriteWayMask => new FilterCall(step.Actor, 2, 0, default, [], step.Value),
                StepKind.RequestReset => new ResetRequestCall(step.Actor, step.Target),
                _ => throw new NotSupportedException($"the spec has no step for: {step}"),
            };
        }

        /// <summary>The fault the environment chose: the armed one when the call touches its core or device, else none (it never fires).</summary>
        private static Fault FaultOf(Step step, AbstractState pre)
        {
            int slot = step.Slot;
            HarnessFault f = step.Fault;
            bool owned = slot >= 1 && slot <= pre.Slots && f.Kind switch
            {
                FaultKind.ResetFails or FaultKind.CorruptRegister => f.Target < pre.Cores && pre.CoreOwner[f.Target] == slot,
                FaultKind.IommuFails => f.Target < pre.Devices && pre.DevOwner[f.Target] == slot,
                _ => false,
            };
            return !owned ? Fault.None : f.Kind switch
            {
                FaultKind.ResetFails => new Fault(SliceError.CoreResetFault, f.Target, 0),
                FaultKind.IommuFails => new Fault(SliceError.IommuFault, 0, f.Target),
                _ => new Fault(SliceError.LoaderFault, f.Target, 0),
            };
        }

        private static IEnumerable<int> Bits(ulong mask, int cores)
        {
            for (int c = 0; c < Math.Min(cores, 64); c++)
            {
                if ((mask >> c & 1) != 0)
                {
                    yield return c;
                }
            }
        }

        public void Dispose() => Bench.Dispose();
    }
}
