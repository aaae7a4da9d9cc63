using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// The parts of the SMT search over free values (<see cref="BoundedSearch"/>) that are about a RELATIONAL
/// obligation (<see cref="Obligation.Runs"/>: noninterference's runs of one action): each run's post-state is
/// built from the operation's definition (<see cref="Successor"/>), as the one-step search builds s2, instead
/// of being a free state held by the step as a hypothesis (with free post-states the instances were two to four
/// times larger and the models were not confirmed on the unbounded step: spec/README.md). The pre-states and the
/// action are free; the hypotheses are each run's Inv and precondition in full (a hypothesis selection only
/// weakens them), then the obligation's own relation (its premises and negated conclusion). Nothing here knows
/// an operation, a view or a leak: the runs are read from the obligation.
/// </summary>
public static class RelationalSearch
{
    /// <summary>Time to re-establish one candidate on the unbounded definitions (two runs: two Inv, two steps).</summary>
    public const int ConfirmMs = 30_000;

    /// <summary>Time to name where an established counterexample's view differs (only its printing waits on it).</summary>
    public const int WhereMs = 10_000;

    /// <summary>
    /// For the round with free frames: a free State per post-state, whose fields stand for the cells its step
    /// leaves unconstrained (the step is then a hypothesis); empty otherwise.
    /// </summary>
    public static Dictionary<string, Sx> Frames(StateTemplates templates, RelationalRuns runs, bool freeFrame)
    {
        var frames = new Dictionary<string, Sx>(StringComparer.Ordinal);
        if (freeFrame)
        {
            foreach ((string _, string? post) in runs.States)
            {
                if (post is not null)
                {
                    frames[post] = templates.Build(Sx.A("State"), "v." + post);
                }
            }
        }
        return frames;
    }

    /// <summary>
    /// The names each post-state is built over (alias, constant): a pre-state's or the action's own name may be bound
    /// inside the step's definition (DestroySlice binds the slot it frees as t), and unfolding the step over it would
    /// capture it, so the step is unfolded over names no spec binds, each defined as the constant it stands for.
    /// </summary>
    public static List<(string Alias, string Name)> Aliases(RelationalRuns runs) =>
        [.. runs.States.Select((r, k) => ($"run!pre{k}", r.Pre)), ("run!act", runs.Action)];

    /// <summary>Each post-state built from its run's step, over the <see cref="Aliases"/>; null when one cannot be built.</summary>
    public static Dictionary<string, Sx>? Posts(Spec spec, SmtVocabulary vocab, RelationalRuns runs, IReadOnlyDictionary<string, Sx> frames)
    {
        var successor = new Successor(spec.Text);
        var posts = new Dictionary<string, Sx>(StringComparer.Ordinal);
        for (int k = 0; k < runs.States.Count; k++)
        {
            string? post = runs.States[k].Post;
            if (post is null)
            {
                continue;
            }
            string? term = successor.Candidate(runs.Operation, $"run!pre{k}", "run!act", FieldsOf(vocab, frames.GetValueOrDefault(post)));
            if (term is null)
            {
                return null;
            }
            posts[post] = Sx.ParseAll(term)[0];
        }
        return posts;
    }

    /// <summary>The field values of a State constructor term, by field name (null when there is none).</summary>
    public static Func<string, string>? FieldsOf(SmtVocabulary vocab, Sx? state)
    {
        if (state is null || !vocab.Datatypes.TryGetValue("State", out SmtVocabulary.Datatype? dt) || state.Items.Count != dt.Fields.Count + 1)
        {
            return null;
        }
        var byField = dt.Fields.Select((f, k) => (f.Field, Term: state.Items[k + 1].ToString())).ToDictionary(x => x.Field, x => x.Term, StringComparer.Ordinal);
        return f => byField[f];
    }

    /// <summary>
    /// What the bounded query asserts, the negated conclusion first (its points are then instantiated in every
    /// hypothesis): the machine, each run's Inv and precondition (and its step, when its frame is free), then the
    /// obligation's premises.
    /// </summary>
    public static List<Sx> Goals(RelationalRuns runs, bool withSteps) =>
        [.. Sx.ParseAll(runs.Relation[^1]), .. Sx.ParseAll(string.Join(' ', Hypotheses(runs, withSteps)))];

