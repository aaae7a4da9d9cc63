using System.Collections.Concurrent;
using System.Diagnostics;

namespace CoreSlice.Proofs;

/// <summary>Runs obligations on a solver, at most <see cref="MaxParallel"/> at once.</summary>
public sealed class Runner
{
    /// <summary>Most solver queries in flight (the machines running CI are shared).</summary>
    public const int MaxParallel = 2;

    /// <summary>Time budget of the counterexample search over the witness library.</summary>
    public const int SearchBudgetMs = 30_000;

    /// <summary>Time limit of the small-machine counterexample search.</summary>
    public const int SmallTimeoutMs = 20_000;

    private readonly ISolver solver;
    private readonly Spec spec;
    private readonly int timeoutMs;
    private readonly ProofCache? cache;

    /// <summary>
    /// Budget of the prelude-once fast path (<see cref="PreludeSession"/>) per query: the light
    /// obligations it is for answer in a few ms (390 of the 408 within 0.5 s, 2026-12-07); one it does
    /// not prove by then is run one-shot, so at most this much (and a fresh context's parse) is lost on it.
    /// </summary>
    public const int FastPathBudgetMs = 1_000;

    /// <summary>
    /// Budget of the fast path for a step obligation over the whole Inv (no <c>uses</c> selection). Most are light
    /// (an operation that keeps the state, a frame the solver sees at once: tens of ms after the prelude), but the
    /// heavy ones (CreateSlice's, 1-3 s one-shot) would each lose the whole fast-path budget before their one-shot
    /// run; measured 2026-12-07 with the 1 s budget: 115 s of query time saved, 55 s lost on those.
    /// </summary>
    public const int WholeInvFastPathBudgetMs = 400;

    /// <summary>Creates a runner (with an optional proof cache).</summary>
    public Runner(ISolver solver, Spec spec, int timeoutMs, ProofCache? cache = null)
    {
        this.solver = solver;
        this.spec = spec;
        this.timeoutMs = timeoutMs;
        this.cache = cache;
    }

    /// <summary>
    /// The order to run in: longest first (by the cache's last times when there are any; otherwise the
    /// obligations run one-shot or over the whole Inv (the PMP table, closed 64-bit lemmas, whole-Inv steps: the heavy ones)
    /// first, then the other light ones, the ground ones last), so the slowest query does not start
    /// last and leave one worker idle.
    /// </summary>
    public IEnumerable<int> Order(IReadOnlyList<Obligation> obligations) =>
        Enumerable.Range(0, obligations.Count)
            .OrderByDescending(i => cache?.LastMs(obligations[i].Name) ?? 0)
            .ThenBy(i => !UsesFastPath(obligations[i]) || IsWholeInvStep(obligations[i]) ? 0 : IsGround(obligations[i].Name) ? 2 : 1)
            .ThenBy(i => i);

    /// <summary>Runs every obligation; results come back in the obligations' order.</summary>
    public IReadOnlyList<ObligationResult> RunAll(IReadOnlyList<Obligation> obligations, int parallel = MaxParallel)
    {
        var results = new ObligationResult[obligations.Count];
        var queue = new ConcurrentQueue<int>(Order(obligations));
        var workers = new Thread[Math.Clamp(parallel, 1, MaxParallel)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Thread(() =>
            {
                // one context per worker, with the prelude parsed once (Z3 in-process only)
                using PreludeSession? session = solver.OpenSession(spec.Text, Math.Min(FastPathBudgetMs, timeoutMs));
                while (queue.TryDequeue(out int i))
                {
                    results[i] = RunOne(obligations[i], session);
                }
            }, 64 * 1024 * 1024) { IsBackground = true };
            workers[w].Start();
        }
        foreach (Thread t in workers)
        {
            t.Join();
        }
        cache?.SaveTimings(results);
        return results;
    }

    private ObligationResult Remember(string? key, ObligationResult r)
    {
        if (key is not null)
        {
            cache!.Proved(key, r.Name);
        }
        return r;
    }

    /// <summary>A step obligation with no <c>uses</c> selection: it assumes the whole Inv, the pre-condition and the step.</summary>
    private static bool IsWholeInvStep(Obligation o) => o.Uses is null && o.Operation is not null;

    /// <summary>Obligations about concrete witnesses (ground terms): a non-unsat answer is final, no small-machine retry.</summary>
    public static bool IsGround(string name) =>
        name.StartsWith("sanity/", StringComparison.Ordinal) || name.StartsWith("successor/", StringComparison.Ordinal)
        || name.StartsWith("negative/", StringComparison.Ordinal) || name.StartsWith("prelude/", StringComparison.Ordinal);

