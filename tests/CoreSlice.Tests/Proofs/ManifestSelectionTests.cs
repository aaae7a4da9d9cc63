using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// Hypothesis selections for the Inv/&lt;property&gt; obligations: a property of one state may be proved from
/// clauses of that state only. A selection naming a step item would assert a transition about a state that
/// has none, so the manifest is refused with its line.
/// </summary>
public sealed class ManifestSelectionTests
{
    [Theory]
    [InlineData("pre")]
    [InlineData("step")]
    [InlineData("Lemma_Create_Step")]
    public void A_property_selection_naming_a_step_item_is_refused_with_its_line(string item)
    {
        BrokenSpec edit = new("a state property selected with a step item", "n/a", [],
            [("prove Inv/S7_NoResidue uses ", $"prove Inv/S7_NoResidue uses {item} ")]);

        SpecException e = Assert.Throws<SpecException>(() => BrokenSpecs.Apply(SpecLocator.RepositorySpec(), edit));

        Assert.Contains("obligations.txt line ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"Inv/S7_NoResidue is about one state", e.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{item}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_property_selection_of_clauses_and_state_lemmas_is_read()
    {
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), new BrokenSpec("a state lemma in a property selection", "n/a", [],
            [("prove Inv/S7_NoResidue uses ", "prove Inv/S7_NoResidue uses Lemma_GuestCoreOwned ")]));

        Assert.Equal(["Lemma_GuestCoreOwned", "I1_Disjointness.memory", "I1_Disjointness.table", "I1_Disjointness.windows", "I2_FilterSoundness.ranges", "I3_LockedGuest.guest", "I4_DmaConfinement", "I5_NoResidue"], spec.Uses["Inv/S7_NoResidue"]);
        Obligation s7 = ObligationGenerator.Generate(spec).Single(o => o.Name == "Inv/S7_NoResidue#2");
        Assert.DoesNotContain("(assert (Inv s))", s7.Query, StringComparison.Ordinal);
        Assert.Contains("(assert (I5_NoResidue s))", s7.Query, StringComparison.Ordinal);
    }

