using CoreSlice.Conformance;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;

namespace CoreSlice.Tests.Conformance;

/// <summary>
/// The code against the spec's cache domains (spec/00-vocabulary.smt2: way 64*d + w; StartSlice's per-domain way
/// masks, I2_FilterSoundness.ways) on the two-socket machine: socket 0 = cores 0-3, 8 ways; socket 1 = cores 4-7,
/// 8 ways (0-1 the control slice's). Slices on one socket and on both are created (the table's dense ways read as
/// 64*d + w), started (each core gets its own domain's mask) and destroyed. The domain refusals
/// (WaysForeignDomain .. ClassesOfServiceExhausted) are not in the spec yet (spec/README.md, "Cache domains").
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
}
