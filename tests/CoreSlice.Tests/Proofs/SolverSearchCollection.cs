using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The test classes whose cases run the counterexample searches over free values run one after another, beside the
/// other tests but never beside each other. One widened search round is a large query: start-mask-other-domain's
/// third round (39,114 instances, unsat in 66 s) took the process to 9 GB, and two such searches at once with the
/// rest of the suite ran the 24 GB machine out of memory (the test host was killed, CI 2026-12-07). A relational
/// search beside another search also ran past its 60 s round (CI 2026-12-07, leak-destroy-without-scrub).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SolverSearchCollection
{
    public const string Name = "solver searches";
}
