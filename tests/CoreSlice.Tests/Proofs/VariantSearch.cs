using System.Diagnostics;
using CoreSlice.Proofs;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Proofs;

/// <summary>One counterexample search, alone, on one broken variant: the searches' own tests share it.</summary>
internal static class VariantSearch
{
    /// <summary>A search as the runner calls it: (spec, solver, obligation, notes) → the counterexample or null.</summary>
    public delegate string? Search(Spec spec, ISolver solver, Obligation obligation, List<string> notes);

    /// <summary>
    /// Applies variant <paramref name="name"/>, runs <paramref name="search"/> on the obligation it must break, writes the
    /// time, the find and the notes to <paramref name="output"/>, and asserts a counterexample to that obligation was found.
    /// </summary>
    public static (Obligation Obligation, string Found) Run(string name, Search search, ITestOutputHelper output)
    {
        BrokenSpec m = BrokenSpecs.All[name];
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), m);
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        Obligation o = ObligationGenerator.Generate(spec).Single(x => x.Name == m.Obligation);
        var notes = new List<string>();
        var sw = Stopwatch.StartNew();

        string? found = search(spec, solver, o, notes);

        output.WriteLine($"{name} ({m.Why}): {sw.ElapsedMilliseconds} ms\n{found}\n{string.Join("\n", notes)}");
        Assert.True(found is not null, $"{name}: no counterexample: {string.Join("; ", notes)}");
        Assert.StartsWith($"COUNTEREXAMPLE to {m.Obligation}:", found, StringComparison.Ordinal);
        return (o, found);
    }
}
