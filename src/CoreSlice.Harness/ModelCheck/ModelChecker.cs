using CoreSlice.Harness.Steps;
using System.Diagnostics;
using CoreSlice.Hardware;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Noninterference;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// Exhaustive breadth-first exploration of the real slicevisor on a small simulated
/// machine. Every state is restored by replaying its shortest trace from power-on on a
/// fresh machine and slicevisor (no cloning: the code under test is the code that ran);
/// a call that leaves the state unchanged keeps the live machine for the next operation.
/// <para>
/// Checked in every new state: I1–I6 (<see cref="InvariantAudit.CheckAll"/>); on every
/// edge: T1, T2, T5 (<see cref="InvariantAudit.CheckStep"/>); on every rejected call:
/// R1_RejectedChangesNothing; on every call: X1_NoException; and the operation
/// contracts C1_StartRunsEveryCore, C2_FaultIsReportedAndQuarantined,
/// C3_DestroyStopsEveryCore. The first violation found has a shortest trace (BFS).
/// </para>
/// <para>
/// With <see cref="ModelCheckScope.Noninterference"/>, also on every edge: NI2_LocalRespect, in the real code and in
/// the executable model (ModelChecker.Noninterference.cs).
/// </para>
/// </summary>
internal sealed partial class ModelChecker
{
    private const int MaxViolations = 10;

    private readonly ModelCheckScope scope;
    private readonly MachineConfig config;
    private readonly IReadOnlyList<Step> ops;
    private readonly StateEncoder encoder;
    private readonly Dictionary<byte[], int> index = new(ByteArrayComparer.Instance);
    private readonly List<int> parent = [];
    private readonly List<int> via = [];
    private readonly List<int> depthOf = [];
    private readonly List<ModelCheckViolation> violations = [];
    private readonly HashSet<string> reportedChecks = [];

    public ModelChecker(ModelCheckScope scope)
    {
        this.scope = scope;
        config = scope.Machine();
        ops = StepSpace.Build(scope);
        encoder = new StateEncoder(config);
        if (scope.Noninterference)
        {
            realViews = new ViewPair(config);
            modelViews = new ViewPair(config);
        }
    }

    /// <summary>Number of steps tried in every state.</summary>
    public int OperationCount => ops.Count;

    /// <summary>Called about once a second while exploring (for progress on a terminal); null: silent.</summary>
    public Action<ModelCheckProgress>? Progress { get; init; }

