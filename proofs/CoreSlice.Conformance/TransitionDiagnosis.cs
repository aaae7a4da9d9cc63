using System.Text;
using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>
/// Names what a step that is not the spec's got wrong, from the spec's own definitions: the first field of
/// S2 (in the order of State) that differs from the spec's successor of the same step (open cells taken from
/// S2, so a choice the spec leaves to the code is never blamed), with the first index where it differs and
/// both values; and the first leaf constraint of the step's definition that S2 fails (<see cref="Successor.Leaves"/>).
/// </summary>
internal static class TransitionDiagnosis
{
    /// <summary>(field, one-line detail) for a step of <paramref name="op"/> whose definitions <paramref name="defs"/> define S, A and S2.</summary>
    public static (string Field, string Detail) Explain(StepSession z3, SpecSuccessor successor, string op, int codeError, string defs)
    {
        string d = defs + $"(define-fun C2 () State {successor.Of(op, "S2", codeError)})\n";
        IReadOnlyList<(string Field, Sx Sort)> fields = successor.Fields;
        IReadOnlyList<(string Term, string Text)> leaves = successor.Leaves(op, "S2");
        List<string> answers = z3.Ask(d, [.. fields.Select(f => StepSession.Refute($"(= ({f.Field} S2) ({f.Field} C2))")),
                                          .. leaves.Select(l => StepSession.Refute(l.Term))]);
        int differs = answers.FindIndex(a => a != "unsat");
        int fails = answers.Skip(fields.Count).ToList().FindIndex(a => a != "unsat");
        string clause = fails < 0 ? $"no single constraint of {op} fails" : "it fails " + leaves[fails].Text;
        if (differs < 0 || differs >= fields.Count)
        {
            return ("", $"no field differs from the spec's successor; {clause}");
        }
        (string field, Sx sort) = fields[differs];
        return (field, $"first differing field {Cell(z3, d, field, sort)}; {clause}");
    }

    /// <summary>"field[i][j]: spec v, code w" at the first index Z3 finds where S2's field differs from the successor's.</summary>
    private static string Cell(StepSession z3, string defs, string field, Sx sort)
    {
        var script = new StringBuilder();
        var keys = new List<string>();
        Sx cell = sort;
        for (; cell.Is("Array") && cell.Items.Count == 3; cell = cell.Items[2])
        {
            string k = "diag.k" + keys.Count;
            script.Append($"(declare-const {k} {cell.Items[1]})");
            keys.Add(k);
        }
        string At(string state) => keys.Aggregate($"({field} {state})", (term, k) => $"(select {term} {k})");
        // get-value takes no lambda (the maps are lambdas): the two values are named by constants
        script.Append($"(declare-const diag.spec {cell})(declare-const diag.code {cell})")
            .Append($"(assert (and (= diag.spec {At("C2")}) (= diag.code {At("S2")}) (not (= diag.spec diag.code))))")
            .Append($"(check-sat)(get-value ({string.Join(' ', keys)} diag.spec diag.code))\n");
        string text = z3.Eval(defs, script.ToString(), 1);
        int open = text.IndexOf('(', StringComparison.Ordinal);
        List<Sx> values;
        try
        {
            values = open < 0 ? [] : Sx.ParseAll(text[open..])[0].Items.Select(i => i.Items.Count == 2 ? i.Items[1] : i).ToList();
        }
        catch (FormatException)
        {
            values = [];
        }
        if (values.Count != keys.Count + 2)
        {
            return field;
        }
        string index = string.Concat(values.Take(keys.Count).Select(v => $"[{v}]"));
        return $"{field}{index}: spec {values[^2]}, code {values[^1]}";
    }
}
