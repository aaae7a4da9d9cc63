using BenchmarkDotNet.Attributes;
using CoreSlice.Attestation;
using CoreSlice.Log;

namespace CoreSlice.Bench;

/// <summary>
/// One decision-log entry, the log's share of every public operation. Baseline: the previous
/// format (two SHA-384 finalizations, 168-byte entries; <see cref="PreviousLogFormat"/>).
/// <see cref="AppendSlotDecision"/>: the current format for StartSlice/DestroySlice (arguments
/// inline, one SHA-256 over 88 bytes). <see cref="AppendCreateDecision"/>: a CreateSlice with
/// 1 core, 8 ranges and 1 device (156 argument bytes: their SHA-256, then the entry's). The log
/// (default 4096 entries) is drained into a preallocated buffer when half full, amortized here
/// as in the operation benchmarks.
/// </summary>
[MemoryDiagnoser]
public class LogBenchmarks
{
    private readonly byte[] drain = new byte[DecisionLog.DefaultCapacity * DecisionLogLayout.EntrySize];
    private readonly byte[] slotArgument = [7, 0, 0, 0];
    private readonly byte[] createArguments = new byte[4 + 4 + 4 + (8 * 16) + 4 + 4 + 16];
    private DecisionLog log = null!;
    private PreviousLogFormat previous = null!;

    [GlobalSetup]
    public void Setup()
    {
        log = new DecisionLog(DecisionLog.DefaultCapacity, PlatformIdentity.Unmeasured);
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
    public ulong PreviousFormat()
    {
        previous.AppendSlotDecision(7, SliceResult.Success(7));
        return previous.Sequence;
    }

    [Benchmark]
    public ulong AppendSlotDecision()
    {
        KeepRoom();
        log.Append(DecisionOperation.StartSlice, SliceResult.Success(7), slotArgument);
        return log.Sequence;
    }

    [Benchmark]
    public ulong AppendCreateDecision()
    {
        KeepRoom();
        log.Append(DecisionOperation.CreateSlice, SliceResult.Success(7), createArguments);
        return log.Sequence;
    }

    private void KeepRoom()
    {
        if (log.Count * 2 >= log.Capacity)
        {
            _ = log.Drain(drain, out _);
        }
    }
}
