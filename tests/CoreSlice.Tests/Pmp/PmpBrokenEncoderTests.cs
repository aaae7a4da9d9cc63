using System.Globalization;
using System.Text.RegularExpressions;
using CoreSlice.Proofs;
using CoreSlice.Tests.Proofs;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// The PMP proof has teeth: broken encoders (text edits of spec/80-pmp.smt2), each rejected by the
/// named obligation with a counterexample that names a concrete address and the entry that decides it
/// wrongly. The unbroken spec proves the same obligation. The broken one is given a short limit: a
/// counterexample comes from the solver's model or from the bounded search over small tables
/// (BoundedSearch: every 16-bit constant, entries n and regions m included, bounded smallest first), not
/// from waiting for the unbounded query.
/// </summary>
public sealed partial class PmpBrokenEncoderTests(ITestOutputHelper output)
{
    public static readonly IReadOnlyDictionary<string, BrokenSpec> Broken = new Dictionary<string, BrokenSpec>
    {
        ["napot-mask-off-by-one"] = new(
            "the NAPOT pmpaddr gets one trailing one too many: the entry covers twice the region",
            "pmp/Link.region",
            [("(bvsub (bvlshr z #x0000000000000003) #x0000000000000001)", "(bvsub (bvlshr z #x0000000000000002) #x0000000000000001)")]),
        ["tor-wrong-lower-bound"] = new(
            "a TOR entry takes the previous TOR top as its bottom even when the range does not start there",
            "pmp/Link.region",
            [("(define-fun Pmp.reuses ((b Addr) (tv Bool) (t Addr)) Bool (and tv (= t b)))", "(define-fun Pmp.reuses ((b Addr) (tv Bool) (t Addr)) Bool tv)")]),
        ["deny-all-not-last"] = new(
            "the deny-all is written first and the regions after it",
            "pmp/Exact.M",
            [("(define-fun PmpT.firstRegionEntry () Idx #x0000)", "(define-fun PmpT.firstRegionEntry () Idx #x0001)"),
             ("(define-fun PmpT.denyIndex ((n Idx)) Idx (bvsub n #x0001))", "(define-fun PmpT.denyIndex ((n Idx)) Idx #x0000)"),
             ("(define-fun PmpT.regionLimit ((n Idx)) Idx (bvsub n #x0001))", "(define-fun PmpT.regionLimit ((n Idx)) Idx n)")]),
        // written after the search was (not listed when it was built): a permission typo and an end off by one word
        ["region-read-bit-forced"] = new(
            "the deciding entry's permissions get R or'd in: a write-only or execute-only region becomes readable",
            "pmp/Link.region",
            [("(bvor Pmp.lockBit ((_ zero_extend 5) p)", "(bvor Pmp.lockBit ((_ zero_extend 5) (bvor p #b001))")]),
        ["tor-top-one-word-short"] = new(
            "a TOR entry's top is written one 4-byte word below the region's end: its last word is not matched",
            "pmp/Link.region",
            [("(bvlshr (bvadd b z) #x0000000000000002)", "(bvlshr (bvsub (bvadd b z) #x0000000000000004) #x0000000000000002)")]),
        ["lock-bit-missing"] = new(
            "the regions' entries are written without L, so they do not bind the M-mode guest",
            "pmp/Link.region",
            [("(define-fun Pmp.lockBit () Cfg #x80)", "(define-fun Pmp.lockBit () Cfg #x00)")]),
    };

    /// <summary>The broken encoder's proof attempt: beyond it, the counterexample is searched, not waited for.</summary>
    private const int BrokenLimitMs = 20_000;

    public static TheoryData<string> Names() => [.. Broken.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_broken_encoder_is_rejected_with_an_address_and_the_entry_that_decides_it(string name)
    {
        BrokenSpec b = Broken[name];
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        Obligation obligation = PmpObligations.For(spec).Single(o => o.Name == b.Obligation);
        // Positive control: the real encoder proves this obligation.
        Assert.Equal(ObligationStatus.Proved, new Runner(solver, spec, 120_000).RunOne(obligation).Status);

        Spec broken = BrokenSpecs.Apply(spec, b);
        ObligationResult r = new Runner(solver, broken, BrokenLimitMs).RunOne(PmpObligations.For(broken).Single(o => o.Name == b.Obligation));
        output.WriteLine($"{name} ({b.Why}): {r.Status} in {r.Milliseconds} ms\n{r.Counterexample}{r.Detail}");
        Assert.Equal(ObligationStatus.Failed, r.Status);
        Match address = AddressLine().Match(r.Counterexample ?? string.Empty);
        Assert.True(address.Success, "the counterexample names no address: " + r.Counterexample);
        output.WriteLine($"address a = 0x{ulong.Parse(address.Groups[1].Value, CultureInfo.InvariantCulture):x}");
        Assert.Matches(b.Obligation == "pmp/Exact.M" ? @"deciding entry \(lowest matching; n when none matches\): \d+" : @"deciding entry j: index / pmpcfg / pmpaddr / pmpaddr below: \d+ / \d+ / \d+ / \d+", r.Counterexample);
    }

    [GeneratedRegex(@"address a: (\d+)")]
    private static partial Regex AddressLine();
}
