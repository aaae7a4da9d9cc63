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
    /// <summary>Time to establish one hit (all its ghost-witness variants), beyond the search budget.</summary>
    public const int EstablishMs = 15_000;

    /// <summary>Pairs asked in one solver call (each call loads the spec again: about 0.2 s).</summary>
    private const int PairsPerQuery = 40;

    /// <summary>
    /// The witness library: machine, and the pre-states defined on it. A state that copies another onto a
    /// different machine (wT is w0 on M2) names that state: the calls written for the original are its own calls
    /// too, asked in the first pass (the machine variant exists to run them against other machine parameters).
    /// </summary>
    private static readonly (string Machine, string Name, (string State, string CallsOf)[] States)[] Library =
    [
        (Witnesses.Machine, "the witness machine (4 cores, 3 slots, 2 devices, 4 ways, 3 range registers)",
            [.. new[] { "w0", "w1", "w2", "w3", "w4", "wF", "wW", "wD", "wWC" }.Select(w => (w, w))]),
        (WitnessSearch.MachineTop, "machine M2 (the witness machine, top granule reserved)", [("wT", "w0")]),
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
        ["wW"] = "wW: w0 with slot 1 holding the read-only window [4K, 8K) on core 1's register 1, written by the control slice",
        ["wWC"] = "wWC: wW with slot 1 only Created (core 1 Idle, unlocked, cleared; device 0's window closed): its window not yet programmed",
        ["wD"] = "wD: wW with slot 1's device 0 on two DMA ranges: the window [4K, 8K) read-only, [8K, 12K) read-write",
    };

    /// <summary>
    /// Searches; returns the counterexample text, or null with what ran in <paramref name="notes"/>.
    /// </summary>
    public static string? Search(Spec spec, ISolver solver, Obligation o, int budgetMs, List<string> notes)
    {
        // a relational obligation with one run and its step (local respect) is a step property of one state: the
        // library's pre-states and calls are searched for it as for a clause, the relation asked at free constants
        RelationalRuns? runs = OneRun(o);
        if (o.ArgsSort is null || (runs is null && (o.Operation is null || o.Subject is null)))
        {
            return null;
        }
        string op = runs?.Operation ?? o.Operation!;
        Sx? def = null;
        if (runs is null && !Branches.Signatures(spec.Text).TryGetValue(o.Subject!, out def))
        {
            return null;
        }
        var calls = Branches.Table.Where(w => w.Op == op).SelectMany(w => FaultVariants(w.State, w.Args, w.Why)).Distinct().ToList();
        var successor = new Successor(spec.Text);
        var sw = Stopwatch.StartNew();
        int pairs = 0;
        string states = Witnesses.States + WitnessSearch.MoreStates + Branches.MoreStates;
        // Two passes over the whole library: first every call on the state it was written for (on whichever
        // machine that state lives), then every call on every other state. Under load the budget may end
        // inside the second pass; the calls most likely to reach their branch have been asked on every
        // machine by then, not only on the first machine of the library.
        foreach (bool ownState in new[] { true, false })
        {
            foreach ((string machine, string machineName, (string State, string CallsOf)[] pre) in Library)
            {
                var tries = ownState
                    ? [.. pre.SelectMany(w => calls.Where(c => c.State == w.CallsOf).Select(c => (State: w.State, c.Args, c.Why)))]
                    : pre.SelectMany(w => calls.Where(c => c.State != w.CallsOf).Select(c => (State: w.State, c.Args, c.Why))).ToList();
                var order = new List<Pair>();
                foreach ((string w, string args, string why) in tries)
                {
                    string? post = successor.Candidate(op, w, "cx.a");
                    if (post is null)
                    {
                        continue;
                    }
                    (string decls, string neg, List<(string, string)> points) = runs is null ? NegatedInstance(def!, w, op, o.ArgsSort) : RelationInstance(o, runs, w);
                    order.Add(new Pair(w, args, why, post, decls, neg, points));
                }
                string? hit = AskInBatches(spec, solver, o, budgetMs, notes, sw, ref pairs, machine, machineName, states, order);
                if (hit is not null)
                {
                    return hit;
                }
            }
        }
        notes.Add($"counterexample search: {pairs} (pre-state x call) pairs over the witness library, {sw.ElapsedMilliseconds} ms, no counterexample");
        return null;
    }

    /// <summary>One (pre-state, call) pair with its post-state and the negated clause at free points.</summary>
    private sealed record Pair(string W, string Args, string Why, string Post, string Decls, string Neg, List<(string, string)> Points);

    /// <summary>
    /// Asks <paramref name="order"/> on one machine, <see cref="PairsPerQuery"/> pairs per solver call, and
    /// establishes each call's hits before asking the next (a pair early in the order is answered without
    /// waiting for the rest); null when none is established within the budget.
    /// </summary>
    private static string? AskInBatches(Spec spec, ISolver solver, Obligation o, int budgetMs, List<string> notes, Stopwatch sw, ref int pairs,
        string machine, string machineName, string states, List<Pair> order)
    {
        string prelude = spec.Text + machine + states;
        for (int from = 0; from < order.Count; from += PairsPerQuery)
        {
            int remaining = budgetMs - (int)sw.ElapsedMilliseconds;
            if (remaining <= 0)
            {
                return null;
            }
            int count = Math.Min(PairsPerQuery, order.Count - from);
            pairs += count;
            var script = new StringBuilder(prelude);
            foreach (Pair q in order.Skip(from).Take(count))
            {
                script.Append($"(push)(define-fun cx.a () {o.ArgsSort} {q.Args})(define-fun cx.post () State {q.Post})\n{q.Decls}(assert (not {q.Neg}))(check-sat)(pop)\n");
            }
            List<string> answers = SExpr.SplitTop(solver.Run(script.ToString(), remaining));
            for (int i = 0; i < count && i < answers.Count; i++)
            {
                if (answers[i] != "sat")
                {
                    continue;
                }
                Pair c = order[from + i];
                string? hit = Establish(spec, solver, o, new Hit(machine, machineName, states, c.W, StateText.GetValueOrDefault(c.W, c.W), c.Args, c.Why, c.Post, c.Decls, c.Neg, c.Points),
                    $"the counterexample search over the witness library ({pairs} pre-state x call pairs tried, {sw.ElapsedMilliseconds} ms)", notes);
                if (hit is not null)
                {
                    return hit;
                }
            }
        }
        return null;
    }

    /// <summary>A candidate counterexample: machine, pre-state (a define-fun named W in States), call, post-state, negated clause.</summary>
    internal sealed record Hit(string Machine, string MachineName, string States, string W, string StateText, string Args, string Why,
        string Post, string Decls, string Neg, List<(string Name, string Term)> Points);

    /// <summary>
    /// Establishes a candidate on ground terms (Inv(w) ∧ Op_pre(w, a) ∧ Op(w, a, post) proved by refuting its negation, the
    /// clause refuted at a concrete point) and prints it; null (with a note) when it is not established.
    /// </summary>
    internal static string? Establish(Spec spec, ISolver solver, Obligation o, Hit c, string foundBy, List<string> notes)
    {
        RelationalRuns? runs = OneRun(o);
        string op = runs?.Operation ?? o.Operation!, clause = runs?.Relation[^1] ?? o.Subject!;
        var sw = Stopwatch.StartNew();
        // establishing a hit gets its own time (a hit found late in the budget is still checked)
        long establishUntil = EstablishMs;
        // establish: the pre-state satisfies Inv, the call its precondition, the post-state the step.
        // The call's ghost witnesses ("first failing item, or the count") were written for the real
        // spec; on another spec the other choice may be the right one, so both are tried.
        List<string>? r = null;
        string args = c.Args;
        foreach (string variant in GhostVariants(c.Args))
        {
            var est = new StringBuilder(spec.Text).Append(c.Machine).Append(c.States);
            est.Append($"(define-fun cx.a () {o.ArgsSort} {variant})(define-fun cx.post () State {c.Post})\n");
            // each part refuted on its own: a conjunction asked as one query cost Z3 several times the sum of its parts
            // (conformance measured the same), and with the whole Inv, pre and step in one refutation a change to an
            // unrelated definition left the right ghost variant unknown within the budget (leak-window-second-guest)
            foreach (string part in EstablishedParts(op, c.W))
            {
                est.Append($"(push)(assert (not {part}))(check-sat)(pop)\n");
            }
            est.Append(Explaining(c.Decls, c.Neg, c.Points, op, c.W));
            int remaining = (int)(establishUntil - sw.ElapsedMilliseconds);
            if (remaining <= 0)
            {
                break;
            }
            r = Established(SExpr.SplitTop(solver.Run(est.ToString(), remaining)), EstablishedParts(op, c.W).Count);
            args = variant;
            // the point query may answer unknown with a model (quantified guards in the post-state):
            // the points it proposes are then checked by refutation at those concrete points
            if (r.Count >= 3 + c.Points.Count && r[0] == "unsat" && (r[2] == "sat" || (r[2] == "unknown" && Refuted(spec, solver, c.Machine + c.States, o.ArgsSort!, variant, c, r, establishUntil - sw.ElapsedMilliseconds))))
            {
                r[2] = "sat";
                break;
            }
        }
        if (r is null || r.Count < 3 || r[0] != "unsat" || r[2] != "sat")
        {
            notes.Add($"pair ({c.W}, {c.Why}) breaks {clause} but was not established ({string.Join(' ', (r ?? []).Take(3))})");
            return null;
        }
        var cells = Cells(c.Points);
        var text = new StringBuilder();
        text.Append($"COUNTEREXAMPLE to {o.Name}: it is NOT true that {o.Meaning}.\n");
        text.Append($"    found by {foundBy} on {c.MachineName}\n");
        text.Append($"    pre-state: {c.StateText} (satisfies Inv: proved)\n");
        text.Append($"    call: {op}: {c.Why}; {(r[1] == "unsat" ? "succeeds (returns None)" : "does not return None")}\n");
        text.Append($"    arguments: {args}\n");
        text.Append($"    post-state: built from {op}'s definition; {op}(pre, call, post) proved\n");
        text.Append($"    broken: {clause} at");
        for (int k = 0; k < c.Points.Count; k++)
        {
            text.Append(k == 0 ? " " : ", ").Append(c.Points[k].Name).Append(" = ").Append(Value(r[3 + k]));
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
        if (runs is not null)
        {
            // the run's constants under the obligation's own names, then where the view differs and its cells before/after
            (string pre, string post) = (runs.States[0].Pre, runs.States[0].Post!);
            var defs = new StringBuilder(RelationalSearch.Header(spec)).Append(c.Machine).Append(c.States);
            defs.Append($"(define-fun cx.a () {o.ArgsSort} {args})(define-fun {runs.Action} () {o.ArgsSort} cx.a)");
            defs.Append($"(define-fun {pre} () State {c.W})(define-fun {post} () State {c.Post})\n");
            for (int k = 0; k < c.Points.Count; k++)
            {
                string sort = c.Decls.Split(")(", StringSplitOptions.None).First(d => d.Contains($" {c.Points[k].Term} ", StringComparison.Ordinal)).Trim('(', ')').Split(' ', 3)[2];
                defs.Append($"(define-fun {c.Points[k].Name} () {sort} {PointValue(r[3 + k])})\n");
            }
            text.Append(RelationalSearch.Where(spec, solver, runs, defs.ToString()).TrimStart('\n')).Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    // the value of a get-value answer ((term value)), as the solver wrote it
    private static string PointValue(string answer)
    {
        List<Sx> parsed = Sx.ParseAll(answer);
        return parsed.Count == 1 && parsed[0].Items.Count == 1 && parsed[0].Items[0].Items.Count == 2 ? parsed[0].Items[0].Items[1].ToString() : answer;
    }

    // The clause at the proposed points (constants now) is refuted on the ground terms.
    private static bool Refuted(Spec spec, ISolver solver, string prelude, string argsSort, string args, Hit c, List<string> r, long remainingMs)
    {
        if (remainingMs <= 0)
        {
            return false;
        }
        var q = new StringBuilder(spec.Text).Append(prelude);
        q.Append($"(define-fun cx.a () {argsSort} {args})(define-fun cx.post () State {c.Post})\n");
        for (int k = 0; k < c.Points.Count; k++)
        {
            List<string> outer = SExpr.SplitTop(r[3 + k].Length > 2 ? r[3 + k][1..^1] : r[3 + k]);
            List<string> pair = outer.Count > 0 ? SExpr.SplitTop(outer[0].Length > 2 ? outer[0][1..^1] : outer[0]) : [];
            if (pair.Count < 2)
            {
                return false;
            }
            string decl = c.Decls.Split(")(", StringSplitOptions.None).First(d => d.Contains($" {c.Points[k].Term} ", StringComparison.Ordinal));
            string sort = decl.Trim('(', ')').Split(' ', 3)[2];
            q.Append($"(define-fun {c.Points[k].Term} () {sort} {pair[^1]})\n");
        }
        q.Append($"(assert {c.Neg})(check-sat)\n");
        List<string> a = SExpr.SplitTop(solver.Run(q.ToString(), (int)remainingMs));
        return a.Count > 0 && a[0] == "unsat";
    }

    // The point query after establishment: the clause fails at the points, with the cells to show.
    /// <summary>What establishing a candidate refutes, part by part: the pre-state's invariant, the call's precondition, the step.</summary>
    private static List<string> EstablishedParts(string op, string w) => [$"(Inv {w})", $"({op}_pre {w} cx.a)", $"({op} {w} cx.a cx.post)"];

    /// <summary>The answers with the parts' answers folded into one: unsat when every part was refuted, else the first other answer.</summary>
    private static List<string> Established(List<string> answers, int parts)
    {
        if (answers.Count < parts)
        {
            return answers;
        }
        string folded = answers.Take(parts).FirstOrDefault(a => a != "unsat") ?? "unsat";
        return [folded, .. answers.Skip(parts)];
    }

    private static string Explaining(string decls, string neg, List<(string Name, string Term)> points, string op, string w)
    {
        var est = new StringBuilder();
        // whether the step succeeds, by refutation (its error term has quantifiers: not a model value)
        est.Append($"(push)(assert (not (= ({op}_err {w} cx.a) SliceError.None)))(check-sat)(pop)\n{decls}");
        int nv = 0;
        foreach ((string _, IReadOnlyList<(string Term, string Sort)> terms) in Cells(points))
        {
            foreach (string st in new[] { w, "cx.post" })
            {
                foreach ((string term, string sort) in terms)
                {
                    est.Append($"(declare-const cx.v{nv} {sort})(assert (= cx.v{nv} {term.Replace("S)", st + ")", StringComparison.Ordinal)}))");
                    nv++;
                }
            }
        }
        est.Append($"(assert (not {neg}))(check-sat)\n");
        foreach ((string _, string term) in points)
        {
            est.Append($"(get-value ({term}))\n");
        }
        for (int v = 0; v < nv; v++)
        {
            est.Append($"(get-value (cx.v{v}))\n");
        }
        return est.ToString();
    }

    // A start or destroy: the branch witnesses name slot 1 (or an invalid slot), so the same call is also tried at
    // every other guest slot of the witness machine (1..3), where its effect on the OTHER live slots shows (a
    // destroy that frees what another slot holds). And one whose fault names a core or device: the fault is the
    // environment's choice, so besides the branch witness's choice the faulting core (device) is tried at every
    // index of the witness machine and one past it (4 cores, 2 devices): a spec that lets a fault touch what it
    // should not is caught wherever.
    private static IEnumerable<(string State, string Args, string Why)> FaultVariants(string state, string args, string why)
    {
        yield return (state, args, why);
        Sx call = Sx.ParseAll(args)[0];
        if (!(call.Is("mk-start-args") || call.Is("mk-destroy-args")) || call.Items.Count < 5)
        {
            yield break;
        }
        if (call.Items[1].Atom is "#x0001" or "#x0002" or "#x0003")
        {
            for (int slot = 1; slot <= 3; slot++)
            {
                string at = "#x" + slot.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
                if (at != call.Items[1].Atom)
                {
                    Sx[] items = [.. call.Items];
                    items[1] = Sx.A(at);
                    yield return (state, Sx.L(items).ToString(), $"{why}, at slot {slot}");
                }
            }
        }
        if (call.Items[2].Atom is "#x00" or null)
        {
            yield break;
        }
        for (int index = 0; index <= 4; index++)
        {
            string at = "#x" + index.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
            foreach ((int field, string what) in new[] { (3, "core"), (4, "device") })
            {
                if (field == 4 && index > 2)
                {
                    continue;
                }
                Sx[] items = [.. call.Items];
                items[field] = Sx.A(at);
                yield return (state, Sx.L(items).ToString(), $"{why}, the fault naming {what} {index}");
            }
        }
    }

    // The call as written, then (for a request with first-failing-item witnesses) each such witness
    // replaced by its list's count ("no item fails"): the fields named c.k* after c.nc / c.nr / c.nd.
    private static IEnumerable<string> GhostVariants(string args)
    {
        yield return args;
        Sx call = Sx.ParseAll(args)[0];
        if (!call.Is("mk-create-args") || call.Items.Count < 14)
        {
            yield break;
        }
        // positions (1-based after the constructor): nc 1, nr 3, nd 6, nw 19, ndma 25; kc 11, kr 12, kd 13, kw 23, kdma 30;
        // the cache-domain witnesses: kdw 34 (count ndw 31), kdom 37 (count: the machine's nDoms), kmiss 40 (count nc 1)
        Sx nDoms = Sx.ParseAll("nDoms")[0];
        (int K, Sx N)[] ghosts = call.Items.Count > 40
            ? [(11, call.Items[1]), (12, call.Items[3]), (13, call.Items[6]), (23, call.Items[19]), (30, call.Items[25]), (34, call.Items[31]), (37, nDoms), (40, call.Items[1])]
            : call.Items.Count > 30
                ? [(11, call.Items[1]), (12, call.Items[3]), (13, call.Items[6]), (23, call.Items[19]), (30, call.Items[25])]
                : [(11, call.Items[1]), (12, call.Items[3]), (13, call.Items[6])];
        // one witness moved first (a broken spec usually lets one more item through), then two, and so on
        foreach (int mask in Enumerable.Range(1, (1 << ghosts.Length) - 1).OrderBy(m => System.Numerics.BitOperations.PopCount((uint)m)).ThenBy(m => m))
        {
            var items = call.Items.ToArray();
            for (int g = 0; g < ghosts.Length; g++)
            {
                if ((mask & (1 << g)) != 0)
                {
                    items[ghosts[g].K] = ghosts[g].N;
                }
            }
            yield return Sx.L(items).ToString();
        }
    }

    /// <summary>The runs of a relational obligation with exactly one run, which has a step (null otherwise).</summary>
    internal static RelationalRuns? OneRun(Obligation o) =>
        o.Runs is { } r && r.States.Count == 1 && r.States[0].Post is not null ? r : null;

    // A one-run relational obligation at a library pair: its pre-state the library state, its post-state the built
    // one, its action the call; its other constants (a domain) free points. The relation (premises and negated
    // conclusion) is returned negated, as a clause is, so the caller's (not …) asks for the relation to hold.
    private static (string Decls, string Body, List<(string Name, string Term)> Points) RelationInstance(Obligation o, RelationalRuns runs, string pre)
    {
        (string Pre, string? Post) run = runs.States[0];
        var env = new Dictionary<string, Sx>(StringComparer.Ordinal) { [run.Pre] = Sx.A(pre), [run.Post!] = Sx.A("cx.post"), [runs.Action] = Sx.A("cx.a") };
        var decls = new StringBuilder();
        var points = new List<(string, string)>();
        foreach (Sx d in Sx.ParseAll(o.Query).Where(x => x.Is("declare-const") && x.Items.Count == 3 && !env.ContainsKey(x.Items[1].Atom!)))
        {
            string name = d.Items[1].Atom!;
            decls.Append($"(declare-const cx.{name} {d.Items[2]})");
            env[name] = Sx.A($"cx.{name}");
            points.Add((name, $"cx.{name}"));
        }
        string relation = string.Join(' ', runs.Relation.Select(x => Sx.ParseAll(x)[0].Subst(env).ToString()));
        return (decls.ToString(), $"(not (and {relation}))", points);
    }

    // The clause's body on the post-state with every top-level forall's variables as free constants
    // (so its negation is a quantifier-free "somewhere it fails"); the constants are returned as points.
    internal static (string Decls, string Body, List<(string Name, string Term)> Points) NegatedInstance(Sx def, string pre, string op, string argsSort)
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
            if (sort == argsSort)
            {
                env[name] = Sx.A("cx.a");
            }
            else if (sort == "State")
            {
                env[name] = Sx.A(ps.Count(p => p.Items[1].Atom == "State") == 1 || k > 0 ? "cx.post" : pre);
            }
            else if (sort == "Bool" && k == ps.Count - 1 && ps.Count == 4)
            {
                env[name] = Sx.ParseAll(ObligationGenerator.MayReset(op, pre, "cx.a", env[ps[2].Items[0].Atom!].ToString()))[0];
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
        if (e.Is("=>") && e.Items.Count == 3)
        {
            // the conclusion is in positive position: its foralls become points too
            return Sx.L(e.Items[0], e.Items[1], Instantiate(e.Items[2], decls, points));
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
                cells.Add(($"slot {name}: state, range count, window count, window 0's permission, DMA row count",
                    [($"(select (st S) {t})", "SState"), ($"(select (tblN S) {t})", "Idx"), ($"(select (tblWN S) {t})", "Idx"),
                     ($"(select (select (tblWPerm S) {t}) #x0000)", "Perm"), ($"(select (tblDN S) {t})", "Idx")]));
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
}
