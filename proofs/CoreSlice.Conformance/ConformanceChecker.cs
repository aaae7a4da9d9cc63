using System.Text;
using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>What one step's check found.</summary>
/// <param name="Conforms">True when every check passed.</param>
/// <param name="Check">The first failing check: witness, error, transition, invariant, representation, solver (empty when it conforms).</param>
/// <param name="Field">The first differing field or the failing clause (may be empty).</param>
/// <param name="Detail">A one-line explanation.</param>
public sealed record StepVerdict(bool Conforms, string Check, string Field, string Detail)
{
    /// <summary>A passing verdict.</summary>
    public static StepVerdict Ok { get; } = new(true, "", "", "");
}

/// <summary>
/// Asks Z3, on ground terms, whether one concrete step of the implementation is a
/// step of the spec: (d) <c>X_pre(S, A)</c> holds for the witnesses, (b) the code's
/// error is <c>X_err(S, A)</c>, (a) <c>X(S, A, S2)</c>, (c) every invariant clause
/// holds on S2. The spec is loaded once into a long-lived context. A step opens a scope in which
/// S, A and the fields of the spec's successor that the step needs (<see cref="SpecSuccessor"/>) are
/// defined once: <see cref="Complete"/> reads from them the fields of S2 that the machine does not hold,
/// then <see cref="Check"/> defines S2 and asks each goal of <see cref="SpecGoals"/> on its own (the
/// negation must be unsat), all in one round trip, and closes the scope; the first goal that is not
/// proved names the culprit, and a transition that is not the spec's is explained from the spec's
/// successor (<see cref="TransitionDiagnosis"/>).
/// </summary>
public sealed class ConformanceChecker : IDisposable
{
    private readonly StepSession z3;
    private readonly MachineConfig machine;
    private readonly SpecGoals goals;
    private readonly SpecSuccessor successor;

    /// <summary>The step whose scope <see cref="Complete"/> left open.</summary>
    private (SpecCall Call, AbstractState Pre, int Error)? opened;

    /// <summary>The ghost fields a step of an operation with an error may change (<see cref="GhostReads"/>), by operation and error.</summary>
    private readonly Dictionary<(string Op, int Error), string[]> ghostReads = [];

    /// <summary>Loads <paramref name="spec"/> specialised to <paramref name="machine"/>. Throws <see cref="SpecException"/> when Z3 rejects it.</summary>
    public ConformanceChecker(Spec spec, MachineConfig machine, int timeoutMs = 20_000)
    {
        ArgumentNullException.ThrowIfNull(spec);
        this.machine = machine;
        goals = new SpecGoals(spec);
        successor = new SpecSuccessor(spec);
        z3 = new StepSession(MachinePrelude.Build(spec.Text, machine) + successor.Definitions([.. GhostCells.Names, "lastWriter"]), timeoutMs);
    }

    /// <summary>Z3 queries asked so far (one per goal; the trivial check-sat before the successor's fields are evaluated is none).</summary>
    public long Queries => z3.Queries;

    /// <inheritdoc/>
    public void Dispose() => z3.Dispose();

    /// <summary>Checks Init on the initial abstract state (a report, not part of the step relation).</summary>
    public string InitHolds(AbstractState s0)
    {
        ArgumentNullException.ThrowIfNull(s0);
        Close();
        return z3.Ask($"(define-fun S () State {s0.ToSmt(machine)})\n", [StepSession.Refute("(Init S)")])[0];
    }

