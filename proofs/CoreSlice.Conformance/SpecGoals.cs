using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>One ground goal of a step: which check it belongs to, what it names, and its term over S, A, S2.</summary>
/// <param name="Check">witness, error, transition or invariant.</param>
/// <param name="Field">The definition (or clause) it asks about.</param>
/// <param name="Term">The SMT-LIB2 term that must hold.</param>
public sealed record SpecGoal(string Check, string Field, string Term);

/// <summary>
/// The goals of a step, read from the spec's own definitions. A conjunction asked of Z3 as one
/// query costs several times the sum of its conjuncts asked one by one (the solver's quantifier
/// instantiation works on the whole formula at once), so each goal is asked alone, and an
/// operation's witness definition <c>X_pre</c> whose body is a conjunction is asked conjunct by
/// conjunct: <c>(let ((s S) (a A)) conjunct)</c>, which binds the definition's own parameter names
/// to the step's ground state and arguments. The conjunction of the goals is exactly the spec's
/// <c>X_pre ∧ X_err = e ∧ X ∧ invariants(S2)</c>; nothing is dropped.
/// </summary>
internal sealed class SpecGoals
{
    private readonly Dictionary<string, List<SpecGoal>> byOperation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<string> Params, Sx Body)> definitions = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> clauses;

    /// <summary>Reads the definitions of <paramref name="spec"/>.</summary>
    public SpecGoals(Spec spec)
    {
        clauses = spec.Invariants.SelectMany(i => i.Clauses).ToList();
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom is string name && name.EndsWith("_pre", StringComparison.Ordinal))
            {
                definitions[name] = (top.Items[2].Items.Select(p => p.Items[0].Atom ?? "").ToList(), top.Items[4]);
            }
        }
    }

    /// <summary>
    /// The goals of a step of <paramref name="op"/> whose code returned <paramref name="error"/>: the witness
    /// conjuncts, the error, the transition and, when <paramref name="invariants"/>, every invariant clause on S2.
    /// </summary>
    public IReadOnlyList<SpecGoal> For(string op, int error, bool invariants)
    {
        if (!byOperation.TryGetValue(op, out List<SpecGoal>? goals))
        {
            goals = [.. Witness(op), new SpecGoal("error", op + "_err", ""), new SpecGoal("transition", op, $"({op} S A S2)")];
            byOperation[op] = goals;
        }
        var all = goals.Select(g => g.Check == "error" ? ErrorGoal(op, error) : g).ToList();
        if (invariants)
        {
            all.AddRange(Invariants);
        }
        return all;
    }

    /// <summary>Every invariant clause of the spec, on S2.</summary>
    public IEnumerable<SpecGoal> Invariants => clauses.Select(c => new SpecGoal("invariant", c, $"({c} S2)"));

    /// <summary>The code's error is the spec's: <c>(= (X_err S A) e)</c>.</summary>
    public static SpecGoal ErrorGoal(string op, int error) => new("error", op + "_err", $"(= ({op}_err S A) {Smt.B8(error)})");

    private IEnumerable<SpecGoal> Witness(string op)
    {
        string name = op + "_pre";
        if (!definitions.TryGetValue(name, out var def) || def.Params.Count != 2 || !def.Body.Is("and"))
        {
            return [new SpecGoal("witness", name, $"({name} S A)")];
        }
        string bind = $"(({def.Params[0]} S) ({def.Params[1]} A))";
        return def.Body.Items.Skip(1).Select((c, i) => new SpecGoal("witness", $"{name}#{i + 1}", $"(let {bind} {c})"));
    }
}
