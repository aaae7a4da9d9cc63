using System.Collections.Immutable;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Slicevisor.MachineCheckSupport;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// The slicevisor's checks of its machine description (S9: reserved memory and the control
/// slice are fixed by a description it accepted), one limit at a time: each field just inside
/// and just outside its bound, each list missing, empty, at its maximum length and one past it,
/// and the exact <see cref="ConfigError"/> list (field, problem, index, other, value, size) in
/// check order. A description with a problem must also stop the slicevisor being built.
/// </summary>
public sealed class MachineCheckTests
{
    private static ImmutableArray<MemoryRange> Regions(int n, ulong start, ulong step) =>
        [.. Enumerable.Range(0, n).Select(i => new MemoryRange(start + ((ulong)i * step), Granule))];

    [Fact]
    public void S9_the_small_machine_is_usable_positive_control() => Expect(Vary());

    [Theory]
    [InlineData(2)]
    [InlineData(Limits.MaxCores)]
    public void S9_core_counts_inside_the_limit_are_usable(int cores) => Expect(Vary(cores: cores));

    [Fact]
    public void S9_no_cores_is_out_of_range_and_leaves_the_control_core_outside_the_machine() =>
        Expect(Vary(cores: 0),
            E(ConfigField.Cores, ConfigProblem.OutOfRange, value: 0),
            E(ConfigField.ControlCores, ConfigProblem.LeavesNoGuestCore, value: 1),
            E(ConfigField.ControlCores, ConfigProblem.OutOfRange, 0, value: 0));

    [Fact]
    public void S9_a_negative_core_count_is_reported_as_its_twos_complement() =>
        Expect(Vary(cores: -1),
            E(ConfigField.Cores, ConfigProblem.OutOfRange, value: ulong.MaxValue),
            E(ConfigField.ControlCores, ConfigProblem.LeavesNoGuestCore, value: 1),
            E(ConfigField.ControlCores, ConfigProblem.OutOfRange, 0, value: 0));

    [Fact]
    public void S9_one_core_past_the_limit_is_refused_and_its_extra_cores_are_checked_without_overrunning() =>
        // Core 1024 exists on a 1025-core machine but lies past what the duplicate check tracks: no error, no crash.
        Expect(Vary(cores: Limits.MaxCores + 1, control: [Limits.MaxCores, Limits.MaxCores]),
            E(ConfigField.Cores, ConfigProblem.OutOfRange, value: Limits.MaxCores + 1));

    [Fact]
    public void S9_one_core_is_all_control_and_leaves_no_guest_core() =>
        Expect(Vary(cores: 1), E(ConfigField.ControlCores, ConfigProblem.LeavesNoGuestCore, value: 1));

    [Fact]
    public void S9_control_cores_leaving_exactly_one_guest_core_are_usable() => Expect(Vary(control: [0, 1, 2]));

    [Fact]
    public void S9_control_cores_naming_every_core_leave_no_guest_core() =>
        Expect(Vary(control: [0, 1, 2, 3]), E(ConfigField.ControlCores, ConfigProblem.LeavesNoGuestCore, value: 4));

    [Fact]
    public void S9_missing_or_empty_control_cores_are_a_bad_length() =>
        Assert.All(new MachineConfig[] { Vary(control: ImmutableArray<int>.Empty), Vary(control: default(ImmutableArray<int>)) },
            c => Expect(c, E(ConfigField.ControlCores, ConfigProblem.BadLength, value: 0)));

    [Fact]
    public void S9_as_many_control_cores_as_the_limit_are_checked_and_one_more_is_a_bad_length()
    {
        Expect(Vary(cores: Limits.MaxCores, control: [.. Enumerable.Range(0, Limits.MaxCores)]),
            E(ConfigField.ControlCores, ConfigProblem.LeavesNoGuestCore, value: Limits.MaxCores));
        Expect(Vary(cores: Limits.MaxCores, control: [.. Enumerable.Range(0, Limits.MaxCores + 1)]),
            E(ConfigField.ControlCores, ConfigProblem.BadLength, value: Limits.MaxCores + 1));
    }

    [Fact]
    public void S9_control_cores_outside_the_machine_and_repeated_ones_are_named_by_index() =>
        Expect(Vary(cores: 8, control: [-1, 8, 7, 1, 7, 1]),
            E(ConfigField.ControlCores, ConfigProblem.OutOfRange, 0, value: ulong.MaxValue),
            E(ConfigField.ControlCores, ConfigProblem.OutOfRange, 1, value: 8),
            E(ConfigField.ControlCores, ConfigProblem.Duplicate, 4, value: 7),
            E(ConfigField.ControlCores, ConfigProblem.Duplicate, 5, value: 1));