    // the hypotheses as text, in the order they are confirmed
    private static IEnumerable<string> Hypotheses(RelationalRuns runs, bool withSteps)
    {
        yield return "Machine_WellFormed";
        foreach ((string pre, string? post) in runs.States)
        {
            yield return $"(Inv {pre})";
            yield return $"({runs.Operation}_pre {pre} {runs.Action})";
            if (post is not null && withSteps)
            {
                yield return $"({runs.Operation} {pre} {runs.Action} {post})";
            }
        }
        foreach (string premise in runs.Relation.Take(runs.Relation.Count - 1))
        {
            yield return premise;
        }
    }

    /// <summary>
    /// Re-establishes a bounded model on the unbounded definitions and prints it: the pre-states, the action and
    /// the other constants as the model gave them (ground terms), each post-state built from its step over them;
    /// the machine's well-formedness, each run's Inv, precondition and step, and each premise proved (its negation
    /// refuted), the negated conclusion satisfiable. Null (with a note) when any of it is not shown.
    /// </summary>
    public static string? Confirm(Spec spec, ISolver solver, Obligation o, SmtVocabulary vocab, RelationalRuns runs,
        Dictionary<string, Sx> ground, Dictionary<string, Sx> values, List<(string Name, Sx Sort)> scalars,
        Dictionary<string, Sx> frames, string foundBy, List<string> notes)
    {
        var script = new StringBuilder(Header(spec)).Append(BoundedSearch.MachineAssertions());
        var pres = runs.States.Select(r => r.Pre).Distinct().ToList();
        foreach (string name in pres.Append(runs.Action))
        {
            if (!ground.TryGetValue(name, out Sx? v))
            {
                notes.Add($"bounded model has no value for {name}");
                return null;
            }
            script.Append($"(define-fun {name} () {(name == runs.Action ? o.ArgsSort : "State")} {v})\n");
        }
        foreach ((string name, Sx sort) in scalars)
        {
            if (!values.TryGetValue(name, out Sx? v))
            {
                notes.Add($"bounded model has no value for {name}");
                return null;
            }
            script.Append($"(define-fun {name} () {sort} {v})\n");
        }
        foreach ((string alias, string name) in Aliases(runs))
        {
            script.Append($"(define-fun {alias} () {(name == runs.Action ? o.ArgsSort : "State")} {name})\n");
        }
        Dictionary<string, Sx>? posts = Posts(spec, vocab, runs, frames);
        foreach ((string post, Sx term) in posts ?? [])
        {
            script.Append($"(define-fun {post} () State {term})\n");
        }
        List<string> hyps = [.. Hypotheses(runs, withSteps: true)];
        foreach (string h in hyps)
        {
            script.Append($"(push)(assert (not {h}))(check-sat)(pop)\n");
        }
        script.Append($"(push)(assert {runs.Relation[^1]})(check-sat)(pop)\n");
        List<string> r = SExpr.SplitTop(solver.Run(script.ToString(), ConfirmMs));
        if (r.Count <= hyps.Count || r.Take(hyps.Count).Any(x => x != "unsat") || r[hyps.Count] != "sat")
        {
            notes.Add($"a relational model was not confirmed on the unbounded definitions ({string.Join(' ', r.Take(hyps.Count + 1))})");
            return null;
        }
        var sb = new StringBuilder($"COUNTEREXAMPLE to {o.Name}: it is NOT true that {o.Meaning}.");
        sb.Append($"\n    found by {foundBy}");
        sb.Append("\n    machine: the search machine (3 cores, core 0 control; 2 slots; 2 devices; 3 ways, way 0 control; 2 range registers; reserved [0, 4K), control [4K, 8K); well-formed: proved)");
        string postNames = string.Join(", ", runs.States.Where(x => x.Post is not null).Select(x => $"{x.Post} from {x.Pre}"));
        sb.Append($"\n    {runs.States.Count} run(s) of {runs.Operation} with the same action {runs.Action}; each pre-state satisfies Inv and the precondition (proved)");
        sb.Append(postNames.Length > 0 ? $"; post-states {postNames} built from {runs.Operation}'s definition, each step proved" : string.Empty);
        foreach (string pre in pres)
        {
            sb.Append($"\n    {pre} = {BoundedSearch.Describe(vocab, ground[pre])}");
        }
        sb.Append($"\n    action {runs.Action} = {BoundedSearch.Compact(ground[runs.Action])}");
        if (scalars.Count > 0)
        {
            sb.Append($"\n    constants: {string.Join(", ", scalars.Select(x => $"{x.Name} = {Counterexample.Decimal(values[x.Name].ToString())}"))}");
        }
        foreach (string premise in runs.Relation.Take(runs.Relation.Count - 1))
        {
            sb.Append($"\n    premise (proved on these values): {premise}");
        }
        sb.Append($"\n    broken (satisfiable on these values): {runs.Relation[^1]}");
        // the definitions without the hypotheses' checks: where the conclusion fails, in a query of its own
        int defsEnd = script.ToString().IndexOf("(push)", StringComparison.Ordinal);
        sb.Append(Where(spec, solver, runs, script.ToString(0, defsEnd)));
        return sb.ToString();
    }

