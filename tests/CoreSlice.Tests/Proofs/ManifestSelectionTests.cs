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
        Obligation s7 = ObligationGenerator.Generate(spec).Single(o => o.Name == "Inv/S7_NoResidue");
        Assert.DoesNotContain("(assert (Inv s))", s7.Query, StringComparison.Ordinal);
        Assert.Contains("(assert (I5_NoResidue s))", s7.Query, StringComparison.Ordinal);
    }
}