    [Theory]
    [InlineData(0UL)]
    [InlineData(2048UL)]
    [InlineData(Granule - 1)]
    [InlineData(3 * Granule)]
    public void S9_a_granule_below_4KiB_or_not_a_power_of_two_is_refused(ulong granule)
    {
        // The regions stay aligned to 4 KiB multiples of 3 * 4 KiB where they must be, so only the granule is wrong
        // (a granule that is no power of two checks no alignment at all).
        MemoryRange[] ram = [new MemoryRange(0, 48 * MiB)];
        MachineConfig c = Vary(ram: [.. ram], reserved: [new NamedRegion("r", new MemoryRange(0, 3 * MiB))], controlMemory: [new MemoryRange(3 * MiB, 3 * MiB)], granule: granule);
        Assert.Equal(E(ConfigField.Granule, ConfigProblem.NotPowerOfTwo, value: granule), c.Check()[0]);
        Assert.Single(c.Check());
    }

    [Fact]
    public void S9_a_granule_of_8KiB_is_usable_and_checks_alignment_at_8KiB() =>
        Expect(Vary(granule: 2 * Granule, controlMemory: [new MemoryRange(1 * MiB, 1 * MiB), new MemoryRange(4 * MiB, Granule)]),
            E(ConfigField.ControlMemory, ConfigProblem.Unaligned, 1, value: 4 * MiB, size: Granule));

    [Fact]
    public void S9_ram_that_is_missing_empty_or_longer_than_the_limit_is_a_bad_length()
    {
        // With RAM unusable, control memory is not checked against it (nothing to be inside).
        Expect(Vary(ram: default(ImmutableArray<MemoryRange>)), E(ConfigField.Ram, ConfigProblem.BadLength, value: 0));
        Expect(Vary(ram: ImmutableArray<MemoryRange>.Empty), E(ConfigField.Ram, ConfigProblem.BadLength, value: 0),
            E(ConfigField.ControlMemory, ConfigProblem.OutsideRam, 0, value: 1 * MiB, size: 1 * MiB));
        Expect(Vary(ram: Regions(Limits.MaxRegions + 1, 0, 2 * Granule)), E(ConfigField.Ram, ConfigProblem.BadLength, value: Limits.MaxRegions + 1));
    }

    [Fact]
    public void S9_ram_of_exactly_the_limit_of_regions_is_usable() =>
        Expect(Vary(ram: [.. SmallRam, .. Regions(Limits.MaxRegions - 2, 64 * MiB, 2 * Granule)]));

    [Fact]
    public void S9_control_memory_may_be_empty_but_not_longer_than_the_limit()
    {
        Expect(Vary(controlMemory: ImmutableArray<MemoryRange>.Empty));
        Expect(Vary(controlMemory: default(ImmutableArray<MemoryRange>)), E(ConfigField.ControlMemory, ConfigProblem.BadLength, value: 0));
        Expect(Vary(controlMemory: Regions(Limits.MaxRegions, 2 * MiB, Granule)));
        Expect(Vary(controlMemory: Regions(Limits.MaxRegions + 1, 2 * MiB, Granule)),
            E(ConfigField.ControlMemory, ConfigProblem.BadLength, value: Limits.MaxRegions + 1));
    }

    [Fact]
    public void S9_reserved_regions_may_be_empty_but_not_missing_longer_than_the_limit_or_hold_a_null()
    {
        Expect(Vary(reserved: ImmutableArray<NamedRegion>.Empty));
        Expect(Vary(reserved: default(ImmutableArray<NamedRegion>)), E(ConfigField.Reserved, ConfigProblem.BadLength, value: 0));
        NamedRegion r = new("r", new MemoryRange(0, Granule));
        Expect(Vary(reserved: [.. Enumerable.Range(0, Limits.MaxRegions).Select(i => new NamedRegion("r", new MemoryRange((ulong)i * Granule, Granule)))]));
        Expect(Vary(reserved: [.. Enumerable.Repeat(r, Limits.MaxRegions + 1)]), E(ConfigField.Reserved, ConfigProblem.BadLength, value: Limits.MaxRegions + 1));
        Expect(Vary(reserved: [r, null!, null!]), E(ConfigField.Reserved, ConfigProblem.MissingEntry, 1));
        Expect(Vary(reserved: [null!]), E(ConfigField.Reserved, ConfigProblem.MissingEntry, 0));
    }

    // The highest granule-aligned limit a region can have: 2^64 - 4 KiB (a region cannot end at 2^64).
    private const ulong Top = ulong.MaxValue - Granule + 1;

    // A region that starts two granules below 2^64 and is three long wraps round to end at 4 KiB.
    private static readonly MemoryRange Wrapping = new(Top - Granule, 3 * Granule);

