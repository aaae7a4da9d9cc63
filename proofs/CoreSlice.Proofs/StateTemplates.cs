namespace CoreSlice.Proofs;

/// <summary>
/// A FREE value of any spec sort with a finite description, for the bounded search: a bit-vector or
/// Boolean is a fresh constant; an array over a small index sort stores fresh constants at the indices
/// 0..n-1 over a fresh default (every index from n on reads the default: on a small machine those are the
/// indices no resource has); an array over addresses is piecewise constant, with fresh breakpoints and a
/// fresh value per piece (what memory ownership looks like); a datatype is its constructor over free
/// fields. The shape comes from the sorts alone, so a field or argument a spec adds is free too.
/// </summary>
public sealed class StateTemplates
{
    private readonly SmtVocabulary vocab;
    private readonly Func<Sx, int> explicitIndices;
    private readonly int pieces;

    /// <summary>
    /// Templates over the vocabulary; <paramref name="explicitIndices"/> gives, for an index sort as the
    /// spec writes it (Core, Slot, Idx …), how many small indices hold their own value; an address-indexed
    /// array has <paramref name="pieces"/> pieces.
    /// </summary>
    public StateTemplates(SmtVocabulary vocab, Func<Sx, int> explicitIndices, int pieces)
    {
        this.vocab = vocab;
        this.explicitIndices = explicitIndices;
        this.pieces = pieces;
    }

    /// <summary>The fresh constants of every template built so far (name, sort).</summary>
    public List<(string Name, Sx Sort)> Free { get; } = [];

    /// <summary>
    /// Arrays over a small index sort are named constants (inner ones first), each with its definition: a
    /// read at a symbolic index stays one small term for the solver instead of an if-then-else chain per read.
    /// </summary>
    public List<(string Name, Sx Sort, Sx Definition)> Arrays { get; } = [];

    /// <summary>The definitions of the named arrays, by name.</summary>
    public Dictionary<string, Sx> ArrayDefinitions { get; } = new(StringComparer.Ordinal);

    /// <summary>A term with every named array replaced by its definition (a closed term over the free constants).</summary>
    public Sx Inline(Sx e)
    {
        for (int depth = 0; depth < 8 && Mentions(e); depth++)
        {
            e = e.Subst(ArrayDefinitions);
        }
        return e;
    }

    private bool Mentions(Sx e) => e.Atom is { } a ? ArrayDefinitions.ContainsKey(a) : e.Items.Any(Mentions);

    /// <summary>A free value of <paramref name="sort"/> whose constants are named from <paramref name="prefix"/>.</summary>
    public Sx Build(Sx sort, string prefix)
    {
        if (sort.Atom is { } name && vocab.Datatypes.TryGetValue(name, out SmtVocabulary.Datatype? dt))
        {
            return Sx.L([Sx.A(dt.Ctor), .. dt.Fields.Select(f => Build(f.Sort, $"{prefix}.{f.Field}"))]);
        }
        if (vocab.IsArray(sort, out Sx _, out Sx _))
        {
            // keep the sorts as written (aliases) for the index/element so nested templates choose by alias
            Sx written = sort;
            for (int guard = 0; !written.Is("Array") && guard < 10 && written.Atom is not null; guard++)
            {
                written = vocab.Resolve(written);
            }
            Sx index = written.Items[1], element = written.Items[2];
            if (vocab.Width(index) >= 32)
            {
                string x = prefix + ".x";
                Sx body = Build(element, $"{prefix}.v{pieces - 1}");
                for (int p = pieces - 2; p >= 0; p--)
                {
                    Sx bound = Constant(index, $"{prefix}.b{p}");
                    body = Sx.L(Sx.A("ite"), Sx.L(Sx.A("bvult"), Sx.A(x), bound), Build(element, $"{prefix}.v{p}"), body);
                }
                return Sx.L(Sx.A("lambda"), Sx.L(Sx.L(Sx.A(x), index)), body);
            }
            Sx arr = Sx.L(Sx.L(Sx.A("as"), Sx.A("const"), Sx.L(Sx.A("Array"), index, element)), Build(element, $"{prefix}.d"));
            int width = vocab.Width(index);
            for (int i = 0; i < explicitIndices(index); i++)
            {
                arr = Sx.L(Sx.A("store"), arr, BvLiteral.Make(width, (ulong)i), Build(element, $"{prefix}.{i}"));
            }
            Arrays.Add((prefix, written, arr));
            ArrayDefinitions[prefix] = arr;
            return Sx.A(prefix);
        }
        return Constant(sort, prefix);
    }

    private Sx Constant(Sx sort, string name)
    {
        Free.Add((name, sort));
        return Sx.A(name);
    }
}
