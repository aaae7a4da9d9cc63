using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// The encoder's limits, called directly (it is public, and the slicevisor's validator only ever
/// hands it what fits): a table too short or a geometry with fewer than two entries is refused
/// without a write; each region that cannot be encoded (empty, wrapping, off the 4-byte grid, off a
/// coarser grain) makes the whole encoding -1; the 64-range bound; harts beyond the geometry; the
/// smallest NAPOT region; and a TOR bottom reused only after a TOR entry, never after NAPOT or NA4
/// (whose pmpaddr is not an address). Encodings are checked entry by entry and against the PMP rules.
/// </summary>
public sealed class PmpEncoderEdgeTests
{
    private static readonly PmpGeometry Sixteen = new(16, 0, Clint, 5);

    private static ResourceSet Harts(params int[] harts)
    {
        ResourceSet set = default;
        foreach (int h in harts)
        {
            set.Add(h);
        }
        return set;
    }

    /// <summary>Encodes into a table of exactly the geometry's size; also checks that Cost agrees.</summary>
    private static PmpEntry[] Encode(PmpGeometry g, MemoryRange[] ranges, ResourceSet harts, out int used)
    {
        var table = new PmpEntry[g.Entries];
        used = PmpEncoder.Encode(g, ranges, Permissions.ReadWriteExecute, harts, table);
        Assert.Equal(used, PmpEncoder.Cost(g, ranges, harts));
        return table;
    }

    /// <summary>Every byte at and around each range's edges is allowed exactly when some range holds it.</summary>
    private static void AssertAllowsExactly(PmpEntry[] table, MemoryRange[] ranges)
    {
        foreach (MemoryRange r in ranges)
        {
            foreach (ulong a in new[] { r.Base - 1, r.Base, r.Base + r.Size - 1, r.Base + r.Size })
            {
                bool inside = Array.Exists(ranges, x => x.Contains(a));
                Assert.Equal(inside, PmpRules.Allows(table, 0, a, 1, Permissions.Read, machineMode: true, out _));
            }
        }
    }

