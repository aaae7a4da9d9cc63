using System.Collections.Immutable;
using System.Runtime.InteropServices;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// The machine description is hostile too: the slicevisor copies it at construction and
/// never reads the caller's storage again. A caller that keeps the arrays behind its
/// description (an ImmutableArray can be built over a caller's array without a copy), or
/// reaches the arrays behind the published <c>Config</c>, and rewrites them all, changes
/// no decision (S9, I1).
/// </summary>
public class FrozenConfigTests
{
    private sealed class Held
    {
        public int[] ControlCores = [0];
        public MemoryRange[] Ram = [new MemoryRange(0, 16 * MiB), new MemoryRange(32 * MiB, 16 * MiB)];
        public NamedRegion[] Reserved = [new NamedRegion("slicevisor", new MemoryRange(0, 1 * MiB))];
        public MemoryRange[] Control = [new MemoryRange(1 * MiB, 1 * MiB)];

        public MachineConfig Config() => new()
        {
            CoreCount = 4,
            ControlCores = ImmutableCollectionsMarshal.AsImmutableArray(ControlCores),
            RamRegions = ImmutableCollectionsMarshal.AsImmutableArray(Ram),
            ReservedRegions = ImmutableCollectionsMarshal.AsImmutableArray(Reserved),
            ControlMemory = ImmutableCollectionsMarshal.AsImmutableArray(Control),
            DeviceCount = 4, CacheWays = 4, ControlWays = 0b1, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3,
        };
    }

    /// <summary>Rewrites every element of every list: core 0 looks free, reserved and control memory move away, RAM grows.</summary>
    private static void RewriteAll(Span<int> cores, Span<MemoryRange> ram, Span<NamedRegion> reserved, Span<MemoryRange> control)
    {
        cores.Fill(3);
        ram.Fill(new MemoryRange(0, 1UL << 40));
        reserved.Fill(new NamedRegion("moved", new MemoryRange(1UL << 39, Granule)));
        control.Fill(new MemoryRange((1UL << 39) + Granule, Granule));
    }

    private static SliceRequest Request(int core, ulong @base, ulong size = 64 * KiB) => new()
    {
        Cores = new[] { core }, Ranges = new[] { new MemoryRange(@base, size) }, Devices = Array.Empty<int>(), Ways = 0b10, EntryPoint = @base,
    };

    /// <summary>What a slicevisor decides about requests aimed at everything the rewrite would open up.</summary>
    private static string Decisions(Slicevisor<SimulatedHardwarePort> visor)
    {
        var seen = new List<string>();
        foreach (SliceRequest r in new[]
        {
            Request(0, 4 * MiB),              // the control core
            Request(1, 0),                    // the slicevisor's reserved memory
            Request(1, 1 * MiB),              // the control slice's memory
            Request(1, 20 * MiB),             // not RAM (between the two regions)
            Request(1, 1UL << 39),            // where the rewrite put "reserved"
        })
        {
            SliceResult result = visor.CreateSlice(r);
            seen.Add($"{result.Error}/{result.Subject}/{result.Holder}");
        }
        seen.Add($"owner(0)={visor.Table.MemoryOwner(0)} owner(1M)={visor.Table.MemoryOwner(1 * MiB)} owner(20M)={visor.Table.MemoryOwner(20 * MiB)} core0={visor.Table.CoreOwner(0)}");
        return string.Join("; ", seen);
    }

    private static Slicevisor<SimulatedHardwarePort> Build(MachineConfig config) =>
        new(config, new SimulatedMachine(Small()).OpenPrivilegedPort());

    [Fact]
    public void S9_a_caller_that_rewrites_the_arrays_it_handed_in_changes_no_decision()
    {
        using Slicevisor<SimulatedHardwarePort> pristine = Build(Small());
        string expected = Decisions(pristine);
        Assert.Contains("CoreReservedForControl", expected, StringComparison.Ordinal);
        Assert.Contains("RangeOverlapsReserved", expected, StringComparison.Ordinal);
        Assert.Contains("RangeOverlapsControl", expected, StringComparison.Ordinal);
        Assert.Contains("RangeOutsideRam", expected, StringComparison.Ordinal);

        var held = new Held();
        using Slicevisor<SimulatedHardwarePort> visor = Build(held.Config());
        RewriteAll(held.ControlCores, held.Ram, held.Reserved, held.Control);
        Assert.Equal(expected, Decisions(visor));
    }

    [Fact]
    public void The_rewrite_would_have_opened_the_reserved_and_control_memory_to_a_slicevisor_that_kept_the_arrays()
    {
        // The check has teeth: a slicevisor built from the rewritten description decides differently.
        var held = new Held();
        RewriteAll(held.ControlCores, held.Ram, held.Reserved, held.Control);
        held.ControlCores[0] = 0; // keep it a usable description: one control core, disjoint RAM regions
        held.Ram[1] = new MemoryRange(1UL << 41, Granule);
        using Slicevisor<SimulatedHardwarePort> rewritten = Build(held.Config());
        using Slicevisor<SimulatedHardwarePort> pristine = Build(Small());
        Assert.NotEqual(Decisions(pristine), Decisions(rewritten));
    }

