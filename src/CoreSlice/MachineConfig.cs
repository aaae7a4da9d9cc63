using System.Numerics;

namespace CoreSlice;

/// <summary>
/// The machine the slicevisor runs on: sizes and fixed regions. Read once at
/// construction; every table the slicevisor owns is sized from it.
/// </summary>
public sealed class MachineConfig
{
    /// <summary>Number of cores (1..<see cref="Limits.MaxCores"/>).</summary>
    public required int CoreCount { get; init; }

    /// <summary>Cores of the control slice (at least one: the manager runs there).</summary>
    public required int[] ControlCores { get; init; }

    /// <summary>Physical RAM, as disjoint granule-aligned regions.</summary>
    public required MemoryRange[] RamRegions { get; init; }

    /// <summary>Memory no slice may ever own: slicevisor, slice table, firmware (S9).</summary>
    public required NamedRegion[] ReservedRegions { get; init; }

    /// <summary>The control slice's memory (inside RAM, disjoint from reserved regions).</summary>
    public required MemoryRange[] ControlMemory { get; init; }

    /// <summary>Number of SR-IOV virtual functions (0..<see cref="Limits.MaxDevices"/>).</summary>
    public required int DeviceCount { get; init; }

    /// <summary>Number of last-level cache ways (1..<see cref="Limits.MaxCacheWays"/>).</summary>
    public required int CacheWays { get; init; }

    /// <summary>Ways of the control slice, as a mask.</summary>
    public required ulong ControlWays { get; init; }

    /// <summary>Range registers per core (1..<see cref="Limits.MaxRangeRegisters"/>).</summary>
    public required int RangeRegistersPerCore { get; init; }

    /// <summary>Allocation granule in bytes (a power of two, at least 4 KiB).</summary>
    public required ulong GranuleSize { get; init; }

    /// <summary>Guest slots in the slice table (1..<see cref="Limits.MaxSlots"/>); slots are numbered 1..SlotCapacity.</summary>
    public required int SlotCapacity { get; init; }

    /// <summary>Mask with one bit per existing way.</summary>
    public ulong AllWaysMask => CacheWays >= 64 ? ulong.MaxValue : (1UL << CacheWays) - 1;

    /// <summary>
    /// Every problem with this description, in words naming the field (empty when
    /// it is usable). The slicevisor refuses to start on a description with any.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (CoreCount < 1 || CoreCount > Limits.MaxCores)
        {
            problems.Add($"cores: {CoreCount} is not in 1..{Limits.MaxCores}");
        }
        CheckControlCores(problems);
        if (GranuleSize < Limits.MinGranule || !BitOperations.IsPow2(GranuleSize))
        {
            problems.Add($"granule: {GranuleSize} is not a power of two of at least {Limits.MinGranule}");
        }
        CheckRegions(problems);
        if (DeviceCount < 0 || DeviceCount > Limits.MaxDevices)
        {
            problems.Add($"devices: {DeviceCount} is not in 0..{Limits.MaxDevices}");
        }
        if (CacheWays < 1 || CacheWays > Limits.MaxCacheWays)
        {
            problems.Add($"cacheWays: {CacheWays} is not in 1..{Limits.MaxCacheWays}");
        }
        else if ((ControlWays & ~AllWaysMask) != 0)
        {
            problems.Add($"controlWays: mask 0x{ControlWays:x} names ways beyond the {CacheWays} the machine has");
        }
        else if (ControlWays == AllWaysMask)
        {
            problems.Add("controlWays: the control slice holds every way, so no slice could be created");
        }
        if (RangeRegistersPerCore < 1 || RangeRegistersPerCore > Limits.MaxRangeRegisters)
        {
            problems.Add($"rangeRegisters: {RangeRegistersPerCore} is not in 1..{Limits.MaxRangeRegisters}");
        }
        if (SlotCapacity < 1 || SlotCapacity > Limits.MaxSlots)
        {
            problems.Add($"slots: {SlotCapacity} is not in 1..{Limits.MaxSlots}");
        }
        return problems;
    }

    private void CheckControlCores(List<string> problems)
    {
        if (ControlCores is null || ControlCores.Length == 0)
        {
            problems.Add("controlCores: the control slice needs at least one core");
            return;
        }
        if (ControlCores.Length >= CoreCount)
        {
            problems.Add($"controlCores: {ControlCores.Length} control cores leave none of the {CoreCount} for guests");
        }
        var seen = new HashSet<int>();
        foreach (int core in ControlCores)
        {
            if (core < 0 || core >= CoreCount)
            {
                problems.Add($"controlCores: core {core} is not in 0..{CoreCount - 1}");
            }
            else if (!seen.Add(core))
            {
                problems.Add($"controlCores: core {core} is listed twice");
            }
        }
    }

    private void CheckRegions(List<string> problems)
    {
        CheckList(problems, "ram", RamRegions, mustBeInRam: false);
        CheckList(problems, "controlMemory", ControlMemory, mustBeInRam: true);
        if (ReservedRegions is null || ReservedRegions.Length > Limits.MaxRegions)
        {
            problems.Add($"reserved: between 0 and {Limits.MaxRegions} regions are needed");
            return;
        }
        var reserved = new MemoryRange[ReservedRegions.Length];
        for (int i = 0; i < reserved.Length; i++)
        {
            reserved[i] = ReservedRegions[i].Range;
        }
        CheckList(problems, "reserved", reserved, mustBeInRam: false);
        if (ControlMemory is null)
        {
            return;
        }
        for (int i = 0; i < ReservedRegions.Length; i++)
        {
            for (int j = 0; j < ControlMemory.Length; j++)
            {
                if (reserved[i].IsRepresentable && ControlMemory[j].IsRepresentable && reserved[i].Overlaps(ControlMemory[j]))
                {
                    problems.Add($"reserved[{i}] ({ReservedRegions[i].Name}) {reserved[i]} overlaps controlMemory[{j}] {ControlMemory[j]}");
                }
            }
        }
    }

    private void CheckList(List<string> problems, string field, MemoryRange[]? ranges, bool mustBeInRam)
    {
        if (ranges is null || ranges.Length > Limits.MaxRegions || (field == "ram" && ranges.Length == 0))
        {
            problems.Add($"{field}: between {(field == "ram" ? 1 : 0)} and {Limits.MaxRegions} regions are needed");
            return;
        }
        for (int i = 0; i < ranges.Length; i++)
        {
            MemoryRange r = ranges[i];
            if (r.Size == 0 || !r.IsRepresentable)
            {
                problems.Add($"{field}[{i}] {r.Base:x}+{r.Size:x}: empty or wraps past 2^64");
                continue;
            }
            if (GranuleSize != 0 && BitOperations.IsPow2(GranuleSize) && ((r.Base | r.Size) & (GranuleSize - 1)) != 0)
            {
                problems.Add($"{field}[{i}] {r}: not aligned to the granule 0x{GranuleSize:x}");
            }
            if (mustBeInRam && RamRegions is not null && !InsideOneRamRegion(r))
            {
                problems.Add($"{field}[{i}] {r}: not inside one RAM region");
            }
            for (int j = 0; j < i; j++)
            {
                if (ranges[j].IsRepresentable && r.Overlaps(ranges[j]))
                {
                    problems.Add($"{field}[{i}] {r} overlaps {field}[{j}] {ranges[j]}");
                }
            }
        }
    }

    private bool InsideOneRamRegion(MemoryRange r)
    {
        foreach (MemoryRange ram in RamRegions)
        {
            if (ram.Covers(r))
            {
                return true;
            }
        }
        return false;
    }
}
