using CoreSlice;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.CacheDomains;

/// <summary>
/// A two-socket machine for the cache-domain tests: 8 cores, socket 0 = cores 0-3 (8 ways, the
/// control slice's way 0, no CAT rules), socket 1 = cores 4-7 (8 ways, CAT: contiguous masks, at
/// most 3 classes of service, masks at least 2 ways wide; the control slice has ways 0-1 there).
/// Core 0 is the control slice's.
/// </summary>
public static class TwoSocketMachine
{
    public static CacheDomain Socket0 => new() { Cores = [0, 1, 2, 3], Ways = 8, ControlWays = 0b1 };

    public static CacheDomain Socket1 => new()
    {
        Cores = [4, 5, 6, 7], Ways = 8, ControlWays = 0b11,
        ContiguousMasks = true, MaxClassesOfService = 3, MinMaskWidth = 2,
    };

    public static MachineConfig Config(params CacheDomain[] domains)
    {
        MachineConfig d = Default();
        CacheDomain[] list = domains.Length == 0 ? [Socket0, Socket1] : domains;
        return new MachineConfig
        {
            CoreCount = 8,
            ControlCores = [0],
            RamRegions = d.RamRegions,
            ReservedRegions = d.ReservedRegions,
            ControlMemory = d.ControlMemory,
            DeviceCount = d.DeviceCount,
            CacheWays = list[0]?.Ways ?? 8,
            ControlWays = list[0]?.ControlWays ?? 1,
            RangeRegistersPerCore = d.RangeRegistersPerCore,
            GranuleSize = d.GranuleSize,
            SlotCapacity = d.SlotCapacity,
            CacheDomains = [.. list],
        };
    }

    private static ulong next = 2 * GiB;

    /// <summary>A request for <paramref name="cores"/> with one fresh 64 KiB range and the given ways.</summary>
    public static SliceRequest Request(int[] cores, ulong ways, params DomainWays[] domainWays)
    {
        ulong at = Interlocked.Add(ref next, MiB) - MiB;
        return new SliceRequest
        {
            Cores = cores,
            Ranges = new[] { new MemoryRange(at, 64 * KiB) },
            Ways = ways,
            DomainWays = domainWays,
            EntryPoint = at,
        };
    }
}
