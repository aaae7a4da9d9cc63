using System.Diagnostics;
using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// When a step obligation <c>Op/C</c> is not proved, look for a concrete counterexample before answering
/// "unknown". The search space is every pre-state of the witness library (each proved to satisfy Inv by a
/// sanity obligation) crossed with every call of Op in the branch-witness table (one per branch the spec's
/// Op_err can return, so a branch a spec author adds is searched too). Nothing in it is aimed at a known
/// bug: it is the same space for every obligation and every spec. For each pair the post-state is built
/// from Op's own definition (<see cref="Successor"/>), and the clause is asked, quantifier-free, whether
/// it fails at some point of the post-state (its foralls become free constants). A hit is then
/// established on ground terms: Inv(w), Op_pre(w, a) and Op(w, a, post) proved by refuting their
/// negation, and the point read from the model. One solver context per machine, push/pop per pair.
/// </summary>
public static class CounterexampleSearch
{
    /// <summary>The witness library: machine, and the pre-states defined on it.</summary>
    private static readonly (string Machine, string Name, string[] States)[] Library =
    [
        (Witnesses.Machine, "the witness machine (4 cores, 3 slots, 2 devices, 4 ways, 2 range registers)", ["w0", "w1", "w2", "w3", "w4", "wF"]),
        (WitnessSearch.MachineTop, "machine M2 (the witness machine, top granule reserved)", ["wT"]),
    ];

    private static readonly Dictionary<string, string> StateText = new(StringComparer.Ordinal)
    {
        ["w0"] = "w0: slots 1, 2 Running (cores 1, 2 in Guest mode, locked, programmed; devices 0, 1 windows open), slot 3 Free",
        ["w1"] = "w1: slot 1 Running, slot 2 Created (core 2 Idle)",
        ["w2"] = "w2: w1 with a stale range 1 = [8K, 12K) past slot 2's count",
        ["w3"] = "w3: slot 2 Destroying after a fault, 12K written by it",
        ["w4"] = "w4: only slot 2, Created; no core in Guest mode",
        ["wF"] = "wF: w0 with slot 3 Created and empty (table full)",
        ["wT"] = "wT: w0 on machine M2",
    };

