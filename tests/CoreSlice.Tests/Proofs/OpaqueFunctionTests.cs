using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// Opaque functions (obligations.txt "opaque"): an obligation's script declares the listed define-funs without their
/// bodies. Hiding is sound only if it really hides (a proof that needs the body is lost) and touches nothing else.
/// </summary>
public sealed class OpaqueFunctionTests
{
    private static string ScriptOf(Spec spec, string name) =>
        ObligationGenerator.Script(spec, ObligationGenerator.Generate(spec).Single(o => o.Name == name), 10_000, z3: true);

    [Fact]
    public void An_opaque_function_is_declared_in_its_obligation_and_defined_everywhere_else()
    {
        Spec spec = SpecLocator.RepositorySpec();

        string hidden = ScriptOf(spec, "lemma/Lemma_Create_Step");
        // an obligation without an opaque line of its own
        string whole = ScriptOf(spec, "lemma/Lemma_GuestCoreOwned");

        Assert.Contains("(declare-fun CreateSlice_err (State CreateArgs) Err)", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("(define-fun CreateSlice_err ", hidden, StringComparison.Ordinal);
        Assert.Contains("(define-fun CreateSlice_err ", whole, StringComparison.Ordinal);
        // only the one definition changed: the rest of the spec, comments included, is as written
        const string declaration = "(declare-fun CreateSlice_err (State CreateArgs) Err)";
        Assert.Equal(Prelude(whole).Replace(Definition(spec, "CreateSlice_err"), declaration, StringComparison.Ordinal), Prelude(hidden));
    }

    [Fact]
    public void Hiding_a_body_the_proof_needs_loses_the_proof()
    {
        // the closed lemma Bv.LtLe with its own body hidden: its negation has a model (Bv.LtLe false)
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), new BrokenSpec("a lemma with its own body hidden", "n/a", [],
            [(string.Empty, "opaque lemma/Bv.LtLe Bv.LtLe\n")]));
        Spec intact = SpecLocator.RepositorySpec();

        Assert.Equal("sat", Z3Native.Eval(ScriptOf(spec, "lemma/Bv.LtLe"), 30_000).Trim().Split('\n')[0]);
        Assert.Equal("unsat", Z3Native.Eval(ScriptOf(intact, "lemma/Bv.LtLe"), 30_000).Trim().Split('\n')[0]);
    }

    [Theory]
    [InlineData("opaque lemma/Lemma_Nowhere CreateSlice_err\n", "manifest/opaque/lemma/Lemma_Nowhere", "is no obligation")]
    [InlineData("opaque CreateSlice/I9_Nothing CreateSlice_err\n", "manifest/opaque/CreateSlice/I9_Nothing", "is no obligation")]
    [InlineData("opaque lemma/Lemma_GuestCoreOwned CreateSlice_oops\n", "manifest/opaque/lemma/Lemma_GuestCoreOwned", "CreateSlice_oops is no define-fun")]
    [InlineData("opaque CreateSlice/T3_GuestConfined CreateSlice_err\n", "manifest/opaque/CreateSlice/T3_GuestConfined", "is no obligation")]
    public void An_opaque_line_that_hides_nothing_is_a_failed_check(string line, string check, string why)
    {
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), new BrokenSpec("a bad opaque line", "n/a", [], [(string.Empty, line)]));

        ObligationResult failed = Assert.Single(SpecChecks.Static(spec), r => r.Name == check);
        Assert.Equal(ObligationStatus.Failed, failed.Status);
        Assert.Contains(why, failed.Counterexample, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_opaque_lines_for_one_obligation_are_refused_with_the_line()
    {
        BrokenSpec edit = new("two opaque lines", "n/a", [], [(string.Empty, "opaque lemma/Lemma_Create_Step CreateSlice_pre\n")]);

        SpecException e = Assert.Throws<SpecException>(() => BrokenSpecs.Apply(SpecLocator.RepositorySpec(), edit));

        Assert.Contains("obligations.txt line ", e.Message, StringComparison.Ordinal);
        Assert.Contains("has an opaque line already", e.Message, StringComparison.Ordinal);
    }

    private static string Prelude(string script) => script[..script.IndexOf("(declare-const s State)", StringComparison.Ordinal)];

    private static string Definition(Spec spec, string name)
    {
        int start = spec.Text.IndexOf($"(define-fun {name} ", StringComparison.Ordinal);
        int depth = 0;
        for (int i = start; ; i++)
        {
            depth += spec.Text[i] == '(' ? 1 : spec.Text[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return spec.Text[start..(i + 1)];
            }
        }
    }
}
