using System.Text;
using CoreSlice.Hardware;
using CoreSlice.Simulation.Audit;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Steps;
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
    // Per slot: the log sequence and head just after its last successful StartSlice, which its guest's reports carry.
    private readonly Dictionary<int, (ulong Sequence, byte[] Head)> startPoints = [];

    public Runner(MachineConfig config, Depth depth, ModelBug bug = ModelBug.None, Port? port = null)
    {
        sut = new Sut(config, port);
        Model = new SpecModel(config, bug);
        this.depth = depth;
    }

    /// <summary>Manager requests checked against the model, by every runner in this process.</summary>
    public static long ManagerRequestsChecked => Interlocked.Read(ref managerRequests);

    public SpecModel Model { get; }

    public Sut Sut => sut;

    public Dictionary<SliceError, int> Seen { get; } = [];

    public int Steps { get; private set; }

    public static void Check(MachineConfig config, Intent[] run, Depth depth, ModelBug bug = ModelBug.None, Port? port = null)
    {
        using var runner = new Runner(config, depth, bug, port);
        runner.RunAll(run);
    }

    public void RunAll(Intent[] run)
    {
        for (int i = 0; i < run.Length; i++)
        {
            Execute(i, run[i]);
        }
        CompareFull(run.Length - 1, run.Length == 0 ? null : run[^1], null);
    }

    public void Execute(int index, Intent intent) => Execute(index, intent, Resolver.Resolve(intent, Model));

    public void Execute(int index, Intent? intent, Step op)
    {
        Steps++;
        sut.KeepLogRoom();
        bool full = depth == Depth.Full;
        MachineSnapshot? machineBefore = full ? sut.Audit.Snapshot() : null;
        StateSnapshot? before = full && op.IsManagerCall ? sut.Snapshot() : null;
        ulong sequence = sut.Log.Sequence;
        byte[] head = sut.Log.Head.ToArray();
        Observation expected = StepDriver.Apply(op, Model);
        Observation actual;
        try
        {
            actual = sut.Driver.Apply(op);
        }
        catch (Exception e)
        {
            throw Fail(index, intent, op, $"the implementation threw {e.GetType().Name}: {e.Message}");
        }
        if (op.IsManagerCall)
        {
            Interlocked.Increment(ref managerRequests);
            Seen[expected.Result.Error] = Seen.GetValueOrDefault(expected.Result.Error) + 1;
        }
        if (expected != actual)
        {
            throw Fail(index, intent, op, $"result: model {expected} vs implementation {actual}");
        }
        string? logged = LogPrediction(op, expected, sequence, head);
        if (logged is not null)
        {
            throw Fail(index, intent, op, logged);
        }
        if (op.Logged == CoreSlice.Log.DecisionOperation.StartSlice && expected.Result.Ok)
        {
            startPoints[expected.Result.Slot] = (sut.Log.Sequence, sut.Log.Head.ToArray());
        }
        if (before is not null && !actual.Result.Ok && Array.IndexOf(Faults, actual.Result.Error) < 0)
        {
            string? changed = before.Diff(sut.Snapshot());
            if (changed is not null)
            {
                throw Fail(index, intent, op, $"rejected with {actual.Result.Error} but the state changed: {changed}");
            }
        }
        if (full)
        {
            CompareFull(index, intent, op);
            var problems = sut.Audit.CheckStep(machineBefore!, op.IsManagerCall, sut.Table.IsSlot(op.ActsOn) ? op.ActsOn : 0);
            if (problems.Count > 0)
            {
                throw Fail(index, intent, op, "invariant: " + string.Join("; ", problems));
            }
        }
        else if (sut.FingerprintOf(Model) != sut.Fingerprint())
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

    /// <summary>
    /// The log the model predicts: a slicevisor request appends exactly one entry, with the next
    /// sequence number, the operation, and the model's error, slot, subject and holder, linked to
    /// the head before it; anything else appends nothing. An accepted attestation's report signs
    /// what the model holds for the slot, and the log head and sequence before this request (the
    /// manager's) or just after the slot's own StartSlice (a guest's: S11, noninterference).
    /// </summary>
    private string? LogPrediction(Step op, Observation expected, ulong sequence, byte[] head)
    {
        var log = sut.Log;
        if (op.Logged is not { } operation)
        {
            return log.Sequence == sequence ? null : $"log: a step that is not a request appended {log.Sequence - sequence} entries";
        }
        if (log.Sequence != sequence + 1)
        {
            return $"log: sequence {log.Sequence}, the model predicts {sequence + 1}";
        }
        var entry = CoreSlice.Manager.Verification.DecisionRecord.Decode(log.Entry(log.Count - 1));
        ModelResult r = expected.Result;
        if (entry.Operation != operation || entry.Sequence != sequence + 1 || entry.Error != r.Error || entry.Slot != r.Slot
            || entry.Subject != r.Subject || entry.Holder != r.Holder || log.Head.SequenceEqual(head))
        {
            return $"log: entry {entry.Sequence} {entry.Operation} {entry.Error} slot {entry.Slot} subject {entry.Subject} holder {entry.Holder}, the model predicts {sequence + 1} {operation} {r.Error} slot {r.Slot} subject {r.Subject} holder {r.Holder}, moving the head on";
        }
        if (r.Error != SliceError.None || operation is not (CoreSlice.Log.DecisionOperation.Attest or CoreSlice.Log.DecisionOperation.GuestAttest))
        {
            return null;
        }
        var report = CoreSlice.Manager.Verification.AttestationReport.TryDecode(sut.Driver.LastReport.AsSpan(0, CoreSlice.Attestation.ReportLayout.ReportSize), out string? problem);
        if (report is null)
        {
            return "report: " + problem;
        }
        ModelSlot slot = Model.Slot(r.Slot);
        if (operation == CoreSlice.Log.DecisionOperation.GuestAttest)
        {
            (sequence, head) = startPoints[r.Slot];
        }
        if (report.Slot != r.Slot || report.State != slot.State || report.EntryPoint != slot.Entry || report.Ways != slot.Ways
            || !report.Cores.Order().SequenceEqual(slot.Cores.Order()) || !report.Ranges.SequenceEqual(slot.Ranges)
            || !report.ImageMeasurement.AsSpan().SequenceEqual(slot.Measurement) || report.LogSequence != sequence || !report.LogHead.AsSpan().SequenceEqual(head))
        {
            return $"report: slot {report.Slot} {report.State} entry 0x{report.EntryPoint:x} ways 0x{report.Ways:x}, log {report.LogSequence}; the model holds slot {r.Slot} {slot.State} entry 0x{slot.Entry:x} ways 0x{slot.Ways:x}, log {sequence}";
        }
        return null;
    }

    private void CompareFull(int index, Intent? intent, Step? op)
    {
        string? diff = AbstractState.Diff(sut.ModelState(Model), sut.Abstract());
        if (diff is not null)
        {
            throw Fail(index, intent, op, "state: " + diff);
        }
    }

    private static ModelMismatchException Fail(int index, Intent? intent, Step? op, string what)
    {
        var sb = new StringBuilder();
        sb.Append("step ").Append(index).Append(": ").Append(intent).Append(" => ").Append(op).AppendLine();
        sb.Append("  ").Append(what);
        return new ModelMismatchException(sb.ToString());
    }

    public void Dispose() => sut.Dispose();
}
