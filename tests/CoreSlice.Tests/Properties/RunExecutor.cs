using System.Text;
using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Steps;
using CoreSlice.Tests.ModelBased;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;

namespace CoreSlice.Tests.Properties;

/// <summary>
/// Runs a list of steps on a fresh machine and, after every step, checks I1–I6 and T1/T2
/// (the simulation's <see cref="InvariantAudit"/>), that a
/// rejected operation changed nothing bit for bit, that a valid first-fit request is not
/// refused, and that every allowed guest action passes the isolation oracle. Throws
/// <see cref="RunFailureException"/> naming the step and what broke.
/// </summary>
public sealed class RunExecutor : IDisposable
{
    private static readonly SliceError[] Faults = [SliceError.CoreResetFault, SliceError.IommuFault, SliceError.LoaderFault];
    private readonly Bench rig; // the slicevisor on its machine, through the run's port
    private readonly InvariantAudit audit;
    private readonly IsolationOracle oracle;
    private readonly StepDriver driver;

    /// <summary>The longest access or image a step makes (longer generated lengths are cut to it).</summary>
    private const int MaxLength = 16384;

    public RunExecutor(MachineConfig config, Port? port = null)
    {
        rig = (port ?? Port.Abstract).Open(config, CoreSlice.Attestation.PlatformIdentity.Unmeasured, CoreSlice.Log.DecisionLog.DefaultCapacity);
        audit = rig.NewAudit();
        oracle = rig.NewOracle();
        driver = new StepDriver(rig);
    }

    public Stats Counts { get; } = new();

    public static void Run(MachineConfig config, Intent[] steps, Port? port = null)
    {
        using var executor = new RunExecutor(config, port);
        executor.RunAll(steps);
    }

    public void RunAll(Intent[] steps)
    {
        for (int i = 0; i < steps.Length; i++)
        {
            Execute(i, steps[i]);
        }
    }

    public void Dispose() => rig.Dispose();

    private void Execute(int index, Intent step)
    {
        var problems = new List<string>();
        MachineSnapshot machineBefore = audit.Snapshot();
        StateSnapshot? before = step is GuestIntent or FaultIntent ? null : StateSnapshot.Take(rig.Machine, rig.Table, rig.Config);
        bool privileged = false;
        int actedOn = 0;
        ModelResult? result = null;
        switch (step)
        {
            case PlannedCreateIntent c:
                privileged = true;
                result = Create(c, problems);
                break;
            case LoadAtIntent l:
                privileged = true;
                result = Call(Load(l));
                break;
            case StartIntent s:
                privileged = true;
                int started = SlotOf(s.Slot);
                actedOn = rig.Table.IsSlot(started) ? started : 0;
                result = Call(new Step(StepKind.Start) { Slot = started });
                break;
            case DestroyIntent d:
                privileged = true;
                int destroyed = SlotOf(d.Slot);
                actedOn = rig.Table.IsSlot(destroyed) ? destroyed : 0;
                result = Call(new Step(StepKind.Destroy) { Slot = destroyed });
                break;
            case GuestIntent g:
                Guest(g, problems);
                break;
            case FaultIntent f:
                ArmFault(f);
                break;
        }
        if (result is { } r)
        {
            Counts.Add(r.Error);
            if (!r.Ok && Array.IndexOf(Faults, r.Error) < 0 && before is not null)
            {
                string? diff = before.Diff(StateSnapshot.Take(rig.Machine, rig.Table, rig.Config));
                if (diff is not null)
                {
                    problems.Add($"rejected with {r.Error} but the state changed: {diff}");
                }
            }
        }
        // I1-I6 and T1/T2 by the one audit; the executable model (tests/Model) is the independent second statement.
        foreach (Violation v in audit.CheckStep(machineBefore, privileged, actedOn).Concat(audit.CheckAll()))
        {
            problems.Add("audit " + v);
        }
        if (problems.Count > 0)
        {
            var sb = new StringBuilder();
            sb.Append("step ").Append(index).Append(' ').Append(step).Append(" -> ").Append(result?.ToString() ?? "(guest/fault)").AppendLine();
            foreach (string p in problems)
            {
                sb.Append("  ").AppendLine(p);
            }
            throw new RunFailureException(sb.ToString());
        }
    }

