using CoreSlice.Conformance;
using Xunit;

namespace CoreSlice.Tests.Conformance;

/// <summary>
/// The model checker's first-reaching transitions against the spec's transition relation
/// (<c>coreslice conform --from-modelcheck</c>, which CI runs on the whole default scope);
/// here a bounded exploration, so the test stays short.
/// </summary>
public sealed class ModelCheckConformanceTests
{
    private const int States = 80;

    private static string Explain(ModelCheckConformanceResult r) =>
        r.ModelCheckViolation ?? (r.Mismatch is { } m ? $"state {m.Step} {m.Operation}({m.Arguments}) code {m.CodeError}: {m.Verdict.Check} [{m.Verdict.Field}] {m.Verdict.Detail}" : "conforms");

    [Fact]
    public void Every_transition_that_first_reached_a_state_conforms()
    {
        ModelCheckConformanceResult r = ModelCheckConformance.Run(new ModelCheckConformanceOptions { MaxStates = States });

        Assert.True(r.Conforms, Explain(r));
        Assert.Equal(States, r.States);
        // one transition per reached state but the initial one: the breadth-first tree
        Assert.Equal(r.States - 1, r.Transitions);
        Assert.Equal(r.Transitions, r.Coverage.Values.Sum());
        Assert.True(r.Coverage.GetValueOrDefault("CreateSlice None") > 0, string.Join(", ", r.Coverage.Keys));
    }

    [Fact]
    public void A_wrong_post_state_is_named_with_the_trace_that_reaches_it()
    {
        const int wrong = 40;
        ModelCheckConformanceResult r = ModelCheckConformance.Run(new ModelCheckConformanceOptions
        {
            MaxStates = States,
            InvariantsEvery = 16,
            PerturbPost = (state, post) => { if (state == wrong) { post.Locked[1] = !post.Locked[1]; } },
        });

        Assert.NotNull(r.Mismatch);
        Assert.Equal(wrong, r.Mismatch.Step);
        Assert.Equal("transition", r.Mismatch.Verdict.Check);
        Assert.Equal("locked", r.Mismatch.Verdict.Field);
        Assert.False(r.Conforms);
        Assert.NotEmpty(r.Trace);
    }

    [Fact]
    public void Asking_the_invariants_less_often_still_rejects_a_wrong_step()
    {
        // --invariants-every leaves the transition asked at every step: a wrong step is caught where it happens.
        ConformanceResult r;
        using (var run = new ConformanceRun(new ConformanceOptions { Steps = 6, InvariantsEvery = 16, PerturbPost = (i, s) => { if (i == 3) { s.CoreOwner[2] = 1; } } }))
        {
            r = run.Run();
        }
        Assert.NotNull(r.Mismatch);
        Assert.Equal(3, r.Mismatch.Step);
        Assert.Equal("coreOwner", r.Mismatch.Verdict.Field);
    }
}
