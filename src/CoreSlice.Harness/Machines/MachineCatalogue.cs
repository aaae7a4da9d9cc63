using CoreSlice.Simulation;

namespace CoreSlice.Harness.Machines;

/// <summary>
/// The machines the tools and tests share, written once: the simulation's built-in default,
/// the small two-region board that conformance and the model-based tests use, and the tiny
/// machine whose tables fill quickly. The model checker builds its own from a scope
/// (<see cref="ModelCheck.ModelCheckScope.Machine"/>), since its size is an option.
/// </summary>
public static class MachineCatalogue
{
    private const ulong KiB = 1024, MiB = 1024 * KiB;

    /// <summary>The built-in default (16 cores, 4 GiB RAM; see <see cref="MachineDescription.Default"/>).</summary>
    public static MachineConfig Default => MachineDescription.Default;

    /// <summary>
    /// 4 cores (core 0 control), 3 slots, <paramref name="devices"/> devices, 4 ways (way 0 control),
    /// 2 range registers, 4 KiB granules; RAM [0,16M) and [32M,48M) so a range can straddle a hole;
    /// reserved [0,1M), control memory [1M,2M).
    /// </summary>
    public static MachineConfig Small(int devices = 4) => new()
    {
        CoreCount = 4,
        ControlCores = [0],
        RamRegions = [new MemoryRange(0, 16 * MiB), new MemoryRange(32 * MiB, 16 * MiB)],
        ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, 1 * MiB))],
        ControlMemory = [new MemoryRange(1 * MiB, 1 * MiB)],
        DeviceCount = devices,
        CacheWays = 4,
        ControlWays = 0b1,
        RangeRegistersPerCore = 2,
        GranuleSize = 4 * KiB,
        SlotCapacity = 3,
    };

    /// <summary>3 cores (1 control), 2 slots, 2 devices, 2 ways (1 control), RAM [0,64K) and [128K,160K): full tables come fast.</summary>
    public static MachineConfig Tiny() => new()
    {
        CoreCount = 3,
        ControlCores = [0],
        RamRegions = [new MemoryRange(0, 64 * KiB), new MemoryRange(128 * KiB, 32 * KiB)],
        ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, 8 * KiB))],
        ControlMemory = [new MemoryRange(8 * KiB, 8 * KiB)],
        DeviceCount = 2,
        CacheWays = 2,
        ControlWays = 0b1,
        RangeRegistersPerCore = 2,
        GranuleSize = 4 * KiB,
        SlotCapacity = 2,
    };
}
