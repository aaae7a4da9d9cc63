using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CoreSlice.Proofs;

/// <summary>Splits solver output into top-level S-expressions and atoms.</summary>
public static class SExpr
{
    /// <summary>Top-level items of <paramref name="text"/> ("sat", "((x #x01))", ...).</summary>
    public static List<string> SplitTop(string text)
    {
        var items = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            int start = i;
            if (text[i] == '(')
            {
                int depth = 0;
                bool inString = false;
                for (; i < text.Length; i++)
                {
                    char ch = text[i];
                    if (ch == '"')
                    {
                        inString = !inString;
                    }
                    else if (!inString && ch == '(')
                    {
                        depth++;
                    }
                    else if (!inString && ch == ')' && --depth == 0)
                    {
                        i++;
                        break;
                    }
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '(')
                {
                    i++;
                }
            }
            items.Add(text[start..i]);
        }
        return items;
    }
}

/// <summary>Turns a solver's model values into a counterexample a reviewer can follow.</summary>
public static partial class Counterexample
{
    /// <summary>Describes a failed proof obligation from the answers after "sat".</summary>
    public static string Describe(Spec spec, Obligation o, List<string> answers)
    {
        var sb = new StringBuilder();
        sb.Append("COUNTEREXAMPLE to ").Append(o.Name).Append(": it is NOT true that ").Append(o.Meaning).Append('.');
        if (o.ArgsSort is not null)
        {
            sb.Append(" The pre-state satisfies every invariant; the step below reaches a post-state that does not.");
        }
        int k = 1;
        var broken = new List<string>();
        var unmet = new List<string>();
        foreach ((string label, string term) in o.Explain)
        {
            var values = new List<string>();
            foreach (string _ in term.Split('\t'))
            {
                values.Add(k < answers.Count ? Value(answers[k]) : "?");
                k++;
            }
            string shown = string.Join(" / ", values);
            if (label == "call")
            {
                shown = Call(spec, o, values[0]);
            }
            else if (label == "returns")
            {
                shown = ErrorName(values[0]);
            }
            else if (label.StartsWith("unmet: ", StringComparison.Ordinal))
            {
                if (values[0] == "false")
                {
                    unmet.Add(label["unmet: ".Length..]);
                }
                continue;
            }
            else if (label.StartsWith("post-state satisfies ", StringComparison.Ordinal))
            {
                if (values[0] == "false")
                {
                    broken.Add(label["post-state satisfies ".Length..]);
                }
                continue;
            }
            else
            {
                shown = string.Join(" / ", values.Select(Owner));
            }
            sb.Append("\n    ").Append(label).Append(": ").Append(shown);
        }
        if (unmet.Count > 0)
        {
            sb.Append("\n    constraints of the step the post-state built from its effect does not meet (contradictory with the rest):");
            foreach (string u in unmet)
            {
                sb.Append("\n      ").Append(u);
            }
        }
        if (broken.Count > 0)
        {
            sb.Append("\n    broken clause(s) in the post-state: ").Append(string.Join(", ", broken));
        }
        return sb.ToString();
    }

    // ((term value)) -> value
    private static string Value(string answer)
    {
        List<string> outer = SExpr.SplitTop(answer.Length > 2 ? answer[1..^1] : answer);
        if (outer.Count == 0)
        {
            return answer;
        }
        List<string> pair = SExpr.SplitTop(outer[0].Length > 2 ? outer[0][1..^1] : outer[0]);
        return pair.Count >= 2 ? Decimal(pair[^1]) : answer;
    }

    private static string Call(Spec spec, Obligation o, string value)
    {
        string inner = value.StartsWith('(') ? value[1..^1] : value;
        List<string> parts = SExpr.SplitTop(inner);
        if (parts.Count < 2 || o.ArgsSort is null)
        {
            return Shorten(value);
        }
        IReadOnlyList<string> fields = ObligationGenerator.ArgFields(spec, o.ArgsSort);
        var sb = new StringBuilder(o.Name[..o.Name.IndexOf('/', StringComparison.Ordinal)]).Append('(');
        for (int i = 1; i < parts.Count; i++)
        {
            string name = i - 1 < fields.Count ? fields[i - 1] : $"arg{i}";
            sb.Append(i > 1 ? ", " : string.Empty).Append(name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..]).Append('=').Append(Shorten(parts[i]));
        }
        return sb.Append(')').ToString();
    }

    private static string Shorten(string v)
    {
        v = WhiteSpace().Replace(v, " ");
        return v.Length > 160 ? v[..160] + "…" : v;
    }

    /// <summary>Bit-vector literals to decimal (#x0003 → 3, #xffff → 65535).</summary>
    internal static string Decimal(string v) =>
        BinLiteral().Replace(
            HexLiteral().Replace(v, m => ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
            m => Convert.ToUInt64(m.Groups[1].Value, 2).ToString(CultureInfo.InvariantCulture));

    private static string Owner(string v) => v switch
    {
        "65535" => "Free(-1)",
        "65534" => "Reserved(-2)",
        "65533" => "None(-3)",
        _ => v,
    };

    private static string ErrorName(string v) =>
        int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int code)
            ? code == 255 ? "refused by the hardware" : Enum.IsDefined(typeof(SliceError), code) ? ((SliceError)code).ToString() : v
            : v;

    [GeneratedRegex(@"#x([0-9a-fA-F]+)")]
    private static partial Regex HexLiteral();

    [GeneratedRegex(@"#b([01]+)")]
    private static partial Regex BinLiteral();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
