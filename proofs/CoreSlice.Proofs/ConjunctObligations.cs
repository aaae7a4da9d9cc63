namespace CoreSlice.Proofs;

/// <summary>
/// An obligation with instance hints (obligations.txt <c>at Inv/P#k (C s x...)</c> for a property, or
/// <c>at Op/clause#k (C args... x...)</c> for a step obligation) is proved conjunct by conjunct: O#k refutes the
/// negation of the k-th conjunct of the goal's body (P on s, or the clause on s2) at fresh constants <c>sk.x</c> for its
/// bound variables, from the same hypotheses as O, with each hint asserted at those constants. Together the O#k are
/// exactly O. A hint is an instance of a hypothesis, written out by the generator from the hypothesis's own definition:
/// <c>(C args... x...)</c> takes C's definition at the arguments the obligation asserts it with (<c>s</c> for a clause or
/// state lemma; <c>s a s2</c> for a step lemma or the step; <c>s a</c> for pre) and replaces its j-th forall
/// (<c>C#j</c>; counted in the order written, among the foralls in positive position: under and, or, the consequent of
/// =>, the branches of an ite) by that forall's body at x...; a positive forall implies each of its instances, so the
/// result follows from C. C must be one of the obligation's hypotheses, so the hint adds nothing the hypotheses do not
/// say. Why: Z3's instantiation does not find the few instances a pointwise argument needs among many quantified
/// clauses (S7's DMA half: over 100 s, unknown, without them; 0.7 s with the six instances at the skolem point;
/// CreateSlice/I1_Disjointness.table's pointwise conjunct: 15.6 s without, about 4 s with three; z3 binary, 2026-12-07).
/// </summary>
public static class ConjunctObligations
{
    /// <summary>The conjuncts of clause or property <paramref name="name"/>'s body (over its one state <c>s</c>), or null when it has no single-state define-fun.</summary>
    public static IReadOnlyList<Sx>? Conjuncts(Spec spec, string name)
    {
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom == name && top.Items[2].Items.Count == 1
                && top.Items[2].Items[0].Items.Count == 2 && top.Items[2].Items[0].Items[0].Atom == "s")
            {
                Sx body = top.Items[4];
                return body.Is("and") ? body.Items.Skip(1).ToList() : [body];
            }
        }
        return null;
    }

    /// <summary>True when property <paramref name="property"/> has hints (so Inv/P is proved as Inv/P#1..#n).</summary>
    public static bool Split(Spec spec, string property) => SplitObligation(spec, $"Inv/{property}", property);

    /// <summary>True when obligation <paramref name="name"/> (whose goal is <paramref name="goal"/>) has hints (so it is proved as name#1..#n).</summary>
    public static bool SplitObligation(Spec spec, string name, string goal) =>
        spec.Hints.Keys.Any(k => k.StartsWith(name + "#", StringComparison.Ordinal)) && Conjuncts(spec, goal) is not null;

    /// <summary>
    /// The obligation a hint key names: its name, the goal (a property or a clause) and the operation (null for a
    /// property); null when the key names neither a listed property nor an operation and a listed clause.
    /// </summary>
    private static (string Name, string Goal, SpecOperation? Op)? Target(Spec spec, string key)
    {
        int hash = key.IndexOf('#', StringComparison.Ordinal);
        string name = hash < 0 ? key : key[..hash];
        if (name.StartsWith("Inv/", StringComparison.Ordinal))
        {
            string property = name["Inv/".Length..];
            return spec.Properties.Contains(property) ? (name, property, null) : null;
        }
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        SpecOperation? op = slash < 0 ? null : spec.Operations.FirstOrDefault(o => o.Name == name[..slash]);
        string clause = slash < 0 ? "" : name[(slash + 1)..];
        return op is not null && spec.Invariants.Any(i => i.Clauses.Contains(clause)) ? (name, clause, op) : null;
    }

    /// <summary>
    /// Why the hint <paramref name="term"/> of <paramref name="key"/> may not be used, or null: the key must name a
    /// conjunct of a listed property or of a clause's step obligation, the term an instance of a forall the spec
    /// defines, and its clause one of the obligation's hypotheses.
    /// </summary>
    public static string? Problem(Spec spec, string key, string term)
    {
        if (Target(spec, key) is not { } target || Conjuncts(spec, target.Goal) is not { } conjuncts)
        {
            return $"{key} names no listed property and no step obligation of a listed clause";
        }
        int hash = key.IndexOf('#', StringComparison.Ordinal);
        if (!int.TryParse(key[(hash + 1)..], out int k) || k < 1 || k > conjuncts.Count)
        {
            return $"{target.Goal} has {conjuncts.Count} conjuncts; {key} names none of them";
        }
        return Instance(spec, target.Name, term, Point(conjuncts[k - 1]), out string? problem) is null ? problem : null;
    }

    /// <summary>A conjunct's variables renamed to the fresh constants it is proved at (x → sk.x); none when it is no forall.</summary>
    private static Dictionary<string, string> Point(Sx conjunct) =>
        conjunct.Is("forall") && conjunct.Items.Count == 3
            ? conjunct.Items[1].Items.ToDictionary(v => v.Items[0].Atom!, v => "sk." + v.Items[0].Atom!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The hint <paramref name="term"/> <c>(C args... x...)</c> or <c>(C#j args... x...)</c> written out (see the class
    /// summary); null with <paramref name="problem"/> when C is no hypothesis of <paramref name="obligation"/>, is not
    /// applied to the arguments that hypothesis is asserted with, has no such forall, or the arguments do not fit it.
    /// </summary>
    public static string? Instance(Spec spec, string obligation, string term, out string? problem) => Instance(spec, obligation, term, null, out problem);

    /// <summary>
    /// <see cref="Instance(Spec, string, string, out string?)"/> with the forall's arguments x... written at
    /// <paramref name="point"/> (the conjunct's variables renamed to their skolem constants; the hypothesis's own
    /// arguments, e.g. a call named <c>a</c>, are never renamed, even when a conjunct binds a variable of that name).
    /// </summary>
    public static string? Instance(Spec spec, string obligation, string term, IReadOnlyDictionary<string, string>? point, out string? problem)
    {
        Sx hint = Sx.ParseAll(term)[0];
        string head = hint.Atom is null && hint.Items.Count >= 2 ? hint.Items[0].Atom ?? "" : "";
        int at = head.IndexOf('#', StringComparison.Ordinal);
        string clause = at < 0 ? head : head[..at];
        int j = at < 0 ? 1 : int.TryParse(head[(at + 1)..], out int n) ? n : 0;
        if (!Assumed(spec, obligation).TryGetValue(clause, out string[]? actuals))
        {
            problem = $"{clause} is not a hypothesis of {obligation}";
            return null;
        }
        Sx? definition = null;
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom == clause)
            {
                definition = top;
            }
        }
        IReadOnlyList<Sx> formals = definition?.Items[2].Items ?? [];
        if (definition is null || formals.Count != actuals.Length
            || !hint.Items.Skip(1).Take(actuals.Length).Select(x => x.Atom).SequenceEqual(actuals))
        {
            problem = $"a hint on {clause} is about what the obligation assumes of it: ({head} {string.Join(' ', actuals)} x...)";
            return null;
        }
        Sx body = definition.Items[4];
        var foralls = new List<(Sx Forall, bool Conjunct)>();
        PositiveForalls(body, conjunct: true, foralls);
        if (j < 1 || j > foralls.Count || foralls[j - 1].Forall.Items.Count != 3)
        {
            problem = $"{head} names no forall in positive position of {clause}'s definition";
            return null;
        }
        (Sx forall, bool alone) = foralls[j - 1];
        IReadOnlyList<Sx> args = [.. hint.Items.Skip(1 + actuals.Length).Select(x => point is null ? x : Rename(x, point))];
        if (forall.Items[1].Items.Count != args.Count)
        {
            problem = $"{head}'s forall binds {forall.Items[1].Items.Count} variables; the hint gives {args.Count}";
            return null;
        }
        Sx inner = forall.Items[2].Is("!") ? forall.Items[2].Items[1] : forall.Items[2];
        // The arguments go into the forall's body, the obligation's own names (s, a, s2) for the formals into the whole
        // definition: neither may be bound where it lands.
        var argAtoms = new HashSet<string>(args.SelectMany(Atoms), StringComparer.Ordinal);
        var renamedFormals = new HashSet<string>(formals.Select((f, k) => (f.Items[0].Atom!, actuals[k])).Where(p => p.Item1 != p.Item2).Select(p => p.Item2), StringComparer.Ordinal);
        if ((Binders(inner).FirstOrDefault(argAtoms.Contains) ?? Binders(body).FirstOrDefault(renamedFormals.Contains)) is { } captured)
        {
            problem = $"{head}'s definition binds {captured}, which its arguments name (the instance would capture it)";
            return null;
        }
        var values = new Dictionary<string, Sx>(StringComparer.Ordinal);
        for (int k = 0; k < args.Count; k++)
        {
            values[forall.Items[1].Items[k].Items[0].Atom!] = args[k];
        }
        Sx instance = Replace(inner, values);
        // A forall reached through conjunctions alone is a hypothesis of its own: assert just its instance; any other is
        // asserted as the definition with that forall replaced by its instance (a consequence of the definition).
        Sx result = alone ? instance : Substitute(body, forall, instance);
        var formalValues = new Dictionary<string, Sx>(StringComparer.Ordinal);
        for (int k = 0; k < formals.Count; k++)
        {
            formalValues[formals[k].Items[0].Atom!] = Sx.A(actuals[k]);
        }
        problem = null;
        return Replace(result, formalValues).ToString();
    }

    // The foralls of e in positive position, in the order written; conjunct: reached through and alone.
    private static void PositiveForalls(Sx e, bool conjunct, List<(Sx, bool)> found)
    {
        if (e.Is("forall"))
        {
            found.Add((e, conjunct));
        }
        else if (e.Is("and") || e.Is("or"))
        {
            foreach (Sx c in e.Items.Skip(1))
            {
                PositiveForalls(c, conjunct && e.Is("and"), found);
            }
        }
        else if (e.Is("=>") && e.Items.Count == 3)
        {
            PositiveForalls(e.Items[2], false, found);
        }
        else if (e.Is("ite") && e.Items.Count == 4)
        {
            PositiveForalls(e.Items[2], false, found);
            PositiveForalls(e.Items[3], false, found);
        }
    }

    // e with the node `target` (by reference) replaced by `by`
    private static Sx Substitute(Sx e, Sx target, Sx by) =>
        ReferenceEquals(e, target) ? by : e.Atom is not null ? e : Sx.L([.. e.Items.Select(i => Substitute(i, target, by))]);

    private static IEnumerable<string> Atoms(Sx e) => e.Atom is { } a ? [a] : e.Items.SelectMany(Atoms);

    // every name a forall, exists or let inside e binds
    private static IEnumerable<string> Binders(Sx e) =>
        e.Atom is not null ? []
        : ((e.Is("forall") || e.Is("exists") || e.Is("let")) && e.Items.Count == 3
            ? e.Items[1].Items.Where(b => b.Items.Count > 0 && b.Items[0].Atom is not null).Select(b => b.Items[0].Atom!)
            : []).Concat(e.Items.SelectMany(Binders));

    /// <summary>
    /// What <paramref name="obligation"/> assumes, each with the arguments it is asserted with: its selection (an
    /// invariant standing for its clauses; pre, step and lemmas as <see cref="ObligationGenerator.Hypotheses"/> asserts
    /// them), or without one all of Inv (and, for a step, pre and the step).
    /// </summary>
    private static Dictionary<string, string[]> Assumed(Spec spec, string obligation)
    {
        var assumed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string[] state = ["s"], step = ["s", "a", "s2"];
        SpecOperation? op = obligation.StartsWith("Inv/", StringComparison.Ordinal) ? null
            : spec.Operations.FirstOrDefault(o => obligation.StartsWith(o.Name + "/", StringComparison.Ordinal));
        bool selected = spec.Uses.TryGetValue(obligation, out IReadOnlyList<string>? items);
        foreach (SpecInvariant inv in spec.Invariants)
        {
            if (!selected || items is null || items.Contains("Inv") || items.Contains(inv.Name))
            {
                assumed[inv.Name] = state;
                inv.Clauses.ToList().ForEach(c => assumed[c] = state);
            }
            else
            {
                inv.Clauses.Where(c => items.Contains(c)).ToList().ForEach(c => assumed[c] = state);
            }
        }
        if (op is null)
        {
            return assumed;
        }
        if (!selected || items!.Contains("pre"))
        {
            assumed[op.Name + "_pre"] = ["s", "a"];
        }
        if (!selected || items!.Contains("step"))
        {
            assumed[op.Name] = step;
        }
        foreach (SpecLemma lemma in spec.StepLemmas.Where(l => selected && items!.Contains(l.Name)))
        {
            assumed[lemma.Name] = lemma.Kind == "state" ? state : step;
        }
        return assumed;
    }

    /// <summary>Inv/P#1..#n for a property with hints.</summary>
    public static IEnumerable<Obligation> For(Spec spec, string property, string header, string hypotheses, IReadOnlyList<string>? uses, string from,
        IReadOnlyList<(string, string)> explain) =>
        For(spec, new Obligation
        {
            Name = $"Inv/{property}", Expect = Expect.Unsat, Query = header + hypotheses, Uses = uses, Explain = explain,
            Meaning = $"every state satisfying {from} satisfies {property}",
        }, property, "s");

    /// <summary>
    /// <paramref name="whole"/>'s conjunct obligations: <paramref name="whole"/>'s query is its hypotheses (without the negated
    /// goal); the goal is <paramref name="goal"/> on <paramref name="state"/> (s for a property, s2 for a step). Every other
    /// field (operation, subject, argument sort: what the counterexample search reads) is the whole obligation's.
    /// </summary>
    public static IEnumerable<Obligation> For(Spec spec, Obligation whole, string goal, string state)
    {
        IReadOnlyList<Sx> conjuncts = Conjuncts(spec, goal)!;
        for (int k = 1; k <= conjuncts.Count; k++)
        {
            string name = $"{whole.Name}#{k}";
            Sx conjunct = Replace(conjuncts[k - 1], new Dictionary<string, Sx>(StringComparer.Ordinal) { ["s"] = Sx.A(state) });
            var rename = new Dictionary<string, string>(StringComparer.Ordinal);
            var decls = new List<string>();
            Sx body = conjunct;
            if (conjunct.Is("forall") && conjunct.Items.Count == 3)
            {
                foreach (Sx v in conjunct.Items[1].Items)
                {
                    string x = v.Items[0].Atom!;
                    rename[x] = "sk." + x;
                    decls.Add($"(declare-const sk.{x} {v.Items[1]})");
                }
                body = conjunct.Items[2].Is("!") ? conjunct.Items[2].Items[1] : conjunct.Items[2];
            }
            var query = new System.Text.StringBuilder(whole.Query);
            foreach (string d in decls)
            {
                query.Append(d).Append('\n');
            }
            query.Append("(assert (not ").Append(Rename(body, rename)).Append("))\n");
            foreach (string term in spec.Hints.GetValueOrDefault(name) ?? [])
            {
                if (Instance(spec, whole.Name, term, rename, out _) is { } instance)
                {
                    query.Append("(assert ").Append(instance).Append(")\n");
                }
            }
            yield return new Obligation
            {
                Name = name,
                Expect = Expect.Unsat,
                Query = query.ToString(),
                Uses = whole.Uses,
                Meaning = $"{whole.Meaning}: conjunct {k} of {conjuncts.Count}",
                Explain = [.. whole.Explain, .. rename.Values.Select(sk => ($"point {sk}", sk))],
                CheckCommand = whole.CheckCommand,
                Operation = whole.Operation,
                Subject = whole.Subject,
                ArgsSort = whole.ArgsSort,
            };
        }
    }

    private static Sx Rename(Sx e, IReadOnlyDictionary<string, string> rename) =>
        Replace(e, rename.ToDictionary(kv => kv.Key, kv => Sx.A(kv.Value), StringComparer.Ordinal));

    // replaces free occurrences of the variables (an inner binder of the same name shadows them)
    private static Sx Replace(Sx e, IReadOnlyDictionary<string, Sx> values)
    {
        if (e.Atom is { } a)
        {
            return values.TryGetValue(a, out Sx? to) ? to : e;
        }
        if ((e.Is("forall") || e.Is("exists") || e.Is("let")) && e.Items.Count == 3)
        {
            var inner = values.Where(kv => !e.Items[1].Items.Any(b => b.Items.Count > 0 && b.Items[0].Atom == kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            Sx bindings = e.Is("let") ? Sx.L([.. e.Items[1].Items.Select(b => Sx.L(b.Items[0], Replace(b.Items[1], values)))]) : e.Items[1];
            return Sx.L(e.Items[0], bindings, Replace(e.Items[2], inner));
        }
        return Sx.L([.. e.Items.Select(i => Replace(i, values))]);
    }
}
