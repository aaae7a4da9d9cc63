using System.Diagnostics;
using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// The SMT counterexample search over FREE values, for any obligation that is not proved (a step, a lemma,
/// init, Inv ⇒ property, a PMP table obligation). The obligation's own query is asked again, bounded:
/// <list type="bullet">
/// <item>every size is fixed small: on the slicevisor's model the machine is the search machine below (its
/// constants and predicates are macros); in a query with no machine (80-pmp) every 16-bit constant (entries
/// n, regions m, and the other indices) is bounded by B, for B = 2, 3, 4, 6 in turn, smallest first;</item>
/// <item>every array or datatype constant (the pre-state s, the call a, PMP tables) is a free value with a
/// finite description (<see cref="StateTemplates"/>); for a step the post-state is built from the
/// operation's own definition (<see cref="Successor"/>), so s and a are free and s' follows;</item>
/// <item>every quantifier is instantiated at representative points (<see cref="FiniteInstance"/>), so the
/// query is quantifier-free; a second round adds, to every address quantifier, every point the first
/// round's bodies named.</item>
/// </list>
/// A model is never reported as it stands: its values are put into the templates (ground terms) and the
/// obligation is re-established on the UNBOUNDED definitions — each hypothesis proved by refuting its
/// negation, the negated goal shown satisfiable (a step goes through <see cref="CounterexampleSearch.Establish"/>,
/// which prints the pre-state, the call, the broken clause at a concrete point and its cells before/after).
/// Nothing here knows a bug, an operation or a clause by name.
/// </summary>
public static class BoundedSearch
{
    /// <summary>Time for the whole search of one obligation (all rounds), besides establishing a hit.</summary>
    public const int BudgetMs = 90_000;

    /// <summary>
    /// Most time one round's solver query may take. 60 s, not 40: `ipi-forgets-iommu-frame` is found by the
    /// second round, sat in 24 s on a quiet machine since the DMA rows grew the State, and a CI run under load
    /// cut that round at 40 s (2026-12-07). The whole search stays bounded by <see cref="BudgetMs"/>.
    /// </summary>
    public const int RoundMs = 60_000;

    /// <summary>Most instances one round may build (<see cref="FiniteInstance.MaxInstances"/>).</summary>
    public const int RoundInstances = 100_000;

    /// <summary>
    /// The search machine: 3 cores (core 0 control), 2 slots, 2 devices, 3 ways (way 0 control), 2 range
    /// registers, 4 KiB granule, reserved [0, 4K), control memory [4K, 8K); RAM coverage left as loose as
    /// Machine_WellFormed leaves it (every range), so ranges near 2^64 are in the space too.
    /// (name, parameters, body) — used as macros in the bounded query and as definitional foralls when a
    /// hit is established.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Params, string Body)> Machine =
    [
        ("nCores", "", "#x0003"), ("nSlots", "", "#x0002"), ("nDevs", "", "#x0002"), ("nDoms", "", "#x0001"), ("nRR", "", "#x0002"),
        ("gran", "", "#x0000000000001000"),
        ("controlCore", "(c Core)", "(= c #x0000)"),
        ("controlWay", "(w Way)", "(= w #x0000)"),
        ("domWays", "(d Way)", "#x0003"), ("coreDom", "(c Core)", "#x0000"), ("domContig", "(d Way)", "false"),
        ("domMaxCls", "(d Way)", "#x0000"), ("domMinWidth", "(d Way)", "#x0000"),
        ("reservedMem", "(x Addr)", "(bvult x #x0000000000001000)"),
        ("controlMem", "(x Addr)", "(and (bvuge x #x0000000000001000) (bvult x #x0000000000002000))"),
        ("ramCovers", "(b Addr) (z Addr)", "true"),
    ];

    /// <summary>How many indices of each index sort hold their own value in a free state on the search machine.</summary>
    private static int MachineIndices(Sx sort) => sort.Atom switch
    {
        "Dev" => 2,
        _ => 3,
    };

    /// <summary>Address-indexed arrays (ownership, last writer) have this many pieces.</summary>
    public const int Pieces = 5;

    private static readonly int[] Bounds = [2, 3, 4, 6];

