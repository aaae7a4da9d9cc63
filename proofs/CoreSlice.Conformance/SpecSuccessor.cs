using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>
/// The spec's own successor of a step, for conformance: for an operation X, the State term
/// <see cref="Successor"/> reads off X's definition as the candidate successor of X(S, A, ·), with the spec's
/// error <c>(X_err S A)</c> replaced by the code's (the same step's error goal checks that they agree, and
/// CreateSlice_err's quantifiers would keep the term from reducing to values) and, in a cell the step
/// leaves open (a core halted by a readback mismatch keeps unknown registers), a given state's value.
/// The fields a run reads at every step are loaded once, as functions <c>(succ.X.field s a e)</c>
/// (<see cref="Definitions"/>): parsing them at every step would cost Z3 more than the step's goals.
/// Z3 4.8 takes minutes to load the fields with nested maps (rrBase of StartSlice) as functions, so the
/// whole successor, which only a mismatch needs, is ground text over the step's S and A. The verdict on
/// a step is always Z3's on X itself, never on these terms.
/// </summary>
internal sealed class SpecSuccessor
{
    private readonly Successor successor;
    private readonly Dictionary<(string Op, string Open), string> terms = [];
    private readonly Dictionary<string, Dictionary<string, Sx?>> fieldTerms = new(StringComparer.Ordinal);

    /// <summary>Reads the definitions of <paramref name="spec"/>. Throws <see cref="SpecException"/> when an operation's successor cannot be read.</summary>
    public SpecSuccessor(Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        successor = new Successor(spec.Text);
        foreach (SpecOperation op in spec.Operations)
        {
            Sx state = Sx.ParseAll(Read(op.Name, "succ.s", "succ.a", "succ.s"))[0];
            fieldTerms[op.Name] = successor.Fields.Select((f, i) => (f.Field, Term: state.Items[i + 1]))
                .ToDictionary(f => f.Field, f => Keeps(f.Term, f.Field) ? null : f.Term, StringComparer.Ordinal);
        }
        ArgsSorts = spec.Operations.ToDictionary(o => o.Name, o => o.ArgsSort, StringComparer.Ordinal);
    }

    /// <summary>The argument sort of each operation.</summary>
    public IReadOnlyDictionary<string, string> ArgsSorts { get; }

    /// <summary>The fields of State, in constructor order, with their sorts.</summary>
    public IReadOnlyList<(string Field, Sx Sort)> Fields => successor.Fields;

    /// <summary>The functions <c>(succ.X.field s a e)</c> of <paramref name="fields"/>, for every operation X that can change them, to load with the spec.</summary>
    public string Definitions(IEnumerable<string> fields)
    {
        var sb = new System.Text.StringBuilder();
        foreach ((string op, Dictionary<string, Sx?> byField) in fieldTerms)
        {
            foreach (string field in fields)
            {
                if (byField[field] is { } term)
                {
                    sb.Append($"(define-fun succ.{op}.{field} ((succ.s State) (succ.a {ArgsSorts[op]}) (succ.e Err)) {SortOf(field)}\n  ")
                      .Append(term.ToString().Replace($"({op}_err succ.s succ.a)", "succ.e", StringComparison.Ordinal)).Append(")\n");
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>The successor of <paramref name="op"/> from S under A when the error is <paramref name="error"/>, open cells from the state <paramref name="open"/>.</summary>
    public string Of(string op, string open, int error)
    {
        if (!terms.TryGetValue((op, open), out string? term))
        {
            terms[(op, open)] = term = Read(op, "S", "A", open);
        }
        return term.Replace($"({op}_err S A)", Smt.B8(error), StringComparison.Ordinal);
    }

    /// <summary>True when every branch of <paramref name="op"/> leaves <paramref name="field"/> as it is in S (read off the successor's term, not assumed).</summary>
    public bool Keeps(string op, string field) => fieldTerms[op][field] is null;

    /// <summary><paramref name="field"/> of the successor of <paramref name="op"/> from S under A when the error is <paramref name="error"/>; a function of <see cref="Definitions"/>.</summary>
    public string Field(string op, string field, int error) => Keeps(op, field) ? $"({field} S)" : $"(succ.{op}.{field} S A {Smt.B8(error)})";

    /// <summary>The sort of <paramref name="field"/>.</summary>
    public string SortOf(string field) => successor.Fields.First(f => f.Field == field).Sort.ToString();

    /// <summary>The leaf constraints of <c>(op S A post)</c> under their guards, with their text (<see cref="Successor.Leaves"/>).</summary>
    public IReadOnlyList<(string Term, string Text)> Leaves(string op, string post) => successor.Leaves(op, "S", "A", post);

    // every leaf of the field's ite chain is the pre-state's field itself
    private static bool Keeps(Sx term, string field) =>
        term.Is("ite") && term.Items.Count == 4 ? Keeps(term.Items[2], field) && Keeps(term.Items[3], field)
        : term.Items.Count == 2 && term.Items[0].Atom == field && term.Items[1].Atom == "succ.s";

    private string Read(string op, string pre, string args, string open)
    {
        string? term = successor.Candidate(op, pre, args, field => $"({field} {open})");
        if (term is null || successor.Unread.Count > 0)
        {
            throw new SpecException($"conformance: the successor of {op} cannot be read from its definition"
                + (successor.Unread.Count > 0 ? ": " + successor.Unread[0] : ""));
        }
        return term;
    }
}
