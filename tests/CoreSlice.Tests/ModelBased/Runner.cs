using System.Text;
using CoreSlice.Simulation.Audit;
using CoreSlice.Harness.Model;
using CoreSlice.Tests.Support;

namespace CoreSlice.Tests.ModelBased;

/// <summary>A disagreement between the implementation and the model (or a broken invariant), naming the step.</summary>
public sealed class ModelMismatchException(string message) : Exception(message);

/// <summary>How much is compared after each step.</summary>
public enum Depth
{
    /// <summary>Result, full abstract state, InvariantAudit (I1–I6, T1, T2), and bit-for-bit unchanged state after a rejection.</summary>
    Full,
    /// <summary>Result and a cheap fingerprint every step; the full abstract state and the audit every 64 steps and at the end.</summary>
    Fast,
}

/// <summary>
/// Runs a list of intents on a fresh model and a fresh real system side by side and checks,
/// after every step: same result (Error, Slot, Subject, Holder, HolderRegion, conflict interval),
/// same abstract state, invariants, rejected = unchanged, and that nothing threw.
/// </summary>
public sealed class Runner : IDisposable
{
    private static long managerRequests;
    private static readonly SliceError[] Faults = [SliceError.CoreResetFault, SliceError.IommuFault, SliceError.LoaderFault];

    private readonly Sut sut;
    private readonly Depth depth;

    public Runner(MachineConfig config, Depth depth, ModelBug bug = ModelBug.None)
    {
        sut = new Sut(config);
        Model = new SpecModel(config, bug);
        this.depth = depth;
    }

    /// <summary>Manager requests checked against the model, by every runner in this process.</summary>
    public static long ManagerRequestsChecked => Interlocked.Read(ref managerRequests);

    public SpecModel Model { get; }

    public Sut Sut => sut;

    public Dictionary<SliceError, int> Seen { get; } = [];

    public int Steps { get; private set; }

    public static void Check(MachineConfig config, Intent[] run, Depth depth, ModelBug bug = ModelBug.None)
    {
        using var runner = new Runner(config, depth, bug);
        runner.RunAll(run);
    }

    public void RunAll(Intent[] run)
    {
        for (int i = 0; i < run.Length; i++)
        {
            Step(i, run[i]);
        }
        CompareFull(run.Length - 1, run.Length == 0 ? null : run[^1], null);
    }

    public void Step(int index, Intent intent)
    {
        Op op = Resolver.Resolve(intent, Model);
        Execute(index, intent, op);
    }

    public void Execute(int index, Intent? intent, Op op)
    {
        Steps++;
        sut.KeepLogRoom();
        bool full = depth == Depth.Full;
        MachineSnapshot? machineBefore = full ? sut.Audit.Snapshot() : null;
        StateSnapshot? before = full && op.IsManager ? StateSnapshot.Take(sut.Rig) : null;
        Observation expected = op.OnModel(Model);
        Observation actual;
        try
        {
            actual = op.OnActual(sut);
        }
        catch (Exception e)
        {
            throw Fail(index, intent, op, $"the implementation threw {e.GetType().Name}: {e.Message}");
        }
        if (op.IsManager)
        {
            Interlocked.Increment(ref managerRequests);
            Seen[expected.Result.Error] = Seen.GetValueOrDefault(expected.Result.Error) + 1;
        }
        if (expected != actual)
        {
            throw Fail(index, intent, op, $"result: model {expected} vs implementation {actual}");
        }
        if (before is not null && !actual.Result.Ok && Array.IndexOf(Faults, actual.Result.Error) < 0)
        {
            string? changed = before.Diff(StateSnapshot.Take(sut.Rig));
            if (changed is not null)
            {
                throw Fail(index, intent, op, $"rejected with {actual.Result.Error} but the state changed: {changed}");
            }
        }
        if (full)
        {
            CompareFull(index, intent, op);
            var problems = sut.Audit.CheckStep(machineBefore!, op.IsManager, op.ActsOn is int s && sut.Table.IsSlot(s) ? s : 0);
            if (problems.Count > 0)
            {
                throw Fail(index, intent, op, "invariant: " + string.Join("; ", problems));
            }
        }
        else if (Sut.Fingerprint(Model) != sut.Fingerprint())
        {
            CompareFull(index, intent, op);
            throw Fail(index, intent, op, "state fingerprints differ (no field-level difference found)");
        }
        else if (Steps % 64 == 0)
        {
            CompareFull(index, intent, op);
            var problems = sut.Audit.CheckAll();
            if (problems.Count > 0)
            {
                throw Fail(index, intent, op, "invariant: " + string.Join("; ", problems));
            }
        }
    }

    private void CompareFull(int index, Intent? intent, Op? op)
    {
        string? diff = AbstractState.Diff(AbstractState.Of(Model), sut.Abstract());
        if (diff is not null)
        {
            throw Fail(index, intent, op, "state: " + diff);
        }
    }

    private static ModelMismatchException Fail(int index, Intent? intent, Op? op, string what)
    {
        var sb = new StringBuilder();
        sb.Append("step ").Append(index).Append(": ").Append(intent).Append(" => ").Append(op).AppendLine();
        sb.Append("  ").Append(what);
        return new ModelMismatchException(sb.ToString());
    }

    public void Dispose() => sut.Dispose();
}
