namespace CoreSlice.Manager;

/// <summary>How a hostile manager breaks an otherwise valid request.</summary>
public enum Perturbation
{
    /// <summary>No change: the request stays valid.</summary>
    None,
    /// <summary>A core index past the machine (or negative).</summary>
    CoreOutOfRange,
    /// <summary>A control-slice core.</summary>
    ControlCore,
    /// <summary>The same core twice.</summary>
    DuplicateCore,
    /// <summary>A core another slice owns.</summary>
    StolenCore,
    /// <summary>A range of size zero.</summary>
    EmptyRange,
    /// <summary>A base or size not on the granule.</summary>
    UnalignedRange,
    /// <summary>base + size past 2^64.</summary>
    WrappingRange,
    /// <summary>A range beyond RAM.</summary>
    OutsideRam,
    /// <summary>A range over the slicevisor's own memory.</summary>
    ReservedMemory,
    /// <summary>A range over the control slice's memory.</summary>
    ControlMemory,
    /// <summary>Two ranges of the request overlap.</summary>
    SelfOverlap,
    /// <summary>A range over another slice's memory.</summary>
    StolenMemory,
    /// <summary>More ranges than range registers.</summary>
    TooManyRanges,
    /// <summary>A device past the machine.</summary>
    DeviceOutOfRange,
    /// <summary>The same device twice.</summary>
    DuplicateDevice,
    /// <summary>A device another slice owns.</summary>
    StolenDevice,
    /// <summary>No cache ways.</summary>
    NoWays,
    /// <summary>A way past the machine.</summary>
    WayOutOfRange,
    /// <summary>A way of the control slice or another slice.</summary>
    StolenWay,
    /// <summary>An entry point outside the slice's memory.</summary>
    EntryOutside,
    /// <summary>No cores at all.</summary>
    NoCores,
}

/// <summary>
/// The manager's hostile mode: takes a valid request and breaks one field, so
/// that requests cross the valid/invalid boundary. Uses only public state.
/// </summary>
public static class HostileRequests
{
    /// <summary>Every perturbation, for callers that cycle through them.</summary>
    public static IReadOnlyList<Perturbation> All { get; } = Enum.GetValues<Perturbation>();

