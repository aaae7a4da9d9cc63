using BenchmarkDotNet.Attributes;
using CoreSlice.Log;

namespace CoreSlice.Bench;

/// <summary>
/// The decision log's share of every public operation: one slot-argument decision
/// (argument digest + hash-chain link, two SHA-384 finalizations), as StartSlice and
/// DestroySlice log it. The log (default 4096 entries) is drained into a preallocated
/// buffer when half full, amortized here as in the operation benchmarks.
/// </summary>
[MemoryDiagnoser]
public class LogBenchmarks
{
    private readonly byte[] drain = new byte[DecisionLog.DefaultCapacity * DecisionLogLayout.EntrySize];
    private DecisionLog log = null!;

    [GlobalSetup]
    public void Setup() => log = new DecisionLog(DecisionLog.DefaultCapacity);

    [GlobalCleanup]
    public void Cleanup() => log.Dispose();

    [Benchmark]
    public ulong AppendOneDecision()
    {
        if (log.Count * 2 >= log.Capacity)
        {
            _ = log.Drain(drain, out _);
        }
        log.Argument(7);
        log.Append(DecisionOperation.StartSlice, SliceResult.Success(7));
        return log.Sequence;
    }
}
