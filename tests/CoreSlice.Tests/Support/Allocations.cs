namespace CoreSlice.Tests.Support;

/// <summary>
/// How every allocation test measures (docs/design.md: the TCB allocates nothing after construction).
/// A path that really allocates does so in every round; what only some rounds show is
/// warm-up — under a busy parallel test run the tier-1 code (which stack-allocates what
/// tier-0 code heap-allocates) can arrive late — so the least of several rounds is taken,
/// with a pause between rounds to let background compilation finish.
/// </summary>
public static class Allocations
{
    /// <summary>Bytes allocated on this thread by <paramref name="cycles"/> runs of <paramref name="body"/>: the least over up to <paramref name="rounds"/> rounds, after a warm-up.</summary>
    public static long Least(Action body, int cycles, int warmup = 200, int rounds = 8)
    {
        ArgumentNullException.ThrowIfNull(body);
        for (int i = 0; i < warmup; i++)
        {
            body();
        }
        long least = long.MaxValue;
        for (int round = 0; round < rounds && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < cycles; i++)
            {
                body();
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            if (least > 0)
            {
                Thread.Sleep(250);
            }
        }
        return least;
    }
}
