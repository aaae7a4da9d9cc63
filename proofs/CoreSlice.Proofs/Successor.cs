using System.Text;

namespace CoreSlice.Proofs;

/// <summary>An S-expression tree (atoms and lists), enough for the spec's define-funs.</summary>
public sealed class Sx
{
    /// <summary>The atom, or null for a list.</summary>
    public string? Atom { get; }

    /// <summary>The items of a list (empty for an atom).</summary>
    public IReadOnlyList<Sx> Items { get; }

    private Sx(string? atom, IReadOnlyList<Sx> items)
    {
        Atom = atom;
        Items = items;
    }

    /// <summary>An atom.</summary>
    public static Sx A(string atom) => new(atom, []);

    /// <summary>A list.</summary>
    public static Sx L(params Sx[] items) => new(null, items);

    /// <summary>A list.</summary>
    public static Sx L(IReadOnlyList<Sx> items) => new(null, items);

    /// <summary>True for a list whose head is the atom <paramref name="head"/>.</summary>
    public bool Is(string head) => Atom is null && Items.Count > 0 && Items[0].Atom == head;

    /// <summary>True when the atom <paramref name="name"/> occurs anywhere.</summary>
    public bool Mentions(string name) => Atom is not null ? Atom == name : Items.Any(i => i.Mentions(name));

    /// <summary>Parses every top-level expression of <paramref name="text"/> (comments dropped).</summary>
    public static List<Sx> ParseAll(string text)
    {
        var result = new List<Sx>();
        int i = 0;
        while (true)
        {
            Skip(text, ref i);
            if (i >= text.Length)
            {
                return result;
            }
            result.Add(Parse(text, ref i));
        }
    }

    private static void Skip(string text, ref int i)
    {
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] == ';')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private static Sx Parse(string text, ref int i)
    {
        if (text[i] == '(')
        {
            i++;
            var items = new List<Sx>();
            while (true)
            {
                Skip(text, ref i);
                if (i >= text.Length)
                {
                    throw new FormatException("unbalanced parentheses");
                }
                if (text[i] == ')')
                {
                    i++;
                    return L(items);
                }
                items.Add(Parse(text, ref i));
            }
        }
        if (text[i] == ')')
        {
            // a stray closing parenthesis would otherwise parse as an empty atom, without moving on, forever
            throw new FormatException("unbalanced parentheses: a ')' closes nothing");
        }
        int start = i;
        if (text[i] == '|')
        {
            i = text.IndexOf('|', i + 1) + 1;
        }
        else
        {
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '(' && text[i] != ')' && text[i] != ';')
            {
                i++;
            }
        }
        return A(text[start..i]);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    private void Write(StringBuilder sb)
    {
        if (Atom is not null)
        {
            sb.Append(Atom);
            return;
        }
        sb.Append('(');
        for (int k = 0; k < Items.Count; k++)
        {
            if (k > 0)
            {
                sb.Append(' ');
            }
            Items[k].Write(sb);
        }
        sb.Append(')');
    }

    /// <summary>Replaces free atoms by terms (binders of forall/exists/lambda/let shadow).</summary>
    public Sx Subst(IReadOnlyDictionary<string, Sx> env)
    {
        if (env.Count == 0)
        {
            return this;
        }
        if (Atom is not null)
        {
            return env.TryGetValue(Atom, out Sx? v) ? v : this;
        }
        if ((Is("forall") || Is("exists") || Is("lambda")) && Items.Count == 3)
        {
            var inner = new Dictionary<string, Sx>(env);
            foreach (Sx b in Items[1].Items)
            {
                inner.Remove(b.Items[0].Atom!);
            }
            return L(Items[0], Items[1], Items[2].Subst(inner));
        }
        if (Is("let") && Items.Count == 3)
        {
            var inner = new Dictionary<string, Sx>(env);
            var binds = new List<Sx>();
            foreach (Sx b in Items[1].Items)
            {
                binds.Add(L(b.Items[0], b.Items[1].Subst(env)));
                inner.Remove(b.Items[0].Atom!);
            }
            return L(Items[0], L(binds), Items[2].Subst(inner));
        }
        return L(Items.Select(x => x.Subst(env)).ToArray());
    }
}

