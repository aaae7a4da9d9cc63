using CoreSlice.Conformance;
using CoreSlice.Tests.CacheDomains;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;

namespace CoreSlice.Tests.Conformance;

/// <summary>
/// The code against the spec's cache domains (spec/00-vocabulary.smt2: way 64*d + w; CreateSlice's DomainWays
/// checks; StartSlice's per-domain way masks) on the two-socket machine: socket 0 = cores 0-3, 8 ways;
/// socket 1 = cores 4-7, 8 ways, CAT rules (contiguous, at most 3 classes, at least 2 ways; ways 0-1 the
/// control slice's). Every cache-domain branch of CreateSlice is taken, then the tour starts and destroys.
/// </summary>
public sealed class DomainConformanceTests
{
    /// <summary>Each request and the branch it takes, in order from the empty table.</summary>
    public static readonly (SliceRequest Request, string Branch)[] Script =
    [
        (Request([1, 4], 0b10, new DomainWays(1, 0b1100)), "None"),                    // a slice on both sockets
        (Request([5], 0b100), "WaysForeignDomain"),                                     // domain 0's way for a socket-1 core
        (Request([2, 5], 0b100), "WaysMissingInDomain"),                                // core 5's domain has no way
        (Request([5], 0, new DomainWays(1, 0b1100)), "WaysInUse"),                      // the first slice's
        (Request([5], 0, new DomainWays(1, 0b1010000)), "WaysNotContiguous"),
        (Request([5], 0, new DomainWays(1, 0b10000)), "WaysTooNarrow"),
        (Request([5], 0, new DomainWays(2, 0b1)), "WaysDomainOutOfRange"),
        (Request([5], 0b1000, new DomainWays(0, 0b1000)), "WaysDomainDuplicated"),
        (Request([5], 0, new DomainWays(1, 0b1100000000)), "WaysOutOfRange"),          // ways 8, 9 of an 8-way socket
        (Request([5], 0, new DomainWays(1, 0b110000), new DomainWays(1, 0b11), new DomainWays(0, 0b10)), "TooManyWayDomains"),
        (Request([5], 0), "WaysEmpty"),
        (Request([5], 0, new DomainWays(1, 0b110000)), "None"),                         // the third class of socket 1
        (Request([6], 0, new DomainWays(1, 0b11000000)), "ClassesOfServiceExhausted"),
    ];

    [Fact]
    public void A_two_domain_machine_conforms_on_every_cache_domain_branch()
    {
        using var run = new ConformanceRun(new ConformanceOptions
        {
            Seed = 3, Steps = 160, Machine = Config(), Requests = [.. Script.Select(s => s.Request)],
        });
        ConformanceResult r = run.Run();
        Assert.True(r.Conforms, r.Mismatch is { } m ? $"step {m.Step} {m.Operation}({m.Arguments}) code {m.CodeError}: {m.Verdict.Check} [{m.Verdict.Field}] {m.Verdict.Detail}" : "");
        string[] missing = [.. Script.Select(s => "CreateSlice " + s.Branch).Concat(["StartSlice None", "DestroySlice None"]).Where(k => !r.Coverage.ContainsKey(k))];
        Assert.True(missing.Length == 0, "not covered: " + string.Join(", ", missing));
    }
}