    [Fact]
    public void S9_empty_and_wrapping_regions_are_named_and_not_checked_further() =>
        Expect(Vary(ram: [new MemoryRange(0, 48 * MiB), new MemoryRange(64 * MiB, 0), new MemoryRange(Top, Granule), new MemoryRange(Top - Granule, Granule)]),
            E(ConfigField.Ram, ConfigProblem.EmptyOrWraps, 1, value: 64 * MiB, size: 0),
            E(ConfigField.Ram, ConfigProblem.EmptyOrWraps, 2, value: Top, size: Granule));

    [Fact]
    public void S9_a_region_after_a_wrapping_one_is_not_compared_with_it() =>
        // Taken as wrapped, the first region would be [2^64 - 8K, 2^64) and [0, 4K), which the second overlaps.
        Expect(Vary(ram: [Wrapping, new MemoryRange(0, Top)]),
            E(ConfigField.Ram, ConfigProblem.EmptyOrWraps, 0, value: Wrapping.Base, size: Wrapping.Size));

    [Fact]
    public void S9_a_wrapping_reserved_or_control_region_is_not_compared_with_the_other_list()
    {
        Expect(Vary(ram: [new MemoryRange(0, Top)], reserved: [new NamedRegion("r", Wrapping)], controlMemory: [new MemoryRange(0, Top)]),
            E(ConfigField.Reserved, ConfigProblem.EmptyOrWraps, 0, value: Wrapping.Base, size: Wrapping.Size));
        Expect(Vary(ram: [new MemoryRange(0, Top)], reserved: [new NamedRegion("r", new MemoryRange(0, Top))], controlMemory: [Wrapping]),
            E(ConfigField.ControlMemory, ConfigProblem.EmptyOrWraps, 0, value: Wrapping.Base, size: Wrapping.Size));
    }

    [Fact]
    public void S9_unaligned_regions_are_named_by_base_and_by_size() =>
        Expect(Vary(controlMemory: [new MemoryRange(1 * MiB, 1 * MiB), new MemoryRange((4 * MiB) + 512, Granule), new MemoryRange(6 * MiB, Granule + 1)]),
            E(ConfigField.ControlMemory, ConfigProblem.Unaligned, 1, value: (4 * MiB) + 512, size: Granule),
            E(ConfigField.ControlMemory, ConfigProblem.Unaligned, 2, value: 6 * MiB, size: Granule + 1));

    [Fact]
    public void S9_control_memory_must_lie_inside_one_RAM_region_not_across_two_or_past_the_end()
    {
        // Two adjacent RAM regions: a range over their seam is in RAM, but in no one region.
        MachineConfig c = Vary(
            ram: [new MemoryRange(0, 16 * MiB), new MemoryRange(16 * MiB, 16 * MiB)],
            controlMemory: [new MemoryRange(1 * MiB, 1 * MiB), new MemoryRange((16 * MiB) - Granule, 2 * Granule), new MemoryRange((32 * MiB) - Granule, 2 * Granule), new MemoryRange(16 * MiB, 16 * MiB)]);
        Expect(c,
            E(ConfigField.ControlMemory, ConfigProblem.OutsideRam, 1, value: (16 * MiB) - Granule, size: 2 * Granule),
            E(ConfigField.ControlMemory, ConfigProblem.OutsideRam, 2, value: (32 * MiB) - Granule, size: 2 * Granule),
            // The whole second region is inside RAM; it overlaps the two ranges that stick into it.
            E(ConfigField.ControlMemory, ConfigProblem.OverlapsEarlier, 3, 1, 16 * MiB, 16 * MiB),
            E(ConfigField.ControlMemory, ConfigProblem.OverlapsEarlier, 3, 2, 16 * MiB, 16 * MiB));
    }

    [Fact]
    public void S9_reserved_and_ram_regions_need_not_lie_inside_RAM() =>
        Expect(Vary(reserved: [new NamedRegion("r", new MemoryRange(0, 1 * MiB)), new NamedRegion("mmio", new MemoryRange(1UL << 40, Granule))]));

    [Fact]
    public void S9_overlapping_regions_name_the_earlier_one_and_touching_ones_do_not_overlap() =>
        Expect(Vary(controlMemory: [new MemoryRange(2 * MiB, 1 * MiB), new MemoryRange(3 * MiB, 1 * MiB), new MemoryRange((3 * MiB) - Granule, 2 * Granule), new MemoryRange(8 * MiB, Granule)]),
            E(ConfigField.ControlMemory, ConfigProblem.OverlapsEarlier, 2, 0, (3 * MiB) - Granule, 2 * Granule),
            E(ConfigField.ControlMemory, ConfigProblem.OverlapsEarlier, 2, 1, (3 * MiB) - Granule, 2 * Granule));

