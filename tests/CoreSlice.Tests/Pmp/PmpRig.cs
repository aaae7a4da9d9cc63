using CoreSlice;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Tests.Pmp;

/// <summary>A PMP machine with its slicevisor: the PolarFire-SoC-like board of examples/machines.</summary>
public sealed class PmpRig : IDisposable
{
    public const ulong KiB = 1UL << 10;
    public const ulong MiB = 1UL << 20;
    public const ulong Clint = 0x0200_0000;

    public PmpRig(MachineConfig config, PmpGeometry geometry)
    {
        Config = config;
        Machine = new PmpMachine(config, geometry);
        Visor = new Slicevisor<PmpHardwarePort>(config, Machine.OpenPrivilegedPort());
        Machine.AttachOwnership(Visor.Table.CoreOwner, Visor.Table.DeviceOwner, Visor.Table.MemoryOwner);
    }

    public MachineConfig Config { get; }

    public PmpMachine Machine { get; }

    public Slicevisor<PmpHardwarePort> Visor { get; }

    /// <summary>5 harts (hart 0 control), 16 entries, G = 0, CLINT at 0x0200_0000, DDR at 2 GiB and 64 GiB.</summary>
    public static PmpRig PolarFire(int entries = 16) => new(Board(), new PmpGeometry(entries, 0, Clint, 5));

    public static MachineConfig Board() => new()
    {
        CoreCount = 5,
        ControlCores = [0],
        RamRegions = [new MemoryRange(0x8000_0000, 1UL << 30), new MemoryRange(0x10_0000_0000, 1UL << 30)],
        ReservedRegions =
        [
            new NamedRegion("firmware", new MemoryRange(0x8000_0000, 2 * MiB)),
            new NamedRegion("slicevisor", new MemoryRange(0x8020_0000, 14 * MiB)),
            new NamedRegion("slice-table", new MemoryRange(0x8100_0000, 1 * MiB)),
        ],
        ControlMemory = [new MemoryRange(0x8200_0000, 32 * MiB)],
        DeviceCount = 2,
        CacheWays = 16,
        ControlWays = 0b11,
        RangeRegistersPerCore = 8,
        GranuleSize = 4 * KiB,
        SlotCapacity = 4,
    };

    public static SliceRequest Request(int[] cores, MemoryRange[] ranges, ulong ways, int[]? devices = null) => new()
    {
        Cores = cores,
        Ranges = ranges,
        Devices = devices ?? [],
        Ways = ways,
        EntryPoint = ranges[0].Base,
    };

    public void Dispose() => Visor.Dispose();
}
