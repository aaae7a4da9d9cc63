using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// Makes a quantified formula of the spec finite-instance on a small machine, so a counterexample query
/// is quantifier-free and the solver answers it (a quantified 64-bit one it does not). Every define-fun,
/// machine predicate and let is inlined; accessors of a constructor, reads of a lambda, a store or a
/// constant array are reduced; constants are folded. Each quantifier then becomes, by its polarity:
/// <list type="bullet">
/// <item>an existential (a forall under a negation, an exists not under one): fresh constants (skolems;
/// exact), which later become representatives of their sort too when outside every universal;</item>
/// <item>a universal, either (in an ite condition or an equivalence), or an existential over index sorts under a
/// universal (stronger than the formula: its witness must be a point): the conjunction (disjunction) of
/// its body at REPRESENTATIVE points: every value of a sort of at most 3 bits, the small indices and the
/// sentinels of a 16-bit sort, the skolems of the sort, and the terms the body itself compares the
/// variable with (x = t, x &lt; t, x - b &lt; z ⇒ t, t ± 1, b, b + z, b + z - 1, b - 1), read from the body
/// with the variable as a marker once the other variables are instantiated.</item>
/// </list>
/// The result is an under-approximation of the hypotheses (a model may break a quantifier at a point not
/// instantiated), so every model is re-checked on the unbounded definitions before it is reported.
/// </summary>
public sealed class FiniteInstance
{
    private const string MarkerPrefix = "mk!";
    private static readonly HashSet<string> Comparisons = new(StringComparer.Ordinal) { "=", "distinct", "bvult", "bvule", "bvugt", "bvuge" };

    private readonly SmtVocabulary vocab;
    private readonly Dictionary<string, SmtVocabulary.Fun> macros;
    private readonly int smallIndices;
    private readonly IReadOnlyDictionary<string, Sx> namedArrays;
    private readonly Dictionary<string, List<Sx>> skolemsBySort = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Sx>> globalPoints = new(StringComparer.Ordinal);
    private readonly Dictionary<Sx, int> ids = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> idOfShape = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Sx> memo = new(StringComparer.Ordinal);
    private int markers;
    private int depthOfExpansion;

    // A term's structural identity: equal terms get equal numbers. Computed once per node from its
    // children's numbers, so the work and memory are linear in the number of distinct nodes; the terms
    // are DAGs (a state built from a step is shared many times), and keying on their text instead grew
    // quadratically, to gigabytes, on a step with a free post-state.
    private int Id(Sx e)
    {
        if (ids.TryGetValue(e, out int id))
        {
            return id;
        }
        string shape;
        if (e.Atom is { } a)
        {
            shape = "a" + a;
        }
        else
        {
            var sb = new StringBuilder("l");
            foreach (Sx item in e.Items)
            {
                sb.Append(Id(item)).Append(',');
            }
            shape = sb.ToString();
        }
        if (!idOfShape.TryGetValue(shape, out id))
        {
            idOfShape[shape] = id = idOfShape.Count;
        }
        ids[e] = id;
        return id;
    }

    /// <summary>
    /// An instantiator over the spec's vocabulary, with the machine's constants and predicates as macros
    /// (a parameterless macro is a constant), and the number of small indices 0..n-1 every 16-bit sort is
    /// instantiated at besides the terms its bodies name.
    /// </summary>
    public FiniteInstance(SmtVocabulary vocab, IReadOnlyDictionary<string, SmtVocabulary.Fun> macros, int smallIndices,
        IReadOnlyDictionary<string, Sx>? namedArrays = null)
    {
        this.namedArrays = namedArrays ?? new Dictionary<string, Sx>();
        this.vocab = vocab;
        this.macros = new Dictionary<string, SmtVocabulary.Fun>(macros, StringComparer.Ordinal);
        this.smallIndices = smallIndices;
    }

    /// <summary>The skolem constants made so far (name, sort).</summary>
    public List<(string Name, Sx Sort)> Skolems { get; } = [];