    [Fact]
    public void A_table_shorter_than_the_geometry_is_refused_without_a_write()
    {
        var table = new PmpEntry[15];
        Assert.Equal(-1, PmpEncoder.Encode(Sixteen, [new MemoryRange(0x8000_0000, MiB)], Permissions.ReadWriteExecute, Harts(1), table));
        Assert.All(table, e => Assert.Equal(PmpEntry.Off, e));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_geometry_with_fewer_than_two_entries_has_no_room_for_the_deny_all_and_a_region(int entries)
    {
        var table = new PmpEntry[4];
        Assert.Equal(-1, PmpEncoder.Encode(new PmpGeometry(entries, 0, Clint, 5), [], Permissions.ReadWriteExecute, default, table));
        Assert.All(table, e => Assert.Equal(PmpEntry.Off, e));
    }

    [Fact]
    public void A_TOR_region_whose_bottom_entry_does_not_fit_makes_the_encoding_minus_one()
    {
        // NAPOT region, then a TOR region (bottom + top), then the deny-all: four entries
        MemoryRange[] ranges = [new MemoryRange(0x8000_0000, MiB), new MemoryRange(0x9000_0000, 12 * KiB)];
        Assert.Equal(4, PmpEncoder.Cost(new PmpGeometry(16, 0, Clint, 5), ranges, default));
        // 2 entries: no room for the bottom; 3: the bottom fits, the top does not; 4: all fit
        foreach ((int entries, int expected) in new[] { (2, -1), (3, -1), (4, 4) })
        {
            var table = new PmpEntry[entries];
            Assert.Equal(expected, PmpEncoder.Encode(new PmpGeometry(entries, 0, Clint, 5), ranges, Permissions.ReadWriteExecute, default, table));
            if (expected < 0)
            {
                Assert.All(table, e => Assert.Equal(PmpCfg.DenyAll, e));
            }
        }
    }

    [Fact]
    public void Two_entries_hold_one_NAPOT_region_and_the_deny_all()
    {
        PmpEntry[] t = Encode(new PmpGeometry(2, 0, Clint, 5), [new MemoryRange(0x8000_0000, MiB)], default, out int used);
        Assert.Equal(2, used);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Napot | PmpCfg.Rwx, (0x8000_0000 >> 2) | ((MiB >> 3) - 1)), t[0]);
        Assert.Equal(PmpCfg.DenyAll, t[1]);
    }

    public static TheoryData<ulong, ulong> Unencodable => new()
    {
        { 0x8000_0000, 0 },                         // empty
        { ulong.MaxValue - 4095, 8192 },            // wraps past 2^64
        { ulong.MaxValue - 4095, 4096 },            // ends exactly at 2^64: not representable either
        { 0x8000_0002, 4096 },                      // base off the 4-byte grid
        { 0x8000_0000, 4098 },                      // size off the 4-byte grid
        { 0x8000_0002, 4 },                         // a word off the 4-byte grid (would be NA4)
    };

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void A_region_that_cannot_be_encoded_makes_the_whole_encoding_minus_one(ulong baseAddress, ulong size)
    {
        MemoryRange[] ranges = [new MemoryRange(0x9000_0000, MiB), new MemoryRange(baseAddress, size)];
        PmpEntry[] t = Encode(Sixteen, ranges, Harts(1), out int used);
        Assert.Equal(-1, used);
        Assert.All(t, e => Assert.Equal(PmpCfg.DenyAll, e));
    }

    [Fact]
    public void Sixty_four_ranges_are_encodable_and_sixty_five_are_not()
    {
        MemoryRange[] ranges = [.. Enumerable.Range(0, 65).Select(i => new MemoryRange(0x8000_0000 + ((ulong)i * 2 * MiB), MiB))];
        // Each naturally aligned MiB is one NAPOT entry; one hart's msip word one NA4; then the deny-all.
        Assert.Equal(64 + 1 + 1, PmpEncoder.Cost(Sixteen, ranges.AsSpan(0, 64), Harts(0)));
        Assert.Equal(-1, PmpEncoder.Cost(Sixteen, ranges, Harts(0)));
        var big = new PmpGeometry(PmpGeometry.MaxEntries, 0, Clint, 5);
        Assert.Equal(-1, PmpEncoder.Encode(big, ranges, Permissions.ReadWriteExecute, default, new PmpEntry[PmpGeometry.MaxEntries]));
    }

    [Fact]
    public void A_hart_beyond_the_geometry_has_no_msip_word()
    {
        Assert.Equal(-1, PmpEncoder.Cost(Sixteen, [], Harts(5)));
        // A run of harts ending at the last one stops there: the next hart is not part of it, and has no word.
        Assert.Equal(-1, PmpEncoder.Cost(Sixteen, [], Harts(3, 4, 5)));
        Assert.Equal(1 + 1, PmpEncoder.Cost(Sixteen, [], Harts(4)));
        // Harts 3 and 4: 8 bytes at CLINT + 12, not 8-aligned, so OFF + TOR.
        PmpEntry[] t = Encode(Sixteen, [], Harts(3, 4), out int used);
        Assert.Equal(3, used);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Off, (Clint + 12) >> 2), t[0]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Tor | PmpCfg.R | PmpCfg.W, (Clint + 20) >> 2), t[1]);
    }

    [Fact]
    public void Eight_aligned_bytes_are_the_smallest_NAPOT_region_and_an_unaligned_power_of_two_is_TOR()
    {
        MemoryRange[] ranges = [new MemoryRange(0x8000_0008, 8), new MemoryRange(0x8000_1000, 0x2000)];
        PmpEntry[] t = Encode(Sixteen, ranges, default, out int used);
        Assert.Equal(1 + 2 + 1, used);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Napot | PmpCfg.Rwx, 0x8000_0008 >> 2), t[0]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Off, 0x8000_1000 >> 2), t[1]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Tor | PmpCfg.Rwx, 0x8000_3000 >> 2), t[2]);
        AssertAllowsExactly(t, ranges);
    }

    [Fact]
    public void A_TOR_range_after_a_NAPOT_or_NA4_entry_gets_its_own_bottom_even_where_an_earlier_TOR_range_ended()
    {
        // A ends at 0x8000_3000; B (NAPOT) and C (NA4) come between; D starts where A ended.
        MemoryRange[] napot = [new MemoryRange(0x8000_0000, 0x3000), new MemoryRange(0x9000_0000, MiB), new MemoryRange(0x8000_3000, 0x3000)];
        PmpEntry[] t = Encode(Sixteen, napot, default, out int used);
        Assert.Equal(2 + 1 + 2 + 1, used);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Off, 0x8000_3000 >> 2), t[3]);
        AssertAllowsExactly(t, napot);

        MemoryRange[] na4 = [new MemoryRange(0x8000_0000, 0x3000), new MemoryRange(0x9000_0000, 4), new MemoryRange(0x8000_3000, 0x3000)];
        t = Encode(Sixteen, na4, default, out used);
        Assert.Equal(2 + 1 + 2 + 1, used);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Na4 | PmpCfg.Rwx, 0x9000_0000 >> 2), t[2]);
        Assert.Equal(new PmpEntry(PmpCfg.L | PmpCfg.Off, 0x8000_3000 >> 2), t[3]);
        AssertAllowsExactly(t, na4);
    }

    [Fact]
    public void At_a_coarser_grain_a_word_or_region_smaller_than_the_grain_cannot_be_encoded()
    {
        // Granularity 1 (8-byte grain): a 4-byte word is not NA4. Granularity 2 (16 bytes): 8 bytes are not NAPOT.
        var eight = new PmpGeometry(16, 1, Clint, 5);
        var sixteen = new PmpGeometry(16, 2, Clint, 5);
        Assert.Equal(-1, PmpEncoder.Cost(eight, [new MemoryRange(0x8000_0000, 4)], default));
        Assert.Equal(-1, PmpEncoder.Cost(sixteen, [new MemoryRange(0x8000_0000, 8)], default));
        Assert.Equal(-1, PmpEncoder.Cost(sixteen, [new MemoryRange(0x8000_0000, 24)], default)); // TOR, off the grain
        Assert.Equal(2, PmpEncoder.Cost(sixteen, [new MemoryRange(0x8000_0000, 16)], default));
        Assert.Equal(3, PmpEncoder.Cost(sixteen, [new MemoryRange(0x8000_0010, 48)], default));
    }
}