    [Fact]
    public void S9_reserved_memory_overlapping_control_memory_names_both() =>
        Expect(Vary(reserved: [new NamedRegion("a", new MemoryRange(0, 1 * MiB)), new NamedRegion("b", new MemoryRange((2 * MiB) - Granule, 2 * Granule))],
                controlMemory: [new MemoryRange(1 * MiB, 1 * MiB), new MemoryRange(2 * MiB, 1 * MiB)]),
            E(ConfigField.Reserved, ConfigProblem.OverlapsControlMemory, 1, 0, (2 * MiB) - Granule, 2 * Granule),
            E(ConfigField.Reserved, ConfigProblem.OverlapsControlMemory, 1, 1, (2 * MiB) - Granule, 2 * Granule));

    [Theory]
    [InlineData(0)]
    [InlineData(Limits.MaxDevices)]
    public void S9_device_counts_inside_the_limit_are_usable(int devices) => Expect(Vary(devices: devices));

    [Theory]
    [InlineData(-1, ulong.MaxValue)]
    [InlineData(Limits.MaxDevices + 1, Limits.MaxDevices + 1UL)]
    public void S9_device_counts_outside_the_limit_are_refused(int devices, ulong value) =>
        Expect(Vary(devices: devices), E(ConfigField.Devices, ConfigProblem.OutOfRange, value: value));

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(-1, ulong.MaxValue)]
    [InlineData(Limits.MaxCacheWays + 1, Limits.MaxCacheWays + 1UL)]
    public void S9_cache_way_counts_outside_the_limit_are_refused_without_checking_the_control_ways(int ways, ulong value) =>
        Expect(Vary(ways: ways, controlWays: ulong.MaxValue), E(ConfigField.CacheWays, ConfigProblem.OutOfRange, value: value));

    [Theory]
    [InlineData(1, 0UL)]
    [InlineData(2, 0b01UL)]
    [InlineData(63, (1UL << 62) | 1)]
    [InlineData(64, ulong.MaxValue >> 1)]
    [InlineData(64, 1UL << 63)]
    public void S9_control_ways_inside_the_machine_and_short_of_every_way_are_usable(int ways, ulong controlWays) =>
        Expect(Vary(ways: ways, controlWays: controlWays));

    [Theory]
    [InlineData(1, 0b10UL)]
    [InlineData(4, 0b1_0001UL)]
    [InlineData(63, 1UL << 63)]
    public void S9_control_ways_beyond_the_machine_are_refused(int ways, ulong controlWays) =>
        Expect(Vary(ways: ways, controlWays: controlWays), E(ConfigField.ControlWays, ConfigProblem.WaysBeyondMachine, value: controlWays));

    [Theory]
    [InlineData(1, 0b1UL)]
    [InlineData(4, 0b1111UL)]
    [InlineData(63, ulong.MaxValue >> 1)]
    [InlineData(64, ulong.MaxValue)]
    public void S9_control_ways_holding_every_way_leave_none_for_guests(int ways, ulong controlWays) =>
        Expect(Vary(ways: ways, controlWays: controlWays), E(ConfigField.ControlWays, ConfigProblem.HoldsEveryWay, value: controlWays));

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(-1, ulong.MaxValue)]
    [InlineData(Limits.MaxRangeRegisters + 1, Limits.MaxRangeRegisters + 1UL)]
    public void S9_range_register_counts_outside_the_limit_are_refused(int registers, ulong value) =>
        Expect(Vary(registers: registers), E(ConfigField.RangeRegisters, ConfigProblem.OutOfRange, value: value));

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(-1, ulong.MaxValue)]
    [InlineData(Limits.MaxSlots + 1, Limits.MaxSlots + 1UL)]
    public void S9_slot_counts_outside_the_limit_are_refused(int slots, ulong value) =>
        Expect(Vary(slots: slots), E(ConfigField.Slots, ConfigProblem.OutOfRange, value: value));

    [Fact]
    public void S9_the_largest_tables_are_usable() =>
        Expect(Vary(registers: Limits.MaxRangeRegisters, slots: Limits.MaxSlots));

    [Fact]
    public void S9_every_problem_is_listed_in_check_order() =>
        Assert.Equal(
            [ConfigField.Cores, ConfigField.ControlCores, ConfigField.Granule, ConfigField.Ram, ConfigField.Devices,
             ConfigField.CacheWays, ConfigField.RangeRegisters, ConfigField.Slots],
            Vary(cores: 0, control: [], ram: [], controlMemory: [], devices: -1, ways: 0, registers: 0, slots: 0, granule: 1)
                .Check().Select(e => e.Field));

    [Theory]
    [InlineData(1, 0b1UL)]
    [InlineData(12, 0xFFFUL)]
    [InlineData(63, ulong.MaxValue >> 1)]
    [InlineData(64, ulong.MaxValue)]
    public void The_published_way_mask_has_one_bit_per_way(int ways, ulong mask) =>
        Assert.Equal(mask, Vary(ways: ways).AllWaysMask);
}
