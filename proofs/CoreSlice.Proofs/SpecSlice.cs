namespace CoreSlice.Proofs;

/// <summary>
/// The part of the spec a query needs: the top-level definitions and declarations its symbols reach, followed
/// through their bodies, in the spec's order. Everything else is left out.
/// </summary>
/// <remarks>
/// <para>
/// Why this is exact: the spec has no top-level assertions (the closed spec language refuses them), so a definition
/// the query never reaches only names something new. Every model of the sliced script extends to a model of the
/// whole one, and the reverse is a restriction. The answer cannot change.
/// </para>
/// <para>
/// Why it is used: Z3's search depends on everything it has read. In Z3 4.8.12, two unrelated define-funs added to
/// spec/70-lemmas.smt2 (for CreateSlice's devices) took <c>pmp/Exact.SU</c> from 0.75 s proved to unknown at 120 s
/// through libz3 (2026-12-08). The PMP obligations read only spec/80-pmp.smt2 and the vocabulary, so they are asked
/// over their slice: a change elsewhere in the spec leaves their scripts, and their answers, as they were.
/// </para>
/// </remarks>
public static class SpecSlice
{
    /// <summary>The forms of <paramref name="specText"/> that <paramref name="roots"/> (query text) reach, one per line, in order.</summary>
    public static string For(string specText, string roots)
    {
        List<(string Text, HashSet<string> Names, HashSet<string> Uses)> forms = [];
        foreach ((int start, int end) in OpaqueFunctions.TopLevel(specText))
        {
            string text = specText[start..end];
            Sx form = Sx.ParseAll(text)[0];
            forms.Add((text, DefinedNames(form), Symbols(form)));
        }
        var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int k = 0; k < forms.Count; k++)
        {
            foreach (string name in forms[k].Names)
            {
                if (!byName.TryGetValue(name, out List<int>? at))
                {
                    byName[name] = at = [];
                }
                at.Add(k);
            }
        }
        var kept = new bool[forms.Count];
        var pending = new Stack<string>(Sx.ParseAll(roots).SelectMany(Symbols));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            string symbol = pending.Pop();
            if (!seen.Add(symbol) || !byName.TryGetValue(symbol, out List<int>? defining))
            {
                continue;
            }
            foreach (int k in defining.Where(k => !kept[k]))
            {
                kept[k] = true;
                foreach (string used in forms[k].Uses)
                {
                    pending.Push(used);
                }
            }
        }
        return string.Join('\n', forms.Where((_, k) => kept[k]).Select(f => f.Text));
    }

    /// <summary>
    /// The names a top-level form introduces: a function, constant or sort; for a datatype, its sorts, constructors,
    /// selectors and testers (<c>is-C</c>).
    /// </summary>
    private static HashSet<string> DefinedNames(Sx form)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (form.Is("declare-datatypes") && form.Items.Count == 3)
        {
            foreach (Sx sort in form.Items[1].Items)
            {
                AddAtom(names, sort.Items.Count > 0 ? sort.Items[0] : sort);
            }
            foreach (Sx constructor in form.Items[2].Items.SelectMany(d => d.Items))
            {
                Sx head = constructor.Atom is null ? constructor.Items[0] : constructor;
                AddAtom(names, head);
                if (head.Atom is { } c)
                {
                    names.Add("is-" + c);
                }
                foreach (Sx field in constructor.Atom is null ? constructor.Items.Skip(1) : [])
                {
                    AddAtom(names, field.Items.Count > 0 ? field.Items[0] : field);
                }
            }
        }
        else if (form.Items.Count > 1)
        {
            AddAtom(names, form.Items[1]);
        }
        return names;
    }

    private static void AddAtom(HashSet<string> names, Sx item)
    {
        if (item.Atom is { } atom)
        {
            names.Add(atom);
        }
    }

    /// <summary>Every atom of <paramref name="form"/>.</summary>
    private static HashSet<string> Symbols(Sx form)
    {
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Sx>([form]);
        while (pending.Count > 0)
        {
            Sx x = pending.Pop();
            if (x.Atom is { } atom)
            {
                symbols.Add(atom);
            }
            foreach (Sx item in x.Items)
            {
                pending.Push(item);
            }
        }
        return symbols;
    }
}