/// <summary>
/// Builds a CANDIDATE successor state of a step as one ground SMT term, from the step's own
/// definition: the transition X(w, a, s2) is unfolded (define-funs inlined where they mention s2),
/// and each defining equation of a post-state field (<c>(= (F s2) T)</c>,
/// <c>∀x. (select (F s2) x) = T</c>, <c>∀c i. (select (select (F s2) c) i) = T</c>, a Boolean cell,
/// <c>s2 = s</c>) under its <c>ite</c> guards becomes a branch of a lambda term for F; a cell the step
/// leaves unconstrained keeps its pre-state value. The candidate is only a guess: it counts as a
/// successor only after <c>X(w, a, candidate)</c> is PROVED (its negation refuted) by the solver.
/// </summary>
public sealed class Successor
{
    private readonly Dictionary<string, (List<string> Params, Sx Body)> funs = new(StringComparer.Ordinal);
    private readonly List<(string Field, Sx Sort)> fields = [];
    private readonly Dictionary<string, List<Def>> defs = new(StringComparer.Ordinal);

    private sealed record Def(IReadOnlyList<Sx> Index, IReadOnlyList<Sx> Guards, IReadOnlyList<(string Name, Sx Sort)> Bound, Sx Value);

    /// <summary>Reads the spec's define-funs and the State datatype.</summary>
    public Successor(string specText)
    {
        foreach (Sx top in Sx.ParseAll(specText))
        {
            if (top.Is("define-fun") && top.Items.Count == 5)
            {
                funs[top.Items[1].Atom!] = (top.Items[2].Items.Select(p => p.Items[0].Atom!).ToList(), top.Items[4]);
            }
            else if (top.Is("declare-datatypes") && top.Items[1].Items[0].Items[0].Atom == "State")
            {
                Sx ctor = top.Items[2].Items[0].Items[0];
                foreach (Sx f in ctor.Items.Skip(1))
                {
                    fields.Add((f.Items[0].Atom!, f.Items[1]));
                }
            }
        }
    }

    /// <summary>The fields of the spec's State datatype, in constructor order, with their sorts.</summary>
    public IReadOnlyList<(string Field, Sx Sort)> Fields => fields;

    /// <summary>Unhandled parts of the step (constraints on s2 not read as definitions), for the report.</summary>
    public List<string> Unread { get; } = [];

    /// <summary>
    /// The candidate successor of <c>(op pre args s2)</c>, as a term of sort State, or null when the
    /// spec's State datatype could not be read.
    /// </summary>
    public string? Candidate(string op, string pre, string args) => Candidate(op, pre, args, null);

