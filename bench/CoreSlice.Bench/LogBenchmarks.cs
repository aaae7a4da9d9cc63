using BenchmarkDotNet.Attributes;
using CoreSlice.Attestation;
using CoreSlice.Log;

namespace CoreSlice.Bench;

/// <summary>
/// One decision-log entry, the log's share of every public operation. Baseline: the previous
/// format for the same slot decision (format 2: one SHA-256 finalization over 88 bytes per entry;
/// <see cref="PreviousLogFormat"/>). The current format (3) writes a 56-byte entry and absorbs it
/// into a running SHA-256 when the head is next read or the entry is drained: here the drain when
/// the log (default 4096 entries) is half full, amortized as in the operation benchmarks.
/// <see cref="AppendSlotDecisionThenReadHead"/> reads the head after every entry (what a caller that
/// attests after every request pays). Create rows: 1 core, 8 ranges, 1 device (156 argument bytes,
/// digested). The slicevisor appends under its lock, so the current rows take it too.
/// </summary>
[MemoryDiagnoser]
public class LogBenchmarks
{
    private readonly byte[] drain = new byte[DecisionLog.DefaultCapacity * DecisionLogLayout.EntrySize];
    private readonly byte[] slotArgument = [7, 0, 0, 0];
    private readonly byte[] createArguments = new byte[4 + 4 + 4 + (8 * 16) + 4 + 4 + 16];
    private readonly Lock gate = new();
    private DecisionLog log = null!;
    private PreviousLogFormat previous = null!;

    [GlobalSetup]
    public void Setup()
    {
        log = new DecisionLog(DecisionLog.DefaultCapacity, PlatformIdentity.Unmeasured, gate);
        previous = new PreviousLogFormat(DecisionLog.DefaultCapacity);
        Random.Shared.NextBytes(createArguments);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        log.Dispose();
        previous.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ulong PreviousSlotDecision()
    {
        previous.Append((byte)DecisionOperation.StartSlice, SliceResult.Success(7), slotArgument);
        return previous.Sequence;
    }

    [Benchmark]
    public ulong PreviousCreateDecision()
    {
        previous.Append((byte)DecisionOperation.CreateSlice, SliceResult.Success(7), createArguments);
        return previous.Sequence;
    }

    [Benchmark]
    public ulong AppendSlotDecision() => AppendUnderLock(DecisionOperation.StartSlice, slotArgument, readHead: false);

    [Benchmark]
    public ulong AppendCreateDecision() => AppendUnderLock(DecisionOperation.CreateSlice, createArguments, readHead: false);

    [Benchmark]
    public ulong AppendSlotDecisionThenReadHead() => AppendUnderLock(DecisionOperation.StartSlice, slotArgument, readHead: true);

    /// <summary>What the slicevisor does for one entry: under its lock, keep room, append (and read the head when asked).</summary>
    private ulong AppendUnderLock(DecisionOperation operation, byte[] arguments, bool readHead)
    {
        lock (gate)
        {
            KeepRoom();
            log.Append(operation, SliceResult.Success(7), arguments);
            return readHead ? log.Head[0] : log.Sequence;
        }
    }

    private void KeepRoom()
    {
        if (log.Count * 2 >= log.Capacity)
        {
            _ = log.Drain(drain, out _);
        }
    }
}
