using System.Diagnostics;

namespace CoreSlice.Proofs;

/// <summary>One entry point for the CLI and the tests: load, filter, run, report.</summary>
public static class Verifier
{
    /// <summary>Runs every obligation of <paramref name="spec"/> whose name contains <paramref name="filter"/>.</summary>
    public static VerifyReport Run(Spec spec, ISolver solver, string? filter, int timeoutMs, int parallel = Runner.MaxParallel, string? cacheDir = null)
    {
        IReadOnlyList<ObligationResult> rejected = SpecChecks.Static(spec);
        if (spec.LanguageProblems.Count > 0)
        {
            return new VerifyReport(solver.Description, spec.Source, rejected, 0);
        }
        var obligations = new List<Obligation>();
        foreach (Obligation o in ObligationGenerator.Generate(spec))
        {
            // an obligation a static check already refuted is not run again (it could only time out)
            if ((string.IsNullOrEmpty(filter) || o.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                && !rejected.Any(r => r.Name == o.Name))
            {
                obligations.Add(o);
            }
        }
        var sw = Stopwatch.StartNew();
        IReadOnlyList<ObligationResult> results = new Runner(solver, spec, timeoutMs, cacheDir is null ? null : new ProofCache(cacheDir)).RunAll(obligations, parallel);
        return new VerifyReport(solver.Description, spec.Source, [.. rejected, .. results], sw.ElapsedMilliseconds);
    }
}
