using System.Text.Json;

namespace CoreSlice.Proofs;

/// <summary>
/// A second solver on the same obligations: <c>verify --solver cvc5 --against z3.json</c>. Every
/// obligation the second solver can read is run on it and compared with the first run's report; an
/// obligation one solver proves and the other refutes is a disagreement (a solver bug, or a query
/// whose meaning depends on the solver), and fails the check. The second solver may answer unknown
/// (reported, with counts): it agrees only where it answers.
/// </summary>
public static class CrossCheck
{
    /// <summary>
    /// Whether the second solver is asked this obligation. cvc5 1.0.3 does not accept a lambda as an
    /// array value, and the witness states (successor/, negative/, sanity/) are written with lambdas;
    /// every other obligation (init, steps, T1/T2, properties, lemmas, manifest, prelude, points) is asked.
    /// </summary>
    public static bool Readable(Obligation o) => !o.Query.Contains("(lambda", StringComparison.Ordinal);

    /// <summary>
    /// The spec without the definitions the second solver cannot read (a lambda used as an array value,
    /// and every definition that refers to one, transitively), and the names left out: an obligation
    /// that mentions one of them is not asked.
    /// </summary>
    public static (string Text, HashSet<string> Dropped) ReadableSpec(string text)
    {
        List<Sx> forms = Sx.ParseAll(text);
        var dropped = new HashSet<string>(StringComparer.Ordinal);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (Sx f in forms)
            {
                if (f.Is("define-fun") && f.Items.Count == 5 && f.Items[1].Atom is { } n && !dropped.Contains(n)
                    && (f.Items[4].Mentions("lambda") || dropped.Any(d => f.Items[4].Mentions(d))))
                {
                    dropped.Add(n);
                    changed = true;
                }
            }
        }
        var sb = new System.Text.StringBuilder();
        foreach (Sx f in forms)
        {
            if (!(f.Is("define-fun") && f.Items[1].Atom is { } n && dropped.Contains(n)))
            {
                sb.Append(f).Append('\n');
            }
        }
        return (sb.ToString(), dropped);
    }

    /// <summary>The first run's statuses, by obligation name, from its JSON report.</summary>
    public static Dictionary<string, string> ReadReport(string json)
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(json);
        foreach (JsonElement o in doc.RootElement.GetProperty("obligations").EnumerateArray())
        {
            statuses[o.GetProperty("name").GetString()!] = o.GetProperty("status").GetString()!;
        }
        return statuses;
    }

    /// <summary>Runs the readable obligations on <paramref name="solver"/>; returns its report and the disagreements.</summary>
    public static (VerifyReport Report, List<string> Disagreements, int NotAsked) Run(Spec spec, ISolver solver,
        IReadOnlyDictionary<string, string> first, string? filter, int timeoutMs)
    {
        var asked = new List<Obligation>();
        int notAsked = 0;
        (string readableText, HashSet<string> dropped) = ReadableSpec(spec.Text);
        Spec readable = Spec.Parse(readableText, spec.Manifest, spec.Source + " (without lambda definitions)");
        foreach (Obligation o in ObligationGenerator.Generate(spec))
        {
            if (!string.IsNullOrEmpty(filter) && !o.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (Readable(o) && !dropped.Any(d => Sx.ParseAll(o.Query).Any(x => x.Mentions(d))))
            {
                asked.Add(o);
            }
            else
            {
                notAsked++;
            }
        }
        var sw = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<ObligationResult> results = new Runner(solver, readable, timeoutMs).RunAll(asked);
        var report = new VerifyReport(solver.Description, spec.Source, results, sw.ElapsedMilliseconds);
        var disagreements = new List<string>();
        foreach (ObligationResult r in results)
        {
            if (!first.TryGetValue(r.Name, out string? other))
            {
                disagreements.Add($"{r.Name}: not in the first solver's report");
            }
            else if ((r.Status == ObligationStatus.Proved && other == "failed") || (r.Status == ObligationStatus.Failed && other == "proved"))
            {
                disagreements.Add($"{r.Name}: {solver.Description} says {(r.Status == ObligationStatus.Proved ? "proved" : "failed")}, the first solver {other}");
            }
        }
        return (report, disagreements, notAsked);
    }

    /// <summary>
    /// The lines after the second solver's report: what was asked and how it came out (naming
    /// <paramref name="against"/>, the first run's report), then one "DISAGREEMENT" line per disagreement.
    /// </summary>
    public static string Summary(VerifyReport report, IReadOnlyList<string> disagreements, int notAsked, string solver, string against)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(disagreements);
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"cross-check against {against}: {report.Results.Count} obligations asked, {notAsked} not asked " +
            $"(a lambda used as an array value, in the witness states or in a definition they use, which {solver} does not read); {report.Count(ObligationStatus.Proved)} proved by both, " +
            $"{report.Count(ObligationStatus.Unknown)} unknown here, {report.Count(ObligationStatus.Error)} error here, {disagreements.Count} disagreement(s)");
        foreach (string d in disagreements)
        {
            sb.AppendLine("DISAGREEMENT " + d);
        }
        return sb.ToString();
    }

    /// <summary>1 when the solvers disagree, else 2 when the second solver had an error, else 0 (its unknowns do not fail the check).</summary>
    public static int ExitCode(VerifyReport report, IReadOnlyList<string> disagreements)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(disagreements);
        return disagreements.Count > 0 ? 1 : report.Count(ObligationStatus.Error) > 0 ? 2 : 0;
    }
}
