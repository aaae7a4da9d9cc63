using CoreSlice.Hardware.Pmp;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// Each limit of a PMP geometry just inside and just outside, with the exact <see cref="ConfigError"/>
/// (field, problem, no index, the value and size that are wrong): an unusable geometry must stop
/// the slicevisor before any hart is fenced with it (S4: one hart's msip word, I2: the filters).
/// </summary>
public sealed class PmpGeometryLimitTests
{
    private const ulong Clint = 0x0200_0000;

    private static ConfigError E(ConfigField field, ConfigProblem problem, ulong value, ulong size = 0) => new(field, problem, -1, -1, value, size);

    [Theory]
    [InlineData(2)]
    [InlineData(PmpGeometry.MaxEntries)]
    public void Entry_counts_inside_the_limits_are_usable(int entries) =>
        Assert.Null(new PmpGeometry(entries, 0, Clint, 5).Problem(4096, 5));

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(PmpGeometry.MaxEntries + 1)]
    public void Entry_counts_outside_the_limits_are_refused(int entries) =>
        Assert.Equal(E(ConfigField.PmpEntries, ConfigProblem.OutOfRange, (ulong)entries), new PmpGeometry(entries, 0, Clint, 5).Problem(4096, 5));

    [Theory]
    [InlineData(1, 1UL)]
    [InlineData(-1, ulong.MaxValue)]
    public void Any_granularity_but_0_is_too_coarse_for_one_msip_word(int g, ulong value) =>
        Assert.Equal(E(ConfigField.PmpGranularity, ConfigProblem.PmpGrainTooCoarse, value), new PmpGeometry(16, g, Clint, 5).Problem(4096, 5));

    [Theory]
    [InlineData(4UL, true)]
    [InlineData(8UL, true)]
    [InlineData(2UL, false)]
    [InlineData(12UL, false)]
    public void The_granule_must_be_a_power_of_two_multiple_of_the_4_byte_grain(ulong granule, bool usable) =>
        Assert.Equal(usable ? null : E(ConfigField.Granule, ConfigProblem.GranuleFinerThanPmpGrain, granule, 4),
            new PmpGeometry(16, 0, Clint, 5).Problem(granule, 5));

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(-1, ulong.MaxValue)]
    [InlineData(Limits.MaxCores + 1, Limits.MaxCores + 1UL)]
    public void Hart_counts_outside_the_limits_are_refused(int harts, ulong value) =>
        Assert.Equal(E(ConfigField.PmpHarts, ConfigProblem.OutOfRange, value), new PmpGeometry(16, 0, Clint, harts).Problem(4096, harts));

    [Theory]
    [InlineData(1)]
    [InlineData(Limits.MaxCores)]
    public void Hart_counts_inside_the_limits_are_usable_when_they_match_the_cores(int harts)
    {
        Assert.Null(new PmpGeometry(16, 0, Clint, harts).Problem(4096, harts));
        Assert.Equal(E(ConfigField.PmpHarts, ConfigProblem.HartsDifferFromCores, (ulong)harts, (ulong)harts + 1),
            new PmpGeometry(16, 0, Clint, harts).Problem(4096, harts + 1));
    }

    [Theory]
    [InlineData(Clint + 1)]
    [InlineData(Clint + 2)]
    [InlineData(Clint + 3)]
    public void An_msip_base_off_a_word_is_unaligned(ulong clint) =>
        Assert.Equal(E(ConfigField.PmpClint, ConfigProblem.Unaligned, clint, 20), new PmpGeometry(16, 0, clint, 5).Problem(4096, 5));

    [Fact]
    public void The_msip_words_may_end_exactly_at_the_top_of_the_address_space_less_one_word_but_not_wrap()
    {
        ulong lastFit = ulong.MaxValue - 20 + 1 - 4; // words [lastFit, lastFit + 20) end one word below 2^64
        Assert.Null(new PmpGeometry(16, 0, lastFit, 5).Problem(4096, 5));
        ulong wraps = lastFit + 4; // would end at 2^64
        Assert.Equal(E(ConfigField.PmpClint, ConfigProblem.EmptyOrWraps, wraps, 20), new PmpGeometry(16, 0, wraps, 5).Problem(4096, 5));
    }

    [Fact]
    public void The_first_problem_in_check_order_is_the_one_reported() =>
        Assert.Equal(ConfigField.PmpEntries, new PmpGeometry(1, 1, Clint + 1, 0).Problem(2, 7)!.Value.Field);
}