    /// <summary>The search machine as assertions (the form the unbounded definitions are checked on).</summary>
    public static string MachineAssertions()
    {
        var sb = new StringBuilder();
        foreach ((string name, string ps, string body) in Machine)
        {
            if (ps.Length == 0)
            {
                sb.Append($"(assert (= {name} {body}))");
            }
            else
            {
                string args = string.Join(' ', Sx.ParseAll(ps).Select(p => p.Items[0].Atom));
                sb.Append($"(assert (forall ({ps}) (= ({name} {args}) {body})))");
            }
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>
    /// Spec functions written out for the search machine alone, each equal to the spec's body on it: used as macros in
    /// the bounded query only (a hit is established with the spec's own bodies). <c>isWay</c> on one domain of 3 ways is
    /// <c>w &lt; 3</c>, and <c>wayInCoreDomain</c> (every core in domain 0) is <c>w &lt; 64</c>; the spec's forms
    /// (<c>w &gt;&gt; 6 &lt; nDoms</c> and <c>w &amp; 63 &lt; domWays</c>; <c>w &gt;&gt; 6 = 0</c>) at the skolem points made the rounds' queries 2-3x slower (the searches of weak-delivered-any-owner, start-window-wrong-index
    /// and leak-ipi-mask-foreign-core: sat in 19, 13 and 18 s before cache domains, 37 s each with the spec's form).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Params, string Body)> Simplifications =
    [
        ("isWay", "(w Way)", "(bvult w #x0003)"),
        ("wayInCoreDomain", "(w Way) (c Core)", "(bvult w #x0040)"),
    ];

    private static Dictionary<string, SmtVocabulary.Fun> MachineMacros() =>
        Machine.Concat(Simplifications).ToDictionary(m => m.Name, m => new SmtVocabulary.Fun(
            [.. Sx.ParseAll(m.Params).Select(p => (p.Items[0].Atom!, p.Items[1]))], Sx.ParseAll(m.Body)[0]), StringComparer.Ordinal);

    /// <summary>Searches; returns the counterexample text, or null with what ran in <paramref name="notes"/>.</summary>
    public static string? Search(Spec spec, ISolver solver, Obligation o, int budgetMs, List<string> notes)
    {
        var sw = Stopwatch.StartNew();
        var vocab = new SmtVocabulary(spec.Text);
        List<Sx> query = Sx.ParseAll(o.Query);
        var decls = query.Where(x => x.Is("declare-const") && x.Items.Count == 3).Select(x => (Name: x.Items[1].Atom!, Sort: x.Items[2])).ToList();
        var asserts = query.Where(x => x.Is("assert") && x.Items.Count == 2).Select(x => x.Items[1]).ToList();
        if (asserts.Count == 0)
        {
            return null;
        }
        bool machine = asserts.Exists(a => a.Atom == "Machine_WellFormed");
        var ran = new List<string>();
        if (machine)
        {
            // 1: cells the step leaves alone keep their value; 2: they are free (a step that forgets a frame
            // condition lets them be anything; the step itself is then a hypothesis); both with every free
            // address within 1 MiB of 0 or of 2^64 (a small address space, as the machine is small); 3: any
            // address, wider points
            foreach ((bool widen, bool freeFrame) in new[] { (false, false), (false, true), (true, false) })
            {
                int remaining = budgetMs - (int)sw.ElapsedMilliseconds;
                if (remaining <= 0)
                {
                    break;
                }
                if (freeFrame && o.Runs is { } runs && runs.States.All(r => r.Post is null))
                {
                    // no run has a step: the round would be the first one again
                    continue;
                }
                string? hit = TryRound(spec, solver, o, vocab, decls, asserts, MachineMacros(), MachineIndices, 3, null, widen, freeFrame, Math.Min(remaining, RoundMs), sw, ran, notes);
                if (hit is not null)
                {
                    return hit;
                }
            }
        }
        else
        {
            foreach (int bound in Bounds)
            {
                int remaining = budgetMs - (int)sw.ElapsedMilliseconds;
                if (remaining <= 0)
                {
                    break;
                }
                string? hit = TryRound(spec, solver, o, vocab, decls, asserts, [], _ => bound + 1, bound + 1, bound, false, false, Math.Min(remaining, RoundMs), sw, ran, notes);
                if (hit is not null)
                {
                    return hit;
                }
            }
        }
        notes.Add($"SMT search over free values: {string.Join("; ", ran)}; {sw.ElapsedMilliseconds} ms in all, no counterexample");
        return null;
    }

    // A round whose expansion passes RoundInstances ends there: its query would not be answered in time.
    private static string? TryRound(Spec spec, ISolver solver, Obligation o, SmtVocabulary vocab, List<(string Name, Sx Sort)> decls, List<Sx> asserts,
        Dictionary<string, SmtVocabulary.Fun> macros, Func<Sx, int> indices, int small, int? bound, bool widen, bool freeFrame, int limitMs,
        Stopwatch sw, List<string> ran, List<string> notes)
    {
        long began = sw.ElapsedMilliseconds;
        try
        {
            return Round(spec, solver, o, vocab, decls, asserts, macros, indices, small, bound, widen, freeFrame, limitMs, sw, ran, notes);
        }
        catch (FiniteInstance.TooLargeException e)
        {
            ran.Add($"{(widen ? "widened round" : bound is { } b ? $"round with constants ≤ {b}" : "round")}: stopped building at {e.Message} after {sw.ElapsedMilliseconds - began} ms");
            return null;
        }
    }

    private static string? Round(Spec spec, ISolver solver, Obligation o, SmtVocabulary vocab, List<(string Name, Sx Sort)> decls, List<Sx> asserts,
        Dictionary<string, SmtVocabulary.Fun> macros, Func<Sx, int> indices, int small, int? bound, bool widen, bool freeFrame, int limitMs,
        Stopwatch sw, List<string> ran, List<string> notes)
    {
        var roundWatch = Stopwatch.StartNew();
        var templates = new StateTemplates(vocab, indices, Pieces);
        var fi = new FiniteInstance(vocab, macros, small, templates.ArrayDefinitions) { MaxInstances = RoundInstances };
        var raw = new Dictionary<string, Sx>(StringComparer.Ordinal);
        var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
        var scalars = new List<(string Name, Sx Sort)>();
        bool step = o.Operation is not null && o.ArgsSort is not null && decls.Exists(d => d.Name == "s2") && decls.Exists(d => d.Name == "a");
        // the fields of a free post-state, for the cells the step leaves unconstrained (freeFrame)
        Sx? frame = step && freeFrame && vocab.Datatypes.ContainsKey("State")
            ? templates.Build(Sx.A("State"), "v.s2") : null;
        Func<string, string>? unconstrained = null;
        if (frame is not null && vocab.Datatypes.TryGetValue("State", out SmtVocabulary.Datatype? state))
        {
            var byField = state.Fields.Select((f, k) => (f.Field, Term: frame.Items[k + 1].ToString())).ToDictionary(x => x.Field, x => x.Term, StringComparer.Ordinal);
            unconstrained = f => byField[f];
        }
        string? post = step ? new Successor(spec.Text).Candidate(o.Operation!, "s", "a", unconstrained) : null;
        // a relational obligation with a step: each run's post-state built from it (its frame free in the second
        // round). One without (output consistency) is asked as it stands, its hypotheses as selected: with each run's
        // whole Inv its query ended unknown at 60 s where the selected one is answered (measured, spec/README.md)
        RelationalRuns? runs = macros.Count > 0 && o.Runs is { } rr && rr.States.Any(x => x.Post is not null) && vocab.Datatypes.ContainsKey("State") ? rr : null;
        Dictionary<string, Sx> frames = runs is null ? [] : RelationalSearch.Frames(templates, runs, freeFrame);
        Dictionary<string, Sx>? posts = runs is null ? null : RelationalSearch.Posts(spec, vocab, runs, frames);
        if (runs is not null && posts is null)
        {
            return null;
        }
        foreach ((string name, Sx sort) in decls)
        {
            if ((name == "s2" && post is not null) || (posts?.ContainsKey(name) ?? false))
            {
                continue;
            }
            if (vocab.Datatypes.ContainsKey(sort.Atom ?? string.Empty) || vocab.IsArray(sort, out _, out _))
            {
                raw[name] = templates.Build(sort, "v." + name);
                env[name] = fi.Term(raw[name], env);
            }
            else
            {
                scalars.Add((name, sort));
            }
        }
        // the goal (the query's last assertion) first: its points are then instantiated in every hypothesis
        var goals = new List<Sx> { asserts[^1] };
        if (runs is not null)
        {
            foreach ((string alias, string name) in RelationalSearch.Aliases(runs))
            {
                env[alias] = env[name];
            }
            foreach ((string name, Sx term) in posts!)
            {
                env[name] = fi.Term(term, env);
            }
            goals = RelationalSearch.Goals(runs, frames.Count > 0);
        }
        else if (step && post is not null)
        {
            env["s2"] = fi.Term(Sx.ParseAll(post)[0], env);
            // a step's hypotheses are always the full ones (a hypothesis selection only weakens them): Inv, pre
            goals.AddRange(Sx.ParseAll($"Machine_WellFormed (Inv s) ({o.Operation}_pre s a)" + (frame is not null ? $" ({o.Operation} s a s2)" : string.Empty)));
        }
        else
        {
            goals.AddRange(asserts.Take(asserts.Count - 1));
        }
        if (bound is { } b)
        {
            foreach ((string name, Sx sort) in scalars.Where(x => vocab.Width(x.Sort) == 16))
            {
                goals.Add(Sx.ParseAll($"(bvule {name} {BvLiteral.Make(16, (ulong)b)})")[0]);
            }
        }
        if (bound is null && !widen)
        {
            foreach ((string name, Sx sort) in templates.Free.Where(x => vocab.Width(x.Sort) == 64))
            {
                goals.Add(Sx.ParseAll($"(or (bvult {name} #x0000000000100000) (bvuge {name} #xfffffffffff00000))")[0]);
            }
        }
        if (widen)
        {
            // every address point the first round's bodies named, for every address quantifier
            var first = new FiniteInstance(vocab, macros, small, templates.ArrayDefinitions) { MaxInstances = RoundInstances };
            var firstEnv = new Dictionary<string, Sx>(env, StringComparer.Ordinal);
            foreach (Sx g in goals)
            {
                first.Assertion(g, firstEnv);
            }
            foreach ((string key, List<Sx> points) in first.FoundPoints)
            {
                fi.AddGlobalPoints(Sx.ParseAll(key)[0], points.Where(p => !p.ToString().Contains("sk!", StringComparison.Ordinal) && !p.ToString().Contains("mk!", StringComparison.Ordinal)));
            }
        }
        var expanded = goals.Select(g => fi.Assertion(g, env)).ToList();
        var script = new StringBuilder("(set-option :produce-models true)\n");
        script.Append($"(set-option :timeout {limitMs})\n").Append(spec.Text).Append('\n');
        foreach ((string n, Sx sort) in templates.Free.Concat(scalars))
        {
            script.Append($"(declare-const {n} {sort})\n");
        }
        script.Append(fi.SkolemDeclarations());
        SharedTerms.AppendAssertion(script, expanded);
        var valued = templates.Free.Concat(scalars).Select(f => f.Name).ToList();
        // preprocessing first (measured: 4x faster than the default strategy on these pure bit-vector queries)
        script.Append("(check-sat-using (then simplify propagate-values solve-eqs elim-uncnstr smt))\n");
        if (valued.Count > 0)
        {
            script.Append($"(get-value ({string.Join(' ', valued)}))\n");
        }
        string built = posts is { Count: > 0 } ? string.Join(", ", posts.Keys) : post is null ? string.Empty : "s2";
        string space = bound is { } bb
            ? $"every 16-bit constant ≤ {bb}, arrays over {bb + 1} indices"
            : $"search machine (3 cores, 2 slots, 2 devices, 3 ways, 2 range registers){(widen ? string.Empty : ", addresses within 1 MiB of 0 or 2^64")}, free {string.Join(", ", decls.Where(d => raw.ContainsKey(d.Name)).Select(d => d.Name))}{(built.Length == 0 ? string.Empty : frame is null && frames.Count == 0 ? $", {built} built from the step (cells it leaves alone unchanged)" : $", {built} built from the step (cells it leaves unconstrained free)")}, {(widen ? "every address quantifier also at every point the bodies name" : "points from each body")}";
        long expandMs = roundWatch.ElapsedMilliseconds;
        List<string> answers = SExpr.SplitTop(solver.Run(script.ToString(), limitMs));
        string answer = answers.Count > 0 ? answers[0] : "no answer";
        ran.Add($"{space}: {fi.Instances} instances (built in {expandMs} ms), {answer} in {roundWatch.ElapsedMilliseconds} ms");
        if (answer != "sat" || answers.Count < 2)
        {
            return null;
        }
        var values = new Dictionary<string, Sx>(StringComparer.Ordinal);
        foreach (Sx pair in Sx.ParseAll(answers[1]).SelectMany(x => x.Items))
        {
            if (pair.Items.Count == 2 && pair.Items[0].Atom is { } n)
            {
                values[n] = pair.Items[1];
            }
        }
        var ground = raw.ToDictionary(kv => kv.Key, kv => templates.Inline(kv.Value).Subst(values), StringComparer.Ordinal);
        string foundBy = $"the SMT search over free values ({space}; {fi.Instances} instances, query built in {expandMs} ms, sat in {roundWatch.ElapsedMilliseconds - expandMs} ms; {sw.ElapsedMilliseconds} ms since the search began)";
        Func<string, string>? groundFrame = null;
        if (frame is not null && vocab.Datatypes.TryGetValue("State", out SmtVocabulary.Datatype? sd))
        {
            Sx g = templates.Inline(frame).Subst(values);
            var byField = sd.Fields.Select((f, k) => (f.Field, Term: g.Items[k + 1].ToString())).ToDictionary(x => x.Field, x => x.Term, StringComparer.Ordinal);
            groundFrame = f => byField[f];
        }
        if (runs is not null)
        {
            var groundFrames = frames.ToDictionary(kv => kv.Key, kv => templates.Inline(kv.Value).Subst(values), StringComparer.Ordinal);
            return RelationalSearch.Confirm(spec, solver, o, vocab, runs, ground, values, scalars, groundFrames, foundBy, notes);
        }
        return step && post is not null
            ? ConfirmStep(spec, solver, o, vocab, ground, groundFrame, foundBy, notes)
            : ConfirmQuery(spec, solver, o, vocab, decls, asserts, ground, values, scalars, bound is null, foundBy, notes);
    }

    // A step: the free pre-state and call, now ground, go through the same establishment as a library hit.
    private static string? ConfirmStep(Spec spec, ISolver solver, Obligation o, SmtVocabulary vocab, Dictionary<string, Sx> ground,
        Func<string, string>? frame, string foundBy, List<string> notes)
    {
        if (!ground.TryGetValue("s", out Sx? s) || !ground.TryGetValue("a", out Sx? a))
        {
            return null;
        }
        string machine = MachineAssertions();
        List<string> wf = SExpr.SplitTop(solver.Run(spec.Text + machine + "(assert (not Machine_WellFormed))(check-sat)\n", 10_000));
        if (wf.Count == 0 || wf[0] != "unsat")
        {
            notes.Add("the search machine was not shown to satisfy Machine_WellFormed: " + string.Join(' ', wf.Take(1)));
            return null;
        }
        Dictionary<string, Sx> defs = Branches.Signatures(spec.Text);
        if (!defs.TryGetValue(o.Subject!, out Sx? def))
        {
            return null;
        }
        string? post = new Successor(spec.Text).Candidate(o.Operation!, "cx.w", "cx.a", frame);
        if (post is null)
        {
            return null;
        }
        (string decls, string neg, List<(string Name, string Term)> points) = CounterexampleSearch.NegatedInstance(def, "cx.w", o.Operation!, o.ArgsSort!);
        var hit = new CounterexampleSearch.Hit(machine, "the search machine (3 cores, core 0 control; 2 slots; 2 devices; 3 ways, way 0 control; 2 range registers; reserved [0, 4K), control [4K, 8K); well-formed: proved)",
            $"(define-fun cx.w () State {s})\n", "cx.w", Describe(vocab, s), a.ToString(), "the call the search chose, " + Compact(a), post, decls, neg, points);
        return CounterexampleSearch.Establish(spec, solver, o, hit, foundBy, notes);
    }

    // The pre-state, field by field, arrays as {default; index: value …} and address maps as their pieces.
    internal static string Describe(SmtVocabulary vocab, Sx state)
    {
        var sb = new StringBuilder("a free state (found by the search, not from the library):");
        if (vocab.Datatypes.TryGetValue("State", out SmtVocabulary.Datatype? dt) && state.Items.Count == dt.Fields.Count + 1)
        {
            for (int k = 0; k < dt.Fields.Count; k++)
            {
                string v = Compact(state.Items[k + 1]);
                sb.Append($"\n        {dt.Fields[k].Field} = {(v.Length > 300 ? v[..300] + "…" : v)}");
            }
        }
        return sb.ToString();
    }

    /// <summary>A value as a reviewer reads it: numbers in decimal, arrays as {else d, i: v}, address maps as their pieces.</summary>
    public static string Compact(Sx v)
    {
        if (v.Atom is { } a)
        {
            return Counterexample.Decimal(a);
        }
        if (v.Is("store") || (v.Items.Count == 2 && v.Items[0].Is("as")))
        {
            var entries = new List<(string I, string V)>();
            Sx e = v;
            while (e.Is("store") && e.Items.Count == 4)
            {
                entries.Insert(0, (Compact(e.Items[2]), Compact(e.Items[3])));
                e = e.Items[1];
            }
            string d = e.Items.Count == 2 ? Compact(e.Items[1]) : Compact(e);
            var shown = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string i, string x) in entries)
            {
                shown[i] = x;
            }
            var parts = shown.Where(kv => kv.Value != d).Select(kv => $"{kv.Key}: {kv.Value}").ToList();
            return parts.Count == 0 ? $"{{all {d}}}" : $"{{else {d}, {string.Join(", ", parts)}}}";
        }
        if (v.Is("lambda") && v.Items.Count == 3)
        {
            var pieces = new List<string>();
            Sx e = v.Items[2];
            while (e.Is("ite") && e.Items.Count == 4 && e.Items[1].Is("bvult"))
            {
                pieces.Add($"below {Compact(e.Items[1].Items[2])}: {Compact(e.Items[2])}");
                e = e.Items[3];
            }
            pieces.Add($"else {Compact(e)}");
            return "[" + string.Join("; ", pieces) + "] (first matching piece)";
        }
        return "(" + string.Join(' ', v.Items.Select(Compact)) + ")";
    }