    /// <summary>Every wide (≥ 32-bit) point any body was found to compare a variable with (collected in each run).</summary>
    public Dictionary<string, List<Sx>> FoundPoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Instances made (a size figure for the report).</summary>
    public int Instances { get; private set; }

    /// <summary>
    /// Most instances one expansion may make: past it, building stops with <see cref="TooLargeException"/>. The
    /// solver has never answered sat on a query of more than ~40,000 instances here (spec/README.md, "How
    /// counterexamples are found"), while a widened round was measured making 1.26 million in 84 s before its
    /// query ended unknown: the cap returns that time to the rest of the search.
    /// </summary>
    public int MaxInstances { get; init; } = int.MaxValue;

    /// <summary>The expansion passed <see cref="MaxInstances"/>.</summary>
    public sealed class TooLargeException(int limit) : Exception($"more than {limit} instances")
    {
        /// <summary>The limit that was passed.</summary>
        public int Limit { get; } = limit;
    }

    /// <summary>Adds points every quantifier of the sort is also instantiated at (e.g. the points a first round found).</summary>
    public void AddGlobalPoints(Sx sort, IEnumerable<Sx> points)
    {
        string key = vocab.Resolve(sort).ToString();
        if (!globalPoints.TryGetValue(key, out List<Sx>? list))
        {
            globalPoints[key] = list = [];
        }
        foreach (Sx p in points)
        {
            if (!list.Exists(x => x.ToString() == p.ToString()))
            {
                list.Add(p);
            }
        }
    }

    /// <summary>The assertion <paramref name="e"/> (over the given constants' terms) made quantifier-free.</summary>
    public Sx Assertion(Sx e, IReadOnlyDictionary<string, Sx> constants) => Expand(e, new Dictionary<string, Sx>(constants, StringComparer.Ordinal), +1);

    /// <summary>A term (a state, a call) with every definition inlined and every read reduced; its quantifiers, if any, instantiated.</summary>
    public Sx Term(Sx e, IReadOnlyDictionary<string, Sx> constants) => Expand(e, new Dictionary<string, Sx>(constants, StringComparer.Ordinal), 0);