    public ModelCheckResult Run()
    {
        var clock = Stopwatch.StartNew();
        double nextProgress = 1;
        long edges = 0;
        long rejected = 0;
        int maxDepth = 0;
        string? stoppedBy = null;
        var queue = new Queue<int>();
        using (var initial = new LiveMachine(config, scope.ModelVariant, scope.Port))
        {
            _ = Add(encoder.Encode(initial), -1, -1, 0);
            CheckState(initial, 0);
        }
        queue.Enqueue(0);
        bool timedOut = false;
        while (!timedOut && queue.Count > 0 && (violations.Count == 0 || !scope.StopAtFirstViolation))
        {
            if (OutOfTime(clock))
            {
                stoppedBy = $"time limit {scope.TimeLimitSeconds} s";
                break;
            }
            int state = queue.Dequeue();
            int depth = depthOf[state];
            maxDepth = Math.Max(maxDepth, depth);
            if (scope.MaxDepth > 0 && depth >= scope.MaxDepth)
            {
                stoppedBy ??= $"depth bound {scope.MaxDepth}";
                continue;
            }
            LiveMachine? live = null;
            byte[] here = [];
            try
            {
                for (int o = 0; o < ops.Count && (violations.Count == 0 || !scope.StopAtFirstViolation); o++)
                {
                    // The clock is read every few operations, so --time-limit holds to well within a second.
                    if ((o & 15) == 0 && clock.Elapsed.TotalSeconds >= nextProgress)
                    {
                        nextProgress = clock.Elapsed.TotalSeconds + 1;
                        Progress?.Invoke(new ModelCheckProgress(index.Count, edges, queue.Count, depth, clock.Elapsed.TotalSeconds));
                        if (OutOfTime(clock))
                        {
                            timedOut = true;
                            break;
                        }
                    }
                    if (live is null)
                    {
                        live = Restore(state);
                        here = encoder.Encode(live).ToArray();
                    }
                    Step op = ops[o];
                    if (!live.Enabled(op))
                    {
                        continue;
                    }
                    edges++;
                    Outcome outcome = Step(live, state, o, here);
                    rejected += outcome.Rejected ? 1 : 0;
                    if (outcome.Threw)
                    {
                        live.Dispose();
                        live = null;
                        continue;
                    }
                    if (!outcome.Changed)
                    {
                        continue;
                    }
                    byte[] next = encoder.Encode(live).ToArray();
                    if (!index.ContainsKey(next))
                    {
                        if (scope.MaxStates > 0 && index.Count >= scope.MaxStates)
                        {
                            stoppedBy ??= $"state bound {scope.MaxStates}";
                        }
                        else
                        {
                            int id = Add(next, state, o, depth + 1);
                            CheckState(live, id);
                            queue.Enqueue(id);
                        }
                    }
                    live.Dispose();
                    live = null;
                }
            }
            finally
            {
                live?.Dispose();
            }
        }
        if (timedOut)
        {
            stoppedBy = $"time limit {scope.TimeLimitSeconds} s";
        }
        if (violations.Count > 0 && scope.StopAtFirstViolation && queue.Count > 0)
        {
            stoppedBy ??= "first violation";
        }
        clock.Stop();
        return new ModelCheckResult
        {
            Scope = scope,
            States = index.Count,
            Edges = edges,
            RejectedEdges = rejected,
            Operations = ops.Count,
            Depth = maxDepth,
            Seconds = clock.Elapsed.TotalSeconds,
            Exhaustive = stoppedBy is null,
            StoppedBy = stoppedBy,
            Violations = violations,
            Steps = ops,
            FirstReached = [.. parent.Zip(via, (p, o) => new FirstReach(p, o))],
        };
    }

    private bool OutOfTime(Stopwatch clock) => scope.TimeLimitSeconds > 0 && clock.Elapsed.TotalSeconds >= scope.TimeLimitSeconds;

    private readonly record struct Outcome(bool Changed, bool Rejected, bool Threw = false);

    /// <summary>One edge: apply, then check T1/T2/T5, R1, X1 and the contracts.</summary>
    private Outcome Step(LiveMachine live, int state, int o, byte[] before)
    {
        Step op = ops[o];
        MachineSnapshot snapshot = live.Audit.Snapshot();
        Expectation expect = Expect(live, op);
        (Acting? realActing, Acting? modelActing) = ViewsBefore(live, op);
        ModelResult? result;
        AccessOutcome access;
        try
        {
            Observation observed = live.Apply(op);
            result = observed.Called ? observed.Result : null;
            access = observed.Access;
        }
        catch (Exception e)
        {
            Report(state, o, "X1_NoException", $"{op} threw {e.GetType().Name}: {e.Message}");
            viewed = null;
            return new Outcome(true, false, Threw: true);
        }
        Observation predicted = live.ApplyToModel(op);
        if (result is { } actual && predicted.Called && !SameResult(actual, predicted.Result))
        {
            Report(state, o, "M1_ResultMatchesModel",
                $"{op} returned {actual.Error} (slot {actual.Slot}, subject {actual.Subject}, holder {actual.Holder}); the executable model says {predicted.Result}");
        }
        else if (result is null && op.Kind != StepKind.ArmFault && access != predicted.Access)
        {
            Report(state, o, "M1_ResultMatchesModel", $"{op}: the hardware said {access}; the executable model says {predicted.Access}");
        }
        CheckViews(live, state, o, realActing, modelActing);
        bool changed = !encoder.Encode(live).SequenceEqual(before);
        bool rejected = result is { Ok: false } r && r.Error is not (SliceError.CoreResetFault or SliceError.IommuFault or SliceError.LoaderFault);
        if (rejected && changed)
        {
            Report(state, o, "R1_RejectedChangesNothing", $"{op} was rejected with {result!.Value.Error} but changed the state");
        }
        int actedOn = op.IsManagerCall && op.Kind != StepKind.Create ? (live.Table.IsSlot(op.Slot) ? op.Slot : 0) : (result is { Ok: true } ok ? ok.Slot : 0);
        IReadOnlyList<Violation> found = changed
            ? live.Audit.CheckStep(snapshot, op.IsManagerCall, actedOn)
            : [.. live.Audit.T1_LockStability(snapshot), .. live.Audit.T2_ResetAuthority(snapshot, op.IsManagerCall, actedOn), .. live.Audit.T5_StaticRows(snapshot), .. live.Audit.I6_StaticResources()];
        foreach (Violation v in found)
        {
            Report(state, o, v.Invariant, v.Message);
        }
        CheckContract(live, state, o, result, expect);
        return new Outcome(changed, rejected);
    }

