using CoreSlice.Conformance;
using CoreSlice.Harness.Ports;
using CoreSlice.Tests.Pmp;
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

    /// <summary>Enough breadth-first states that the tree holds successful StartSlice transitions (the harts programmed).</summary>
    private const int PmpStates = 300;

    [Fact]
    public void On_the_pmp_port_every_transition_conforms_with_the_filter_read_from_the_pmp_entries()
    {
        ModelCheckConformanceResult r = ModelCheckConformance.Run(new ModelCheckConformanceOptions { MaxStates = PmpStates, Port = Port.Pmp, InvariantsEvery = 16 });

        Assert.True(r.Conforms, Explain(r));
        Assert.Equal("pmp", r.Port);
        Assert.Equal(r.States - 1, r.Transitions);
        Assert.True(r.Coverage.GetValueOrDefault("StartSlice None") > 0, string.Join(", ", r.Coverage.Keys));
    }

    /// <summary>
    /// The misprogrammings the first <see cref="PmpStates"/> breadth-first states meet: their starts program TOR
    /// regions with every permission. The other two need a NAPOT region or a permission short of RWX, which the tree
    /// first starts at state 1,322 (a window): measured 2026-12-07, both a mismatch there (NapotTwiceTheRegion: rrBase
    /// of the window's register; WriteBitForced: rrPerm 0b011 for the spec's 0b001), 55–168 s each, too long for the
    /// suite (tests/README.md, "Conformance on the PMP port").
    /// </summary>
    public static TheoryData<PmpMisprogramming> Misprogrammings() => [PmpMisprogramming.TorTopOneWordShort, PmpMisprogramming.LockBitMissing];

    /// <summary>
    /// The states a sound PMP port reaches, replayed on one that misprograms the harts and fools the sliceloader's
    /// readback: the step that programs them does not conform (the registers or lock read from the entries are not the
    /// spec's).
    /// </summary>
    [Theory]
    [MemberData(nameof(Misprogrammings))]
    public void On_the_pmp_port_a_misprogrammed_hart_is_a_mismatch_at_the_start_that_programs_it(PmpMisprogramming how)
    {
        ModelCheckConformanceResult r = ModelCheckConformance.Run(new ModelCheckConformanceOptions
        {
            MaxStates = PmpStates, InvariantsEvery = 16, ExplorePort = Port.Pmp,
            Port = Port.PmpThrough(p => new MisprogrammingPmpPort(p, how)),
        });

        Assert.Null(r.ModelCheckViolation);
        Assert.NotNull(r.Mismatch);
        Assert.Equal("StartSlice", r.Mismatch.Operation);
        Assert.Equal("None", r.Mismatch.CodeError);
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
