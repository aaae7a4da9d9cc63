using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The prelude-once fast path: light obligations are proved in the worker's session, without a one-shot
/// run each. Until 2026-12-07 `coreslice verify` wrapped Z3 in its progress counter and the runner only
/// opened a session for a bare Z3Solver, so the CLI never used it: a wrapper must forward the session.
/// </summary>
public sealed class PreludeSessionTests
{
    /// <summary>Z3, counting the one-shot scripts it runs; forwards the session or hides it.</summary>
    private sealed class Counting(ISolver inner, bool forwardSession) : ISolver
    {
        public int OneShot;

        public string Description => inner.Description;

        public bool IsZ3 => inner.IsZ3;

        public string Run(string script, int timeoutMs)
        {
            Interlocked.Increment(ref OneShot);
            return inner.Run(script, timeoutMs);
        }

        public PreludeSession? OpenSession(string specText, int budgetMs) => forwardSession ? inner.OpenSession(specText, budgetMs) : null;
    }

    [Fact]
    public void Light_obligations_are_proved_in_the_session_and_one_shot_without_it()
    {
        Spec spec = SpecLocator.RepositorySpec();
        ISolver z3 = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        var withSession = new Counting(z3, forwardSession: true);
        var without = new Counting(z3, forwardSession: false);

        VerifyReport fast = Verifier.Run(spec, withSession, "negative/I1_Disjointness", 60_000);
        VerifyReport slow = Verifier.Run(spec, without, "negative/I1_Disjointness", 60_000);

        Assert.True(fast.Results.Count >= 5, string.Join(", ", fast.Results.Select(r => r.Name)));
        Assert.All(fast.Results, r => Assert.Equal(ObligationStatus.Proved, r.Status));
        Assert.All(slow.Results, r => Assert.Equal(ObligationStatus.Proved, r.Status));
        Assert.Equal(slow.Results.Count, without.OneShot);
        // under load a query may miss the session's budget and be run one-shot: most must not
        Assert.True(withSession.OneShot * 2 < fast.Results.Count, $"{withSession.OneShot} of {fast.Results.Count} ran one-shot");
    }

    [Fact]
    public void A_query_that_is_not_unsat_is_not_taken_from_the_session()
    {
        Spec spec = SpecLocator.RepositorySpec();
        ISolver z3 = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        using PreludeSession session = z3.OpenSession(spec.Text, 5_000) ?? throw new InvalidOperationException("no session");
        Assert.False(session.ProvesUnsat("(declare-const x (_ BitVec 8))\n(assert (= x #x01))\n"));
        Assert.True(session.ProvesUnsat("(declare-const x (_ BitVec 8))\n(assert (= x #x01))\n(assert (= x #x02))\n"));
        // after a query that is not unsat the context is replaced: the spec's sorts are loaded again
        Assert.False(session.ProvesUnsat("(declare-const s State)\n(assert (= s s))\n"));
        Assert.True(session.ProvesUnsat("(declare-const s State)\n(assert (not (= s s)))\n"));
        Assert.False(session.ProvesUnsat("(declare-const s NoSuchSort)\n(assert false)\n"));
    }

    [Fact]
    public void A_query_budget_shorter_than_the_sessions_bounds_the_query()
    {
        Spec spec = SpecLocator.RepositorySpec();
        ISolver z3 = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        using PreludeSession session = z3.OpenSession(spec.Text, 60_000) ?? throw new InvalidOperationException("no session");
        // a 62-bit prime as the product of two 32-bit factors above 1: unsat, but a multiplier miter Z3 needs far more than 0.2 s for
        const string factoring = "(declare-const x (_ BitVec 32))\n(declare-const y (_ BitVec 32))\n"
            + "(assert (bvugt x #x00000001))\n(assert (bvugt y #x00000001))\n"
            + "(assert (= (bvmul ((_ zero_extend 32) x) ((_ zero_extend 32) y)) #x3fffffffffffffc7))\n";
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(session.ProvesUnsat(factoring, 200));
        Assert.True(sw.ElapsedMilliseconds < 20_000, $"the 0.2 s query took {sw.ElapsedMilliseconds} ms");
        // the context is replaced after it, and a short budget still proves what is easy
        Assert.True(session.ProvesUnsat("(declare-const s State)\n(assert (not (= s s)))\n", 200));
    }
}