    /// <summary>
    /// The same, but a cell the step leaves unconstrained takes the value <paramref name="unconstrained"/> gives for
    /// its field (a free value, for the counterexample search: a step that forgets a frame condition lets that
    /// cell be anything), instead of the pre-state's.
    /// </summary>
    public string? Candidate(string op, string pre, string args, Func<string, string>? unconstrained)
    {
        if (fields.Count == 0 || !funs.ContainsKey(op))
        {
            return null;
        }
        defs.Clear();
        Unread.Clear();
        Sx step = Expand(Sx.L(Sx.A(op), Sx.A(pre), Sx.A(args), Sx.A("s2")), 0);
        Extract(step, [], []);
        var sb = new StringBuilder("(mk-state");
        foreach ((string field, Sx sort) in fields)
        {
            sb.Append("\n  ").Append(FieldTerm(field, sort, unconstrained?.Invoke(field) ?? $"({field} {pre})"));
        }
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// The step <c>(op pre args s2)</c> unfolded (as for <see cref="Candidate(string, string, string)"/>) into its leaf constraints,
    /// each with the ite guards it sits under, with s2 replaced by <paramref name="post"/>: (guarded leaf, text).
    /// A leaf false under true guards is a constraint the post-state does not meet (to name a contradiction).
    /// </summary>
    public IReadOnlyList<(string Term, string Text)> Leaves(string op, string pre, string args, string post)
    {
        var leaves = new List<(string, string)>();
        if (!funs.ContainsKey(op))
        {
            return leaves;
        }
        var env = new Dictionary<string, Sx>(StringComparer.Ordinal) { ["s2"] = Sx.A(post) };
        void Walk(Sx e, List<Sx> guards)
        {
            if (e.Is("and"))
            {
                foreach (Sx x in e.Items.Skip(1))
                {
                    Walk(x, guards);
                }
                return;
            }
            if (e.Is("ite") && e.Items.Count == 4 && !e.Items[1].Mentions("s2") && e.Mentions("s2"))
            {
                Walk(e.Items[2], [.. guards, e.Items[1]]);
                Walk(e.Items[3], [.. guards, Sx.L(Sx.A("not"), e.Items[1])]);
                return;
            }
            string text = e.ToString();
            string body = e.Subst(env).ToString();
            string guard = guards.Count == 0 ? body : $"(=> (and true {string.Join(' ', guards.Select(g => g.ToString()))}) {body})";
            leaves.Add((guard, text.Length > 140 ? text[..140] + "…" : text));
        }
        Walk(Expand(Sx.L(Sx.A(op), Sx.A(pre), Sx.A(args), Sx.A("s2")), 0), []);
        return leaves;
    }

    // Inline every define-fun call with an argument mentioning s2, and every let.
    private Sx Expand(Sx e, int depth)
    {
        if (e.Atom is not null || depth > 60)
        {
            return e;
        }
        if (e.Is("let") && e.Items.Count == 3)
        {
            var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
            foreach (Sx b in e.Items[1].Items)
            {
                env[b.Items[0].Atom!] = Expand(b.Items[1], depth + 1);
            }
            return Expand(e.Items[2].Subst(env), depth + 1);
        }
        var items = e.Items.Select(x => Expand(x, depth + 1)).ToList();
        string? head = items.Count > 0 ? items[0].Atom : null;
        if (head is not null && funs.TryGetValue(head, out var f) && f.Params.Count == items.Count - 1 && f.Params.Count > 0
            && items.Skip(1).Any(x => x.Mentions("s2")))
        {
            var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
            for (int k = 0; k < f.Params.Count; k++)
            {
                env[f.Params[k]] = items[k + 1];
            }
            return Expand(f.Body.Subst(env), depth + 1);
        }
        return Sx.L(items);
    }

    private void Extract(Sx e, List<Sx> guards, List<(string, Sx)> bound)
    {
        if (!e.Mentions("s2"))
        {
            return;
        }
        if (e.Is("and"))
        {
            foreach (Sx x in e.Items.Skip(1))
            {
                Extract(x, guards, bound);
            }
            return;
        }
        if (e.Is("ite") && e.Items.Count == 4 && !e.Items[1].Mentions("s2"))
        {
            Extract(e.Items[2], [.. guards, e.Items[1]], bound);
            Extract(e.Items[3], [.. guards, Sx.L(Sx.A("not"), e.Items[1])], bound);
            return;
        }
        if (e.Is("forall") && e.Items.Count == 3)
        {
            var b = new List<(string, Sx)>(bound);
            foreach (Sx v in e.Items[1].Items)
            {
                b.Add((v.Items[0].Atom!, v.Items[1]));
            }
            Extract(e.Items[2], guards, b);
            return;
        }
        if (e.Is("=") && e.Items.Count == 3)
        {
            Sx l = e.Items[1], r = e.Items[2];
            if (l.Atom == "s2" && !r.Mentions("s2"))
            {
                foreach ((string field, Sx _) in fields)
                {
                    AddDef(field, [], guards, bound, Sx.L(Sx.A(field), r));
                }
                return;
            }
            if (Access(l) is { } la && !r.Mentions("s2"))
            {
                AddDef(la.Field, la.Index, guards, bound, r);
                return;
            }
            if (Access(r) is { } ra && !l.Mentions("s2"))
            {
                AddDef(ra.Field, ra.Index, guards, bound, l);
                return;
            }
        }
        if (Access(e) is { } cell)
        {
            AddDef(cell.Field, cell.Index, guards, bound, Sx.A("true"));
            return;
        }
        if (e.Is("not") && e.Items.Count == 2 && Access(e.Items[1]) is { } neg)
        {
            AddDef(neg.Field, neg.Index, guards, bound, Sx.A("false"));
            return;
        }
        Unread.Add(e.ToString().Length > 200 ? e.ToString()[..200] + "…" : e.ToString());
    }

    // (F s2), (select (F s2) i), (select (select (F s2) i) j)
    private (string Field, List<Sx> Index)? Access(Sx e)
    {
        var index = new List<Sx>();
        while (e.Is("select") && e.Items.Count == 3)
        {
            index.Insert(0, e.Items[2]);
            e = e.Items[1];
        }
        if (e.Atom is null && e.Items.Count == 2 && e.Items[1].Atom == "s2" && e.Items[0].Atom is { } f && fields.Exists(x => x.Field == f)
            && !index.Any(x => x.Mentions("s2")))
        {
            return (f, index);
        }
        return null;
    }

    private void AddDef(string field, List<Sx> index, List<Sx> guards, List<(string, Sx)> bound, Sx value)
    {
        if (!defs.TryGetValue(field, out List<Def>? list))
        {
            defs[field] = list = [];
        }
        list.Add(new Def(index, guards, bound, value));
    }

    // lambda k1. [lambda k2.] ite-chain over the definitions, default: the pre-state's value
    private string FieldTerm(string field, Sx sort, string preVal)
    {
        var idxSorts = new List<Sx>();
        Sx s = sort;
        while (s.Is("Array") && s.Items.Count == 3)
        {
            idxSorts.Add(s.Items[1]);
            s = s.Items[2];
        }
        if (!defs.TryGetValue(field, out List<Def>? list) || list.Count == 0)
        {
            return preVal;
        }
        var k = new List<Sx>();
        for (int d = 0; d < idxSorts.Count; d++)
        {
            k.Add(Sx.A($"succ.k{d}"));
        }
        // the value at depth `depth` (indices k[0..depth) fixed), as a term
        string At(int depth)
        {
            string fallback = preVal;
            for (int d = 0; d < depth; d++)
            {
                fallback = $"(select {fallback} {k[d]})";
            }
            var chain = new List<(string Cond, string Val)>();
            foreach (Def def in list)
            {
                // only the definitions of exactly this depth (shallower ones were tried in the outer chain)
                if (def.Index.Count != depth)
                {
                    continue;
                }
                var env = new Dictionary<string, Sx>(StringComparer.Ordinal);
                var conds = new List<string>();
                bool ok = true;
                for (int d = 0; d < depth; d++)
                {
                    Sx ix = def.Index[d];
                    if (ix.Atom is { } v && def.Bound.Any(b => b.Name == v) && !env.ContainsKey(v))
                    {
                        env[v] = k[d];
                    }
                    else if (!def.Bound.Any(b => ix.Mentions(b.Name)))
                    {
                        conds.Add($"(= {k[d]} {ix})");
                    }
                    else
                    {
                        ok = false;
                    }
                }
                // every bound variable must be fixed by an index, else the definition is not functional
                if (!ok || def.Bound.Any(b => !env.ContainsKey(b.Name) && (def.Value.Mentions(b.Name) || def.Guards.Any(g => g.Mentions(b.Name)))))
                {
                    continue;
                }
                conds.AddRange(def.Guards.Select(g => g.Subst(env).ToString()));
                chain.Add((conds.Count == 0 ? "true" : conds.Count == 1 ? conds[0] : $"(and {string.Join(' ', conds)})", def.Value.Subst(env).ToString()));
            }
            bool deeper = depth < idxSorts.Count && list.Any(dd => dd.Index.Count > depth);
            string tail = deeper ? $"(lambda (({k[depth]} {idxSorts[depth]})) {At(depth + 1)})" : fallback;
            for (int c = chain.Count - 1; c >= 0; c--)
            {
                tail = chain[c].Cond == "true" ? chain[c].Val : $"(ite {chain[c].Cond} {chain[c].Val} {tail})";
            }
            return tail;
        }
        return At(0);
    }
}