    // pol: +1 positive, -1 negative, 0 both
    private Sx Expand(Sx e, Dictionary<string, Sx> env, int pol)
    {
        if (e.Atom is { } atom)
        {
            if (env.TryGetValue(atom, out Sx? bound))
            {
                return bound;
            }
            if (macros.TryGetValue(atom, out SmtVocabulary.Fun? m) && m.Params.Count == 0)
            {
                return Expand(m.Body, [], pol);
            }
            if (vocab.Funs.TryGetValue(atom, out SmtVocabulary.Fun? f) && f.Params.Count == 0)
            {
                return Expand(f.Body, [], pol);
            }
            return e;
        }
        if (e.Items.Count == 0)
        {
            return e;
        }
        string? head = e.Items[0].Atom;
        switch (head)
        {
            case "!":
                return Expand(e.Items[1], env, pol);
            case "let" when e.Items.Count == 3:
            {
                var inner = new Dictionary<string, Sx>(env, StringComparer.Ordinal);
                foreach (Sx b in e.Items[1].Items)
                {
                    inner[b.Items[0].Atom!] = Expand(b.Items[1], env, 0);
                }
                return Expand(e.Items[2], inner, pol);
            }
            case "forall" or "exists" when e.Items.Count == 3:
                return Quantifier(head == "forall", e.Items[1].Items.Select(v => (v.Items[0].Atom!, v.Items[1])).ToList(), e.Items[2], env, pol);
            case "lambda" when e.Items.Count == 3:
            {
                var inner = new Dictionary<string, Sx>(env, StringComparer.Ordinal);
                foreach (Sx v in e.Items[1].Items)
                {
                    inner.Remove(v.Items[0].Atom!);
                }
                return Sx.L(e.Items[0], e.Items[1], Expand(e.Items[2], inner, 0));
            }
            case "and" or "or":
                return Logic(head, e.Items.Skip(1).Select(x => Expand(x, env, pol)));
            case "not":
                return Not(Expand(e.Items[1], env, -pol));
            case "=>":
            {
                var parts = e.Items.Skip(1).ToList();
                var ins = parts.Take(parts.Count - 1).Select(x => Not(Expand(x, env, -pol))).ToList();
                ins.Add(Expand(parts[^1], env, pol));
                return Logic("or", ins);
            }
            case "ite" when e.Items.Count == 4:
                return Ite(Expand(e.Items[1], env, 0), Expand(e.Items[2], env, pol), Expand(e.Items[3], env, pol));
            case "select" when e.Items.Count == 3:
                return Select(Expand(e.Items[1], env, 0), Expand(e.Items[2], env, 0), pol);
            default:
                break;
        }
        var args = e.Items.Skip(1).Select(x => Expand(x, env, 0)).ToList();
        if (head is not null)
        {
            SmtVocabulary.Fun? fun = macros.TryGetValue(head, out SmtVocabulary.Fun? m) ? m : vocab.Funs.GetValueOrDefault(head);
            if (fun is not null && fun.Params.Count == args.Count && args.Count > 0)
            {
                // the same call at the same polarity expands the same way (skolems included: one witness serves both)
                string key = head + "|" + pol + "|" + string.Join(",", args.Select(Id));
                if (memo.TryGetValue(key, out Sx? done))
                {
                    return done;
                }
                var inner = new Dictionary<string, Sx>(StringComparer.Ordinal);
                for (int k = 0; k < args.Count; k++)
                {
                    inner[fun.Params[k].Name] = args[k];
                }
                return memo[key] = Expand(fun.Body, inner, pol);
            }
            if (vocab.Accessors.TryGetValue(head, out var acc) && args.Count == 1 && args[0].Is(acc.Ctor) && args[0].Items.Count > acc.Index + 1)
            {
                return args[0].Items[acc.Index + 1];
            }
            if (head == "=" && args.Count == 2)
            {
                return Equal(args[0], args[1], env, pol);
            }
        }
        return Fold(Sx.L([e.Items[0], .. args]));
    }

    private Sx Equal(Sx x, Sx y, Dictionary<string, Sx> env, int pol)
    {
        if (Id(x) == Id(y))
        {
            return Sx.A("true");
        }
        // two constructor terms: field by field
        if (x.Items.Count > 0 && x.Items[0].Atom is { } cx && y.Is(cx) && x.Items.Count == y.Items.Count
            && vocab.Datatypes.Values.Any(d => d.Ctor == cx))
        {
            return Logic("and", x.Items.Skip(1).Zip(y.Items.Skip(1)).Select(p => Equal(p.First, p.Second, env, pol)).ToList());
        }
        // two arrays: pointwise, a quantifier over the index (instantiated like any other), so no array theory is left
        if ((IndexSort(x) ?? IndexSort(y)) is { } indexSort)
        {
            string name = "eq!" + markers++;
            var inner = new Dictionary<string, Sx>(env, StringComparer.Ordinal) { ["eq!x"] = x, ["eq!y"] = y };
            Sx body = Sx.L(Sx.A("="), Sx.L(Sx.A("select"), Sx.A("eq!x"), Sx.A(name)), Sx.L(Sx.A("select"), Sx.A("eq!y"), Sx.A(name)));
            return Quantifier(true, [(name, indexSort)], body, inner, pol);
        }
        return Fold(Sx.L(Sx.A("="), x, y));
    }

    // the index sort of an array-valued term, when it is one this class can read
    private Sx? IndexSort(Sx a)
    {
        if (a.Atom is { } n)
        {
            return namedArrays.TryGetValue(n, out Sx? def) ? IndexSort(def) : null;
        }
        if (a.Is("lambda") && a.Items[1].Items.Count == 1)
        {
            return a.Items[1].Items[0].Items[1];
        }
        if (a.Is("store") && a.Items.Count == 4)
        {
            return IndexSort(a.Items[1]);
        }
        if (a.Is("ite") && a.Items.Count == 4)
        {
            return IndexSort(a.Items[2]) ?? IndexSort(a.Items[3]);
        }
        if (a.Items.Count == 2 && a.Items[0].Is("as") && a.Items[0].Items.Count == 3 && a.Items[0].Items[2].Is("Array"))
        {
            return a.Items[0].Items[2].Items[1];
        }
        return null;
    }

