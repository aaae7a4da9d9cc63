using System.Collections.Immutable;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Slicevisor.MachineCheckSupport;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// S9, the machine-description checks at the edges <see cref="MachineCheckTests"/> leaves out: the
/// smallest usable register and slot counts, the first of several missing reserved entries, a granule
/// that is no power of two (then alignment is not judged at all), control memory checked against a
/// RAM list of exactly the maximum length, and the name a reserved region is published with when it
/// was given none. Each asserts the exact <see cref="ConfigError"/> list in check order.
/// </summary>
public sealed class MachineCheckEdgeTests
{
    [Fact]
    public void S9_one_range_register_and_one_slot_are_the_smallest_usable_tables() =>
        Expect(Vary(registers: 1, slots: 1));

    [Fact]
    public void S9_of_several_missing_reserved_entries_the_first_is_named_even_at_index_0()
    {
        NamedRegion r = new("r", new MemoryRange(0, Granule));
        Expect(Vary(reserved: [null!, r, null!]), E(ConfigField.Reserved, ConfigProblem.MissingEntry, 0));
        Expect(Vary(reserved: [null!, null!]), E(ConfigField.Reserved, ConfigProblem.MissingEntry, 0));
    }

    [Fact]
    public void S9_a_granule_that_is_no_power_of_two_is_the_only_problem_even_with_regions_off_every_multiple_of_it()
    {
        // 12 KiB: 4 KiB past 1 MiB is not a multiple of it, nor of anything the description could mean;
        // with no usable granule there is no alignment to judge, so only the granule is reported.
        ulong granule = 3 * Granule;
        Expect(Vary(granule: granule, controlMemory: [new MemoryRange((1 * MiB) + Granule, Granule)]),
            E(ConfigField.Granule, ConfigProblem.NotPowerOfTwo, value: granule));
    }

    [Fact]
    public void S9_control_memory_outside_a_RAM_list_of_exactly_the_maximum_length_is_outside_RAM()
    {
        ImmutableArray<MemoryRange> ram = [.. SmallRam, .. Enumerable.Range(0, Limits.MaxRegions - 2).Select(i => new MemoryRange((64 * MiB) + ((ulong)i * 2 * Granule), Granule))];
        Assert.Equal(Limits.MaxRegions, ram.Length);
        // 20 MiB lies in the gap between the two small regions.
        Expect(Vary(ram: ram, controlMemory: [new MemoryRange(1 * MiB, 1 * MiB), new MemoryRange(20 * MiB, Granule)]),
            E(ConfigField.ControlMemory, ConfigProblem.OutsideRam, 1, value: 20 * MiB, size: Granule));
    }

    [Fact]
    public void S9_a_reserved_region_given_no_name_is_published_with_an_empty_name()
    {
        MachineConfig config = Vary(reserved: [new NamedRegion(null!, new MemoryRange(0, 1 * MiB)), new NamedRegion("fw", new MemoryRange(2 * MiB, 1 * MiB))]);
        Assert.Empty(config.Check());
        using var visor = new Slicevisor<SimulatedHardwarePort>(config, new SimulatedMachine(Small()).OpenPrivilegedPort());
        Assert.Equal([string.Empty, "fw"], visor.Config.ReservedRegions.Select(r => r.Name));
        Assert.Equal([new MemoryRange(0, 1 * MiB), new MemoryRange(2 * MiB, 1 * MiB)], visor.Config.ReservedRegions.Select(r => r.Range));
    }
}
