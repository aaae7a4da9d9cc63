using Xunit;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// <see cref="MemoryRange"/>'s helpers decide every memory check of the trusted core (I1's
/// exclusive memory, LoadImage's bounds, S9's reserved regions), on hostile values: each is
/// compared with the same question asked in 128-bit arithmetic, at the first and last byte, one
/// byte outside, at the top of the address space and with sizes and lengths that would wrap.
/// </summary>
public sealed class MemoryRangeTests
{
    private const ulong Max = ulong.MaxValue;

    private static readonly MemoryRange[] Ranges =
    [
        new(0x1000, 0x1000), new(0, 1), new(0, 0), new(0x1000, 0), new(Max, 1), new(Max, 0), new(Max - 0xFFF, 0x1000),
        new(Max - 0xFFF, 0x1001), new(0x2000, Max), new(0, Max), new(1, Max), new(Max - 1, 2), new(0x8000, 0x10),
    ];

    private static UInt128 End(MemoryRange r) => (UInt128)r.Base + r.Size;

    /// <summary>Addresses around every edge of every range.</summary>
    private static IEnumerable<ulong> Addresses() =>
        Ranges.SelectMany(r => new UInt128[] { r.Base, (UInt128)r.Base + 1, End(r), End(r) - 1, End(r) + 1, (UInt128)r.Base - 1 })
            .Where(a => a <= Max).Select(a => (ulong)a).Concat([0UL, Max]).Distinct();

    [Fact]
    public void IsRepresentable_is_true_exactly_when_the_end_fits_in_64_bits()
    {
        foreach (MemoryRange r in Ranges)
        {
            Assert.Equal(End(r) <= Max, r.IsRepresentable);
        }
        Assert.True(new MemoryRange(0x10, Max - 0x10).IsRepresentable);
        Assert.False(new MemoryRange(0x10, Max - 0xF).IsRepresentable);
    }

    [Fact]
    public void Limit_is_the_exclusive_end()
    {
        Assert.Equal(0x2000UL, new MemoryRange(0x1000, 0x1000).Limit);
        Assert.Equal(Max, new MemoryRange(1, Max - 1).Limit);
    }

    [Fact]
    public void Contains_agrees_with_wide_arithmetic_for_every_edge_address()
    {
        foreach (MemoryRange r in Ranges)
        {
            foreach (ulong a in Addresses())
            {
                Assert.Equal(a >= r.Base && a < End(r), r.Contains(a));
            }
        }
    }

    [Fact]
    public void Covers_agrees_with_wide_arithmetic_for_every_edge_address_and_length()
    {
        ulong[] lengths = [0, 1, 2, 0xFFF, 0x1000, 0x1001, Max - 1, Max];
        foreach (MemoryRange r in Ranges.Where(r => r.IsRepresentable))
        {
            foreach (ulong a in Addresses())
            {
                foreach (ulong n in lengths)
                {
                    bool inside = a >= r.Base && (UInt128)a + n <= End(r);
                    Assert.Equal(inside, r.Covers(a, n));
                    Assert.Equal(inside, r.Covers(new MemoryRange(a, n)));
                }
            }
        }
    }

    [Fact]
    public void Overlaps_and_Intersect_agree_with_wide_arithmetic()
    {
        MemoryRange[] representable = [.. Ranges.Where(r => r.IsRepresentable), new(0x1800, 0x1000), new(0x800, 0x800), new(0x1FFF, 1), new(0x2000, 0x10)];
        foreach (MemoryRange a in representable)
        {
            foreach (MemoryRange b in representable)
            {
                UInt128 lo = UInt128.Max(a.Base, b.Base), hi = UInt128.Min(End(a), End(b));
                bool shared = hi > lo;
                Assert.Equal(shared, a.Overlaps(b));
                Assert.Equal(shared ? new MemoryRange((ulong)lo, (ulong)(hi - lo)) : default, a.Intersect(b));
            }
        }
    }

    [Fact]
    public void ToString_shows_the_half_open_interval_in_hex() =>
        Assert.Equal("[0x1000, 0x2800)", new MemoryRange(0x1000, 0x1800).ToString());
}
