using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>
/// The spec's own successor of a step, for conformance: for an operation X, the State term
/// <see cref="Successor"/> reads off X's definition as the candidate successor of X(S, A, ·), with the spec's
/// error <c>(X_err S A)</c> replaced by the code's (the same step's error goal checks that they agree, and
/// CreateSlice_err's quantifiers would keep the term from reducing to values) and, in a cell the step
/// leaves open (a core halted by a readback mismatch keeps unknown registers), a given state's value.
/// The terms are ground text over the step's S and A, built once per operation (Z3 4.8 takes minutes to
/// load the Start and Destroy terms as functions of S and A, so they are not loaded as such), and a field
/// is also available on its own: parsing the whole term costs Z3 more than reading the few fields a step
/// needs. The verdict on a step is always Z3's on X itself, never on these terms.
/// </summary>
internal sealed class SpecSuccessor
{
    private readonly Successor successor;
    private readonly Dictionary<(string Op, string Open), string> terms = [];
    private readonly Dictionary<string, Dictionary<string, string>> fieldTerms = new(StringComparer.Ordinal);

    /// <summary>Reads the definitions of <paramref name="spec"/>. Throws <see cref="SpecException"/> when an operation's successor cannot be read.</summary>
    public SpecSuccessor(Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        successor = new Successor(spec.Text);
        foreach (SpecOperation op in spec.Operations)
        {
            Sx state = Sx.ParseAll(Term(op.Name, "S"))[0];
            fieldTerms[op.Name] = successor.Fields.Select((f, i) => (f.Field, Term: state.Items[i + 1]))
                .ToDictionary(f => f.Field, f => Keeps(f.Term, f.Field) ? "" : f.Term.ToString(), StringComparer.Ordinal);
        }
    }

    /// <summary>The fields of State, in constructor order, with their sorts.</summary>
    public IReadOnlyList<(string Field, Sx Sort)> Fields => successor.Fields;

    /// <summary>The successor of <paramref name="op"/> from S under A when the error is <paramref name="error"/>, open cells from the state <paramref name="open"/>.</summary>
    public string Of(string op, string open, int error) => WithError(Term(op, open), op, error);

    /// <summary>True when every branch of <paramref name="op"/> leaves <paramref name="field"/> as it is in S (read off the successor's term, not assumed).</summary>
    public bool Keeps(string op, string field) => fieldTerms[op][field].Length == 0;

    /// <summary><paramref name="field"/> of the successor of <paramref name="op"/> from S under A when the error is <paramref name="error"/> (open cells: S's).</summary>
    public string Field(string op, string field, int error) =>
        Keeps(op, field) ? $"({field} S)" : WithError(fieldTerms[op][field], op, error);

    /// <summary>The sort of <paramref name="field"/>.</summary>
    public string SortOf(string field) => successor.Fields.First(f => f.Field == field).Sort.ToString();

    /// <summary>The leaf constraints of <c>(op S A post)</c> under their guards, with their text (<see cref="Successor.Leaves"/>).</summary>
    public IReadOnlyList<(string Term, string Text)> Leaves(string op, string post) => successor.Leaves(op, "S", "A", post);

    private static string WithError(string term, string op, int error) => term.Replace($"({op}_err S A)", Smt.B8(error), StringComparison.Ordinal);

    // every leaf of the field's ite chain is the pre-state's field itself
    private static bool Keeps(Sx term, string field) =>
        term.Is("ite") && term.Items.Count == 4 ? Keeps(term.Items[2], field) && Keeps(term.Items[3], field)
        : term.Items.Count == 2 && term.Items[0].Atom == field && term.Items[1].Atom == "S";

    private string Term(string op, string open)
    {
        if (!terms.TryGetValue((op, open), out string? term))
        {
            term = successor.Candidate(op, "S", "A", field => $"({field} {open})");
            if (term is null || successor.Unread.Count > 0)
            {
                throw new SpecException($"conformance: the successor of {op} cannot be read from its definition"
                    + (successor.Unread.Count > 0 ? ": " + successor.Unread[0] : ""));
            }
            terms[(op, open)] = term;
        }
        return term;
    }
}