    private Sx Select(Sx array, Sx index, int pol)
    {
        if (array.Atom is { } named && namedArrays.TryGetValue(named, out Sx? definition))
        {
            // read through its definition: the query stays pure bit-vector (with array terms the solver is
            // two orders of magnitude slower on these queries)
            return Select(definition, index, pol);
        }
        if (array.Is("lambda") && array.Items[1].Items.Count == 1)
        {
            var inner = new Dictionary<string, Sx>(StringComparer.Ordinal) { [array.Items[1].Items[0].Items[0].Atom!] = index };
            return Expand(array.Items[2], inner, pol);
        }
        if (array.Is("store") && array.Items.Count == 4)
        {
            if (BvLiteral.TryRead(index, out _, out ulong i) && BvLiteral.TryRead(array.Items[2], out _, out ulong j))
            {
                return i == j ? array.Items[3] : Select(array.Items[1], index, pol);
            }
            return Ite(Fold(Sx.L(Sx.A("="), index, array.Items[2])), array.Items[3], Select(array.Items[1], index, pol));
        }
        if (array.Items.Count == 2 && array.Items[0].Is("as") && array.Items[0].Items.Count == 3 && array.Items[0].Items[1].Atom == "const")
        {
            return array.Items[1];
        }
        if (array.Is("ite") && array.Items.Count == 4)
        {
            return Ite(array.Items[1], Select(array.Items[2], index, pol), Select(array.Items[3], index, pol));
        }
        return Sx.L(Sx.A("select"), array, index);
    }

    private Sx Quantifier(bool forall, List<(string Name, Sx Sort)> vars, Sx body, Dictionary<string, Sx> env, int pol)
    {
        bool existential = forall ? pol < 0 : pol > 0;
        // an existential under a universal over narrow sorts only: the disjunction of its body at the points (below),
        // which include every index an array holds its own value at (0..n). A fresh witness per instance of the universal made the
        // relational searches over Inv 2-3x slower once I1_Disjointness.wayDomains (a core under a way) was in Inv
        // (spec/README.md). One over a wide sort keeps its witnesses: an address need not be among the points.
        bool overPoints = existential && depthOfExpansion > 0 && vars.TrueForAll(v => vocab.Width(v.Sort) < 32);
        if (existential && !overPoints)
        {
            var inner = new Dictionary<string, Sx>(env, StringComparer.Ordinal);
            foreach ((string name, Sx sort) in vars)
            {
                string fresh = $"sk!{Skolems.Count}!{Clean(name)}";
                Skolems.Add((fresh, sort));
                inner[name] = Sx.A(fresh);
                if (depthOfExpansion == 0)
                {
                    string key = vocab.Resolve(sort).ToString();
                    if (!skolemsBySort.TryGetValue(key, out List<Sx>? list))
                    {
                        skolemsBySort[key] = list = [];
                    }
                    list.Add(Sx.A(fresh));
                }
            }
            return Expand(body, inner, pol);
        }
        // instantiate: narrow variables first, the wide (address) ones last, each at the points its body names
        var order = vars.OrderBy(v => vocab.Width(v.Sort) is var w && w >= 32 ? 1 : 0).ToList();
        depthOfExpansion++;
        try
        {
            return Instantiate(forall, order, 0, body, new Dictionary<string, Sx>(env, StringComparer.Ordinal), pol);
        }
        finally
        {
            depthOfExpansion--;
        }
    }

