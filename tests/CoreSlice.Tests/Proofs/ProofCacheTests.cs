using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>verify --cache: a proof is reused only for the exact same query and solver; a changed obligation is proved again.</summary>
public sealed class ProofCacheTests
{
    private const string Filter = "negative/I4_DmaConfinement";

    [Fact]
    public void Unchanged_obligations_come_from_the_cache_and_a_changed_one_is_proved_again()
    {
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        string dir = Path.Combine(Path.GetTempPath(), "coreslice-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            VerifyReport first = Verifier.Run(spec, solver, Filter, 60_000, cacheDir: dir);
            Assert.All(first.Results, r => Assert.Equal(ObligationStatus.Proved, r.Status));
            Assert.All(first.Results, r => Assert.NotEqual(ProofCache.Cached, r.Detail));

            VerifyReport second = Verifier.Run(spec, solver, Filter, 60_000, cacheDir: dir);
            Assert.All(second.Results, r => Assert.Equal(ProofCache.Cached, r.Detail));

            // the clause's text changes (same meaning, new query): proved again, not taken from the cache
            Spec changed = BrokenSpecs.Apply(spec, new BrokenSpec("I4 rewritten", Filter,
                [("(define-fun I4_DmaConfinement.iommu ((s State)) Bool\n  (forall ((d Dev)) (let ((w (select (iommu s) d)))\n    (or (= w Owner.None)",
                  "(define-fun I4_DmaConfinement.iommu ((s State)) Bool\n  (forall ((d Dev)) (let ((w (select (iommu s) d)))\n    (or (= Owner.None w)")]));
            VerifyReport third = Verifier.Run(changed, solver, Filter, 60_000, cacheDir: dir);
            Assert.NotEmpty(third.Results);
            Assert.All(third.Results, r => Assert.NotEqual(ProofCache.Cached, r.Detail));
            Assert.All(third.Results, r => Assert.Equal(ObligationStatus.Proved, r.Status));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_key_covers_the_solver_and_the_text_but_not_the_time_limit()
    {
        string a = ProofCache.Key("z3 4.8.12.0", "(set-option :timeout 100)\n(assert true)\n");
        Assert.Equal(a, ProofCache.Key("z3 4.8.12.0", "(set-option :timeout 999)\n(assert true)\n"));
        Assert.NotEqual(a, ProofCache.Key("z3 4.13.0", "(set-option :timeout 100)\n(assert true)\n"));
        Assert.NotEqual(a, ProofCache.Key("z3 4.8.12.0", "(set-option :timeout 100)\n(assert false)\n"));
    }
}