    /// <summary>
    /// Searches; returns the counterexample text, or null with what ran in <paramref name="notes"/>.
    /// </summary>
    public static string? Search(Spec spec, ISolver solver, Obligation o, int budgetMs, List<string> notes)
    {
        int slash = o.Name.IndexOf('/', StringComparison.Ordinal);
        if (o.ArgsSort is null || slash < 0)
        {
            return null;
        }
        string op = o.Name[..slash], clause = o.Name[(slash + 1)..];
        Dictionary<string, Sx> sigs = Branches.Signatures(spec.Text);
        if (!sigs.TryGetValue(clause, out Sx? def))
        {
            return null;
        }
        var calls = Branches.Table.Where(w => w.Op == op).Select(w => (w.Args, w.Why)).Distinct().ToList();
        var successor = new Successor(spec.Text);
        var sw = Stopwatch.StartNew();
        int pairs = 0;
        string states = Witnesses.States + WitnessSearch.MoreStates + Branches.MoreStates;
        foreach ((string machine, string machineName, string[] pre) in Library)
        {
            var script = new StringBuilder(spec.Text).Append(machine).Append(states);
            var order = new List<(string W, string Args, string Why, string Post, string Decls, string Neg, List<(string, string)> Points)>();
            foreach (string w in pre)
            {
                foreach ((string args, string why) in calls)
                {
                    string? post = successor.Candidate(op, w, "cx.a");
                    if (post is null)
                    {
                        continue;
                    }
                    (string decls, string neg, List<(string, string)> points) = NegatedInstance(def, w, op);
                    order.Add((w, args, why, post, decls, neg, points));
                    script.Append($"(push)(define-fun cx.a () {o.ArgsSort} {args})(define-fun cx.post () State {post})\n{decls}(assert (not {neg}))(check-sat)(pop)\n");
                }
            }
            int remaining = budgetMs - (int)sw.ElapsedMilliseconds;
            if (order.Count == 0 || remaining <= 0)
            {
                continue;
            }
            pairs += order.Count;
            List<string> answers = SExpr.SplitTop(solver.Run(script.ToString(), remaining));
            for (int i = 0; i < order.Count && i < answers.Count; i++)
            {
                if (answers[i] != "sat")
                {
                    continue;
                }
                var c = order[i];
                remaining = budgetMs - (int)sw.ElapsedMilliseconds;
                if (remaining <= 0)
                {
                    break;
                }
                // establish: the pre-state satisfies Inv, the call its precondition, the post-state the step
                var est = new StringBuilder(spec.Text).Append(machine).Append(states);
                est.Append($"(define-fun cx.a () {o.ArgsSort} {c.Args})(define-fun cx.post () State {c.Post})\n");
                est.Append($"(push)(assert (not (and (Inv {c.W}) ({op}_pre {c.W} cx.a) ({op} {c.W} cx.a cx.post))))(check-sat)(pop)\n");
                est.Append($"{c.Decls}(declare-const cx.err Err)(assert (= cx.err ({op}_err {c.W} cx.a)))\n");
                var cells = Cells(c.Points);
                int nv = 0;
                foreach ((string _, IReadOnlyList<(string Term, string Sort)> terms) in cells)
                {
                    foreach (string st in new[] { c.W, "cx.post" })
                    {
                        foreach ((string term, string sort) in terms)
                        {
                            est.Append($"(declare-const cx.v{nv} {sort})(assert (= cx.v{nv} {term.Replace("S)", st + ")", StringComparison.Ordinal)}))");
                            nv++;
                        }
                    }
                }
                est.Append($"(assert (not {c.Neg}))(check-sat)\n");
                foreach ((string _, string term) in c.Points)
                {
                    est.Append($"(get-value ({term}))\n");
                }
                est.Append($"(get-value (cx.err))\n");
                for (int v = 0; v < nv; v++)
                {
                    est.Append($"(get-value (cx.v{v}))\n");
                }
                List<string> r = SExpr.SplitTop(solver.Run(est.ToString(), remaining));
                if (r.Count < 2 || r[0] != "unsat" || r[1] != "sat")
                {
                    notes.Add($"pair ({c.W}, {c.Why}) breaks {clause} but was not established ({string.Join(' ', r.Take(2))})");
                    continue;
                }
                var text = new StringBuilder();
                text.Append($"COUNTEREXAMPLE to {o.Name}: it is NOT true that {o.Meaning}.\n");
                text.Append($"    found by the counterexample search ({pairs} pre-state x call pairs tried, {sw.ElapsedMilliseconds} ms) on {machineName}\n");
                text.Append($"    pre-state: {StateText.GetValueOrDefault(c.W, c.W)} (satisfies Inv: proved)\n");
                text.Append($"    call: {op}: {c.Why}; returns {ErrName(r.Count > 2 + c.Points.Count ? r[2 + c.Points.Count] : "?")}\n");
                text.Append($"    arguments: {c.Args}\n");
                text.Append($"    post-state: built from {op}'s definition; {op}(pre, call, post) proved\n");
                text.Append($"    broken: {clause} at");
                for (int k = 0; k < c.Points.Count; k++)
                {
                    text.Append(k == 0 ? " " : ", ").Append(c.Points[k].Item1).Append(" = ").Append(Value(r[2 + k]));
                }
                text.Append('\n');
                int at = 3 + c.Points.Count;
                foreach ((string label, IReadOnlyList<(string Term, string Sort)> terms) in cells)
                {
                    string before = string.Join(", ", r.Skip(at).Take(terms.Count).Select(Value));
                    string after = string.Join(", ", r.Skip(at + terms.Count).Take(terms.Count).Select(Value));
                    at += 2 * terms.Count;
                    text.Append($"      {label}: before {before} / after {after}\n");
                }
                return text.ToString().TrimEnd();
            }
        }
        notes.Add($"counterexample search: {pairs} (pre-state x call) pairs over the witness library, {sw.ElapsedMilliseconds} ms, no counterexample");
        return null;
    }

    // The clause's body on the post-state with every top-level forall's variables as free constants
    // (so its negation is a quantifier-free "somewhere it fails"); the constants are returned as points.
    private static (string Decls, string Body, List<(string Name, string Term)> Points) NegatedInstance(Sx def, string pre, string op)
    {
        var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
        var decls = new StringBuilder();
        var points = new List<(string, string)>();
        IReadOnlyList<Sx> ps = def.Items[2].Items;
        // (s) -> post; (s s2 ...) -> pre, post, then free constants (a core for T1) and the step's reset set
        for (int k = 0; k < ps.Count; k++)
        {
            string name = ps[k].Items[0].Atom!;
            string sort = ps[k].Items[1].ToString();
            if (sort == "State")
            {
                env[name] = Sx.A(ps.Count(p => p.Items[1].Atom == "State") == 1 || k > 0 ? "cx.post" : pre);
            }
            else if (sort == "Bool" && k == ps.Count - 1 && ps.Count == 4)
            {
                env[name] = Sx.L(Sx.A($"{op}_resets"), Sx.A(pre), Sx.A("cx.a"), env[ps[2].Items[0].Atom!]);
            }
            else
            {
                decls.Append($"(declare-const cx.{name} {sort})");
                env[name] = Sx.A($"cx.{name}");
                points.Add((name, $"cx.{name}"));
            }
        }
        Sx body = Instantiate(def.Items[4].Subst(env), decls, points);
        return (decls.ToString(), body.ToString(), points);
    }

    private static Sx Instantiate(Sx e, StringBuilder decls, List<(string, string)> points)
    {
        if (e.Is("and"))
        {
            return Sx.L([e.Items[0], .. e.Items.Skip(1).Select(x => Instantiate(x, decls, points))]);
        }
        if (e.Is("forall") && e.Items.Count == 3)
        {
            var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
            foreach (Sx v in e.Items[1].Items)
            {
                string fresh = $"cx.{v.Items[0].Atom}{points.Count}";
                decls.Append($"(declare-const {fresh} {v.Items[1]})");
                env[v.Items[0].Atom!] = Sx.A(fresh);
                points.Add(($"{v.Items[0].Atom} ({v.Items[1]})", fresh));
            }
            Sx body = e.Items[2].Is("!") ? e.Items[2].Items[1] : e.Items[2];
            return Instantiate(body.Subst(env), decls, points);
        }
        return e;
    }

    private static List<(string Label, IReadOnlyList<(string Term, string Sort)> Terms)> Cells(List<(string Name, string Term)> points)
    {
        var cells = new List<(string, IReadOnlyList<(string, string)>)>();
        foreach ((string name, string t) in points)
        {
            if (name.Contains("(Core)", StringComparison.Ordinal) || name == "c")
            {
                cells.Add(($"core {name}: owner, mode, locked", [($"(select (coreOwner S) {t})", "Slot"), ($"(select (mode S) {t})", "Mode"), ($"(select (locked S) {t})", "Bool")]));
            }
            else if (name.Contains("(Addr)", StringComparison.Ordinal))
            {
                cells.Add(($"address {name}: owner, last writer", [($"(select (memOwner S) {t})", "Slot"), ($"(select (lastWriter S) {t})", "Slot")]));
            }
            else if (name.Contains("(Slot)", StringComparison.Ordinal))
            {
                cells.Add(($"slot {name}: state, range count", [($"(select (st S) {t})", "SState"), ($"(select (tblN S) {t})", "Idx")]));
            }
            else if (name.Contains("(Dev)", StringComparison.Ordinal))
            {
                cells.Add(($"device {name}: owner, window", [($"(select (devOwner S) {t})", "Slot"), ($"(select (iommu S) {t})", "Slot")]));
            }
        }
        return cells;
    }

    private static string Value(string answer)
    {
        List<string> outer = SExpr.SplitTop(answer.Length > 2 ? answer[1..^1] : answer);
        if (outer.Count == 0)
        {
            return answer;
        }
        List<string> pair = SExpr.SplitTop(outer[0].Length > 2 ? outer[0][1..^1] : outer[0]);
        string v = pair.Count >= 2 ? Counterexample.Decimal(pair[^1]) : answer;
        return v switch
        {
            "65535" => "Free(-1)",
            "65534" => "Reserved(-2)",
            "65533" => "None(-3)",
            _ => v,
        };
    }

    private static string ErrName(string answer)
    {
        string v = Value(answer);
        return int.TryParse(v, out int code) ? code == 255 ? "Refused" : Enum.IsDefined(typeof(SliceError), code) ? ((SliceError)code).ToString() : v : v;
    }
}
