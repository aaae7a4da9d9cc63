namespace CoreSlice.Proofs;

/// <summary>
/// A property with instance hints (obligations.txt <c>at Inv/P#k (C s x...)</c>) is proved conjunct by conjunct:
/// Inv/P#k refutes the negation of the k-th conjunct of P's body at fresh constants <c>sk.x</c> for its bound
/// variables, from the same hypotheses as Inv/P, with each hint asserted at those constants. Together the Inv/P#k are
/// exactly P. A hint is an instance of a hypothesis, written out by the generator from the clause's own definition:
/// <c>(C s x...)</c> is the body of C's forall with its variables replaced by x... (<c>C#j</c>: the j-th forall of a
/// clause whose body is a conjunction), and C must be one of the obligation's hypotheses, so the hint adds nothing
/// the hypotheses do not say. Why: Z3's instantiation does not find the few instances a pointwise argument needs among
/// many quantified clauses (S7's DMA half: over 100 s, unknown, without them; 0.7 s with the six instances at the
/// skolem point; z3 binary, 2026-12-07).
/// </summary>
public static class ConjunctObligations
{
    /// <summary>The conjuncts of property <paramref name="property"/>'s body, or null when it has no single-state define-fun.</summary>
    public static IReadOnlyList<Sx>? Conjuncts(Spec spec, string property)
    {
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom == property && top.Items[2].Items.Count == 1
                && top.Items[2].Items[0].Items.Count == 2 && top.Items[2].Items[0].Items[0].Atom == "s")
            {
                Sx body = top.Items[4];
                return body.Is("and") ? body.Items.Skip(1).ToList() : [body];
            }
        }
        return null;
    }

    /// <summary>True when <paramref name="property"/> has hints (so Inv/P is proved as Inv/P#1..#n).</summary>
    public static bool Split(Spec spec, string property) =>
        spec.Hints.Keys.Any(k => k.StartsWith($"Inv/{property}#", StringComparison.Ordinal)) && Conjuncts(spec, property) is not null;

    /// <summary>
    /// Why the hint <paramref name="term"/> of <paramref name="key"/> may not be used, or null: the obligation must be a
    /// conjunct of a listed property, the term an instance of a pointwise clause the spec defines, and that clause one of
    /// the obligation's hypotheses (all of Inv when it selects none).
    /// </summary>
    public static string? Problem(Spec spec, string key, string term)
    {
        int hash = key.IndexOf('#', StringComparison.Ordinal);
        string property = key["Inv/".Length..hash];
        if (!spec.Properties.Contains(property) || Conjuncts(spec, property) is not { } conjuncts)
        {
            return $"{key} names no listed property";
        }
        if (!int.TryParse(key[(hash + 1)..], out int k) || k < 1 || k > conjuncts.Count)
        {
            return $"{property} has {conjuncts.Count} conjuncts; {key} names none of them";
        }
        return Instance(spec, property, term, out string? problem) is null ? problem : null;
    }

    /// <summary>
    /// The hint <paramref name="term"/> <c>(C s x...)</c> or <c>(C#j s x...)</c> written out: the body of clause C's forall
    /// (its j-th forall conjunct) with its variables replaced by x...; null with <paramref name="problem"/> when C is no
    /// hypothesis of Inv/<paramref name="property"/>, has no such forall, or the arguments do not fit it.
    /// </summary>
    public static string? Instance(Spec spec, string property, string term, out string? problem)
    {
        Sx hint = Sx.ParseAll(term)[0];
        string head = hint.Atom is null && hint.Items.Count >= 2 ? hint.Items[0].Atom ?? "" : "";
        int at = head.IndexOf('#', StringComparison.Ordinal);
        string clause = at < 0 ? head : head[..at];
        int j = at < 0 ? 1 : int.TryParse(head[(at + 1)..], out int n) ? n : 0;
        if (!Assumed(spec, property).Contains(clause))
        {
            problem = $"{clause} is not a hypothesis of Inv/{property}";
            return null;
        }
        if (hint.Items[1].Atom != "s")
        {
            problem = "a hint is about the state s: (C s x...)";
            return null;
        }
        Sx? body = null;
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom == clause)
            {
                body = top.Items[4];
            }
        }
        List<Sx> foralls = body is null ? [] : body.Is("and") ? [.. body.Items.Skip(1)] : [body];
        if (j < 1 || j > foralls.Count || !foralls[j - 1].Is("forall") || foralls[j - 1].Items.Count != 3)
        {
            problem = $"{head} names no forall of {clause}'s definition";
            return null;
        }
        Sx forall = foralls[j - 1];
        if (forall.Items[1].Items.Count != hint.Items.Count - 2)
        {
            problem = $"{head}'s forall binds {forall.Items[1].Items.Count} variables; the hint gives {hint.Items.Count - 2}";
            return null;
        }
        Sx inner = forall.Items[2].Is("!") ? forall.Items[2].Items[1] : forall.Items[2];
        var argAtoms = new HashSet<string>(hint.Items.Skip(2).SelectMany(Atoms), StringComparer.Ordinal);
        if (Binders(inner).FirstOrDefault(argAtoms.Contains) is { } captured)
        {
            problem = $"{head}'s body binds {captured}, which its arguments name (the instance would capture it)";
            return null;
        }
        var values = new Dictionary<string, Sx>(StringComparer.Ordinal);
        for (int k = 0; k < forall.Items[1].Items.Count; k++)
        {
            values[forall.Items[1].Items[k].Items[0].Atom!] = hint.Items[k + 2];
        }
        problem = null;
        return Replace(inner, values).ToString();
    }

    private static IEnumerable<string> Atoms(Sx e) => e.Atom is { } a ? [a] : e.Items.SelectMany(Atoms);

    // every name a forall, exists or let inside e binds
    private static IEnumerable<string> Binders(Sx e) =>
        e.Atom is not null ? []
        : ((e.Is("forall") || e.Is("exists") || e.Is("let")) && e.Items.Count == 3
            ? e.Items[1].Items.Where(b => b.Items.Count > 0 && b.Items[0].Atom is not null).Select(b => b.Items[0].Atom!)
            : []).Concat(e.Items.SelectMany(Binders));

    // the clauses (and invariants) Inv/P assumes: its selection, each invariant named there standing for its clauses; all without one
    private static HashSet<string> Assumed(Spec spec, string property)
    {
        var assumed = new HashSet<string>(StringComparer.Ordinal);
        bool selected = spec.Uses.TryGetValue($"Inv/{property}", out IReadOnlyList<string>? items);
        foreach (SpecInvariant inv in spec.Invariants)
        {
            if (!selected || items is null || items.Contains("Inv") || items.Contains(inv.Name))
            {
                assumed.Add(inv.Name);
                assumed.UnionWith(inv.Clauses);
            }
            else
            {
                assumed.UnionWith(inv.Clauses.Where(c => items.Contains(c)));
            }
        }
        return assumed;
    }

    /// <summary>Inv/P#1..#n for a property with hints.</summary>
    public static IEnumerable<Obligation> For(Spec spec, string property, string header, string hypotheses, IReadOnlyList<string>? uses, string from,
        IReadOnlyList<(string, string)> explain)
    {
        IReadOnlyList<Sx> conjuncts = Conjuncts(spec, property)!;
        for (int k = 1; k <= conjuncts.Count; k++)
        {
            string name = $"Inv/{property}#{k}";
            Sx conjunct = conjuncts[k - 1];
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
            var query = new System.Text.StringBuilder(header).Append(hypotheses);
            foreach (string d in decls)
            {
                query.Append(d).Append('\n');
            }
            query.Append("(assert (not ").Append(Rename(body, rename)).Append("))\n");
            var explainAll = new List<(string, string)>(explain);
            explainAll.AddRange(rename.Values.Select(sk => ($"point {sk}", sk)));
            foreach (string term in spec.Hints.GetValueOrDefault(name) ?? [])
            {
                if (Instance(spec, property, term, out _) is { } instance)
                {
                    query.Append("(assert ").Append(Rename(Sx.ParseAll(instance)[0], rename)).Append(")\n");
                }
            }
            yield return new Obligation
            {
                Name = name,
                Expect = Expect.Unsat,
                Query = query.ToString(),
                Uses = uses,
                Meaning = $"every state satisfying {from} satisfies conjunct {k} of {conjuncts.Count} of {property}",
                Explain = explainAll,
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
