using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary>The privileged specification's PMP rules as the simulated port implements them.</summary>
public sealed class PmpRulesTests
{
    [Fact]
    public void The_lowest_numbered_matching_entry_decides_even_against_a_later_more_generous_one()
    {
        PmpEntry[] t =
        [
            new(PmpCfg.L | PmpCfg.Napot | PmpCfg.R, (0x1000UL >> 2) | 0xFF), // [0x1000, 0x1800) read only
            new(PmpCfg.L | PmpCfg.Napot | PmpCfg.Rwx, (0x0UL >> 2) | 0x3FF),  // [0, 0x2000) RWX
        ];
        Assert.False(PmpRules.Allows(t, 0, 0x1000, 1, Permissions.Write, true, out int decided));
        Assert.Equal(0, decided);
        Assert.True(PmpRules.Allows(t, 0, 0x1800, 1, Permissions.Write, true, out decided));
        Assert.Equal(1, decided);
    }

    [Fact]
    public void M_mode_ignores_unlocked_entries_and_succeeds_on_no_match_while_S_and_U_mode_fail()
    {
        PmpEntry[] t = [new(PmpCfg.Napot | PmpCfg.R, (0x1000UL >> 2) | 0xFF)];
        Assert.True(PmpRules.Allows(t, 0, 0x1000, 1, Permissions.Write, machineMode: true, out _));   // unlocked: M-mode not bound
        Assert.False(PmpRules.Allows(t, 0, 0x1000, 1, Permissions.Write, machineMode: false, out _));
        Assert.True(PmpRules.Allows(t, 0, 0x9000, 1, Permissions.Write, machineMode: true, out int d)); // no match
        Assert.Equal(-1, d);
        Assert.False(PmpRules.Allows(t, 0, 0x9000, 1, Permissions.Read, machineMode: false, out _));
    }

    [Fact]
    public void An_access_that_straddles_an_entry_boundary_fails_even_if_both_sides_allow_it()
    {
        PmpEntry[] t =
        [
            new(PmpCfg.L | PmpCfg.Na4 | PmpCfg.Rwx, 0x1000 >> 2),
            new(PmpCfg.L | PmpCfg.Na4 | PmpCfg.Rwx, 0x1004 >> 2),
        ];
        Assert.True(PmpRules.Allows(t, 0, 0x1000, 4, Permissions.Read, true, out _));
        Assert.False(PmpRules.Allows(t, 0, 0x1002, 4, Permissions.Read, true, out _));
    }

    [Fact]
    public void A_TOR_entry_whose_bottom_is_not_below_its_top_matches_nothing()
    {
        PmpEntry[] t = [new(PmpCfg.L | PmpCfg.Off, 0x2000 >> 2), new(PmpCfg.L | PmpCfg.Tor | PmpCfg.Rwx, 0x1000 >> 2)];
        Assert.False(PmpRules.Interval(t, 1, 0, out _, out _));
        Assert.True(PmpRules.Allows(t, 0, 0x1800, 1, Permissions.Read, true, out int d)); // no match at all: M-mode succeeds
        Assert.Equal(-1, d);
    }

    [Fact]
    public void Granularity_changes_what_pmpaddr_reads_as_and_makes_NA4_unselectable()
    {
        var napot = new PmpEntry(PmpCfg.Napot, 0x1000);
        Assert.Equal(0x1000UL | 0x7, PmpRules.EffectiveAddress(napot, 4));
        var tor = new PmpEntry(PmpCfg.Tor, 0x100F);
        Assert.Equal(0x1000UL, PmpRules.EffectiveAddress(tor, 4));
        Assert.Equal(PmpCfg.Off, PmpRules.LegalizeConfig(PmpCfg.Na4, 1) & PmpCfg.AMask);
        Assert.Equal(PmpCfg.Na4, PmpRules.LegalizeConfig(PmpCfg.Na4, 0) & PmpCfg.AMask);
        Assert.Equal(0, PmpRules.LegalizeConfig(PmpCfg.W, 0) & PmpCfg.Rwx); // R=0,W=1 is reserved
    }

    [Fact]
    public void A_locked_entry_and_the_pmpaddr_below_a_locked_TOR_entry_cannot_be_written()
    {
        PmpEntry[] t = [new(PmpCfg.Off, 0x100), new(PmpCfg.L | PmpCfg.Tor | PmpCfg.R, 0x200), new(PmpCfg.Off, 0), new(PmpCfg.L | PmpCfg.Napot, 0x3FF)];
        Assert.False(PmpRules.AddressWritable(t, 0)); // below a locked TOR
        Assert.True(PmpRules.ConfigWritable(t, 0));   // its pmpcfg byte is not frozen by the TOR above
        Assert.False(PmpRules.AddressWritable(t, 1));
        Assert.False(PmpRules.ConfigWritable(t, 1));
        Assert.True(PmpRules.AddressWritable(t, 2));  // below a locked NAPOT: still writable
        Assert.False(PmpRules.ConfigWritable(t, 3));
    }
}
