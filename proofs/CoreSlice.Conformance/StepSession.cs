using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>
/// The long-lived Z3 context of a conformance run: the spec is loaded once; a step's pre-state,
/// arguments and successor are defined once in the step's scope, and each script then runs inside
/// its own push/pop after the definitions it adds. Counts the check-sats asked.
/// </summary>
internal sealed class StepSession : IDisposable
{
    private readonly Z3Native.Session session;

    /// <summary>Creates the context and loads <paramref name="text"/>. Throws <see cref="SpecException"/> when Z3 rejects it.</summary>
    public StepSession(string text, int timeoutMs)
    {
        session = new Z3Native.Session(timeoutMs);
        // Z3's defaults: a solver option set here (relevancy 0 made these goals about 7% faster) would be process-wide
        // and change every proof asked after it in the same process (see Z3Native.ContextOptions)
        string loaded = session.Eval(text);
        if (loaded.Contains("(error", StringComparison.Ordinal))
        {
            session.Dispose();
            throw new SpecException("conformance: Z3 rejected the specialised spec: " + loaded.Split('\n')[0]);
        }
    }

    /// <summary>Check-sats asked so far.</summary>
    public long Queries { get; private set; }

    /// <summary>True while a step's scope is open (<see cref="Open"/>).</summary>
    public bool IsOpen { get; private set; }

    /// <summary>Opens a step's scope: a push that <see cref="Close"/> pops, with <paramref name="script"/> run in it. Returns what Z3 printed.</summary>
    public string Open(string script)
    {
        Close();
        IsOpen = true;
        return session.Eval("(push)\n" + script);
    }

    /// <summary>Closes the step's scope, if one is open.</summary>
    public void Close()
    {
        if (IsOpen)
        {
            IsOpen = false;
            _ = session.Eval("(pop)\n");
        }
    }

    /// <summary>Runs <paramref name="script"/> after <paramref name="defs"/> inside one push/pop; it asks <paramref name="checks"/> check-sats. Returns what Z3 printed.</summary>
    public string Eval(string defs, string script, int checks)
    {
        Queries += checks;
        return session.Eval("(push)\n" + defs + script + "(pop)\n");
    }

    /// <summary>Runs every script (each one check-sat in its own push/pop) after <paramref name="defs"/> in one round trip; one answer per script.</summary>
    public List<string> Ask(string defs, IReadOnlyList<string> scripts)
    {
        string text = Eval(defs, string.Concat(scripts), scripts.Count);
        var answers = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l is "sat" or "unsat" or "unknown" || l.StartsWith("(error", StringComparison.Ordinal)).ToList();
        while (answers.Count < scripts.Count)
        {
            answers.Add(text.Trim().Length == 0 ? "no answer" : text.Trim().Split('\n')[0]);
        }
        return answers;
    }

    /// <summary>The script that asks whether <paramref name="term"/> is refuted: its answer is unsat when the term holds.</summary>
    public static string Refute(string term) => $"(push)(assert (not {term}))(check-sat)(pop)\n";

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();
}