    /// <summary>
    /// Obligations the prelude-once fast path is tried on: those whose one-shot time is mostly parsing.
    /// Not: closed 64-bit lemmas and the PMP table, the Inv/* properties and every I2.ranges obligation.
    /// These hold the slow ones, and a quantified obligation asked after others in one context can take
    /// many times its one-shot time (2026-12-07, z3 4.8.12: Inv/S3_MemoryConfinement 2.9 s alone after the
    /// prelude, 19-35 s after one other query; every obligation in the session with the whole limit: 3 ended
    /// unknown at 120 s), so they run one-shot. Step obligations over the whole Inv are tried within
    /// <see cref="WholeInvFastPathBudgetMs"/>: two thirds of them are light, and their one-shot time was the
    /// prelude's parse (GuestResetRequest, whose step keeps the state: 39 obligations, 8.6 s → 3.1 s).
    /// </summary>
    public bool UsesFastPath(Obligation o) =>
        o.Expect == Expect.Unsat && o.CheckCommand is null
        && !o.Name.StartsWith("pmp/", StringComparison.Ordinal) && !o.Name.StartsWith("Inv/", StringComparison.Ordinal)
        && !o.Name.EndsWith("/I2_FilterSoundness.ranges", StringComparison.Ordinal)
        && !spec.Lemmas.Any(l => o.Name == "lemma/" + l)
        // the session's prelude defines every function: an obligation with opaque ones runs one-shot, on its own script
        && OpaqueFunctions.For(spec, o.Name).Count == 0;

    /// <summary>Z3's second strategy for an unsat obligation its default one-shot run left unknown (see <see cref="SecondStrategy"/>).</summary>
    public const string SecondCheck = "(check-sat-using (then simplify solve-eqs smt))";

    /// <summary>Limit of the second strategy: short, so a query that is really not unsat reaches the counterexample search soon.</summary>
    public const int SecondStrategyMs = 30_000;

    /// <summary>
    /// The same query once more, decided by <see cref="SecondCheck"/> instead of Z3's default strategy. Only an unsat answer
    /// counts (a proof by any strategy is a proof). Why: Z3 4.8.12 through libz3 left lemma/Lemma_Create_DmaStep unknown at
    /// 120 s after a change to an unrelated define-fun (GuestAttest_err), where the z3 binary and this strategy answer unsat
    /// in 1-3 s (2026-12-07): the default strategy's search depends on the order terms are created in. Lemmas only: a
    /// step obligation assumes its lemmas, so with a lemma broken it can be proved from it (soundly: the lemma's own
    /// obligation fails), and the bug would then be named at the lemma instead of the clause it breaks
    /// (dma-range-outside-slice, measured in CI the same day).
    /// </summary>
    private bool SecondStrategy(Obligation o, string script, List<string> notes)
    {
        int limit = Math.Min(timeoutMs, SecondStrategyMs);
        string again = script.Replace("(set-option :timeout " + timeoutMs + ")", "(set-option :timeout " + limit + ")", StringComparison.Ordinal)
            .Replace("\n(check-sat)\n", "\n" + SecondCheck + "\n", StringComparison.Ordinal);
        var sw = Stopwatch.StartNew();
        List<string> answers = SExpr.SplitTop(solver.Run(again, limit));
        string first = answers.Count > 0 ? answers[0] : string.Empty;
        notes.Add($"second strategy {SecondCheck}: {(first.Length == 0 ? "no answer" : first.Length > 60 ? first[..60] : first)} in {sw.ElapsedMilliseconds} ms");
        return first == "unsat";
    }

    /// <summary>Runs one obligation.</summary>
    public ObligationResult RunOne(Obligation o) => RunOne(o, session: null);

    private ObligationResult RunOne(Obligation o, PreludeSession? session)
    {
        var notes = new List<string>();
        ObligationResult r = RunOne(o, session, notes);
        return r.Status == ObligationStatus.Unknown && notes.Count > 0
            ? r with { Detail = r.Detail + "; " + string.Join("; ", notes) }
            : r;
    }