    private Sx Instantiate(bool forall, List<(string Name, Sx Sort)> vars, int k, Sx body, Dictionary<string, Sx> env, int pol)
    {
        if (k == vars.Count)
        {
            if (++Instances > MaxInstances)
            {
                throw new TooLargeException(MaxInstances);
            }
            return Expand(body, env, pol);
        }
        (string name, Sx sort) = vars[k];
        List<Sx> points = Representatives(vars, k, body, env, sort);
        var parts = new List<Sx>();
        var distinct = new HashSet<int>();
        foreach (Sx p in points)
        {
            var inner = new Dictionary<string, Sx>(env, StringComparer.Ordinal) { [name] = p };
            Sx inst = Instantiate(forall, vars, k + 1, body, inner, pol);
            if (inst.Atom == (forall ? "false" : "true"))
            {
                return inst;
            }
            if (distinct.Add(Id(inst)))
            {
                parts.Add(inst);
            }
        }
        return Logic(forall ? "and" : "or", parts);
    }

    private List<Sx> Representatives(List<(string Name, Sx Sort)> vars, int k, Sx body, Dictionary<string, Sx> env, Sx sort)
    {
        int width = vocab.Width(sort);
        var points = new List<Sx>();
        var seen = new HashSet<int>();
        void Add(Sx p)
        {
            Sx f = Fold(p);
            if (seen.Add(Id(f)))
            {
                points.Add(f);
            }
        }
        if (width == 0)
        {
            Add(Sx.A("false"));
            Add(Sx.A("true"));
            return points;
        }
        if (width is > 0 and <= 3)
        {
            for (ulong v = 0; v < (1UL << width); v++)
            {
                Add(BvLiteral.Make(width, v));
            }
            return points;
        }
        string key = vocab.Resolve(sort).ToString();
        if (width is > 0 and < 32)
        {
            // arrays over small sorts hold their own values at 0..n-1 and one default beyond: 0..n covers every read
            for (int v = 0; v <= smallIndices; v++)
            {
                Add(BvLiteral.Make(width, (ulong)v));
            }
        }
        else if (width >= 32)
        {
            Add(BvLiteral.Make(width, 0));
            Add(BvLiteral.Make(width, BvLiteral.Mask(width)));
        }
        foreach (Sx s in skolemsBySort.GetValueOrDefault(key) ?? [])
        {
            Add(s);
        }
        foreach (Sx s in globalPoints.GetValueOrDefault(key) ?? [])
        {
            Add(s);
        }
        // the terms the body compares this variable with, the variables after it left as markers
        if (width > 0)
        {
            var marked = new Dictionary<string, Sx>(env, StringComparer.Ordinal);
            var names = new List<string>();
            for (int j = k; j < vars.Count; j++)
            {
                string m = MarkerPrefix + markers++;
                names.Add(m);
                marked[vars[j].Name] = Sx.A(m);
            }
            Sx probe = Expand(body, marked, 0);
            var found = new List<Sx>();
            Boundaries(probe, names[0], width, found);
            foreach (Sx p in found)
            {
                Add(p);
            }
            if (width >= 32)
            {
                if (!FoundPoints.TryGetValue(key, out List<Sx>? all))
                {
                    FoundPoints[key] = all = [];
                }
                all.AddRange(found);
            }
        }
        return points;
    }

    private static void Boundaries(Sx e, string marker, int width, List<Sx> found)
    {
        if (e.Atom is not null)
        {
            return;
        }
        foreach (Sx x in e.Items)
        {
            Boundaries(x, marker, width, found);
        }
        if (e.Items.Count != 3 || e.Items[0].Atom is not { } op || !Comparisons.Contains(op))
        {
            return;
        }
        bool wide = width >= 32;
        Sx one = BvLiteral.Make(width, 1);
        Sx Minus(Sx t) => Sx.L(Sx.A("bvsub"), t, one);
        Sx Plus(Sx t) => Sx.L(Sx.A("bvadd"), t, one);
        foreach ((Sx mine, Sx other, bool mirrored) in new[] { (e.Items[1], e.Items[2], false), (e.Items[2], e.Items[1], true) })
        {
            if (HasMarker(other))
            {
                continue;
            }
            if (mine.Atom == marker)
            {
                found.Add(other);
                // a narrow index needs only the values it is equal to (its arrays are read the same beyond 0..n);
                // an address needs the last point on each side of where the comparison changes
                string o = mirrored ? op switch { "bvult" => "bvugt", "bvule" => "bvuge", "bvugt" => "bvult", "bvuge" => "bvule", _ => op } : op;
                if (wide && o is "bvult" or "bvuge")
                {
                    found.Add(Minus(other));
                }
                else if (wide && o is "bvule" or "bvugt")
                {
                    found.Add(Plus(other));
                }
            }
            else if (wide && mine.Is("bvsub") && mine.Items.Count == 3 && mine.Items[1].Atom == marker && !HasMarker(mine.Items[2]))
            {
                // x - b compared with z: the interval [b, b + z) (or [b, b + z]) has its ends at b and b + z
                Sx b = mine.Items[2];
                Sx end = Sx.L(Sx.A("bvadd"), b, other);
                found.Add(b);
                found.Add(Minus(b));
                found.Add(end);
                found.Add(Minus(end));
                found.Add(Plus(end));
            }
        }
    }