    /// <summary>
    /// Where the negated conclusion of <paramref name="runs"/> fails, on states already defined in
    /// <paramref name="definitions"/> (the spec, the machine, every constant of the runs as a define-fun): the point
    /// and every cell the view reads there in each state, or both sides of an output; empty when the solver names none.
    /// </summary>
    public static string Where(Spec spec, ISolver solver, RelationalRuns runs, string definitions)
    {
        var script = new StringBuilder(definitions);
        (string where, List<string> cells) = Difference(spec, runs, script);
        if (cells.Count == 0)
        {
            return string.Empty;
        }
        List<string> r = SExpr.SplitTop(solver.Run(script.ToString(), WhereMs));
        int first = where.Length > 0 ? 2 : 1;
        if (r.Count < first + cells.Count || r[0] != "sat")
        {
            return $"\n      where it differs: not named by the solver ({string.Join(' ', r.Take(1))})";
        }
        var values = cells.Select((c, k) => Value(r[first + k])).ToList();
        Decide(solver, definitions, where.Length > 0 ? r[1] : null, cells, r.Skip(first).Take(cells.Count).ToList(), values);
        var sb = new StringBuilder(where.Length > 0 ? $"\n      where it differs: {Pairs(r[1])}" : "\n      the two sides:");
        for (int k = 0; k < cells.Count; k++)
        {
            sb.Append($"\n        {cells[k]} = {values[k]}");
        }
        return sb.ToString();
    }

    // A value the model left as a term over quantified guards (a post-state built under CreateSlice's guards) is decided
    // by refutation: the first of its ite's leaves the cell is proved equal to (at the points the model named).
    private static void Decide(ISolver solver, string definitions, string? pointAnswer, List<string> cells, List<string> answers, List<string> values)
    {
        var open = Enumerable.Range(0, cells.Count).Where(k => answers[k].Contains("forall", StringComparison.Ordinal) || answers[k].Contains("exists", StringComparison.Ordinal)).ToList();
        if (open.Count == 0)
        {
            return;
        }
        var script = new StringBuilder(definitions);
        foreach (Sx pair in pointAnswer is null ? [] : Sx.ParseAll(pointAnswer).SelectMany(x => x.Items).Where(p => p.Items.Count == 2))
        {
            script.Append($"(define-fun {pair.Items[0]} () {SortOfLiteral(pair.Items[1])} {pair.Items[1]})\n");
        }
        var asked = new List<(int Cell, Sx Leaf)>();
        foreach (int k in open)
        {
            Sx value = Sx.ParseAll(answers[k])[0];
            value = value.Items.Count == 1 && value.Items[0].Items.Count == 2 ? value.Items[0].Items[1] : value;
            foreach (Sx leaf in Leaves(value))
            {
                script.Append($"(push)(assert (not (= {cells[k]} {leaf})))(check-sat)(pop)\n");
                asked.Add((k, leaf));
            }
        }
        List<string> r = SExpr.SplitTop(solver.Run(script.ToString(), WhereMs));
        foreach (int k in open)
        {
            int i = asked.FindIndex(q => q.Cell == k && asked.IndexOf(q) < r.Count && r[asked.IndexOf(q)] == "unsat");
            values[k] = i >= 0 ? BoundedSearch.Compact(asked[i].Leaf) + " (proved)" : "(not decided: the post-state's guards are quantified)";
        }
    }

    // the literal leaves of a value's ite/let structure
    private static IEnumerable<Sx> Leaves(Sx e)
    {
        if (e.Atom is { } a)
        {
            return a.StartsWith('#') || a is "true" or "false" ? [e] : [];
        }
        if (e.Is("let") && e.Items.Count == 3)
        {
            return Leaves(e.Items[2]);
        }
        if (e.Is("ite") && e.Items.Count == 4)
        {
            return Leaves(e.Items[2]).Concat(Leaves(e.Items[3]));
        }
        return [];
    }