    private int SlotOf(SlotRef r)
    {
        if (!r.Live)
        {
            return r.N;
        }
        var live = new List<int>();
        for (int s = 1; s <= rig.Table.Capacity; s++)
        {
            if (rig.Table[s].State != SliceState.Free)
            {
                live.Add(s);
            }
        }
        return live.Count == 0 ? 1 + (r.N % rig.Table.Capacity) : live[r.N % live.Count];
    }


    private ModelResult? Create(PlannedCreateIntent c, List<string> problems)
    {
        SliceRequest? plan = rig.Plan(new SliceShape(c.Cores, (ulong)c.Granules * rig.Config.GranuleSize, c.Devices, c.Ways));
        if (plan is not { } valid)
        {
            return null;
        }
        SliceRequest request = c.How == Perturbation.None
            ? valid
            : HostileRequests.Perturb(valid, c.How, rig.Config, rig.Table, new Random(c.Seed));
        ModelResult r = Call(new Step(StepKind.Create) { Request = request });
        if (c.How == Perturbation.None && !r.Ok && r.Error != SliceError.TableFull && !(c.Cores == 0 && r.Error == SliceError.NoCores))
        {
            problems.Add($"a valid first-fit request was refused: {r}");
        }
        return r;
    }

    private Step Load(LoadAtIntent l)
    {
        int slot = SlotOf(l.Slot);
        ulong address = Resolve(l.Where, slot, l.Pick, l.Offset);
        return new Step(StepKind.Load) { Slot = slot, Address = address, Length = Math.Min(l.Length, MaxLength), Fill = (byte)(l.Pick + 1) };
    }

    /// <summary>A slicevisor call through the harness's driver: its result as the spec states results.</summary>
    private ModelResult Call(Step step) => driver.Apply(step).Result;

    private void Guest(GuestIntent g, List<string> problems)
    {
        SimulatedMachine m = rig.Machine;
        bool isDma = g.Kind is StepKind.DmaRead or StepKind.DmaWrite;
        int owner = isDma ? rig.Table.DeviceOwner(g.Actor) : rig.Table.CoreOwner(g.Actor);
        ulong address = Resolve(g.Where, owner, g.Pick, g.Offset);
        int length = Math.Min(g.Length, MaxLength);
        var step = new Step(g.Kind) { Actor = g.Actor, Address = address, Length = length };
        OracleVerdict verdict = OracleVerdict.Clean;
        ulong judged = (ulong)Math.Max(length, 1);
        switch (g.Kind)
        {
            case StepKind.GuestStore:
                step = step with { Fill = 0xA5 };
                verdict = m.FilterAllows(g.Actor, address, Permissions.Write) ? oracle.JudgeCoreAccess(g.Actor, address, judged, Permissions.Write) : verdict;
                break;
            case StepKind.DmaWrite:
                step = step with { Fill = 0x5A };
                verdict = oracle.JudgeDma(g.Actor, address, judged, write: true);
                break;
            case StepKind.SendIpi:
                int to = g.Where == Target.Own && rig.Table.IsSlot(owner) && !rig.Table[owner].Cores.IsEmpty
                    ? NthMember(rig.Table[owner].Cores, g.Pick)
                    : (int)(g.Offset % (ulong)(rig.Config.CoreCount + 2)) - 1;
                step = step with { Target = to };
                break;
            case StepKind.WriteRangeRegister:
                step = step with { Register = g.Pick % (rig.Config.RangeRegistersPerCore + 1), Address = 0, Value = ulong.MaxValue, Permissions = Permissions.ReadWriteExecute };
                break;
            case StepKind.WriteIpiMask:
            case StepKind.WriteWayMask:
                step = step with { Value = ulong.MaxValue };
                break;
            case StepKind.RequestReset:
                step = step with { Target = (int)(g.Offset % (ulong)rig.Config.CoreCount) };
                break;
            default:
                break;
        }
        AccessOutcome outcome = driver.Apply(step).Access;
        switch (g.Kind)
        {
            case StepKind.GuestLoad when outcome == AccessOutcome.Allowed:
                verdict = oracle.JudgeCoreAccess(g.Actor, address, judged, Permissions.Read);
                break;
            case StepKind.GuestFetch when outcome == AccessOutcome.Allowed:
                verdict = oracle.JudgeCoreAccess(g.Actor, address, 1, Permissions.Execute);
                break;
            case StepKind.DmaRead when outcome == AccessOutcome.Allowed:
                verdict = oracle.JudgeDma(g.Actor, address, judged, write: false);
                break;
            case StepKind.SendIpi when outcome == AccessOutcome.Allowed:
                verdict = oracle.JudgeIpi(g.Actor, step.Target);
                break;
            case StepKind.GuestStore or StepKind.DmaWrite when outcome != AccessOutcome.Allowed:
                verdict = OracleVerdict.Clean;
                break;
            case StepKind.WriteRangeRegister or StepKind.WriteIpiMask or StepKind.WriteWayMask or StepKind.RequestReset:
                ExpectNotAllowed(outcome, g, problems);
                break;
            default:
                break;
        }
        Counts.Add(g.Kind, outcome);
        if (!verdict.IsClean)
        {
            problems.Add($"isolation oracle: {verdict.Detail} (outcome {outcome})");
        }
    }

