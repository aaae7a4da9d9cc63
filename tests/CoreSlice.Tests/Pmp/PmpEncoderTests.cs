using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>The encoder's choices (NAPOT, NA4, TOR, TOR reuse, deny-all, locks) on hand-checked inputs.</summary>
public sealed class PmpEncoderTests
{
    private static readonly PmpGeometry Geometry = new(16, 0, Clint, 5);

    private static PmpEntry[] Encode(MemoryRange[] ranges, int[] harts, out int used)
    {
        ResourceSet set = default;
        foreach (int h in harts)
        {
            set.Add(h);
        }
        var table = new PmpEntry[16];
        used = PmpEncoder.Encode(Geometry, ranges, Permissions.ReadWriteExecute, set, table);
        Assert.Equal(used, PmpEncoder.Cost(Geometry, ranges, set));
        return table;
    }

    [Fact]
    public void A_naturally_aligned_power_of_two_is_one_NAPOT_entry_and_one_msip_word_one_NA4_entry()
    {
        PmpEntry[] t = Encode([new MemoryRange(0x8400_0000, 64 * MiB)], [1], out int used);
        Assert.Equal(3, used);
        // pmpaddr = base >> 2 | (size / 8 - 1): 0x2100_0000 | 0x7F_FFFF
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Napot | PmpCfg.Rwx, 0x217F_FFFF), t[0]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Na4 | PmpCfg.R | PmpCfg.W, (Clint + 4) >> 2), t[1]);
        for (int i = 2; i < 15; i++)
        {
            Assert.Equal(PmpCfg.LockedOff, t[i]);
        }
        Assert.Equal(new PmpEntry(0x98, 0x3FFF_FFFF_FFFF_FFFF), t[15]);
        Assert.All(t, e => Assert.True(e.Locked));
    }

    [Fact]
    public void Other_ranges_are_OFF_plus_TOR_and_an_adjacent_range_reuses_the_previous_top()
    {
        PmpEntry[] t = Encode(
            [new MemoryRange(0x10_0000_0000, 48 * MiB), new MemoryRange(0x10_0300_0000, 80 * MiB)], [2, 3, 4], out int used);
        Assert.Equal(6, used);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Off, 0x10_0000_0000 >> 2), t[0]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Tor | PmpCfg.Rwx, 0x10_0300_0000 >> 2), t[1]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Tor | PmpCfg.Rwx, 0x10_0800_0000 >> 2), t[2]); // reused bottom
        // harts 2..4: 12 bytes at CLINT + 8: not a power of two, so OFF + TOR
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Off, (Clint + 8) >> 2), t[3]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Tor | PmpCfg.R | PmpCfg.W, (Clint + 20) >> 2), t[4]);
        Assert.Equal(PmpCfg.DenyAll, t[15]);
    }

    [Fact]
    public void A_TOR_range_from_address_zero_in_entry_zero_needs_no_bottom_entry()
    {
        var g = new PmpGeometry(4, 0, 0x1000_0000, 1);
        var table = new PmpEntry[4];
        ResourceSet none = default;
        Assert.Equal(2, PmpEncoder.Encode(g, [new MemoryRange(0, 12 * KiB)], Permissions.Read, none, table));
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Tor | PmpCfg.R, (12 * KiB) >> 2), table[0]);
    }

    [Fact]
    public void A_slice_that_needs_more_entries_than_a_hart_has_costs_more_than_its_entries_and_encodes_to_nothing()
    {
        var ranges = new MemoryRange[7];
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = new MemoryRange(0x8400_1000 + ((ulong)i * MiB), 12 * KiB);
        }
        ResourceSet harts = default;
        harts.Add(1);
        harts.Add(3);
        Assert.Equal(17, PmpEncoder.Cost(Geometry, ranges, harts));
        var table = new PmpEntry[16];
        Assert.Equal(-1, PmpEncoder.Encode(Geometry, ranges, Permissions.ReadWriteExecute, harts, table));
        Assert.All(table, e => Assert.Equal(PmpCfg.DenyAll, e));
    }

    [Fact]
    public void The_encoded_table_allows_exactly_the_slice_on_the_PMP_rules()
    {
        MemoryRange[] ranges = [new MemoryRange(0x9000_0000, 256 * MiB), new MemoryRange(0x10_0000_0000, 48 * MiB), new MemoryRange(0x10_0300_0000, 80 * MiB)];
        PmpEntry[] t = Encode(ranges, [2, 3, 4], out _);
        foreach (MemoryRange r in ranges)
        {
            foreach (ulong a in new[] { r.Base - 1, r.Base, r.Base + r.Size - 1, r.Base + r.Size })
            {
                bool inside = Array.Exists(ranges, x => x.Contains(a));
                foreach (Permissions p in new[] { Permissions.Read, Permissions.Write, Permissions.Execute })
                {
                    Assert.Equal(inside, PmpRules.Allows(t, 0, a, 1, p, machineMode: true, out _));
                    Assert.Equal(inside, PmpRules.Allows(t, 0, a, 1, p, machineMode: false, out _));
                }
            }
        }
        for (int h = 0; h < 5; h++)
        {
            bool mine = h >= 2;
            Assert.Equal(mine, PmpRules.Allows(t, 0, Clint + (4UL * (ulong)h), 4, Permissions.Write, true, out _));
            Assert.False(PmpRules.Allows(t, 0, Clint + (4UL * (ulong)h), 4, Permissions.Execute, true, out _));
        }
    }
}
