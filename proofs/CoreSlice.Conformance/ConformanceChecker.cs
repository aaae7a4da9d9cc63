using System.Text;
using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>What one step's check found.</summary>
/// <param name="Conforms">True when every check passed.</param>
/// <param name="Check">The first failing check: witness, error, transition, lastWriter, invariant, representation (empty when it conforms).</param>
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
/// holds on S2. The spec is loaded once into a long-lived context; each step defines
/// S, A and S2 inside one push/pop and asks each goal of <see cref="SpecGoals"/> on its
/// own (the negation must be unsat), all in one round trip; the first goal that is not
/// proved names the culprit.
/// </summary>
public sealed class ConformanceChecker : IDisposable
{
    private readonly Z3Native.Session session;
    private readonly MachineConfig machine;
    private readonly SpecGoals goals;

    /// <summary>Loads <paramref name="spec"/> specialised to <paramref name="machine"/>. Throws <see cref="SpecException"/> when Z3 rejects it.</summary>
    public ConformanceChecker(Spec spec, MachineConfig machine, int timeoutMs = 20_000)
    {
        ArgumentNullException.ThrowIfNull(spec);
        this.machine = machine;
        goals = new SpecGoals(spec);
        session = new Z3Native.Session(timeoutMs);
        string loaded = session.Eval(MachinePrelude.Build(spec.Text, machine));
        if (loaded.Contains("(error", StringComparison.Ordinal))
        {
            throw new SpecException("conformance: Z3 rejected the specialised spec: " + loaded.Split('\n')[0]);
        }
    }

    /// <summary>Z3 queries asked so far (one per goal).</summary>
    public long Queries { get; private set; }

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();

    /// <summary>Checks Init on the initial abstract state (a report, not part of the step relation).</summary>
    public string InitHolds(AbstractState s0)
    {
        ArgumentNullException.ThrowIfNull(s0);
        return Ask($"(define-fun S () State {s0.ToSmt(machine)})", ["(Init S)"])[0];
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
        AbstractState expected = call.Expect(pre, post, codeError, machine);
        string? lwOverride = call.LastWriterOverride(codeError);
        var defs = new StringBuilder();
        defs.Append("(define-fun S () State ").Append(pre.ToSmt(machine)).Append(")\n");
        string sort = SortOf(call.Operation);
        defs.Append("(define-fun A () ").Append(sort).Append(' ').Append(call.ArgsTerm(pre, machine)).Append(")\n");
        defs.Append(call.Pin(pre, post, codeError) ?? "");
        defs.Append("(define-fun S2 () State ").Append(post.ToSmt(machine, lwOverride)).Append(")\n");
        string op = call.Operation;
        IReadOnlyList<SpecGoal> asked = goals.For(op, codeError, invariants);
        List<string> answers = Ask(defs.ToString(), asked.Select(g => g.Term).ToList());
        for (int i = 0; i < answers.Count; i++)
        {
            if (answers[i] == "unsat")
            {
                continue;
            }
            if (answers[i] is not ("sat" or "unknown"))
            {
                return new StepVerdict(false, "solver", "", "Z3 answered " + answers[i]);
            }
            (string check, string field, _) = asked[i];
            if (check == "error")
            {
                string spec = SpecError(defs.ToString(), op);
                return new StepVerdict(false, check, "error", $"code returned {Name(codeError)}, spec {op}_err is {spec}");
            }
            if (check == "transition")
            {
                string? diff = expected.FirstDifference(post);
                return new StepVerdict(false, check, diff is null ? "" : diff.Split(':')[0],
                    diff is null ? $"{field} does not hold ({answers[i]}); the C# mirror of the effect agrees with the code" : "first differing field " + diff + " (spec vs code)");
            }
            return new StepVerdict(false, check, field, $"{field} does not hold ({answers[i]})");
        }
        if (lwOverride is not null && post.Render("lastWriter") != expected.Render("lastWriter"))
        {
            string? diff = expected.FirstDifference(post);
            return new StepVerdict(false, "transition", "lastWriter", "granule last writers differ: " + diff);
        }
        return problems.Count == 0 ? StepVerdict.Ok : new StepVerdict(false, "representation", "", problems[0]);
    }

    private string SpecError(string defs, string op)
    {
        string text = session.Eval("(push)\n" + defs + $"(declare-const specErr (_ BitVec 8))(assert (= specErr ({op}_err S A)))(check-sat)(get-value (specErr))\n(pop)\n");
        Queries++;
        int at = text.IndexOf("#x", StringComparison.Ordinal);
        return at < 0 ? "unknown" : Name(Convert.ToInt32(text.Substring(at + 2, 2), 16));
    }

    /// <summary>A SliceError number as its name (0xff: Refused).</summary>
    public static string Name(int error) => error == 0xff ? "Refused" : ((SliceError)error).ToString();

    private List<string> Ask(string defs, List<string> terms)
    {
        var sb = new StringBuilder("(push)\n").Append(defs);
        foreach (string g in terms)
        {
            sb.Append("(push)(assert (not ").Append(g).Append("))(check-sat)(pop)\n");
        }
        sb.Append("(pop)\n");
        Queries += terms.Count;
        string text = session.Eval(sb.ToString());
        var answers = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l is "sat" or "unsat" or "unknown" || l.StartsWith("(error", StringComparison.Ordinal)).ToList();
        while (answers.Count < terms.Count)
        {
            answers.Add(text.Trim().Length == 0 ? "no answer" : text.Trim().Split('\n')[0]);
        }
        return answers;
    }

    private static string SortOf(string op) => op switch
    {
        "CreateSlice" => "CreateArgs", "LoadImage" => "LoadArgs", "StartSlice" => "StartArgs", "DestroySlice" => "DestroyArgs",
        "GuestAccess" => "AccessArgs", "GuestDma" => "DmaArgs", "GuestIpi" => "IpiArgs", "GuestWriteFilter" => "FilterArgs",
        "GuestResetRequest" => "ResetArgs", "ControlStore" => "ControlArgs",
        "Attest" => "AttestArgs", "GuestAttest" => "GuestAttestArgs", "DrainLog" => "DrainArgs",
        _ => throw new ArgumentException("no such spec operation: " + op, nameof(op)),
    };
}
