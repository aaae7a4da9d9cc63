using System.Diagnostics;
using CoreSlice.Proofs;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The SMT counterexample search over free states (<see cref="BoundedSearch"/>) on its own, without the
/// witness library: for each broken spec below, the search must find a counterexample to the obligation the
/// bug breaks and re-establish it on the unbounded definitions. The variants were written as bugs, before
/// and independently of the search; none of its parameters names one of them.
/// </summary>
[Collection(SolverSearchCollection.Name)]
public sealed class SmtSearchTests(ITestOutputHelper output)
{
    /// <summary>
    /// Broken specs whose failing obligation is about states (a step, a step lemma, Inv ⇒ property). The
    /// ones listed first were written for this search; the others are the suite's older step variants that the
    /// search also finds within its budget (measured; spec/README.md lists the ones it does not, among them
    /// guest-reset-request-fires and create-without-overlap-check since sharing made the State larger, and
    /// ipi-mask-includes-foreign-core since the DMA rows did (unknown after 120 s in CI): the witness library
    /// still rejects all three).
    /// </summary>
    public static readonly string[] Searched =
    [
        "access-reaches-one-past-range-end",
        "start-window-wrong-index", "destroy-keeps-table-row", "weak-delivered-any-owner", "ipi-forgets-iommu-frame",
        "destroy-without-scrub", "window-left-open-after-destroy",
    ];

    public static TheoryData<string> Variants() => [.. Searched];

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_search_alone_finds_a_counterexample_and_establishes_it(string name)
    {
        (Obligation o, string found) = VariantSearch.Run(name, (spec, solver, ob, notes) => BoundedSearch.Search(spec, solver, ob, BoundedSearch.BudgetMs, notes), output);

        Assert.Contains("found by the SMT search over free values", found, StringComparison.Ordinal);
        if (o.Operation is not null)
        {
            // a state counterexample: a free pre-state (proved to satisfy Inv), the call, the clause broken at a point
            Assert.Contains("pre-state: a free state (found by the search, not from the library)", found, StringComparison.Ordinal);
            Assert.Contains("(satisfies Inv: proved)", found, StringComparison.Ordinal);
            Assert.Contains($"broken: {o.Subject} at", found, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("confirmed on the unbounded definitions", found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_simplification_equals_the_specs_body_on_the_search_machine()
    {
        // the search expands these in place of the spec's bodies: a wrong one would steer it away from real hits
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        foreach ((string name, string ps, string body) in BoundedSearch.Simplifications)
        {
            string args = string.Join(' ', Sx.ParseAll(ps).Select(p => p.Items[0].Atom));
            string same = $"(forall ({ps}) (= ({name} {args}) {body}))";
            string Ask(string claim) => SExpr.SplitTop(solver.Run($"{spec.Text}\n{BoundedSearch.MachineAssertions()}(assert {claim})\n(check-sat)\n", 20_000))[0];
            Assert.True(Ask($"(not {same})") == "unsat", $"{name}: not the spec's {name} on the search machine");
            // and the check could fail: the body with one way more is refuted
            Assert.Equal("unsat", Ask($"(forall ({ps}) (= ({name} {args}) {body.Replace("(bvult w ", "(bvule w ", StringComparison.Ordinal)}))"));
        }
    }

    [Fact]
    public void On_the_real_spec_the_search_reports_nothing_for_a_proved_obligation()
    {
        // the search only reports what it re-established on the unbounded definitions: a true obligation has no hit
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        foreach (string name in new[] { "DestroySlice/I5_NoResidue", "Inv/S4_InterruptConfinement" })
        {
            Obligation o = ObligationGenerator.Generate(spec).Single(x => x.Name == name);
            var notes = new List<string>();
            Assert.Null(BoundedSearch.Search(spec, solver, o, 20_000, notes));
            Assert.Contains(notes, n => n.StartsWith("SMT search over free values:", StringComparison.Ordinal));
            output.WriteLine($"{name}: {string.Join("; ", notes)}");
        }
    }
}
