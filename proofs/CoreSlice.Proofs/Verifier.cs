using System.Diagnostics;

namespace CoreSlice.Proofs;

/// <summary>One entry point for the CLI and the tests: load, filter, run, report.</summary>
public static class Verifier
{
    /// <summary>Runs every obligation of <paramref name="spec"/> whose name contains <paramref name="filter"/>.</summary>
    public static VerifyReport Run(Spec spec, ISolver solver, string? filter, int timeoutMs, int parallel = Runner.MaxParallel)
    {
        var obligations = new List<Obligation>();
        foreach (Obligation o in ObligationGenerator.Generate(spec))
        {
            if (string.IsNullOrEmpty(filter) || o.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                obligations.Add(o);
            }
        }
        var sw = Stopwatch.StartNew();
        IReadOnlyList<ObligationResult> results = new Runner(solver, spec, timeoutMs).RunAll(obligations, parallel);
        return new VerifyReport(solver.Description, spec.Source, results, sw.ElapsedMilliseconds);
    }
}
