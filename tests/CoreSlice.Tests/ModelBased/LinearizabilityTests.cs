using CoreSlice.Harness.Steps;
using CoreSlice.Harness.Model;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// Concurrent manager calls are linearizable: several threads call one slicevisor at once; the
/// history (invocation and response order, by a shared atomic clock) must equal SOME sequential
/// order that respects real time (an op that returned before another was invoked comes first)
/// and program order, in which the model gives exactly the observed results and ends in the
/// observed abstract state.
/// </summary>
public sealed class LinearizabilityTests(ITestOutputHelper output)
{
    private const int Threads = 3, OpsPerThread = 3;

    private sealed record Call(int Thread, Step Op, long Invoked, long Returned, Observation Result);

    private static long overlapping;

    /// <summary>The concurrent phase's operations: manager calls only (guest actions are hardware, not API calls).</summary>
    private static Gen<Intent> ManagerStep(int slots) => Gen.Frequency(
        (5, IntentGen.Create),
        (2, IntentGen.Load(slots)),
        (3, Gen.Choose(0, slots + 1).Select(s => (Intent)new StartIntent(new SlotRef(s, false)))),
        (3, Gen.Choose(0, slots + 1).Select(s => (Intent)new DestroyIntent(new SlotRef(s, false)))),
        (1, IntentGen.Attest(slots)));

    private static Gen<(Intent[] prefix, Intent[] concurrent)> Histories(int slots) =>
        from n in Gen.Choose(0, 8)
        from prefix in Gen.ArrayOf(Gen.Frequency((6, ManagerStep(slots)), (1, IntentGen.Fault)), n)
        from ops in Gen.ArrayOf(ManagerStep(slots), Threads * OpsPerThread)
        select (prefix, ops);

    private static IEnumerable<(Intent[] prefix, Intent[] concurrent)> ShrinkHistory((Intent[] prefix, Intent[] concurrent) h) =>
        IntentGen.Shrink(h.prefix).Select(p => (p, h.concurrent));

    private static void CheckOne(MachineConfig config, Intent[] prefix, Intent[] concurrent)
    {
        using var runner = new Runner(config, Depth.Fast);
        runner.RunAll(prefix);
        runner.Sut.KeepLogRoom();
        SpecModel start = runner.Model.Clone();
        Step[] ops = concurrent.Select(i => Resolver.Resolve(i, start)).ToArray();
        Call[] calls = Execute(runner.Sut, ops);
        if (calls.Any(a => calls.Any(b => a != b && a.Invoked < b.Returned && b.Invoked < a.Returned)))
        {
            Interlocked.Increment(ref overlapping);
        }
        AbstractState observed = runner.Sut.Abstract();
        if (!Linearize(start, calls, new bool[calls.Length], observed))
        {
            throw new ModelMismatchException("no sequential order explains the concurrent history:\n  "
                + string.Join("\n  ", calls.Select(c => $"thread {c.Thread} [{c.Invoked},{c.Returned}] {c.Op} -> {c.Result}")));
        }
    }

    private static Call[] Execute(Sut sut, Step[] ops)
    {
        long clock = 0;
        var calls = new Call[ops.Length];
        using var barrier = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            for (int k = 0; k < OpsPerThread; k++)
            {
                int i = (t * OpsPerThread) + k;
                long invoked = Interlocked.Increment(ref clock);
                Observation result;
                try
                {
                    result = sut.Driver.Apply(ops[i]);
                }
                catch (Exception e)
                {
                    result = Observation.Of(new ModelResult((SliceError)(-1), -1, e.HResult, 0, 0, 0, 0));
                }
                long returned = Interlocked.Increment(ref clock);
                calls[i] = new Call(t, ops[i], invoked, returned, result);
            }
        })).ToArray();
        foreach (Thread th in threads) { th.Start(); }
        foreach (Thread th in threads) { th.Join(); }
        return calls;
    }

    /// <summary>Depth-first search for a linearization (program order + real time) the model agrees with.</summary>
    private static bool Linearize(SpecModel model, Call[] calls, bool[] done, AbstractState observed)
    {
        if (done.All(d => d))
        {
            return AbstractState.Diff(AbstractState.Of(model), observed) is null;
        }
        for (int i = 0; i < calls.Length; i++)
        {
            if (done[i]) { continue; }
            Call c = calls[i];
            // program order: every earlier op of the same thread is done
            bool ready = calls.Where((o, j) => !done[j] && j != i).All(o => !(o.Thread == c.Thread && o.Invoked < c.Invoked) && !(o.Returned < c.Invoked));
            if (!ready) { continue; }
            SpecModel next = model.Clone();
            if (StepDriver.Apply(c.Op, next) != c.Result) { continue; }
            done[i] = true;
            if (Linearize(next, calls, done, observed)) { return true; }
            done[i] = false;
        }
        return false;
    }

    [Fact]
    public void Concurrent_manager_calls_are_linearizable()
    {
        MachineConfig config = Machines.Small();
        Interlocked.Exchange(ref overlapping, 0);
        int histories = 800 * Soak.Factor;
        Prop.ForAll(Arb.From(Histories(config.SlotCapacity), ShrinkHistory), h =>
            {
                CheckOne(config, h.prefix, h.concurrent);
                return true;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(histories));
        output.WriteLine($"{histories} histories of {Threads} threads x {OpsPerThread} calls linearized; {Interlocked.Read(ref overlapping)} had overlapping calls");
        Assert.True(Interlocked.Read(ref overlapping) > 0, "no history had overlapping calls: the test would not see a race");
    }
}
