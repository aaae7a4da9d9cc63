using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// How <see cref="FiniteInstance"/> treats an existential: a witness constant outside every universal, or under
/// one when the witness is wide; under a universal and over narrow sorts, the disjunction of its body at the points.
/// Each expansion is held to the formula it stands for by the solver: the search's hits are re-established on the
/// unbounded definitions, but an expansion weaker than claimed (an <c>and</c> for an <c>or</c>) would steer it away.
/// </summary>
public sealed class FiniteInstanceTests
{
    private const string Vocabulary =
        "(define-sort Core () (_ BitVec 16))\n(define-sort Addr () (_ BitVec 64))\n(define-sort Dom () (_ BitVec 3))\n" +
        "(declare-const own (Array Core Core))\n(declare-const mem (Array Addr Core))\n(declare-const dom (Array Core Dom))\n";

    private static (Sx Expansion, int Skolems) Expand(string formula)
    {
        var fi = new FiniteInstance(new SmtVocabulary(Vocabulary), new Dictionary<string, SmtVocabulary.Fun>(), 3);
        Sx e = fi.Assertion(Sx.ParseAll(formula)[0], new Dictionary<string, Sx>());
        return (e, fi.Skolems.Count);
    }

    // sat or unsat of the vocabulary, the skolems declared, and the claim
    private static string Ask(Sx expansion, string claim)
    {
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        string skolems = string.Concat(Sx.ParseAll(expansion.ToString()).SelectMany(Atoms).Where(a => a.StartsWith("sk!", StringComparison.Ordinal))
            .Distinct().Select(a => $"(declare-const {a} {(a.EndsWith("!x", StringComparison.Ordinal) ? "Addr" : "Core")})\n"));
        return SExpr.SplitTop(solver.Run($"{Vocabulary}{skolems}(assert {claim})\n(check-sat)\n", 20_000))[0];
    }

    private static IEnumerable<string> Atoms(Sx e) => e.Atom is { } a ? [a] : e.Items.SelectMany(Atoms);

    // the outer universals are over a 3-bit sort, instantiated at every value, so the expansion is exact but for
    // the existential inside
    [Theory]
    // an exists under a forall
    [InlineData("(forall ((d Dom)) (=> (bvugt d #b100) (exists ((c Core)) (= (select dom c) d))))")]
    // a forall under a negation under a forall
    [InlineData("(forall ((d Dom)) (=> (bvugt d #b100) (not (forall ((c Core)) (distinct (select dom c) d)))))")]
    public void A_narrow_existential_under_a_universal_is_a_disjunction_at_the_points_and_implies_itself(string formula)
    {
        (Sx e, int skolems) = Expand(formula);

        Assert.Equal(0, skolems);
        Assert.DoesNotContain("exists", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("forall", e.ToString(), StringComparison.Ordinal);
        // stronger than the formula (a model of it is one of the formula: the witness is a point) ...
        Assert.Equal("unsat", Ask(e, $"(and {e} (not {formula}))"));
        // ... and not false: a state whose witness is a point satisfies it
        Assert.Equal("sat", Ask(e, e.ToString()));
        // the implication check can fail: the other way round it does (a witness outside the points, c = 100)
        Assert.Equal("sat", Ask(e, $"(and {formula} (not {e}))"));
    }

    [Fact]
    public void A_wide_existential_under_a_universal_keeps_a_witness_per_instance()
    {
        (Sx e, int skolems) = Expand("(forall ((w Core)) (=> (= (select own w) #x0007) (exists ((x Addr)) (= (select mem x) w))))");

        Assert.True(skolems > 0, e.ToString());
        Assert.DoesNotContain("exists", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_top_level_existential_is_one_witness()
    {
        (Sx e, int skolems) = Expand("(exists ((c Core)) (= (select own c) #x0007))");

        Assert.Equal(1, skolems);
        Assert.Equal("sat", Ask(e, e.ToString()));
    }
}
