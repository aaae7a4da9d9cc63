using System.Globalization;

namespace CoreSlice.Proofs;

/// <summary>
/// What the bounded search needs to know about a spec's vocabulary, read from its text: sort aliases
/// (resolved to Bool or a bit-vector width), datatypes (constructor and fields), define-funs (parameters
/// and bodies) and accessors. Nothing here is specific to one spec: a spec that adds a field, an
/// operation or a sort is read the same way.
/// </summary>
public sealed class SmtVocabulary
{
    /// <summary>A define-fun (or a macro given by a machine): parameters (name, sort) and body.</summary>
    public sealed record Fun(IReadOnlyList<(string Name, Sx Sort)> Params, Sx Body);

    /// <summary>A datatype with one constructor.</summary>
    public sealed record Datatype(string Ctor, IReadOnlyList<(string Field, Sx Sort)> Fields);

    private readonly Dictionary<string, Sx> aliases = new(StringComparer.Ordinal);

    /// <summary>define-funs by name.</summary>
    public Dictionary<string, Fun> Funs { get; } = new(StringComparer.Ordinal);

    /// <summary>Datatypes by sort name.</summary>
    public Dictionary<string, Datatype> Datatypes { get; } = new(StringComparer.Ordinal);

    /// <summary>Accessor name → (datatype's constructor, field position).</summary>
    public Dictionary<string, (string Ctor, int Index)> Accessors { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads every definition of <paramref name="text"/>.</summary>
    public SmtVocabulary(string text)
    {
        foreach (Sx top in Sx.ParseAll(text))
        {
            if (top.Is("define-sort") && top.Items.Count == 4 && top.Items[2].Items.Count == 0)
            {
                aliases[top.Items[1].Atom!] = top.Items[3];
            }
            else if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom is { } name)
            {
                Funs[name] = new Fun([.. top.Items[2].Items.Select(p => (p.Items[0].Atom!, p.Items[1]))], top.Items[4]);
            }
            else if (top.Is("declare-datatypes") && top.Items.Count == 3)
            {
                for (int d = 0; d < top.Items[1].Items.Count && d < top.Items[2].Items.Count; d++)
                {
                    string sort = top.Items[1].Items[d].Items[0].Atom!;
                    IReadOnlyList<Sx> ctors = top.Items[2].Items[d].Items;
                    if (ctors.Count != 1)
                    {
                        continue;
                    }
                    Sx ctor = ctors[0];
                    var fields = ctor.Items.Skip(1).Select(f => (f.Items[0].Atom!, f.Items[1])).ToList();
                    Datatypes[sort] = new Datatype(ctor.Items[0].Atom!, fields);
                    for (int k = 0; k < fields.Count; k++)
                    {
                        Accessors[fields[k].Item1] = (ctor.Items[0].Atom!, k);
                    }
                }
            }
        }
    }

    /// <summary>The sort with every alias replaced (Core → (_ BitVec 16)).</summary>
    public Sx Resolve(Sx sort)
    {
        for (int guard = 0; sort.Atom is { } a && aliases.TryGetValue(a, out Sx? to) && guard < 20; guard++)
        {
            sort = to;
        }
        return sort.Atom is null && !sort.Is("_") ? Sx.L([.. sort.Items.Select(Resolve)]) : sort;
    }

    /// <summary>Bit-vector width of a sort (0 for Bool, -1 for anything else).</summary>
    public int Width(Sx sort)
    {
        Sx r = Resolve(sort);
        if (r.Atom == "Bool")
        {
            return 0;
        }
        return r.Is("_") && r.Items.Count == 3 && r.Items[1].Atom == "BitVec" ? int.Parse(r.Items[2].Atom!, CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>True for an array sort; its index and element sorts.</summary>
    public bool IsArray(Sx sort, out Sx index, out Sx element)
    {
        Sx r = Resolve(sort);
        if (r.Is("Array") && r.Items.Count == 3)
        {
            index = r.Items[1];
            element = r.Items[2];
            return true;
        }
        index = element = sort;
        return false;
    }
}

/// <summary>Bit-vector literals: read, write, and fold the few operations the spec uses on constants.</summary>
public static class BvLiteral
{
    /// <summary>Reads #x… / #b… (width and value), or false.</summary>
    public static bool TryRead(Sx e, out int width, out ulong value)
    {
        width = 0;
        value = 0;
        string? a = e.Atom;
        if (a is null || a.Length < 3 || a[0] != '#')
        {
            return false;
        }
        if (a[1] == 'x' && a.Length - 2 <= 16)
        {
            width = 4 * (a.Length - 2);
            return ulong.TryParse(a.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
        }
        if (a[1] == 'b' && a.Length - 2 <= 64)
        {
            width = a.Length - 2;
            value = Convert.ToUInt64(a[2..], 2);
            return true;
        }
        return false;
    }

    /// <summary>A literal of the given width (hex when the width is a multiple of 4).</summary>
    public static Sx Make(int width, ulong value)
    {
        value &= Mask(width);
        return width % 4 == 0
            ? Sx.A("#x" + value.ToString("x" + (width / 4).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
            : Sx.A("#b" + Convert.ToString((long)value, 2).PadLeft(width, '0')[^width..]);
    }

    /// <summary>All ones below the width.</summary>
    public static ulong Mask(int width) => width >= 64 ? ulong.MaxValue : (1UL << width) - 1;

    /// <summary>The operation on two literals of one width, or null when it is not one folded here.</summary>
    public static Sx? Fold(string op, int w, ulong x, ulong y) => op switch
    {
        "bvadd" => Make(w, x + y),
        "bvsub" => Make(w, x - y),
        "bvand" => Make(w, x & y),
        "bvor" => Make(w, x | y),
        "bvxor" => Make(w, x ^ y),
        "bvmul" => Make(w, x * y),
        "bvshl" => Make(w, y >= (ulong)w ? 0 : x << (int)y),
        "bvlshr" => Make(w, y >= (ulong)w ? 0 : x >> (int)y),
        "bvult" => Bool(x < y),
        "bvule" => Bool(x <= y),
        "bvugt" => Bool(x > y),
        "bvuge" => Bool(x >= y),
        "=" => Bool(x == y),
        "distinct" => Bool(x != y),
        _ => null,
    };

    /// <summary>true / false as atoms.</summary>
    public static Sx Bool(bool b) => Sx.A(b ? "true" : "false");
}
