using System.Diagnostics;
using CoreSlice.Proofs;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The SMT search over free values on relational (noninterference) obligations, on its own, without the witness
/// library: each run's post-state is built from the step (<see cref="RelationalSearch"/>). For each leak variant the
/// search must find two runs (or one, for local respect) that break the obligation and re-establish them on the
/// unbounded definitions; on the real spec it must report nothing. The leak variants were written before this
/// search, as bugs; nothing in the search names them, an operation or a view.
/// </summary>
[Collection(SolverSearchCollection.Name)]
public sealed class RelationalSearchTests(ITestOutputHelper output)
{
    /// <summary>
    /// The leak variants whose unwinding obligation the search over free values alone establishes (measured,
    /// spec/README.md); CreateSlice's (a shared way, a shared window) end unknown there (its request has six arrays) and
    /// are found by the witness library below.
    /// </summary>
    public static TheoryData<string> Leaks() => ["leak-destroy-without-scrub", "leak-ipi-mask-foreign-core"];

    /// <summary>
    /// The leak variants whose local-respect obligation the witness library alone establishes. Not leak-shared-cache-way
    /// since cache domains: CreateSlice/NI2_LocalRespect.owners assumes Lemma_CreateOk_WaysFree (the ways checks are opaque
    /// to it), so that variant is rejected at the lemma, a state obligation (BrokenSpecTests).
    /// </summary>
    public static TheoryData<string> LibraryLeaks() => ["leak-window-second-guest"];

    [Theory]
    [MemberData(nameof(LibraryLeaks))]
    public void The_witness_library_alone_finds_a_state_and_a_call_that_break_local_respect(string name)
    {
        (Obligation o, string found) = VariantSearch.Run(name, (spec, solver, ob, notes) => CounterexampleSearch.Search(spec, solver, ob, Runner.SearchBudgetMs, notes), output);

        Assert.Contains("found by the counterexample search over the witness library", found, StringComparison.Ordinal);
        Assert.Contains("(satisfies Inv: proved)", found, StringComparison.Ordinal);
        Assert.Contains($"broken: {o.Runs!.Relation[^1]} at", found, StringComparison.Ordinal);
        Assert.Contains("where it differs:", found, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Leaks))]
    public void The_search_alone_finds_two_equivalent_states_and_the_action(string name)
    {
        (Obligation o, string found) = VariantSearch.Run(name, (spec, solver, ob, notes) => BoundedSearch.Search(spec, solver, ob, BoundedSearch.BudgetMs, notes), output);

        Assert.NotNull(o.Runs);
        Assert.Contains("found by the SMT search over free values", found, StringComparison.Ordinal);
        foreach ((string pre, string? post) in o.Runs.States)
        {
            // every pre-state printed field by field, every post-state built from the step
            Assert.Contains($"\n    {pre} = a free state", found, StringComparison.Ordinal);
            if (post is not null)
            {
                Assert.Contains($"{post} from {pre}", found, StringComparison.Ordinal);
            }
        }
        Assert.Contains($"\n    action {o.Runs.Action} = ", found, StringComparison.Ordinal);
        Assert.Contains("broken (satisfiable on these values): " + o.Runs.Relation[^1], found, StringComparison.Ordinal);
        Assert.Contains("where it differs:", found, StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_real_spec_the_relational_search_reports_nothing()
    {
        // one obligation of each kind, on the operations of the leak variants, by each search: a hit here would be a
        // false counterexample
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        foreach (string name in new[] { "DestroySlice/NI3_WeakStepConsistency.mem", "GuestIpi/NI2_LocalRespect.cores", "GuestAttest/NI1_OutputConsistency" })
        {
            Obligation o = ObligationGenerator.Generate(spec).Single(x => x.Name == name);
            var notes = new List<string>();
            var sw = Stopwatch.StartNew();
            Assert.Null(BoundedSearch.Search(spec, solver, o, 20_000, notes));
            Assert.Contains(notes, n => n.StartsWith("SMT search over free values:", StringComparison.Ordinal));
            output.WriteLine($"{name}: {sw.ElapsedMilliseconds} ms: {string.Join("; ", notes)}");
        }
        foreach (string name in new[] { "CreateSlice/NI2_LocalRespect.owners", "CreateSlice/NI2_LocalRespect.mem" })
        {
            Obligation o = ObligationGenerator.Generate(spec).Single(x => x.Name == name);
            var notes = new List<string>();
            var sw = Stopwatch.StartNew();
            Assert.Null(CounterexampleSearch.Search(spec, solver, o, Runner.SearchBudgetMs, notes));
            Assert.Contains(notes, n => n.StartsWith("counterexample search:", StringComparison.Ordinal));
            output.WriteLine($"{name} (library): {sw.ElapsedMilliseconds} ms: {string.Join("; ", notes)}");
        }
    }
}