    /// <summary>The parts of a result a caller acts on: the error, the slot, the item that failed, and who holds it.</summary>
    private static bool SameResult(ModelResult actual, ModelResult model) =>
        actual.Error == model.Error && actual.Slot == model.Slot && actual.Subject == model.Subject && actual.Holder == model.Holder;

    private readonly record struct Expectation(SliceError Fault, int Subject, ResourceSet CoresBefore);

    /// <summary>What a correct slicevisor must report for an armed fault that the call will reach.</summary>
    private static Expectation Expect(LiveMachine live, Step op)
    {
        if (!op.IsManagerCall || op.Kind == StepKind.Create || !live.Table.IsSlot(op.Slot))
        {
            return new Expectation(SliceError.None, -1, default);
        }
        SliceEntry e = live.Table[op.Slot];
        ResourceSet cores = e.Cores;
        bool starts = op.Kind == StepKind.Start && e.State == SliceState.Created;
        bool destroys = op.Kind == StepKind.Destroy && e.State != SliceState.Free;
        int target = op.Fault.Target;
        SliceError fault = op.Fault.Kind switch
        {
            FaultKind.ResetFails when (starts || destroys) && cores.Contains(target) => SliceError.CoreResetFault,
            FaultKind.IommuFails when (starts || destroys) && e.Devices.Contains(target) => SliceError.IommuFault,
            FaultKind.CorruptRegister when starts && cores.Contains(target) => SliceError.LoaderFault,
            _ => SliceError.None,
        };
        // A start fails at its first fault: an IOMMU fault comes before every reset.
        return new Expectation(fault, target, cores);
    }

    private void CheckContract(LiveMachine live, int state, int o, ModelResult? result, Expectation expect)
    {
        Step op = ops[o];
        if (result is not { } r || !live.Table.IsSlot(op.Slot) && op.Kind != StepKind.Create)
        {
            return;
        }
        if (expect.Fault != SliceError.None)
        {
            if (r.Error != expect.Fault || r.Subject != expect.Subject)
            {
                Report(state, o, "C2_FaultIsReportedAndQuarantined", $"{op} returned {r.Error} (subject {r.Subject}), expected {expect.Fault} on {expect.Subject}");
            }
            else if (live.Table[op.Slot].State != SliceState.Destroying)
            {
                Report(state, o, "C2_FaultIsReportedAndQuarantined", $"{op} reported {r.Error} but left slot {op.Slot} {live.Table[op.Slot].State}, not quarantined in Destroying");
            }
            return;
        }
        if (op.Kind == StepKind.Start && r.Ok)
        {
            ResourceSet cores = live.Table[op.Slot].Cores;
            for (int c = cores.Next(0); c >= 0; c = cores.Next(c + 1))
            {
                if (live.Machine.Mode(c) != CoreMode.Guest)
                {
                    Report(state, o, "C1_StartRunsEveryCore", $"{op} succeeded but core {c} of slot {op.Slot} is {live.Machine.Mode(c)}, not running the guest");
                }
            }
        }
        if (op.Kind == StepKind.Destroy && r.Ok)
        {
            ResourceSet cores = expect.CoresBefore;
            for (int c = cores.Next(0); c >= 0; c = cores.Next(c + 1))
            {
                if (live.Machine.Mode(c) == CoreMode.Guest || live.Machine.IsLocked(c))
                {
                    Report(state, o, "C3_DestroyStopsEveryCore", $"{op} succeeded but core {c} is {live.Machine.Mode(c)}{(live.Machine.IsLocked(c) ? ", locked" : "")}");
                }
            }
        }
    }

