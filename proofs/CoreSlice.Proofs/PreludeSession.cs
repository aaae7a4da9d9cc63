namespace CoreSlice.Proofs;

/// <summary>
/// One worker's Z3 context with the spec (the prelude) parsed once; each query runs inside
/// <c>(push)</c>/<c>(pop)</c> and is decided by <see cref="Tactic"/>. Parsing the 124 KB prelude is most of
/// the cost of a light obligation's one-shot query (0.2-0.33 s through the z3 binary, 2026-12-07).
/// The check is <c>check-sat-using</c>, not <c>check-sat</c>: after a <c>(push)</c>, <c>check-sat</c> runs Z3's
/// incremental core, which lacks the one-shot preprocessing and was measured much slower on the quantified
/// obligations (four obligations: 39.5 s there, 9.6 s one-shot), while <c>check-sat-using</c> builds a solver
/// from the tactic for that one check over the current assertions (the same four: 4.6 s, prelude included).
/// Only an <c>unsat</c> is used as a result (it is a proof whichever way it was found); anything else is
/// answered again by the caller's one-shot run, which prints the values that explain a counterexample. Not
/// thread-safe: one per worker thread.
/// </summary>
public sealed class PreludeSession : IDisposable
{
    /// <summary>
    /// The tactic each query is decided by: Z3's default strategy, the one a one-shot <c>check-sat</c> runs (the
    /// 408 fast-path obligations in one context: 103 s with it, 190 s with <c>check-sat</c>, 2026-12-07).
    /// </summary>
    public const string Tactic = "default";

    /// <summary>Queries per context before it is replaced (bounds what earlier queries leave behind).</summary>
    public const int QueriesPerContext = 100;

    private readonly string prelude;
    private readonly int budgetMs;
    private Z3Native.Session? session;
    private int queries;

    /// <summary>A session for <paramref name="specText"/>; each query may take at most <paramref name="budgetMs"/>.</summary>
    public PreludeSession(string specText, int budgetMs)
    {
        // the SMT-LIB timeout, not the context's configuration, is what bounds a script's check-sat
        prelude = "(set-option :produce-models true)\n(set-option :timeout "
            + budgetMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")\n" + specText + "\n";
        this.budgetMs = budgetMs;
    }

    /// <summary>Raised after each query is answered (a progress count).</summary>
    public event Action? Answered;

    /// <summary>
    /// True when the query (declarations and assertions, as <see cref="Obligation.Query"/>) is
    /// unsatisfiable after the prelude, found within the budget. False means "not shown here".
    /// </summary>
    public bool ProvesUnsat(string query) => ProvesUnsat(query, budgetMs);

    /// <summary>
    /// As <see cref="ProvesUnsat(string)"/>, within <paramref name="queryBudgetMs"/> when that is shorter than the
    /// session's budget (the tactic runs under <c>try-for</c>: the context's timeout is the session's).
    /// </summary>
    public bool ProvesUnsat(string query, int queryBudgetMs)
    {
        if (session is null || queries >= QueriesPerContext)
        {
            Reset();
            session = new Z3Native.Session(budgetMs);
            string loaded = session.Eval(prelude, budgetMs);
            if (loaded.Contains("(error", StringComparison.Ordinal))
            {
                Reset();
                return false;
            }
        }
        queries++;
        string tactic = queryBudgetMs < budgetMs
            ? "(try-for " + Tactic + " " + Math.Max(1, queryBudgetMs).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")"
            : Tactic;
        string answer = session.Eval("(push)\n" + query + "(check-sat-using " + tactic + ")\n(pop)\n", budgetMs).Trim();
        Answered?.Invoke();
        if (answer == "unsat")
        {
            return true;
        }
        // an interrupted or unknown query may leave the context in any state: start the next one afresh
        Reset();
        return false;
    }

    private void Reset()
    {
        session?.Dispose();
        session = null;
        queries = 0;
    }

    /// <inheritdoc/>
    public void Dispose() => Reset();
}
