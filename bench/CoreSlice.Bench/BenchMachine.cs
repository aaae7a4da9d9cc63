using CoreSlice.Attestation;
using CoreSlice.Log;
using CoreSlice.Simulation;

namespace CoreSlice.Bench;

/// <summary>
/// The benchmark machine and its slicevisor: 1024 cores (core 0 control), 1024 slots,
/// 1024 devices, 64 cache ways (way 0 control), 16 range registers, 4 KiB granules,
/// RAM [0, 64 GiB). Live slices are laid out directly (no manager): live slice s holds
/// core s+1, device s, way s+1 and 16 ranges of 1 MiB at 1 GiB + (16s + r) × 2 MiB, so
/// the memory index holds 16 intervals per live slice with a 1 MiB gap after each.
/// </summary>
public sealed class BenchMachine : IDisposable
{
    public const ulong KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
    public const int LiveRanges = 16;
    public const ulong SliceArea = 1 * GiB;

    /// <summary>Most live slices that still leave a way for one more: 64 ways, 1 control, 1 for the request.</summary>
    public const int MaxLiveForRequest = 62;

    private readonly byte[] drain;

    public BenchMachine(int rangeRegisters = 16, int logCapacity = DecisionLog.DefaultCapacity)
    {
        Config = Describe(rangeRegisters);
        Machine = new SimulatedMachine(Config);
        Visor = new Slicevisor<SimulatedHardwarePort>(Config, Machine.OpenPrivilegedPort(), PlatformIdentity.Unmeasured, logCapacity);
        drain = new byte[logCapacity * DecisionLogLayout.EntrySize];
    }

    public MachineConfig Config { get; }

    public SimulatedMachine Machine { get; }

    public Slicevisor<SimulatedHardwarePort> Visor { get; }

    public static MachineConfig Describe(int rangeRegisters) => new()
    {
        CoreCount = 1024,
        ControlCores = [0],
        RamRegions = [new MemoryRange(0, 64 * GiB)],
        ReservedRegions =
        [
            new NamedRegion("firmware", new MemoryRange(0, 1 * MiB)),
            new NamedRegion("slicevisor", new MemoryRange(1 * MiB, 16 * MiB)),
            new NamedRegion("slice-table", new MemoryRange(17 * MiB, 1 * MiB)),
        ],
        ControlMemory = [new MemoryRange(32 * MiB, 512 * MiB)],
        DeviceCount = 1024,
        CacheWays = 64,
        ControlWays = 1,
        RangeRegistersPerCore = rangeRegisters,
        GranuleSize = 4 * KiB,
        SlotCapacity = 1024,
    };

    /// <summary>The request live slice <paramref name="s"/> was created with.</summary>
    public static SliceRequest LiveRequest(int s)
    {
        var ranges = new MemoryRange[LiveRanges];
        for (int r = 0; r < LiveRanges; r++)
        {
            ranges[r] = new MemoryRange(SliceArea + (((ulong)(s * LiveRanges) + (ulong)r) * 2 * MiB), 1 * MiB);
        }
        return new SliceRequest
        {
            Cores = new[] { s + 1 }, Ranges = ranges, Devices = new[] { s }, Ways = 1UL << (s + 1), EntryPoint = ranges[0].Base,
        };
    }

    /// <summary>
    /// A request for core 1023, device 1023, way 63 and <paramref name="rangeCount"/> ranges of
    /// 1 MiB in the lowest gaps (after live ranges 0, 1, ...): where first fit would put them,
    /// and the front of the memory index, so every insert shifts the whole index.
    /// <paramref name="entryInside"/> false puts the entry point outside them: rejected by the
    /// last check, EntryOutsideMemory, after every other check has passed.
    /// </summary>
    public static SliceRequest NewRequest(int rangeCount, bool entryInside)
    {
        var ranges = new MemoryRange[rangeCount];
        for (int k = 0; k < rangeCount; k++)
        {
            ranges[k] = new MemoryRange(SliceArea + ((ulong)k * 2 * MiB) + (1 * MiB), 1 * MiB);
        }
        return new SliceRequest
        {
            Cores = new[] { 1023 }, Ranges = ranges, Devices = new[] { 1023 }, Ways = 1UL << 63,
            EntryPoint = entryInside ? ranges[0].Base : 0,
        };
    }

    /// <summary>Creates <paramref name="live"/> live slices (Created, not started).</summary>
    public void Populate(int live)
    {
        if (live > MaxLiveForRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(live), live, "every slice needs an exclusive cache way; 64 ways allow 62 live slices plus the request");
        }
        for (int s = 0; s < live; s++)
        {
            SliceResult r = Visor.CreateSlice(LiveRequest(s));
            if (!r.Ok)
            {
                throw new InvalidOperationException($"live slice {s}: {r.Error}");
            }
        }
    }

    /// <summary>What a manager does in a long run: drain the log (into a buffer made once) when it is half full.</summary>
    public void KeepLogRoom()
    {
        if (Visor.Log.Count * 2 >= Visor.Log.Capacity && !Visor.DrainLog(drain, out _).Ok)
        {
            throw new InvalidOperationException("the decision log could not be drained");
        }
    }

    public void Dispose() => Visor.Dispose();
}