    /// <summary>I1–I6 in a newly reached state; a violation's trace is the state's shortest trace.</summary>
    private void CheckState(LiveMachine live, int id)
    {
        foreach (Violation v in live.Audit.CheckAll())
        {
            Report(id, -1, v.Invariant, v.Message, id);
        }
    }

    private int Add(ReadOnlySpan<byte> encoding, int from, int op, int depth)
    {
        int id = index.Count;
        index.Add(encoding.ToArray(), id);
        parent.Add(from);
        via.Add(op);
        depthOf.Add(depth);
        return id;
    }

    /// <summary>A fresh machine and slicevisor, driven through the shortest trace to <paramref name="state"/>.</summary>
    private LiveMachine Restore(int state)
    {
        var live = new LiveMachine(config, scope.ModelVariant, scope.Port);
        foreach (int o in Trace(state))
        {
            _ = live.Apply(ops[o]);
            _ = live.ApplyToModel(ops[o]);
            _ = live.Audit.I6_StaticResources(); // the audit records each slice's resources as it first sees them
        }
        return live;
    }

    private List<int> Trace(int state)
    {
        var trace = new List<int>();
        for (int s = state; parent[s] >= 0; s = parent[s])
        {
            trace.Add(via[s]);
        }
        trace.Reverse();
        return trace;
    }

    /// <summary>Records a violation on the edge (<paramref name="from"/>, op <paramref name="o"/>), once per check.</summary>
    private void Report(int from, int o, string check, string message, int reached = -1)
    {
        if (violations.Count >= MaxViolations || !reportedChecks.Add(check))
        {
            return;
        }
        var steps = new List<string>();
        int end = reached >= 0 ? reached : from;
        foreach (int t in Trace(end))
        {
            steps.Add(ops[t].ToString());
        }
        if (reached < 0 && o >= 0)
        {
            steps.Add(ops[o].ToString());
        }
        violations.Add(new ModelCheckViolation(check, message, steps));
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}

/// <summary>How far a run has come: states found, edges tried, states waiting, current depth, seconds.</summary>
internal readonly record struct ModelCheckProgress(int States, long Edges, int Queued, int Depth, double Seconds);

/// <summary>
/// How a state was first reached: from state <paramref name="Parent"/> by step number <paramref name="Step"/>
/// of <see cref="ModelCheckResult.Steps"/> (both -1 for the initial state). The first-reaching transitions
/// form a tree rooted at the initial state, listed in breadth-first order (a parent before its children).
/// </summary>
internal readonly record struct FirstReach(int Parent, int Step);

/// <summary>A broken check, and the shortest trace from power-on that breaks it.</summary>
internal sealed record ModelCheckViolation(string Check, string Message, IReadOnlyList<string> Trace);

/// <summary>What a run explored and found.</summary>
internal sealed record ModelCheckResult
{
    public required ModelCheckScope Scope { get; init; }

    public int States { get; init; }

    public long Edges { get; init; }

    public long RejectedEdges { get; init; }

    public int Operations { get; init; }

    public int Depth { get; init; }

    public double Seconds { get; init; }

    public bool Exhaustive { get; init; }

    public string? StoppedBy { get; init; }

    public IReadOnlyList<ModelCheckViolation> Violations { get; init; } = [];

    /// <summary>The steps tried in every state.</summary>
    public IReadOnlyList<Step> Steps { get; init; } = [];

    /// <summary>Per state (by number), the transition that first reached it: the breadth-first tree conformance checks.</summary>
    public IReadOnlyList<FirstReach> FirstReached { get; init; } = [];

    public bool Holds => Violations.Count == 0;

    public double StatesPerSecond => Seconds > 0 ? States / Seconds : 0;
}
