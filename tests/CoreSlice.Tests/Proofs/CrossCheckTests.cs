using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>The second-solver cross-check: what it leaves out, and that a disagreement is reported.</summary>
public sealed class CrossCheckTests
{
    /// <summary>A solver that proves everything (answers unsat): stands for a second solver that disagrees.</summary>
    private sealed class AlwaysUnsat : ISolver
    {
        public string Description => "always-unsat";

        public bool IsZ3 => false;

        public string Run(string script, int timeoutMs) => "unsat\n";
    }

    [Fact]
    public void A_definition_built_on_a_lambda_is_left_out_with_everything_that_uses_it()
    {
        (string text, HashSet<string> dropped) = CrossCheck.ReadableSpec(
            "(define-fun f () (Array (_ BitVec 4) Bool) (lambda ((x (_ BitVec 4))) true))\n" +
            "(define-fun g () Bool (select f #x0))\n(define-fun h () Bool true)\n");
        Assert.Equal(["f", "g"], dropped.Order(StringComparer.Ordinal));
        Assert.Contains("(define-fun h () Bool true)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lambda", text, StringComparison.Ordinal);
    }

    [Fact]
    public void One_solver_proving_what_the_other_refuted_is_a_disagreement()
    {
        Spec spec = SpecLocator.RepositorySpec();
        var first = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["manifest/Inv"] = "failed",
            ["manifest/I1_Disjointness"] = "proved",
        };
        (VerifyReport report, List<string> disagreements, int _) = CrossCheck.Run(spec, new AlwaysUnsat(), first, "manifest/I", 1_000);
        Assert.Contains(report.Results, r => r.Name == "manifest/Inv" && r.Status == ObligationStatus.Proved);
        Assert.Contains(disagreements, d => d.StartsWith("manifest/Inv:", StringComparison.Ordinal));
        Assert.DoesNotContain(disagreements, d => d.StartsWith("manifest/I1_Disjointness:", StringComparison.Ordinal));
    }
}
