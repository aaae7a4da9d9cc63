namespace CoreSlice.Proofs;

/// <summary>
/// One worker's Z3 context with the spec (the prelude) parsed once; each query runs inside
/// <c>(push)</c>/<c>(pop)</c>. Parsing the prelude is most of the cost of a light obligation's one-shot
/// query (measured 2026-12-07: 0.33 s for the 124 KB spec through the z3 binary; ~30 ms when this was written). It is only a fast path: an answer other than <c>unsat</c>
/// within the budget is not used (the caller runs the one-shot query), because a scope switches Z3
/// to its incremental core, which lacks the one-shot preprocessing and is much slower on some
/// quantified obligations (measured: one obligation 0.1 s one-shot, 2.4 s here), and because an
/// <c>unsat</c> is a proof whichever core found it, while anything else must come from the
/// one-shot run that prints the counterexample. Not thread-safe: one per worker thread.
/// </summary>
public sealed class PreludeSession : IDisposable
{
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

    /// <summary>
    /// True when the query (declarations and assertions, as <see cref="Obligation.Query"/>) is
    /// unsatisfiable after the prelude, found within the budget. False means "not shown here".
    /// </summary>
    public bool ProvesUnsat(string query)
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
        string answer = session.Eval("(push)\n" + query + "(check-sat)\n(pop)\n", budgetMs).Trim();
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
