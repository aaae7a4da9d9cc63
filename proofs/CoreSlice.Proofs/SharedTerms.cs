using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// Writes quantifier-free assertions as SMT-LIB text with their shared subterms named once, by nested
/// <c>let</c>s. The bounded search's terms are DAGs: a post-state built from a step is substituted into
/// every clause that reads it, so printing them as trees multiplies their size by every level of sharing
/// (measured: a CreateSlice query with a free frame ran a 24 GB machine out of memory before Z3 saw it).
/// Named once, the text is linear in the number of distinct nodes. Lambda bodies are written as they
/// stand (a subterm there may name the lambda's variable, so it is never lifted out of it).
/// </summary>
public static class SharedTerms
{
    /// <summary>Subterms smaller than this many nodes are written in place however often they occur.</summary>
    private const int SmallestShared = 4;

    /// <summary>One <c>(assert ...)</c> line holding the conjunction of <paramref name="assertions"/>.</summary>
    public static void AppendAssertion(StringBuilder script, IReadOnlyList<Sx> assertions)
    {
        var shapes = new Shapes();
        var uses = new Dictionary<int, int>();
        var order = new List<Sx>();
        foreach (Sx a in assertions)
        {
            Count(a, shapes, uses, order);
        }
        var names = new Dictionary<int, string>();
        var bindings = new List<(string Name, Sx Term)>();
        // order is children-first, so every binding names only the ones before it
        foreach (Sx node in order)
        {
            int id = shapes.Id(node);
            if (uses[id] > 1 && shapes.Size(node) >= SmallestShared && !names.ContainsKey(id))
            {
                string name = "sh!" + bindings.Count;
                bindings.Add((name, node));
                names[id] = name;
            }
        }
        script.Append("(assert ");
        foreach ((string name, Sx term) in bindings)
        {
            script.Append("(let ((").Append(name).Append(' ');
            Write(script, term, shapes, names, outermost: term);
            script.Append(")) ");
        }
        Write(script, assertions.Count == 1 ? assertions[0] : Sx.L([Sx.A("and"), .. assertions]), shapes, names, outermost: null);
        script.Append(')', bindings.Count).Append(")\n");
    }

    // counts each distinct subterm's uses; a subterm's children are counted on its first visit only
    private static void Count(Sx e, Shapes shapes, Dictionary<int, int> uses, List<Sx> order)
    {
        int id = shapes.Id(e);
        if (uses.TryGetValue(id, out int n))
        {
            uses[id] = n + 1;
            return;
        }
        uses[id] = 1;
        if (e.Is("_") || e.Is("as"))
        {
            // an indexed or qualified identifier ((_ extract 1 1), (as const (Array Idx Perm))) names an operator, or
            // holds a sort: neither is a term a let may bind, so it is never a candidate and its parts are not counted
            return;
        }
        if (e.Atom is null && !e.Is("lambda"))
        {
            foreach (Sx item in e.Items)
            {
                Count(item, shapes, uses, order);
            }
        }
        order.Add(e);
    }

    private static void Write(StringBuilder sb, Sx e, Shapes shapes, Dictionary<int, string> names, Sx? outermost)
    {
        if (e.Atom is { } a)
        {
            sb.Append(a);
            return;
        }
        if (!ReferenceEquals(e, outermost) && names.TryGetValue(shapes.Id(e), out string? name))
        {
            sb.Append(name);
            return;
        }
        if (e.Is("lambda"))
        {
            sb.Append(e);
            return;
        }
        sb.Append('(');
        for (int k = 0; k < e.Items.Count; k++)
        {
            if (k > 0)
            {
                sb.Append(' ');
            }
            Write(sb, e.Items[k], shapes, names, null);
        }
        sb.Append(')');
    }

    // structural identity (equal terms, equal numbers) and tree size, once per node
    private sealed class Shapes
    {
        private readonly Dictionary<Sx, (int Id, int Size)> known = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<string, int> byShape = new(StringComparer.Ordinal);

        public int Id(Sx e) => Of(e).Id;

        public int Size(Sx e) => Of(e).Size;

        private (int Id, int Size) Of(Sx e)
        {
            if (known.TryGetValue(e, out (int Id, int Size) found))
            {
                return found;
            }
            string shape;
            long size = 1;
            if (e.Atom is { } a)
            {
                shape = "a" + a;
            }
            else
            {
                var sb = new StringBuilder("l");
                foreach (Sx item in e.Items)
                {
                    (int id, int s) = Of(item);
                    sb.Append(id).Append(',');
                    size += s;
                }
                shape = sb.ToString();
            }
            if (!byShape.TryGetValue(shape, out int next))
            {
                byShape[shape] = next = byShape.Count;
            }
            return known[e] = (next, (int)Math.Min(size, int.MaxValue));
        }
    }
}
