using CoreSlice.Conformance;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;

namespace CoreSlice.Tests.Conformance;

/// <summary>
/// The code against the spec's cache domains (spec/00-vocabulary.smt2: way 64*d + w; StartSlice's per-domain way
/// masks, I2_FilterSoundness.ways) on the two-socket machine: socket 0 = cores 0-3, 8 ways; socket 1 = cores 4-7,
/// 8 ways (0-1 the control slice's). Slices on one socket and on both are created (the table's dense ways read as
/// 64*d + w), started (each core gets its own domain's mask) and destroyed; and every refusal of CreateSlice's ways
/// checks (spec/40-slicevisor.smt2, Create.waysErr) is met once, the code's answer held to the spec's.
/// </summary>
public sealed class DomainConformanceTests
{
    private static readonly SliceRequest[] Script =
    [
        Request([1, 4], 0b10, new DomainWays(1, 0b1100)),   // both sockets: way 1 of socket 0, ways 2-3 of socket 1
        Request([5], 0, new DomainWays(1, 0b110000)),         // socket 1 only, given as an entry
        Request([2], 0b100),                                  // socket 0 only, as before domains
        Request([3], 0b1000),                                 // the same, beside it
    ];

    [Fact]
    public void A_two_domain_machine_conforms_through_create_start_and_destroy()
    {
        using var run = new ConformanceRun(new ConformanceOptions
        {
            Seed = 3, Steps = 3 * Script.Length, Machine = Config(), Requests = Script, StartAndDestroy = Script.Length,
        });
        ConformanceResult r = run.Run();
        Assert.True(r.Conforms, r.Mismatch is { } m ? $"step {m.Step} {m.Operation}({m.Arguments}) code {m.CodeError}: {m.Verdict.Check} [{m.Verdict.Field}] {m.Verdict.Detail}" : "");
        Assert.Equal(Script.Length, r.Coverage.GetValueOrDefault("CreateSlice None"));
        Assert.Equal(Script.Length, r.Coverage.GetValueOrDefault("StartSlice None"));
        Assert.Equal(Script.Length, r.Coverage.GetValueOrDefault("DestroySlice None"));
    }

    // Each request below is refused by one ways check (the first that fails, in the code's order), on the table the
    // requests before it left: slot 1 holds socket 0's way 1 and socket 1's ways 2-3, so socket 1 has 2 classes of
    // service in use (the control slice's and slot 1's) of its 3 until the second success takes the last.
    private static readonly (SliceRequest Request, SliceError Expected)[] Refusals =
    [
        (Request([1, 4], 0b10, new DomainWays(1, 0b1100)), SliceError.None),
        (Request([2], 0b100, new DomainWays(1, 0b110000), new DomainWays(0, 0b1000), new DomainWays(1, 0b11000000)), SliceError.TooManyWayDomains),
        (Request([2], 0b100, new DomainWays(2, 0b1)), SliceError.WaysDomainOutOfRange),
        (Request([2], 0b100, new DomainWays(0, 0b1000)), SliceError.WaysDomainDuplicated),
        (Request([2], 0), SliceError.WaysEmpty),
        (Request([2], 1UL << 9), SliceError.WaysOutOfRange),
        (Request([2], 0b100, new DomainWays(1, 0b110000)), SliceError.WaysForeignDomain),
        (Request([2], 0b10), SliceError.WaysInUse),
        (Request([5], 0, new DomainWays(1, 0b10110000)), SliceError.WaysNotContiguous),
        (Request([5], 0, new DomainWays(1, 0b10000)), SliceError.WaysTooNarrow),
        (Request([2, 5], 0b100), SliceError.WaysMissingInDomain),
        (Request([6], 0, new DomainWays(1, 0b110000)), SliceError.None),
        (Request([7], 0, new DomainWays(1, 0b11000000)), SliceError.ClassesOfServiceExhausted),
    ];

    [Fact]
    public void Every_ways_refusal_on_a_two_domain_machine_conforms()
    {
        using var run = new ConformanceRun(new ConformanceOptions
        {
            Seed = 5, Steps = Refusals.Length, Machine = Config(), Requests = [.. Refusals.Select(r => r.Request)],
        });
        ConformanceResult r = run.Run();

        Assert.True(r.Conforms, r.Mismatch is { } m ? $"step {m.Step} {m.Operation}({m.Arguments}) code {m.CodeError}: {m.Verdict.Check} [{m.Verdict.Field}] {m.Verdict.Detail}" : "");
        // each refusal was met (so the spec's branch for it was taken and agreed), and nothing else ran
        foreach (IGrouping<SliceError, SliceError> e in Refusals.Select(x => x.Expected).GroupBy(x => x))
        {
            Assert.Equal(e.Count(), r.Coverage.GetValueOrDefault($"CreateSlice {e.Key}"));
        }
        Assert.Equal(Refusals.Length, r.Coverage.Values.Sum());
    }

    [Fact]
    public void A_ways_refusal_answered_with_the_next_check_s_error_is_a_mismatch()
    {
        // the check can fail: the WaysInUse step answered as if the in-use check came after contiguity
        int inUse = Array.FindIndex(Refusals, r => r.Expected == SliceError.WaysInUse);
        using var run = new ConformanceRun(new ConformanceOptions
        {
            Seed = 5, Steps = inUse + 1, Machine = Config(), Requests = [.. Refusals.Take(inUse + 1).Select(r => r.Request)],
            PerturbError = (step, error) => step == inUse ? (int)SliceError.WaysNotContiguous : error,
        });
        ConformanceResult r = run.Run();

        Assert.False(r.Conforms);
        Assert.Equal(inUse, r.Mismatch!.Step);
    }
}
