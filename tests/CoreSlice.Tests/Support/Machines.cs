using CoreSlice;

namespace CoreSlice.Tests.Support;

/// <summary>
/// Machine descriptions for tests. <see cref="Default"/> follows the built-in
/// default (16 cores, core 0 control, 4 GiB RAM, reserved slicevisor region, 8 devices,
/// 12 ways, 16 range registers, 4 KiB granule, 64 slots); <see cref="Small"/> is the
/// model-checking size, with RAM in two regions so a range can straddle a hole.
/// </summary>
public static class Machines
{
    public const ulong KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
    public const ulong Granule = 4 * KiB;

    /// <summary>The simulation's built-in default (MachineDescription.Default): RAM [0,4G); reserved firmware [0,1M),
    /// slicevisor [1M,17M), slice-table [17M,18M); control memory [32M,544M); ways 0-1 control.</summary>
    public static MachineConfig Default() => CoreSlice.Simulation.MachineDescription.Default;

    /// <summary>4 cores (0 control), 3 slots, 4 devices, 4 ways (way 0 control), 2 range registers; RAM [0,16M) and [32M,48M).</summary>
    public static MachineConfig Small() => CoreSlice.Harness.Machines.MachineCatalogue.Small();

    /// <summary>The top of RAM: the first address past every RAM region.</summary>
    public static ulong RamTop(MachineConfig config)
    {
        ulong top = 0;
        foreach (MemoryRange r in config.RamRegions)
        {
            top = Math.Max(top, r.Limit);
        }
        return top;
    }
}
