using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// Opaque functions (manifest <c>opaque &lt;obligation&gt; &lt;define-fun&gt;...</c>): in that obligation's script each
/// listed define-fun is declared instead of defined, so the solver sees its name and signature but not its body.
/// Why it is sound: every model of the query with the body also is one without it (interpret the declared function
/// as its body), so an unsat answer without the body is an unsat answer with it. Hiding can only lose proofs, never
/// make one. Why it pays: a step lemma that only passes CreateSlice's decision on (the step, and a lemma about
/// <c>(= (CreateSlice_err s a) SliceError.None)</c>) need not know how the decision is made, but with the body
/// Z3 unfolds the whole chain of checks, quantifiers included, and searches it: lemma/Lemma_Create_Step 74 s and
/// lemma/Lemma_Create_DmaStep unknown at 120 s through libz3 (2026-12-07); with the body hidden, 1.0 s and 0.5 s.
/// </summary>
public static class OpaqueFunctions
{
    /// <summary>The functions hidden in obligation <paramref name="name"/>: listed for it, or for the obligation it is a conjunct of (name#k).</summary>
    public static IReadOnlyList<string> For(Spec spec, string name)
    {
        if (spec.Opaque.TryGetValue(name, out IReadOnlyList<string>? listed))
        {
            return listed;
        }
        int hash = name.LastIndexOf('#');
        return hash > 0 && spec.Opaque.TryGetValue(name[..hash], out listed) ? listed : [];
    }

    /// <summary>
    /// <paramref name="text"/> with each top-level <c>(define-fun f ((x S)...) R body)</c> of <paramref name="names"/>
    /// replaced by <c>(declare-fun f (S...) R)</c>; everything else, comments included, unchanged.
    /// </summary>
    public static string Hide(string text, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return text;
        }
        var sb = new StringBuilder(text.Length);
        int copied = 0;
        foreach ((int start, int end) in TopLevel(text))
        {
            if (DefinedName(text, start) is { } name && names.Contains(name, StringComparer.Ordinal))
            {
                sb.Append(text, copied, start - copied).Append(Declaration(text[start..end]));
                copied = end;
            }
        }
        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The names of the top-level define-funs of <paramref name="text"/>.</summary>
    public static IEnumerable<string> Defined(string text) =>
        TopLevel(text).Select(span => DefinedName(text, span.Start)).OfType<string>();

    private static string? DefinedName(string text, int start)
    {
        const string head = "(define-fun ";
        if (string.CompareOrdinal(text, start, head, 0, head.Length) != 0)
        {
            return null;
        }
        int from = start + head.Length;
        int to = from;
        while (to < text.Length && !char.IsWhiteSpace(text[to]) && text[to] is not ('(' or ')'))
        {
            to++;
        }
        return text[from..to];
    }

    private static string Declaration(string definition)
    {
        Sx d = Sx.ParseAll(definition)[0];
        // (define-fun name ((x S) ...) R body)
        string parameters = string.Join(' ', d.Items[2].Items.Select(p => p.Items[1].ToString()));
        return $"(declare-fun {d.Items[1]} ({parameters}) {d.Items[3]})";
    }

    /// <summary>The spans [Start, End) of the top-level expressions, comments skipped (a parenthesis in a comment counts for nothing).</summary>
    internal static IEnumerable<(int Start, int End)> TopLevel(string text)
    {
        int depth = 0;
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == ';')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '|')
            {
                int close = text.IndexOf('|', i + 1);
                i = close < 0 ? text.Length : close;
            }
            else if (c == '(')
            {
                if (depth++ == 0)
                {
                    start = i;
                }
            }
            else if (c == ')' && depth > 0 && --depth == 0)
            {
                yield return (start, i + 1);
            }
        }
    }
}