    [Fact]
    public void S9_rewriting_the_arrays_behind_the_published_Config_changes_no_decision()
    {
        using Slicevisor<SimulatedHardwarePort> pristine = Build(Small());
        string expected = Decisions(pristine);
        using Slicevisor<SimulatedHardwarePort> visor = Build(Small());
        MachineConfig published = visor.Config;
        RewriteAll(
            ImmutableCollectionsMarshal.AsArray(published.ControlCores),
            ImmutableCollectionsMarshal.AsArray(published.RamRegions),
            ImmutableCollectionsMarshal.AsArray(published.ReservedRegions),
            ImmutableCollectionsMarshal.AsArray(published.ControlMemory));
        Assert.Equal(expected, Decisions(visor));
        Assert.NotSame(published, Build(Small()).Config);
    }

    [Fact]
    public void The_published_Config_equals_the_description_given()
    {
        MachineConfig given = Small();
        using Slicevisor<SimulatedHardwarePort> visor = Build(given);
        MachineConfig c = visor.Config;
        Assert.NotSame(given, c);
        Assert.Equal(given.ControlCores.AsEnumerable(), c.ControlCores.AsEnumerable());
        Assert.Equal(given.RamRegions.AsEnumerable(), c.RamRegions.AsEnumerable());
        Assert.Equal(given.ReservedRegions.AsEnumerable(), c.ReservedRegions.AsEnumerable());
        Assert.Equal(given.ControlMemory.AsEnumerable(), c.ControlMemory.AsEnumerable());
        Assert.Equal((given.CoreCount, given.DeviceCount, given.CacheWays, given.ControlWays, given.RangeRegistersPerCore, given.GranuleSize, given.SlotCapacity),
            (c.CoreCount, c.DeviceCount, c.CacheWays, c.ControlWays, c.RangeRegistersPerCore, c.GranuleSize, c.SlotCapacity));
    }

    [Fact]
    public void A_description_with_missing_null_or_oversized_lists_is_refused_with_closed_errors()
    {
        MachineConfig good = Small();
        MachineConfig[] broken =
        [
            new() { CoreCount = 4, ControlCores = default, RamRegions = good.RamRegions, ReservedRegions = good.ReservedRegions, ControlMemory = good.ControlMemory, DeviceCount = 4, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3 },
            new() { CoreCount = 4, ControlCores = good.ControlCores, RamRegions = default, ReservedRegions = good.ReservedRegions, ControlMemory = good.ControlMemory, DeviceCount = 4, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3 },
            new() { CoreCount = 4, ControlCores = good.ControlCores, RamRegions = good.RamRegions, ReservedRegions = [null!], ControlMemory = good.ControlMemory, DeviceCount = 4, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3 },
            new() { CoreCount = 4, ControlCores = [.. new int[Limits.MaxCores + 1]], RamRegions = good.RamRegions, ReservedRegions = good.ReservedRegions, ControlMemory = good.ControlMemory, DeviceCount = 4, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3 },
            new() { CoreCount = 4, ControlCores = good.ControlCores, RamRegions = good.RamRegions, ReservedRegions = good.ReservedRegions, ControlMemory = [.. new MemoryRange[Limits.MaxRegions + 1]], DeviceCount = 4, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3 },
        ];
        ConfigField[] fields = [ConfigField.ControlCores, ConfigField.Ram, ConfigField.Reserved, ConfigField.ControlCores, ConfigField.ControlMemory];
        for (int i = 0; i < broken.Length; i++)
        {
            MachineConfigException e = Assert.Throws<MachineConfigException>(() => new Slicevisor<SimulatedHardwarePort>(broken[i], new SimulatedMachine(good).OpenPrivilegedPort()));
            Assert.Equal(fields[i], e.Errors[0].Field);
            Assert.Equal(broken[i].Check(), e.Errors);
            Assert.All(broken[i].Problems(), p => Assert.False(string.IsNullOrWhiteSpace(p)));
        }
    }

    [Fact]
    public void Config_errors_are_values_naming_the_field_index_and_value()
    {
        MachineConfig c = Small();
        MachineConfig bad = new()
        {
            CoreCount = 4, ControlCores = [0, 0], RamRegions = c.RamRegions, ReservedRegions = c.ReservedRegions,
            ControlMemory = [new MemoryRange(1 * MiB, 1 * MiB), new MemoryRange(100 * MiB, Granule)],
            DeviceCount = 4, CacheWays = 4, ControlWays = 0b1_0000, RangeRegistersPerCore = 2, GranuleSize = Granule, SlotCapacity = 3,
        };
        Assert.Equal(
            [
                new ConfigError(ConfigField.ControlCores, ConfigProblem.Duplicate, 1, -1, 0, 0),
                new ConfigError(ConfigField.ControlMemory, ConfigProblem.OutsideRam, 1, -1, 100 * MiB, Granule),
                new ConfigError(ConfigField.ControlWays, ConfigProblem.WaysBeyondMachine, -1, -1, 0b1_0000, 0),
            ],
            bad.Check());
        Assert.Equal(
            ["controlCores[1]: core 0 is listed twice: expected each core once",
             "controlMemory[1]: [0x640_0000, 0x640_1000): expected a region inside one RAM region",
             "controlWays: mask 0x10: expected ways 0..3 only (the machine has 4)"],
            bad.Problems());
    }
}
