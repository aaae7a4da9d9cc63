namespace CoreSlice.Proofs;

/// <summary>What an obligation's query must return for the obligation to hold.</summary>
public enum Expect
{
    /// <summary>A proof: the negated goal must be unsatisfiable.</summary>
    Unsat,
    /// <summary>A sanity (non-vacuity) check: the scenario must be satisfiable.</summary>
    Sat,
}

/// <summary>The outcome of one obligation.</summary>
public enum ObligationStatus
{
    /// <summary>Holds.</summary>
    Proved,
    /// <summary>Does not hold: a counterexample (or, for sanity, vacuity) was found.</summary>
    Failed,
    /// <summary>The solver gave up or timed out (a failure of the run, exit 2).</summary>
    Unknown,
    /// <summary>The query could not be run (spec error, solver error).</summary>
    Error,
}

/// <summary>
/// One proof obligation: a complete SMT-LIB2 query (after the spec text), what it
/// must return, and the terms whose values explain a counterexample.
/// </summary>
public sealed class Obligation
{
    /// <summary>Name, <c>operation/invariant</c> style (CreateSlice/I1_Disjointness).</summary>
    public required string Name { get; init; }

    /// <summary>The assertions of the query (declarations included), without check-sat.</summary>
    public required string Query { get; init; }

    /// <summary>Whether the query must be unsat (proof) or sat (sanity).</summary>
    public required Expect Expect { get; init; }

    /// <summary>Labelled terms to evaluate when the obligation fails (label, term).</summary>
    public IReadOnlyList<(string Label, string Term)> Explain { get; init; } = [];

    /// <summary>What the obligation means, in words (for the counterexample header).</summary>
    public required string Meaning { get; init; }

    /// <summary>Optional check-sat replacement (a tactic), e.g. bit-blasting for pure bit-vector lemmas.</summary>
    public string? CheckCommand { get; init; }

    /// <summary>
    /// Asked over the part of the spec its query reaches (<see cref="SpecSlice"/>), not the whole spec: a change to a
    /// definition it never reaches then leaves its script as it was.
    /// </summary>
    public bool SliceSpec { get; init; }

    /// <summary>Hypothesis selection (null: the default, all of Inv, pre and the step).</summary>
    public IReadOnlyList<string>? Uses { get; init; }

    /// <summary>The operation a step obligation or step lemma is about (for the counterexample search).</summary>
    public string? Operation { get; init; }

    /// <summary>The define-fun a step obligation checks on the post-state (a clause, T1, T2, a step lemma).</summary>
    public string? Subject { get; init; }

    /// <summary>Argument sort of the operation, when this obligation is about one (to name its fields).</summary>
    public string? ArgsSort { get; init; }

    /// <summary>
    /// For a relational obligation (noninterference): its runs of one operation, so the counterexample search can
    /// build each post-state from the step instead of leaving it free (null for every other obligation).
    /// </summary>
    public RelationalRuns? Runs { get; init; }
}

/// <summary>
/// The structure of a relational obligation, recorded by its generator: the operation, each run's pre-state
/// constant and the post-state constant its step defines (null when the run has no step: an output obligation),
/// the action's constant (the same in every run), and the assertions that relate the runs (premises such as an
/// equivalence, then the negated conclusion last). The hypotheses of each run (Inv, the precondition, the step)
/// are not in <see cref="Relation"/>: a search states them in full itself.
/// </summary>
public sealed record RelationalRuns(string Operation, IReadOnlyList<(string Pre, string? Post)> States, string Action, IReadOnlyList<string> Relation);

/// <summary>The result of running one obligation.</summary>
public sealed record ObligationResult(string Name, ObligationStatus Status, long Milliseconds, string? Counterexample, string? Detail);