    private static void ExpectNotAllowed(AccessOutcome outcome, GuestIntent g, List<string> problems)
    {
        if (outcome == AccessOutcome.Allowed)
        {
            problems.Add($"S5/S6: {g.Kind} from core {g.Actor} was allowed");
        }
    }

    private void ArmFault(FaultIntent f)
    {
        int targets = f.Kind == FaultKind.IommuFails ? rig.Config.DeviceCount : rig.Config.CoreCount;
        if (targets > 0)
        {
            _ = driver.Apply(new Step(StepKind.ArmFault) { Fault = new Fault(f.Kind, f.Index % targets, f.Count) });
        }
    }

    /// <summary>An address for <paramref name="where"/>, seen from <paramref name="owner"/> (a slot, or the control slice).</summary>
    private ulong Resolve(Target where, int owner, int pick, ulong offset)
    {
        MachineConfig c = rig.Config;
        switch (where)
        {
            case Target.Own when rig.Table.IsSlot(owner) && rig.Table[owner].Ranges.Length > 0:
                return In(rig.Table[owner].Ranges[pick % rig.Table[owner].Ranges.Length], offset);
            case Target.Own when owner == Owner.Control:
                return In(c.ControlMemory[pick % c.ControlMemory.Length], offset);
            case Target.OtherSlice:
                for (int k = 0; k < rig.Table.Capacity; k++)
                {
                    int s = 1 + ((pick + k) % rig.Table.Capacity);
                    if (s != owner && rig.Table[s].State != SliceState.Free)
                    {
                        return In(rig.Table[s].Ranges[pick % rig.Table[s].Ranges.Length], offset);
                    }
                }
                return offset;
            case Target.Control:
                return In(c.ControlMemory[pick % c.ControlMemory.Length], offset);
            case Target.Reserved when c.ReservedRegions.Length > 0:
                return In(c.ReservedRegions[pick % c.ReservedRegions.Length].Range, offset);
            case Target.FreeRam:
                List<MemoryRange> gaps = FreeMemory.Gaps(c, rig.Table);
                return gaps.Count > 0 ? In(gaps[pick % gaps.Count], offset) : offset;
            case Target.BeyondRam:
                return Machines.RamTop(c) + (offset % (1UL << 40));
            default:
                return offset;
        }
    }

    private static ulong In(MemoryRange r, ulong offset) => r.Base + (r.Size == 0 ? 0 : offset % r.Size);

    private static int NthMember(ResourceSet set, int n)
    {
        int count = set.Count;
        int skip = n % count;
        int c = set.Next(0);
        for (int i = 0; i < skip; i++)
        {
            c = set.Next(c + 1);
        }
        return c;
    }

    /// <summary>What a run exercised (to show that the property is not vacuous).</summary>
    public sealed class Stats
    {
        public Dictionary<SliceError, int> Results { get; } = [];

        public Dictionary<(StepKind, bool), int> Guest { get; } = [];

        public void Add(SliceError e) => Results[e] = Results.GetValueOrDefault(e) + 1;

        public void Add(StepKind a, AccessOutcome o) => Guest[(a, o == AccessOutcome.Allowed)] = Guest.GetValueOrDefault((a, o == AccessOutcome.Allowed)) + 1;
    }
}

/// <summary>A broken invariant or promise, with the step that broke it.</summary>
public sealed class RunFailureException(string message) : Exception(message);