    private static bool HasMarker(Sx e) => e.Atom is { } a ? a.StartsWith(MarkerPrefix, StringComparison.Ordinal) : e.Items.Any(HasMarker);

    private static string Clean(string name) => new([.. name.Where(ch => char.IsLetterOrDigit(ch) || ch == '.')]);

    private static Sx Not(Sx x) => x.Atom switch
    {
        "true" => Sx.A("false"),
        "false" => Sx.A("true"),
        _ => x.Is("not") ? x.Items[1] : Sx.L(Sx.A("not"), x),
    };

    private static Sx Logic(string op, IEnumerable<Sx> parts)
    {
        string unit = op == "and" ? "true" : "false", zero = op == "and" ? "false" : "true";
        var list = new List<Sx>();
        foreach (Sx p in parts)
        {
            if (p.Atom == zero)
            {
                return p;
            }
            if (p.Atom == unit)
            {
                continue;
            }
            if (p.Is(op))
            {
                list.AddRange(p.Items.Skip(1));
            }
            else
            {
                list.Add(p);
            }
        }
        return list.Count == 0 ? Sx.A(unit) : list.Count == 1 ? list[0] : Sx.L([Sx.A(op), .. list]);
    }

    private Sx Ite(Sx c, Sx t, Sx f)
    {
        if (c.Atom == "true")
        {
            return t;
        }
        if (c.Atom == "false")
        {
            return f;
        }
        if (t.Atom == "true" && f.Atom == "false")
        {
            return c;
        }
        if (t.Atom == "false" && f.Atom == "true")
        {
            return Not(c);
        }
        return ReferenceEquals(t, f) || Id(t) == Id(f) ? t : Sx.L(Sx.A("ite"), c, t, f);
    }

    private static Sx Fold(Sx e)
    {
        if (e.Items.Count == 3 && e.Items[0].Atom is { } op
            && BvLiteral.TryRead(e.Items[1], out int w1, out ulong x) && BvLiteral.TryRead(e.Items[2], out int w2, out ulong y) && w1 == w2
            && BvLiteral.Fold(op, w1, x, y) is { } folded)
        {
            return folded;
        }
        if (e.Items.Count == 2 && e.Items[0].Atom == "bvnot" && BvLiteral.TryRead(e.Items[1], out int w, out ulong v))
        {
            return BvLiteral.Make(w, ~v);
        }
        if (e.Items.Count == 3 && e.Items[0].Atom is "=" && (e.Items[1].Atom is "true" or "false" || e.Items[2].Atom is "true" or "false"))
        {
            (Sx b, Sx other) = e.Items[1].Atom is "true" or "false" ? (e.Items[1], e.Items[2]) : (e.Items[2], e.Items[1]);
            return b.Atom == "true" ? other : Not(other);
        }
        return e;
    }

    /// <summary>Declarations of the skolems for a script.</summary>
    public string SkolemDeclarations()
    {
        var sb = new StringBuilder();
        foreach ((string n, Sx sort) in Skolems)
        {
            sb.Append($"(declare-const {n} {sort})\n");
        }
        return sb.ToString();
    }
}