    // the sort of a point's value as the solver wrote it (a bit-vector literal or a Boolean)
    private static string SortOfLiteral(Sx v) =>
        v.Atom is { } a && a.StartsWith("#x", StringComparison.Ordinal) ? $"(_ BitVec {4 * (a.Length - 2)})"
        : v.Atom is { } b && b.StartsWith("#b", StringComparison.Ordinal) ? $"(_ BitVec {b.Length - 2})" : "Bool";

    /// <summary>The start of a confirming query: models on, the spec.</summary>
    public static string Header(Spec spec) => "(set-option :produce-models true)\n" + spec.Text + "\n";

    // an eval answer (the value itself) or a get-value answer ((name value))
    private static string Value(string answer)
    {
        List<Sx> parsed = Sx.ParseAll(answer);
        if (parsed.Count == 1 && parsed[0].Atom is null && parsed[0].Items.Count == 1 && parsed[0].Items[0].Items.Count == 2
            && parsed[0].Items[0].Items[0].Atom is { } n && n.StartsWith("cx.cell", StringComparison.Ordinal))
        {
            return BoundedSearch.Compact(parsed[0].Items[0].Items[1]);
        }
        return parsed.Count > 0 ? BoundedSearch.Compact(parsed[0]) : answer;
    }

    // the sort of a read (select … (F S) …) of a State field, from the field's sort; null when it is not one
    private static Sx? CellSort(SmtVocabulary vocab, Sx cell)
    {
        int depth = 0;
        while (cell.Is("select") && cell.Items.Count == 3)
        {
            depth++;
            cell = cell.Items[1];
        }
        if (cell.Items.Count != 2 || cell.Items[0].Atom is not { } field || !vocab.Datatypes.TryGetValue("State", out SmtVocabulary.Datatype? dt))
        {
            return null;
        }
        Sx? sort = dt.Fields.FirstOrDefault(f => f.Field == field).Sort;
        for (int d = 0; d < depth && sort is not null; d++)
        {
            sort = vocab.IsArray(sort, out _, out Sx element) ? element : null;
        }
        return sort;
    }

    // a get-value answer ((name value) …) as "name = value, …"
    private static string Pairs(string answer)
    {
        List<Sx> parsed = Sx.ParseAll(answer);
        return parsed.Count == 1 && parsed[0].Atom is null
            ? string.Join(", ", parsed[0].Items.Where(p => p.Items.Count == 2).Select(p => $"{p.Items[0]} = {BoundedSearch.Compact(p.Items[1])}"))
            : answer;
    }

    /// <summary>
    /// Appends to <paramref name="script"/> a query that names where the negated conclusion fails: when it is the
    /// negation of a defined relation (a view component), its top-level universal variables become constants and
    /// every cell its body reads there is evaluated in each state; when it is a disequality (an output), both sides.
    /// Returns the points' names (empty for a disequality: no get-value is asked) and the terms evaluated, in order.
    /// </summary>
    private static (string Where, List<string> Cells) Difference(Spec spec, RelationalRuns runs, StringBuilder script)
    {
        Sx conclusion = Sx.ParseAll(runs.Relation[^1])[0];
        if (!conclusion.Is("not") || conclusion.Items.Count != 2)
        {
            return (string.Empty, []);
        }
        Sx inner = conclusion.Items[1];
        if (inner.Is("=") && inner.Items.Count == 3)
        {
            script.Append($"(assert {conclusion})(check-sat)(eval {inner.Items[1]})(eval {inner.Items[2]})\n");
            return (string.Empty, [inner.Items[1].ToString(), inner.Items[2].ToString()]);
        }
        Dictionary<string, Sx> defs = Branches.Signatures(spec.Text);
        if (inner.Atom is not null || inner.Items[0].Atom is not { } head || !defs.TryGetValue(head, out Sx? def) || def.Items[2].Items.Count != inner.Items.Count - 1)
        {
            return (string.Empty, []);
        }
        var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
        for (int k = 0; k < inner.Items.Count - 1; k++)
        {
            env[def.Items[2].Items[k].Items[0].Atom!] = inner.Items[k + 1];
        }
        var points = new List<(string Name, string Sort)>();
        Sx body = Points(def.Items[4].Subst(env), points);
        if (points.Count == 0)
        {
            return (string.Empty, []);
        }
        var states = runs.States.SelectMany(r => r.Post is null ? new[] { r.Pre } : new[] { r.Pre, r.Post }).ToList();
        var cells = new List<string>();
        foreach (string cell in Reads(Inline(body, defs, points, 0), points, states))
        {
            // the same cell in every state of the runs (a view compares post-states; their pre-states show what the step did)
            foreach (string st in states)
            {
                string term = Sx.ParseAll(cell)[0].Subst(new Dictionary<string, Sx>(StringComparer.Ordinal) { ["S!"] = Sx.A(st) }).ToString();
                if (!cells.Contains(term))
                {
                    cells.Add(term);
                }
            }
        }
        script.Append(string.Concat(points.Select(p => $"(declare-const {p.Name} {p.Sort})")));
        // a scalar cell is named by a constant equal to it, so the model decides it: eval leaves a cell of a post-state
        // built under quantified guards (CreateSlice's) as the guard's text; an array cell is evaluated as it is
        var vocab = new SmtVocabulary(spec.Text);
        var reads = new List<string>();
        for (int k = 0; k < cells.Count; k++)
        {
            if (CellSort(vocab, Sx.ParseAll(cells[k])[0]) is { } sort && !vocab.IsArray(sort, out _, out _))
            {
                script.Append($"(declare-const cx.cell{k} {sort})(assert (= cx.cell{k} {cells[k]}))");
                reads.Add($"(get-value (cx.cell{k}))");
            }
            else
            {
                reads.Add($"(eval {cells[k]})");
            }
        }
        script.Append($"(assert (not {body}))(check-sat)(get-value ({string.Join(' ', points.Select(p => p.Name))}))\n");
        script.Append(string.Join('\n', reads)).Append('\n');
        return (string.Join(", ", points.Select(p => p.Name)), cells);
    }

