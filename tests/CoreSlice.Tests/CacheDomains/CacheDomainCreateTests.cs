using CoreSlice;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.CacheDomains;

/// <summary>
/// CreateSlice on a two-socket machine: a slice's ways come from the domains of its cores,
/// exclusively per domain, under each domain's CAT rules; every refusal names its way (64 *
/// domain + way) or domain and changes nothing; the sliceloader gives each core its own
/// domain's mask; the audit holds after every step.
/// </summary>
public sealed class CacheDomainCreateTests
{
    private static Rig Make() => new(Config());

    private static void Reject(Rig rig, SliceRequest request, SliceError error, int subject, int holder = Owner.None) =>
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(request), Rejected(error, subject, holder));

    private static void AuditClean(Rig rig) => Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());

    [Fact]
    public void A_slice_on_both_sockets_gets_each_core_its_own_domains_mask()
    {
        using Rig rig = Make();
        int slot = rig.Create(Request([1, 4], 0b110, new DomainWays(1, 0b1100)));
        Assert.Equal(SliceError.None, rig.Visor.StartSlice(slot).Error);
        Assert.Equal(0b110UL, rig.Machine.WayMaskOf(1));
        Assert.Equal(0b1100UL, rig.Machine.WayMaskOf(4));
        Assert.Equal(slot, rig.Table.WayOwner(1, 2));
        Assert.Equal(Owner.Control, rig.Table.WayOwner(1, 0));
        Assert.Equal(Owner.Free, rig.Table.WayOwner(1, 4));
        AuditClean(rig);
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(slot).Error);
        Assert.Equal(Owner.Free, rig.Table.WayOwner(1, 2));
        AuditClean(rig);
    }

    [Fact]
    public void Exclusivity_is_per_domain_the_same_way_index_on_two_sockets_is_two_ways()
    {
        using Rig rig = Make();
        int a = rig.Create(Request([1], 0b1100));
        int b = rig.Create(Request([5], 0, new DomainWays(1, 0b1100)));
        Assert.NotEqual(a, b);
        Assert.Equal(a, rig.Table.WayOwner(0, 2));
        Assert.Equal(b, rig.Table.WayOwner(1, 2));
        AuditClean(rig);
        Reject(rig, Request([6], 0, new DomainWays(1, 0b11000)), SliceError.WaysInUse, 64 + 3, b);
    }

    [Fact]
    public void A_way_of_a_foreign_domain_is_refused()
    {
        using Rig rig = Make();
        Reject(rig, Request([1], 0b10, new DomainWays(1, 0b1100)), SliceError.WaysForeignDomain, 64 + 2);
        Reject(rig, Request([4], 0b10, new DomainWays(1, 0b1100)), SliceError.WaysForeignDomain, 1);
    }

    [Fact]
    public void A_core_without_a_way_in_its_domain_is_refused()
    {
        using Rig rig = Make();
        Reject(rig, Request([1, 4], 0b10), SliceError.WaysMissingInDomain, 1);
        Reject(rig, Request([1, 4], 0, new DomainWays(1, 0b1100)), SliceError.WaysMissingInDomain, 0);
    }

    [Fact]
    public void Domain_entries_are_checked_for_range_and_duplicates()
    {
        using Rig rig = Make();
        Reject(rig, Request([1], 0b10, new DomainWays(2, 1)), SliceError.WaysDomainOutOfRange, 0);
        Reject(rig, Request([1], 0b10, new DomainWays(-1, 1)), SliceError.WaysDomainOutOfRange, 0);
        Reject(rig, Request([1], 0b10, new DomainWays(0, 0b100)), SliceError.WaysDomainDuplicated, 0);
        Reject(rig, Request([4], 0, new DomainWays(1, 0b1100), new DomainWays(1, 0b110000)), SliceError.WaysDomainDuplicated, 1);
        Reject(rig, Request([4], 0, new DomainWays(1, 0b1100), new DomainWays(0, 1), new DomainWays(1, 1)), SliceError.TooManyWayDomains, 3);
        Reject(rig, Request([4], 0, new DomainWays(1, 0)), SliceError.WaysEmpty, -1);
        Reject(rig, Request([4], 0, new DomainWays(1, 1UL << 8)), SliceError.WaysOutOfRange, 64 + 8);
    }

    [Fact]
    public void Domain_0_may_be_given_as_an_entry_instead_of_Ways()
    {
        using Rig rig = Make();
        int slot = rig.Create(Request([2], 0, new DomainWays(0, 0b10)));
        Assert.Equal(0b10UL, rig.Entry(slot).Ways);
        AuditClean(rig);
    }

    [Fact]
    public void Cat_rules_refuse_non_contiguous_and_too_narrow_masks()
    {
        using Rig rig = Make();
        Reject(rig, Request([4], 0, new DomainWays(1, 0b10100)), SliceError.WaysNotContiguous, 64 + 2);
        Reject(rig, Request([4], 0, new DomainWays(1, 0b100)), SliceError.WaysTooNarrow, 64 + 2);
        // Socket 0 has no CAT rules: a scattered one-way mask is fine there.
        rig.Create(Request([1], 0b1010_0000));
        AuditClean(rig);
    }

    [Fact]
    public void Cat_classes_of_service_count_the_control_slices_and_are_returned_on_destroy()
    {
        using Rig rig = Make();
        // Socket 1 allows 3 classes; the control slice holds one.
        int a = rig.Create(Request([4], 0, new DomainWays(1, 0b1100)));
        rig.Create(Request([5], 0, new DomainWays(1, 0b11_0000)));
        Reject(rig, Request([6], 0, new DomainWays(1, 0b1100_0000)), SliceError.ClassesOfServiceExhausted, 1);
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(a).Error);
        rig.Create(Request([6], 0, new DomainWays(1, 0b1100_0000)));
        AuditClean(rig);
    }

    [Fact]
    public void A_one_domain_machine_is_unchanged_its_ways_are_domain_0()
    {
        using Rig rig = Rig.Default();
        Assert.Equal(1, rig.Table.CacheDomains);
        Assert.Equal(rig.Config.CacheWays, rig.Table.WaysOfDomain(0));
        int slot = rig.Create(Request([3], 0b100));
        Assert.Equal(0b100UL, rig.Entry(slot).WaysIn(0));
        Reject(rig, Request([4], 0, new DomainWays(1, 1)), SliceError.WaysDomainOutOfRange, 0);
        Reject(rig, Request([4], 0, new DomainWays(0, 1), new DomainWays(0, 2)), SliceError.TooManyWayDomains, 2);
    }
}