    /// <summary>
    /// Instance hints (obligations.txt "at"): S7 is proved conjunct by conjunct, the DMA half at fresh constants with the
    /// instances the manifest names, each written out from its clause's own definition, so a clause changed in the spec
    /// changes its hint with it.
    /// </summary>
    [Fact]
    public void A_property_with_hints_is_proved_conjunct_by_conjunct_with_each_hint_written_from_its_clause()
    {
        Spec spec = SpecLocator.RepositorySpec();
        List<Obligation> s7 = [.. ObligationGenerator.Generate(spec).Where(o => o.Name.StartsWith("Inv/S7_NoResidue", StringComparison.Ordinal))];

        Assert.Equal(["Inv/S7_NoResidue#1", "Inv/S7_NoResidue#2"], s7.Select(o => o.Name));
        Assert.Contains("(declare-const sk.d Dev)", s7[1].Query, StringComparison.Ordinal);
        Assert.Contains("(assert (not (=> (dmaAllows s sk.d sk.i sk.a sk.p)", s7[1].Query, StringComparison.Ordinal);
        // I5_NoResidue's body at sk.a, and I4_DmaConfinement.iommu's at sk.d
        Assert.Contains("(select (lastWriter s) sk.a)", s7[1].Query, StringComparison.Ordinal);
        Assert.Contains("(let ((w (select (iommu s) sk.d)))", s7[1].Query, StringComparison.Ordinal);
        Assert.DoesNotContain("sk.d", s7[0].Query, StringComparison.Ordinal);
        Assert.DoesNotContain(SpecChecks.Static(spec), r => r.Name.StartsWith("manifest/at/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("(I2_FilterSoundness.ipi s sk.c sk.c)", "is not a hypothesis")]        // not selected for S7
    [InlineData("(I5_NoResidue s a d)", "binds 1 variables; the hint gives 2")]
    [InlineData("(I1_Disjointness.table#3 s d i a)", "names no forall")]
    [InlineData("(I1_Disjointness.table#2 i d i a)", "about what the obligation assumes of it: (I1_Disjointness.table#2 s x...)")]
    public void A_hint_that_is_no_instance_of_a_hypothesis_is_a_failed_check_and_is_not_asserted(string hint, string why)
    {
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), new BrokenSpec("a bad hint", "n/a", [],
            [(string.Empty, $"at Inv/S7_NoResidue#2 {hint}\n")]));

        ObligationResult failed = Assert.Single(SpecChecks.Static(spec), r => r.Name == "manifest/at/Inv/S7_NoResidue#2");
        Assert.Contains(why, failed.Counterexample, StringComparison.Ordinal);
        Obligation s7 = ObligationGenerator.Generate(spec).Single(o => o.Name == "Inv/S7_NoResidue#2");
        Assert.Equal(6, s7.Query.Split('\n').Count(l => l.StartsWith("(assert ", StringComparison.Ordinal) && !l.StartsWith("(assert (I", StringComparison.Ordinal)
            && !l.StartsWith("(assert Machine", StringComparison.Ordinal) && !l.StartsWith("(assert (not", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Hints on a step obligation: CreateSlice/I4_DmaConfinement.table is proved at a point of its one forall, with
    /// instances of the step lemmas it selects written out from their definitions at the arguments the obligation
    /// asserts them with (s a s2: the call a is never renamed, though a conjunct may bind a variable of that name).
    /// </summary>
    [Fact]
    public void A_step_obligation_with_hints_is_proved_at_a_point_from_instances_of_its_lemmas()
    {
        Spec spec = SpecLocator.RepositorySpec();
        List<Obligation> i4 = [.. ObligationGenerator.Generate(spec).Where(o => o.Name.StartsWith("CreateSlice/I4_DmaConfinement.table", StringComparison.Ordinal))];

        Obligation o = Assert.Single(i4);
        Assert.Equal(("CreateSlice/I4_DmaConfinement.table#1", "CreateSlice", "I4_DmaConfinement.table"), (o.Name, o.Operation, o.Subject));
        Assert.Contains("(declare-const sk.x Addr)", o.Query, StringComparison.Ordinal);
        Assert.Contains("(assert (not (=> (and (live s2 sk.t) (bvult sk.j (select (tblDN s2) sk.t))", o.Query, StringComparison.Ordinal);
        // Lemma_Create_DmaInRange's forall at (sk.j, sk.x), over the call a
        Assert.Contains("(Covered.at (select (c.base a) (select (c.ridx a) (select (c.dmaBase a) sk.j)))", o.Query, StringComparison.Ordinal);
        // Lemma_Create_Step's fourth forall at sk.x, inside the lemma's (or (same-but-log s s2) ...): a consequence of it
        Assert.Contains("(=> (reqHasAddr a sk.x) (and (not (reservedMem sk.x))", o.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(SpecChecks.Static(spec), r => r.Name.StartsWith("manifest/at/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("(Lemma_Create_Step#1 s2 a s i x)", "about what the obligation assumes of it: (Lemma_Create_Step#1 s a s2 x...)")]
    [InlineData("(I5_NoResidue s x)", "is not a hypothesis")]                                        // not selected for it
    [InlineData("(Lemma_Create_Step#7 s a s2 x)", "names no forall")]
    [InlineData("(Lemma_Create_DmaStep s a s2 j x)", "binds 1 variables; the hint gives 2")]
    [InlineData("(Lemma_Create_DmaStep s a s2 b)", "binds b, which its arguments name")]               // its body's let binds b
    public void A_step_hint_that_is_no_instance_of_a_hypothesis_is_a_failed_check_and_is_not_asserted(string hint, string why)
    {
        const string Key = "CreateSlice/I4_DmaConfinement.table#1";
        Spec spec = BrokenSpecs.Apply(SpecLocator.RepositorySpec(), new BrokenSpec("a bad hint", "n/a", [], [(string.Empty, $"at {Key} {hint}\n")]));

        ObligationResult failed = Assert.Single(SpecChecks.Static(spec), r => r.Name == $"manifest/at/{Key}");
        Assert.Contains(why, failed.Counterexample, StringComparison.Ordinal);
        string good = ObligationGenerator.Generate(SpecLocator.RepositorySpec()).Single(o => o.Name == Key).Query;
        Assert.Equal(good, ObligationGenerator.Generate(spec).Single(o => o.Name == Key).Query);
    }
}
