using System.Text.RegularExpressions;

namespace CoreSlice.Proofs;

/// <summary>
/// The closed spec language. Every obligation is "the spec text, then a query", so a top-level
/// form that is not a definition changes every proof: <c>(assert false)</c> proves everything, a
/// <c>push/pop</c> or <c>check-sat</c> desynchronises the query, a <c>set-option</c> changes the
/// solver's semantics, a redeclared symbol shadows a definition, and a machine parameter written as
/// a definition turns the "every machine" proof into a proof about one machine. The loader accepts
/// only the forms the model needs and reports each other form with its file and line.
/// </summary>
public static partial class SpecLanguage
{
    /// <summary>Marker line put before each file's text when a spec is assembled (comment: solvers skip it).</summary>
    public const string FileMarker = "; @file ";

    /// <summary>
    /// The machine's parameters: each must be DECLARED (free) exactly once, never defined, so that
    /// a proof holds for every machine <c>Machine_WellFormed</c> admits.
    /// </summary>
    public static readonly IReadOnlyList<string> MachineParameters =
    [
        "nCores", "nSlots", "nDevs", "nDoms", "nRR", "gran",
        "controlCore", "controlWay", "controlMem", "reservedMem", "ramCovers", "measureExtend",
        "domWays", "coreDom", "domContig", "domMaxCls", "domMinWidth",
    ];

    /// <summary>Top-level forms a spec may hold: definitions and the machine's declarations.</summary>
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "define-sort", "declare-datatypes", "define-fun", "declare-const", "declare-fun",
    };

    /// <summary>Every problem of <paramref name="text"/> as "file:line: reason"; empty when the spec is in the language.</summary>
    public static IReadOnlyList<string> Check(string text)
    {
        var problems = new List<string>();
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        var declaredMachine = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string where, string form) in TopLevel(text, problems))
        {
            Sx sx;
            try
            {
                sx = Sx.ParseAll(form)[0];
            }
            catch (FormatException e)
            {
                problems.Add($"{where}: {e.Message}");
                continue;
            }
            string? head = sx.Atom is null && sx.Items.Count > 0 ? sx.Items[0].Atom : null;
            if (head is null || !Allowed.Contains(head))
            {
                problems.Add($"{where}: top-level ({head ?? sx.ToString()} ...) is not allowed in a spec " +
                    "(only define-sort, declare-datatypes, define-fun, and declare-const/declare-fun of a machine parameter)");
                continue;
            }
            foreach (string name in Introduced(sx, head))
            {
                if (defined.TryGetValue(name, out string? first))
                {
                    problems.Add($"{where}: {name} is declared again (first at {first})");
                }
                else
                {
                    defined[name] = where;
                }
            }
            string? symbol = sx.Items.Count > 1 ? sx.Items[1].Atom : null;
            if (head is "declare-const" or "declare-fun")
            {
                if (symbol is null || !MachineParameters.Contains(symbol))
                {
                    problems.Add($"{where}: ({head} {symbol} ...) declares a free symbol that is not a machine parameter " +
                        $"({string.Join(", ", MachineParameters)}); state and arguments are datatypes, everything else a definition");
                }
                else
                {
                    declaredMachine.Add(symbol);
                }
            }
            else if (head == "define-fun" && symbol is not null && MachineParameters.Contains(symbol))
            {
                problems.Add($"{where}: machine parameter {symbol} is defined (fixed); it must stay a free declare-const/declare-fun");
            }
        }
        foreach (string p in MachineParameters)
        {
            if (!declaredMachine.Contains(p) && !problems.Exists(x => x.Contains($"machine parameter {p} ", StringComparison.Ordinal)))
            {
                problems.Add($"spec: machine parameter {p} is not declared");
            }
        }
        return problems;
    }

    // The symbols a definition introduces: the name; for a datatype, its sorts, constructors and selectors.
    private static IEnumerable<string> Introduced(Sx sx, string head)
    {
        if (head == "declare-datatypes" && sx.Items.Count == 3)
        {
            foreach (Sx sort in sx.Items[1].Items)
            {
                if (sort.Items.Count > 0 && sort.Items[0].Atom is { } n)
                {
                    yield return n;
                }
            }
            foreach (Sx ctors in sx.Items[2].Items)
            {
                foreach (Sx ctor in ctors.Items)
                {
                    if (ctor.Atom is { } bare)
                    {
                        yield return bare;
                        continue;
                    }
                    if (ctor.Items.Count > 0 && ctor.Items[0].Atom is { } c)
                    {
                        yield return c;
                    }
                    foreach (Sx sel in ctor.Items.Skip(1))
                    {
                        if (sel.Items.Count > 0 && sel.Items[0].Atom is { } s)
                        {
                            yield return s;
                        }
                    }
                }
            }
        }
        else if (sx.Items.Count > 1 && sx.Items[1].Atom is { } name)
        {
            yield return name;
        }
    }

    /// <summary>The top-level forms with "file:line" of their start (the file from the assembly markers).</summary>
    private static List<(string Where, string Form)> TopLevel(string text, List<string> problems)
    {
        var forms = new List<(string, string)>();
        string file = "spec";
        int fileLine0 = 0;
        int line = 1;
        int i = 0;
        while (i < text.Length)
        {
            char ch = text[i];
            if (ch == '\n')
            {
                line++;
                i++;
                if (string.CompareOrdinal(text, i, FileMarker, 0, FileMarker.Length) == 0)
                {
                    int end = text.IndexOf('\n', i);
                    file = text[(i + FileMarker.Length)..(end < 0 ? text.Length : end)].Trim();
                    fileLine0 = line;
                }
                continue;
            }
            if (i == 0 && string.CompareOrdinal(text, 0, FileMarker, 0, FileMarker.Length) == 0)
            {
                int end = text.IndexOf('\n');
                file = text[FileMarker.Length..(end < 0 ? text.Length : end)].Trim();
                fileLine0 = 1;
            }
            if (char.IsWhiteSpace(ch))
            {
                i++;
                continue;
            }
            if (ch == ';')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
                continue;
            }
            string where = $"{file}:{line - fileLine0}";
            if (ch != '(')
            {
                problems.Add($"{where}: stray text at top level");
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
                continue;
            }
            int start = i, depth = 0;
            bool inBar = false, inString = false;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\n')
                {
                    line++;
                }
                if (inBar)
                {
                    inBar = c != '|';
                    continue;
                }
                if (inString)
                {
                    inString = c != '"';
                    continue;
                }
                if (c == ';')
                {
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }
                    continue;
                }
                inBar = c == '|';
                inString = c == '"';
                if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    i++;
                    break;
                }
            }
            if (depth != 0)
            {
                problems.Add($"{where}: unbalanced parentheses");
                break;
            }
            forms.Add((where, text[start..i]));
        }
        return forms;
    }

    /// <summary>Names of define-funs that look like an invariant, a property or a transition property (I3_…, S7_…, T1_…).</summary>
    public static IReadOnlyList<string> PropertyNames(string text)
    {
        var names = new List<string>();
        foreach (Match m in PropertyName().Matches(text))
        {
            names.Add(m.Groups[1].Value);
        }
        return names;
    }

    [GeneratedRegex(@"\(define-fun\s+([IST][0-9]+_[A-Za-z0-9_.]*)\s", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyName();
}
