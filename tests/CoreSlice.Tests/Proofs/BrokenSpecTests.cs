using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The prover has teeth: each deliberately broken copy of the spec (one text
/// substitution on the real spec) must be rejected by verify, with a
/// counterexample on the obligation of the invariant the bug breaks.
/// </summary>
public sealed class BrokenSpecTests
{
    /// <summary>Per-obligation limit; a counterexample is then searched on the small machine.</summary>
    private const int TimeoutMs = 10_000;

    public static TheoryData<string> Mutants() => [.. BrokenSpecs.All.Keys];

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Broken_spec_is_rejected_with_a_counterexample_naming_the_invariant(string mutant)
    {
        BrokenSpec m = BrokenSpecs.All[mutant];
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), m);
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);

        VerifyReport report = Verifier.Run(spec, solver, m.Obligation, TimeoutMs);

        ObligationResult result = Assert.Single(report.Results);
        Assert.True(result.Status == ObligationStatus.Failed,
            $"{mutant}: expected {m.Obligation} to fail, got {result.Status} {result.Detail}");
        Assert.NotNull(result.Counterexample);
        Assert.Contains(m.Obligation, result.Counterexample, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void Every_mutation_applies_to_the_real_spec_exactly_once()
    {
        Spec spec = SpecLocator.RepositorySpec();
        foreach ((string name, BrokenSpec m) in BrokenSpecs.All)
        {
            foreach ((string from, string _) in m.Edits)
            {
                int first = spec.Text.IndexOf(from, StringComparison.Ordinal);
                Assert.True(first >= 0, $"{name}: text not found: {from}");
                Assert.True(spec.Text.IndexOf(from, first + 1, StringComparison.Ordinal) < 0, $"{name}: text not unique: {from}");
            }
        }
        Assert.True(BrokenSpecs.All.Count >= 8);
    }

    [Fact]
    public void The_unbroken_obligations_targeted_by_the_mutants_are_proved()
    {
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        foreach (BrokenSpec m in BrokenSpecs.All.Values)
        {
            VerifyReport report = Verifier.Run(spec, solver, m.Obligation, 60_000);
            ObligationResult result = Assert.Single(report.Results);
            Assert.True(result.Status == ObligationStatus.Proved, $"{m.Obligation}: {result.Status} {result.Detail}");
        }
    }
}