    /// <summary>
    /// Completes <paramref name="observed"/>, the code's post-state of <paramref name="call"/> from <paramref name="pre"/>
    /// (which returned <paramref name="codeError"/>): the fields the machine does not hold (<see cref="GhostCells"/>) are set
    /// to the spec's successor's. Returns <paramref name="observed"/> and leaves the step's scope open for <see cref="Check"/>.
    /// Throws <see cref="SpecException"/> when the successor does not reduce to values.
    /// </summary>
    public AbstractState Complete(SpecCall call, AbstractState pre, AbstractState observed, int codeError)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(observed);
        string op = call.Operation;
        string[] read = GhostReads(op, codeError);
        var cells = new GhostCells(read, pre, observed);
        var script = new StringBuilder(Step(call, pre, codeError));
        foreach (string field in read)
        {
            script.Append($"(define-fun C.{field} () {successor.SortOf(field)} {successor.Field(op, field, codeError)})\n");
        }
        if (cells.Any)
        {
            // evaluated in the (trivial) model of the scope: Z3 4.8 does this in about two thirds of a simplify's time
            script.Append("(check-sat)(eval ").Append(cells.Term).Append(")\n");
        }
        string answer = z3.Open(script.ToString()).Replace("sat\n", "", StringComparison.Ordinal);
        opened = (call, pre, codeError);
        cells.Fill(answer, pre, observed);
        return observed;
    }

    /// <summary>
    /// Checks one step. <paramref name="problems"/> are representation problems found by the abstraction;
    /// <paramref name="invariants"/> adds every invariant clause on the post-state to the goals.
    /// </summary>
    public StepVerdict Check(SpecCall call, AbstractState pre, AbstractState post, int codeError, IReadOnlyList<string> problems, bool invariants = true)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        ArgumentNullException.ThrowIfNull(problems);
        if (opened is not { } o || !ReferenceEquals(o.Call, call) || !ReferenceEquals(o.Pre, pre) || o.Error != codeError)
        {
            _ = z3.Open(Step(call, pre, codeError));
        }
        try
        {
            return Ask(call, pre, post, codeError, problems, invariants);
        }
        finally
        {
            Close();
        }
    }

    /// <summary>
    /// The ghost fields to read after a step of <paramref name="op"/> that returned <paramref name="error"/>: every field but
    /// those the successor keeps in every branch (read off its term) and those whose successor field Z3's simplifier
    /// reduces to the pre-state's once the error is a literal (asked once per operation and error). Most model-checked steps are StartSlice or
    /// DestroySlice under a hardware fault, which keep the ghost fields: without this each paid a check-sat and an
    /// evaluation for values equal to the pre-state's. Only a simplification to <c>true</c> counts as kept; a field wrongly
    /// taken from the pre-state would still fail the step's transition goal, which checks the whole post-state.
    /// </summary>
    private string[] GhostReads(string op, int error)
    {
        if (!ghostReads.TryGetValue((op, error), out string[]? fields))
        {
            Close();
            string[] open = [.. GhostCells.Names.Where(f => !successor.Keeps(op, f))];
            string defs = $"(declare-const S State)(declare-const A {successor.ArgsSorts[op]})\n";
            // no search: Z3's simplifier, with the error a literal, selects the branch; a field it does not reduce to the
            // pre-state's is read as before
            string[] kept = z3.Eval(defs, string.Concat(open.Select(f => $"(simplify (= {successor.Field(op, f, error)} ({f} S)))\n")), 0)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            fields = kept.Length == open.Length ? [.. open.Where((_, i) => kept[i] != "true")] : open;
            ghostReads[(op, error)] = fields;
        }
        return fields;
    }

    private StepVerdict Ask(SpecCall call, AbstractState pre, AbstractState post, int codeError, IReadOnlyList<string> problems, bool invariants)
    {
        string op = call.Operation;
        List<(ulong Granule, int Writer)> written = GranuleWrites.Changed(pre, post);
        string defs = PostDefinitions(call, pre, post, codeError, written.Count > 0);
        var asked = goals.For(op, codeError, invariants).Select(g => (g.Check, g.Field, Script: StepSession.Refute(g.Term), Expected: "unsat")).ToList();
        if (written.Count > 0)
        {
            asked.Insert(asked.FindIndex(g => g.Check == "transition") + 1, ("transition", "lastWriter", GranuleWrites.Query(written, SpecLastWriter(op), machine), "sat"));
        }
        List<string> answers = z3.Ask(defs, asked.Select(q => q.Script).ToList());
        for (int i = 0; i < answers.Count; i++)
        {
            (string check, string field, _, string expected) = asked[i];
            if (answers[i] == expected)
            {
                continue;
            }
            if (answers[i] is not ("sat" or "unsat" or "unknown"))
            {
                return new StepVerdict(false, "solver", "", "Z3 answered " + answers[i]);
            }
            if (check == "error")
            {
                string spec = SpecError(defs, op);
                return new StepVerdict(false, check, "error", $"code returned {Name(codeError)}, spec {op}_err is {spec}");
            }
            if (field == "lastWriter")
            {
                return new StepVerdict(false, check, field, GranuleWrites.Explain(written, SpecLastWriter(op), machine, q => z3.Ask(defs, [q])[0]));
            }
            if (check == "transition")
            {
                (string differs, string detail) = TransitionDiagnosis.Explain(z3, successor, op, codeError, defs);
                return new StepVerdict(false, check, differs, $"{detail} ({op}: {answers[i]})");
            }
            return new StepVerdict(false, check, field, $"{field} does not hold ({answers[i]})");
        }
        return problems.Count == 0 ? StepVerdict.Ok : new StepVerdict(false, "representation", "", problems[0]);
    }

    private void Close()
    {
        opened = null;
        z3.Close();
    }

    /// <summary>The step's scope: S, A and, when the operation can write memory, the spec's lastWriter after the step (C.lastWriter).</summary>
    private string Step(SpecCall call, AbstractState pre, int codeError)
    {
        string op = call.Operation;
        string scope = $"(define-fun S () State {pre.ToSmt(machine)})\n(define-fun A () {successor.ArgsSorts[op]} {call.ArgsTerm(pre, machine)})\n";
        return successor.Keeps(op, "lastWriter") ? scope
            : scope + $"(define-fun C.lastWriter () {successor.SortOf("lastWriter")} {successor.Field(op, "lastWriter", codeError)})\n";
    }

    /// <summary>The spec's lastWriter after a step of <paramref name="op"/>, as defined in the step's scope.</summary>
    private string SpecLastWriter(string op) => successor.Keeps(op, "lastWriter") ? "(lastWriter S)" : "C.lastWriter";

    /// <summary>
    /// The pin of an open function, and S2. The machine records last writers per granule, the spec per byte.
    /// When the machine changed no granule's writer (<paramref name="machineWrote"/> false), S2 holds its map
    /// as it is, and X holds of S2 only if the spec's step writes no byte either. Otherwise S2's lastWriter
    /// is the pre-state's where the spec leaves a byte's writer as it was and the machine's where the spec
    /// changes it, so X holds of S2 only if every byte the spec writes shows its writer in the machine's
    /// granule; the other half (every granule the machine changed holds a byte the spec wrote with that
    /// writer) is <see cref="GranuleWrites"/>.
    /// </summary>
    private string PostDefinitions(SpecCall call, AbstractState pre, AbstractState post, int codeError, bool machineWrote)
    {
        string spec = SpecLastWriter(call.Operation);
        string? lastWriter = machineWrote
            ? $"(lambda ((x (_ BitVec 64))) (ite (= (select {spec} x) (select (lastWriter S) x)) (select (lastWriter S) x) (select "
              + post.LastWriterTerm(machine) + " x)))"
            : null;
        return (call.Pin(pre, post, codeError) ?? "") + $"(define-fun S2 () State {post.ToSmt(machine, lastWriter)})\n";
    }

    private string SpecError(string defs, string op)
    {
        string text = z3.Eval(defs, $"(declare-const specErr (_ BitVec 8))(assert (= specErr ({op}_err S A)))(check-sat)(get-value (specErr))\n", 1);
        int at = text.IndexOf("#x", StringComparison.Ordinal);
        return at < 0 ? "unknown" : Name(Convert.ToInt32(text.Substring(at + 2, 2), 16));
    }

    /// <summary>A SliceError number as its name (0xff: Refused).</summary>
    public static string Name(int error) => error == 0xff ? "Refused" : ((SliceError)error).ToString();
}