    // the body's universal variables in positive position (under and, =>'s conclusion, ite's branches) become constants
    private static Sx Points(Sx e, List<(string Name, string Sort)> points)
    {
        if (e.Is("and"))
        {
            return Sx.L([e.Items[0], .. e.Items.Skip(1).Select(x => Points(x, points))]);
        }
        if (e.Is("=>") && e.Items.Count == 3)
        {
            return Sx.L(e.Items[0], e.Items[1], Points(e.Items[2], points));
        }
        if (e.Is("ite") && e.Items.Count == 4)
        {
            return Sx.L(e.Items[0], e.Items[1], Points(e.Items[2], points), Points(e.Items[3], points));
        }
        if (e.Is("forall") && e.Items.Count == 3)
        {
            var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
            foreach (Sx v in e.Items[1].Items)
            {
                string name = $"cx.{v.Items[0].Atom}{points.Count}";
                points.Add((name, v.Items[1].ToString()));
                env[v.Items[0].Atom!] = Sx.A(name);
            }
            return Points((e.Items[2].Is("!") ? e.Items[2].Items[1] : e.Items[2]).Subst(env), points);
        }
        return e;
    }

    // define-funs called on a point inlined (a few levels), so the cells they read are visible
    private static Sx Inline(Sx e, Dictionary<string, Sx> defs, List<(string Name, string Sort)> points, int depth)
    {
        if (e.Atom is not null || depth > 4)
        {
            return e;
        }
        var items = e.Items.Select(x => Inline(x, defs, points, depth)).ToList();
        if (items[0].Atom is { } head && defs.TryGetValue(head, out Sx? def) && def.Items[2].Items.Count == items.Count - 1
            && items.Skip(1).Any(x => points.Exists(p => x.Mentions(p.Name))))
        {
            var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
            for (int k = 1; k < items.Count; k++)
            {
                env[def.Items[2].Items[k - 1].Items[0].Atom!] = items[k];
            }
            return Inline(def.Items[4].Subst(env), defs, points, depth + 1);
        }
        return Sx.L(items);
    }

    // the outermost reads (select … point) of a state, with the state replaced by the placeholder S!
    private static List<string> Reads(Sx e, List<(string Name, string Sort)> points, List<string> states)
    {
        var found = new List<string>();
        var placeholder = states.ToDictionary(x => x, _ => Sx.A("S!"), StringComparer.Ordinal);
        void Walk(Sx x)
        {
            if (x.Atom is not null)
            {
                return;
            }
            if (x.Is("select") && points.Exists(p => x.Mentions(p.Name)) && states.Exists(x.Mentions))
            {
                string t = x.Subst(placeholder).ToString();
                if (!found.Contains(t))
                {
                    found.Add(t);
                }
                return;
            }
            foreach (Sx i in x.Items)
            {
                Walk(i);
            }
        }
        Walk(e);
        return found;
    }
}