    private ObligationResult RunOne(Obligation o, PreludeSession? session, List<string> notes)
    {
        string script = ObligationGenerator.Script(spec, o, timeoutMs, solver.IsZ3);
        if (!solver.IsZ3 && o.CheckCommand is not null)
        {
            script = script.Replace(o.CheckCommand, "(check-sat)", StringComparison.Ordinal);
        }
        string? key = cache is null ? null : ProofCache.Key(solver.Description, script);
        if (key is not null && cache!.IsProved(key))
        {
            return new ObligationResult(o.Name, ObligationStatus.Proved, 0, null, ProofCache.Cached);
        }
        var sw = Stopwatch.StartNew();
        if (session is not null && UsesFastPath(o)
            && session.ProvesUnsat(o.Query, IsWholeInvStep(o) ? WholeInvFastPathBudgetMs : FastPathBudgetMs))
        {
            return Remember(key, new ObligationResult(o.Name, ObligationStatus.Proved, sw.ElapsedMilliseconds, null, null));
        }
        string output;
        try
        {
            output = solver.Run(script, timeoutMs);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return new ObligationResult(o.Name, ObligationStatus.Error, sw.ElapsedMilliseconds, null, e.Message);
        }
        long ms = sw.ElapsedMilliseconds;
        List<string> answers = SExpr.SplitTop(output);
        string first = answers.Count > 0 ? answers[0] : string.Empty;
        if (first.StartsWith("(error", StringComparison.Ordinal) && !solver.IsZ3 && ms >= timeoutMs - 100)
        {
            // cvc5 1.0.3 can end with an internal error when its time limit stops the SAT solver
            return new ObligationResult(o.Name, ObligationStatus.Unknown, ms, null,
                $"timed out after {timeoutMs} ms (the solver ended with an internal error at its limit: {(first.Length > 120 ? first[..120] : first)})");
        }
        if (first.StartsWith("(error", StringComparison.Ordinal))
        {
            return new ObligationResult(o.Name, ObligationStatus.Error, ms, null, first.Length > 300 ? first[..300] : first);
        }
        if ((first == "unknown" || first == "timeout" || first.Length == 0) && (o.Expect == Expect.Sat || o.CheckCommand is not null || IsGround(o.Name)))
        {
            return new ObligationResult(o.Name, ObligationStatus.Unknown, ms, null,
                ms >= timeoutMs - 50 ? $"timed out after {timeoutMs} ms" : "the solver answered unknown");
        }
        bool sat = first == "sat";
        if (!sat && first != "unsat" && first != "unknown")
        {
            return new ObligationResult(o.Name, ObligationStatus.Error, ms, null, "unexpected solver answer: " + first);
        }
        if (first == "unknown" && o.Name.StartsWith("lemma/", StringComparison.Ordinal) && o.Expect == Expect.Unsat && o.CheckCommand is null && solver.IsZ3
            && SecondStrategy(o, script, notes))
        {
            return Remember(key, new ObligationResult(o.Name, ObligationStatus.Proved, sw.ElapsedMilliseconds, null, "proved by the second strategy"));
        }
        if (o.Expect == Expect.Unsat && o.CheckCommand is null && first != "unsat" && !IsGround(o.Name))
        {
            // A counterexample (or a parametric "unknown") is looked for again on the small
            // concrete machine, where satisfiable queries are fast (Serval does the same).
            // A model there is a real counterexample: the small machine is well-formed.
            if ((o.Operation is not null || CounterexampleSearch.OneRun(o) is not null) && solver.IsZ3)
            {
                // a step obligation (the witness terms use lambda, which only Z3 reads as an array): search the witness library for a concrete counterexample
                string? found = CounterexampleSearch.Search(spec, solver, o, SearchBudgetMs, notes);
                if (found is not null)
                {
                    return new ObligationResult(o.Name, ObligationStatus.Failed, sw.ElapsedMilliseconds, found, null);
                }
            }
            // a relational obligation whose query answered sat is searched too: the search prints its runs state by
            // state (the raw model names neither state); the raw model is the fallback
            // with functions opaque, a model may give one a value its body never takes: not a counterexample by itself
            IReadOnlyList<string> opaque = OpaqueFunctions.For(spec, o.Name);
            if ((!sat || o.Runs is not null || opaque.Count > 0) && solver.IsZ3 && BoundedSearch.Search(spec, solver, o, BoundedSearch.BudgetMs, notes) is { } bounded)
            {
                return new ObligationResult(o.Name, ObligationStatus.Failed, sw.ElapsedMilliseconds, bounded, null);
            }
            bool cexFound = sat && opaque.Count == 0;
            List<string> cex = answers;
            if (!cexFound && solver.IsZ3)
            {
                var small = new Obligation
                {
                    Name = o.Name, Expect = o.Expect, Meaning = o.Meaning + " (on the small machine)", Explain = o.Explain, ArgsSort = o.ArgsSort,
                    Query = o.Query.Replace("(assert Machine_WellFormed)\n", "(assert Machine_WellFormed)\n" + ObligationGenerator.SmallMachine, StringComparison.Ordinal),
                };
                int limit = Math.Min(timeoutMs, SmallTimeoutMs);
                // with every body: a model here is a counterexample to the theorem, not to its opaque form
                List<string> again = SExpr.SplitTop(solver.Run(ObligationGenerator.Script(spec, small, limit, solver.IsZ3, hideOpaque: false), limit));
                if (again.Count > 0 && again[0] == "sat")
                {
                    cexFound = true;
                    cex = again;
                }
            }
            ms = sw.ElapsedMilliseconds;
            if (!cexFound)
            {
                return new ObligationResult(o.Name, ObligationStatus.Unknown, ms, null,
                    sat ? $"satisfiable with {string.Join(", ", opaque)} opaque, and no counterexample found with their bodies"
                    : ms >= timeoutMs - 50 ? $"timed out after {timeoutMs} ms" : "the solver answered unknown");
            }
            return new ObligationResult(o.Name, ObligationStatus.Failed, ms, Counterexample.Describe(spec, o, cex), null);
        }
        if (o.Expect == Expect.Unsat)
        {
            return sat
                ? new ObligationResult(o.Name, ObligationStatus.Failed, ms, Counterexample.Describe(spec, o, answers), null)
                : Remember(key, new ObligationResult(o.Name, ObligationStatus.Proved, ms, null, null));
        }
        return sat
            ? new ObligationResult(o.Name, ObligationStatus.Proved, ms, null, null)
            : new ObligationResult(o.Name, ObligationStatus.Failed, ms,
                $"vacuous: no state satisfies the scenario -- {o.Meaning} does not hold", null);
    }
}
