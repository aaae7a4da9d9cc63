using System.Diagnostics;
using CoreSlice.Proofs;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The prover has teeth: each deliberately broken copy of the spec (one text
/// substitution on the real spec) must be rejected by verify, with a
/// counterexample on the obligation of the invariant the bug breaks.
/// </summary>
[Collection(SolverSearchCollection.Name)]
public sealed class BrokenSpecTests(ITestOutputHelper output)
{
    /// <summary>Per-obligation limit; a step obligation not proved by then is searched for a counterexample.</summary>
    private const int TimeoutMs = 5_000;

    public static TheoryData<string> Mutants() => [.. BrokenSpecs.All.Keys];

    [Theory]
    [MemberData(nameof(Mutants))]
    public void Broken_spec_is_rejected_with_a_counterexample_naming_the_invariant(string mutant)
    {
        BrokenSpec m = BrokenSpecs.All[mutant];
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), m);
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);

        var sw = Stopwatch.StartNew();
        VerifyReport report = Verifier.Run(spec, solver, m.Obligation, TimeoutMs);
        // the time and what was found, for the measured figures in spec/README.md
        output.WriteLine($"{mutant}: {sw.ElapsedMilliseconds} ms");
        foreach (ObligationResult r in report.Results.Where(r => r.Name.StartsWith(m.Obligation, StringComparison.Ordinal)))
        {
            output.WriteLine($"{r.Name}: {r.Status} {r.Milliseconds} ms\n{r.Counterexample}{r.Detail}");
        }

        var caught = report.Results.Where(r => r.Name == m.Obligation || r.Name.StartsWith(m.Obligation + "#", StringComparison.Ordinal)).ToList();
        Assert.True(caught.Count > 0, $"{mutant}: no result named {m.Obligation}: {string.Join(", ", report.Results.Select(r => r.Name + " " + r.Status))}");
        if (m.NotEstablished)
        {
            Assert.All(caught, r => Assert.NotEqual(ObligationStatus.Proved, r.Status));
            Assert.NotEqual(0, report.ExitCode);
            return;
        }
        ObligationResult? failed = caught.Find(r => r.Status == ObligationStatus.Failed);
        Assert.True(failed is not null, $"{mutant}: expected {m.Obligation} to fail, got {string.Join(", ", caught.Select(r => r.Status + " " + r.Detail))}");
        Assert.NotNull(failed.Counterexample);
        Assert.Contains(m.Obligation, failed.Counterexample, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void Every_mutation_applies_to_the_real_spec_exactly_once()
    {
        Spec spec = SpecLocator.RepositorySpec();
        foreach ((string name, BrokenSpec m) in BrokenSpecs.All)
        {
            foreach ((string text, IReadOnlyList<(string From, string To)> edits) in new[] { (spec.Text, m.Edits), (spec.Manifest, m.ManifestEdits ?? []) })
            {
                foreach ((string from, string _) in edits.Where(e => e.From.Length > 0))
                {
                    int first = text.IndexOf(from, StringComparison.Ordinal);
                    Assert.True(first >= 0, $"{name}: text not found: {from}");
                    Assert.True(text.IndexOf(from, first + 1, StringComparison.Ordinal) < 0, $"{name}: text not unique: {from}");
                }
            }
        }
        Assert.True(BrokenSpecs.All.Count >= 25);
    }

    [Fact]
    public void The_unbroken_obligations_targeted_by_the_mutants_are_proved()
    {
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        Assert.Empty(SpecChecks.Static(spec));
        foreach (string filter in BrokenSpecs.All.Values.Select(m => m.Obligation).Distinct())
        {
            // verify's own limit: CreateSlice/I4_DmaConfinement.table takes 22-27 s alone and 48 s with three at once on 2 cores
            VerifyReport report = Verifier.Run(spec, solver, filter, 120_000);
            foreach (ObligationResult result in report.Results)
            {
                Assert.True(result.Status == ObligationStatus.Proved, $"{result.Name}: {result.Status} {result.Detail}");
            }
        }
    }
}
