using System.Collections.Immutable;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// What the machine-description check tests share: a small usable description with chosen fields
/// replaced, and the assertion that the check finds exactly the expected problems and that the
/// slicevisor refuses the description with them (or starts on it when there are none).
/// </summary>
internal static class MachineCheckSupport
{
    public static readonly MemoryRange[] SmallRam = [new MemoryRange(0, 16 * MiB), new MemoryRange(32 * MiB, 16 * MiB)];

    /// <summary><see cref="Small"/>-like description with the fields given replaced.</summary>
    public static MachineConfig Vary(
        int cores = 4, ImmutableArray<int>? control = null, ImmutableArray<MemoryRange>? ram = null,
        ImmutableArray<NamedRegion>? reserved = null, ImmutableArray<MemoryRange>? controlMemory = null,
        int devices = 4, int ways = 4, ulong controlWays = 0b1, int registers = 2, ulong granule = Granule, int slots = 3) => new()
        {
            CoreCount = cores,
            ControlCores = control ?? [0],
            RamRegions = ram ?? [.. SmallRam],
            ReservedRegions = reserved ?? [new NamedRegion("slicevisor", new MemoryRange(0, 1 * MiB))],
            ControlMemory = controlMemory ?? [new MemoryRange(1 * MiB, 1 * MiB)],
            DeviceCount = devices, CacheWays = ways, ControlWays = controlWays, RangeRegistersPerCore = registers,
            GranuleSize = granule, SlotCapacity = slots,
        };

    public static ConfigError E(ConfigField field, ConfigProblem problem, int index = -1, int other = -1, ulong value = 0, ulong size = 0) =>
        new(field, problem, index, other, value, size);

    /// <summary>Asserts the exact problems, and that the slicevisor refuses (problems) or accepts (none) the description.</summary>
    public static void Expect(MachineConfig config, params ConfigError[] expected)
    {
        Assert.Equal(expected, config.Check());
        if (expected.Length == 0)
        {
            using var visor = new Slicevisor<SimulatedHardwarePort>(config, new SimulatedMachine(Small()).OpenPrivilegedPort());
            Assert.Equal(config.CoreCount, visor.Config.CoreCount);
            Assert.Equal(config.RangeRegistersPerCore, visor.Config.RangeRegistersPerCore);
            Assert.Equal(config.SlotCapacity, visor.Config.SlotCapacity);
            return;
        }
        MachineConfigException e = Assert.Throws<MachineConfigException>(() => new Slicevisor<SimulatedHardwarePort>(config, new SimulatedMachine(Small()).OpenPrivilegedPort()));
        Assert.Equal(expected, e.Errors);
        Assert.Equal("config", e.ParamName);
        Assert.StartsWith("unusable machine description", e.Message, StringComparison.Ordinal);
    }
}