    /// <summary>
    /// <paramref name="valid"/> with one field broken as <paramref name="how"/>.
    /// Where the machine gives nothing to steal (no other slice), the result may stay valid.
    /// </summary>
    public static SliceRequest Perturb(SliceRequest valid, Perturbation how, MachineConfig config, SliceTable table, Random random)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(random);
        int[] cores = valid.Cores.ToArray();
        MemoryRange[] ranges = valid.Ranges.ToArray();
        int[] devices = valid.Devices.ToArray();
        ulong granule = config.GranuleSize;
        MemoryRange first = ranges.Length > 0 ? ranges[0] : new MemoryRange(0, granule);
        SliceRequest r = valid;
        switch (how)
        {
            case Perturbation.CoreOutOfRange:
                return r with { Cores = Append(cores, random.Next(2) == 0 ? config.CoreCount + random.Next(8) : -1 - random.Next(8)) };
            case Perturbation.ControlCore:
                return r with { Cores = Append(cores, config.ControlCores[random.Next(config.ControlCores.Length)]) };
            case Perturbation.DuplicateCore:
                return cores.Length == 0 ? r : r with { Cores = Append(cores, cores[random.Next(cores.Length)]) };
            case Perturbation.StolenCore:
                return Steal(r, config.CoreCount, table.CoreOwner) is int core ? r with { Cores = Append(cores, core) } : r;
            case Perturbation.EmptyRange:
                return r with { Ranges = Append(ranges, new MemoryRange(first.Base, 0)) };
            case Perturbation.UnalignedRange:
                return r with { Ranges = Replace(ranges, 0, new MemoryRange(first.Base + 1 + (ulong)random.Next((int)Math.Min(granule - 1, 4095)), first.Size)) };
            case Perturbation.WrappingRange:
                return r with { Ranges = Replace(ranges, 0, new MemoryRange(ulong.MaxValue - granule + 1, granule * (1 + (ulong)random.Next(4)))) };
            case Perturbation.OutsideRam:
                return r with { Ranges = Replace(ranges, 0, new MemoryRange(PastRam(config), first.Size)) };
            case Perturbation.ReservedMemory:
                return config.ReservedRegions.Length == 0 ? r
                    : r with { Ranges = Replace(ranges, 0, AlignedCover(config.ReservedRegions[random.Next(config.ReservedRegions.Length)].Range, granule)) };
            case Perturbation.ControlMemory:
                return config.ControlMemory.Length == 0 ? r
                    : r with { Ranges = Replace(ranges, 0, AlignedCover(config.ControlMemory[random.Next(config.ControlMemory.Length)], granule)) };
            case Perturbation.SelfOverlap:
                return r with { Ranges = Append(ranges, first) };
            case Perturbation.StolenMemory:
                return StolenRange(table, random) is { } stolen ? r with { Ranges = Replace(ranges, 0, stolen) } : r;
            case Perturbation.TooManyRanges:
                return r with { Ranges = Enumerable.Repeat(first, config.RangeRegistersPerCore + 1).ToArray() };
            case Perturbation.DeviceOutOfRange:
                return r with { Devices = Append(devices, config.DeviceCount + random.Next(4)) };
            case Perturbation.DuplicateDevice:
                return devices.Length == 0 ? r : r with { Devices = Append(devices, devices[0]) };
            case Perturbation.StolenDevice:
                return Steal(r, config.DeviceCount, table.DeviceOwner) is int device ? r with { Devices = Append(devices, device) } : r;
            case Perturbation.NoWays:
                return r with { Ways = 0 };
            case Perturbation.WayOutOfRange:
                return config.CacheWays >= 64 ? r : r with { Ways = r.Ways | (1UL << config.CacheWays) };
            case Perturbation.StolenWay:
                return Steal(r, config.CacheWays, w => table.WayOwner(w)) is int way ? r with { Ways = r.Ways | (1UL << way) }
                    : r with { Ways = r.Ways | config.ControlWays };
            case Perturbation.EntryOutside:
                return r with { EntryPoint = PastRam(config) };
            case Perturbation.NoCores:
                return r with { Cores = Array.Empty<int>() };
            default:
                return r;
        }
    }

    private static int? Steal(SliceRequest r, int total, Func<int, int> owner)
    {
        _ = r;
        for (int i = 0; i < total; i++)
        {
            if (owner(i) > 0)
            {
                return i;
            }
        }
        return null;
    }

    internal static MemoryRange? StolenRange(SliceTable table, Random random)
    {
        int start = 1 + random.Next(table.Capacity);
        for (int k = 0; k < table.Capacity; k++)
        {
            int slot = 1 + ((start - 1 + k) % table.Capacity);
            SliceEntry entry = table[slot];
            if (entry.State != SliceState.Free && entry.Ranges.Length > 0)
            {
                return entry.Ranges[random.Next(entry.Ranges.Length)];
            }
        }
        return null;
    }

    internal static ulong PastRam(MachineConfig config)
    {
        ulong top = 0;
        foreach (MemoryRange ram in config.RamRegions)
        {
            top = Math.Max(top, ram.Limit);
        }
        return top;
    }

    private static MemoryRange AlignedCover(MemoryRange region, ulong granule)
    {
        ulong b = region.Base / granule * granule;
        return new MemoryRange(b, Math.Max(granule, (region.Limit - b + granule - 1) / granule * granule));
    }

    private static T[] Append<T>(T[] items, T extra) => [.. items, extra];

    private static T[] Replace<T>(T[] items, int index, T value)
    {
        if (items.Length == 0)
        {
            return [value];
        }
        T[] copy = (T[])items.Clone();
        copy[index] = value;
        return copy;
    }
}
