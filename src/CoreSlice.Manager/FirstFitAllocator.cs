using CoreSlice.Hardware;

namespace CoreSlice.Manager;

/// <summary>
/// The untrusted slice manager's allocation policy: first fit. It turns a
/// <see cref="SliceShape"/> into a concrete <see cref="SliceRequest"/> from what
/// the slice table says is free, and uses only the slicevisor's public API.
/// </summary>
public sealed class FirstFitAllocator<THardware>
    where THardware : IHardwarePort
{
    private readonly Slicevisor<THardware> slicevisor;

    /// <summary>A manager for <paramref name="slicevisor"/>.</summary>
    public FirstFitAllocator(Slicevisor<THardware> slicevisor) => this.slicevisor = slicevisor;

    /// <summary>
    /// A request for <paramref name="shape"/> using the lowest free cores, devices and
    /// ways and the first free memory that fits (one range, or several if fragmented), and
    /// each device's DMA buffer when the shape asks for one; null when the machine has not
    /// enough free of something or the buffers do not fit the first range.
    /// </summary>
    public SliceRequest? Plan(SliceShape shape)
    {
        MachineConfig config = slicevisor.Config;
        SliceTable table = slicevisor.Table;
        int[]? cores = LowestFree(config.CoreCount, shape.Cores, table.CoreOwner);
        int[]? devices = LowestFree(config.DeviceCount, shape.Devices, table.DeviceOwner);
        MemoryRange[]? ranges = FitMemory(config, table, shape.MemoryBytes);
        if (cores is null || devices is null || ranges is null || shape.Ways < 1)
        {
            return null;
        }
        // The shape's ways in every cache domain of the chosen cores (a slice holds ways exactly there).
        var masks = new List<DomainWays>();
        foreach (int domain in cores.Select(table.CacheDomainOf).Distinct().Order())
        {
            int[]? ways = LowestRun(table.WaysOfDomain(domain), shape.Ways, w => table.WayOwner(domain, w));
            if (ways is null)
            {
                return null;
            }
            masks.Add(new DomainWays(domain, ways.Aggregate(0UL, (mask, way) => mask | (1UL << way))));
        }
        DmaRange[]? dma = DmaBuffers(config.GranuleSize, ranges[0], devices, shape.DmaBytesPerDevice);
        if (dma is null)
        {
            return null;
        }
        // Domain 0's ways go in Ways (as on a machine of one domain), the others' in DomainWays.
        ulong wayMask = masks.FirstOrDefault(m => m.Domain == 0).Mask;
        return new SliceRequest
        {
            Cores = cores, Ranges = ranges, Devices = devices, DmaRanges = dma, Ways = wayMask,
            DomainWays = masks.Where(m => m.Domain != 0).ToArray(), EntryPoint = ranges[0].Base,
        };
    }

    /// <summary>Plans and submits; the slicevisor's verdict is final.</summary>
    public SliceResult Create(SliceShape shape)
    {
        SliceRequest? request = Plan(shape);
        return request is { } r
            ? slicevisor.CreateSlice(r)
            : SliceResult.Fail(SliceError.TableFull, 0, -1);
    }

    private static int[]? LowestFree(int total, int wanted, Func<int, int> owner)
    {
        if (wanted < 0)
        {
            return null;
        }
        var picked = new List<int>(wanted);
        for (int i = 0; i < total && picked.Count < wanted; i++)
        {
            if (owner(i) == Owner.Free)
            {
                picked.Add(i);
            }
        }
        return picked.Count == wanted ? picked.ToArray() : null;
    }

    /// <summary>
    /// The lowest <paramref name="wanted"/> adjacent free ways: one run, which every domain accepts
    /// (CAT domains ask for contiguous masks); null when no run is long enough.
    /// </summary>
    private static int[]? LowestRun(int total, int wanted, Func<int, int> owner)
    {
        int start = 0;
        for (int i = 0; i < total && wanted > 0; i++)
        {
            if (owner(i) != Owner.Free)
            {
                start = i + 1;
            }
            else if (i - start + 1 == wanted)
            {
                return [.. Enumerable.Range(start, wanted)];
            }
        }
        return null;
    }

    /// <summary>
    /// One read-write row per device, <paramref name="bytesPerDevice"/> rounded up to the granule,
    /// from the top of <paramref name="first"/> down (the entry point stays at its base): device
    /// <c>devices[i]</c> gets the i-th buffer from the top. None when no buffer is asked for; null
    /// when they do not fit the range or are more rows than a slice may list.
    /// </summary>
    private static DmaRange[]? DmaBuffers(ulong granule, MemoryRange first, int[] devices, ulong bytesPerDevice)
    {
        if (bytesPerDevice == 0 || devices.Length == 0)
        {
            return [];
        }
        if (bytesPerDevice > ulong.MaxValue - granule || devices.Length > Limits.MaxDmaRanges)
        {
            return null;
        }
        ulong need = (bytesPerDevice + granule - 1) / granule * granule;
        if (need > first.Size / (ulong)devices.Length)
        {
            return null;
        }
        var rows = new DmaRange[devices.Length];
        for (int i = 0; i < devices.Length; i++)
        {
            rows[i] = new DmaRange(devices[i], new MemoryRange(first.Limit - ((ulong)(i + 1) * need), need), Permissions.Read | Permissions.Write);
        }
        return rows;
    }

    private static MemoryRange[]? FitMemory(MachineConfig config, SliceTable table, ulong bytes)
    {
        ulong granule = config.GranuleSize;
        if (bytes == 0 || bytes > ulong.MaxValue - granule)
        {
            return null;
        }
        ulong need = (bytes + granule - 1) / granule * granule;
        List<MemoryRange> gaps = FreeMemory.Gaps(config, table);
        foreach (MemoryRange gap in gaps)
        {
            if (gap.Size >= need)
            {
                return [new MemoryRange(gap.Base, need)];
            }
        }
        // Fragmented: take gaps in order, up to the range-register count.
        var ranges = new List<MemoryRange>();
        ulong left = need;
        foreach (MemoryRange gap in gaps)
        {
            if (ranges.Count == config.RangeRegistersPerCore)
            {
                return null;
            }
            ulong take = Math.Min(gap.Size, left);
            ranges.Add(new MemoryRange(gap.Base, take));
            left -= take;
            if (left == 0)
            {
                return ranges.ToArray();
            }
        }
        return null;
    }
}
