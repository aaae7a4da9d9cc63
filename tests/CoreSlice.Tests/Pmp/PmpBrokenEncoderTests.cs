using System.Globalization;
using System.Text.RegularExpressions;
using CoreSlice.Proofs;
using CoreSlice.Tests.Proofs;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// The PMP proof has teeth: four broken encoders (text edits of spec/80-pmp.smt2), each
/// rejected by the named obligation with a counterexample that names a concrete address and
/// the entry that decides it wrongly. The unbroken spec proves the same obligation.
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
        ["lock-bit-missing"] = new(
            "the regions' entries are written without L, so they do not bind the M-mode guest",
            "pmp/Link.region",
            [("(define-fun Pmp.lockBit () Cfg #x80)", "(define-fun Pmp.lockBit () Cfg #x00)")]),
    };

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
        ObligationResult r = new Runner(solver, broken, 120_000).RunOne(PmpObligations.For(broken).Single(o => o.Name == b.Obligation));
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