    // Any other query: each hypothesis proved on the ground values (its negation refuted), the negated goal satisfiable.
    private static string? ConfirmQuery(Spec spec, ISolver solver, Obligation o, SmtVocabulary vocab, List<(string Name, Sx Sort)> decls, List<Sx> asserts,
        Dictionary<string, Sx> ground, Dictionary<string, Sx> values, List<(string Name, Sx Sort)> scalars, bool machine, string foundBy, List<string> notes)
    {
        var script = new StringBuilder("(set-option :produce-models true)\n").Append(spec.Text).Append('\n');
        if (machine)
        {
            script.Append(MachineAssertions());
        }
        foreach ((string name, Sx sort) in decls)
        {
            Sx? v = ground.GetValueOrDefault(name) ?? values.GetValueOrDefault(name);
            if (v is null)
            {
                notes.Add($"bounded model has no value for {name}");
                return null;
            }
            script.Append($"(define-fun {name} () {sort} {v})\n");
        }
        int hyps = asserts.Count - 1;
        foreach (Sx h in asserts.Take(hyps))
        {
            script.Append($"(push)(assert (not {h}))(check-sat)(pop)\n");
        }
        script.Append($"(assert {asserts[^1]})(check-sat)\n");
        // A value built from a lambda (a template's address map) makes get-value refuse a term that reads it ("must
        // not contain quantifiers"); Z3's eval asks the model the same question and has no such rule.
        foreach ((string _, string term) in o.Explain)
        {
            foreach (string t in term.Split('\t'))
            {
                script.Append(solver.IsZ3 ? $"(eval {t})\n" : $"(get-value ({t}))\n");
            }
        }
        List<string> r = SExpr.SplitTop(solver.Run(script.ToString(), 20_000));
        if (solver.IsZ3)
        {
            // in get-value's form ((term value)), which Counterexample.Describe reads
            r = [.. r.Take(hyps + 1), .. r.Skip(hyps + 1).Select(v => $"((t {v}))")];
        }
        if (r.Count <= hyps || r.Take(hyps).Any(x => x != "unsat") || r[hyps] != "sat")
        {
            notes.Add($"a bounded model was not confirmed on the unbounded definitions ({string.Join(' ', r.Take(hyps + 1))})");
            return null;
        }
        string described = Counterexample.Describe(spec, o, [.. r.Skip(hyps)]);
        var sb = new StringBuilder(described);
        string sizes = string.Join(", ", scalars.Select(x => $"{x.Name} = {Counterexample.Decimal(values.GetValueOrDefault(x.Name)?.ToString() ?? "?")}"));
        sb.Append($"\n    found by {foundBy}");
        sb.Append($"\n    confirmed on the unbounded definitions: each of the {hyps} hypotheses proved on these values (its negation refuted), the negated goal satisfiable");
        if (sizes.Length > 0)
        {
            sb.Append($"\n    constants: {sizes}");
        }
        // the free states themselves (a relational obligation's two pre-states and their successors): the explain
        // terms cannot be read off them when they hold an address map (a lambda)
        foreach ((string name, Sx sort) in decls.Where(d => d.Sort.Atom == "State" && ground.ContainsKey(d.Name)))
        {
            sb.Append($"\n    {name} = {Describe(vocab, ground[name])}");
        }
        return sb.ToString();
    }
}
