using System.Collections.Immutable;
using System.Numerics;

namespace CoreSlice;

/// <summary>
/// The slicevisor's own copy of the machine description, made once at
/// construction: every list copied into arrays nobody else holds, bounded by
/// <see cref="Limits"/> before it is copied, and checked after it is copied (so a
/// caller that rewrites its arrays during construction cannot slip a change
/// between check and use). Everything the trusted core decides about the machine
/// reads this object; nothing reachable from the public surface refers to its arrays.
/// </summary>
internal sealed class FrozenMachine
{
    private readonly int[] controlCores;
    private readonly MemoryRange[] ram;
    private readonly MemoryRange[] reserved;
    private readonly string[] reservedNames;
    private readonly MemoryRange[] controlMemory;
    // Lists too long, missing, or (reserved) with a null entry: refused by Check, never copied.
    private readonly int controlCoresGiven;
    private readonly int ramGiven;
    private readonly int reservedGiven;
    private readonly int controlMemoryGiven;
    private readonly int reservedNullAt = -1;

    private FrozenMachine(MachineConfig c)
    {
        CoreCount = c.CoreCount;
        DeviceCount = c.DeviceCount;
        CacheWays = c.CacheWays;
        ControlWays = c.ControlWays;
        RangeRegistersPerCore = c.RangeRegistersPerCore;
        GranuleSize = c.GranuleSize;
        SlotCapacity = c.SlotCapacity;
        controlCores = CopyBounded(c.ControlCores, Limits.MaxCores, out controlCoresGiven);
        ram = CopyBounded(c.RamRegions, Limits.MaxRegions, out ramGiven);
        controlMemory = CopyBounded(c.ControlMemory, Limits.MaxRegions, out controlMemoryGiven);
        NamedRegion[] named = CopyBounded(c.ReservedRegions, Limits.MaxRegions, out reservedGiven);
        reserved = new MemoryRange[named.Length];
        reservedNames = new string[named.Length];
        for (int i = 0; i < named.Length; i++)
        {
            if (named[i] is null)
            {
                reservedNullAt = reservedNullAt < 0 ? i : reservedNullAt;
                continue;
            }
            reserved[i] = named[i].Range;
            reservedNames[i] = named[i].Name ?? string.Empty;
        }
        Domains = new FrozenDomains(c, CoreCount);
        AllWaysMask = CacheWays >= 64 ? ulong.MaxValue : CacheWays <= 0 ? 0 : (1UL << CacheWays) - 1;
    }

    public int CoreCount { get; }

    public int DeviceCount { get; }

    public int CacheWays { get; }

    public ulong ControlWays { get; }

    public int RangeRegistersPerCore { get; }

    public ulong GranuleSize { get; }

    public int SlotCapacity { get; }

    public ulong AllWaysMask { get; }

    /// <summary>The cache domains (one implicit domain when the description lists none).</summary>
    public FrozenDomains Domains { get; }

    public ReadOnlySpan<int> ControlCores => controlCores;

    public ReadOnlySpan<MemoryRange> RamRegions => ram;

    public ReadOnlySpan<MemoryRange> ReservedRegions => reserved;

    public ReadOnlySpan<MemoryRange> ControlMemory => controlMemory;

    /// <summary>Copies <paramref name="config"/> and appends every problem of the copy to <paramref name="errors"/>.</summary>
    public static FrozenMachine Freeze(MachineConfig config, List<ConfigError> errors)
    {
        var frozen = new FrozenMachine(config);
        frozen.Check(errors);
        return frozen;
    }

    /// <summary>A fresh immutable description equal to this copy: what the slicevisor publishes (and never reads).</summary>
    public MachineConfig ToConfig()
    {
        var named = ImmutableArray.CreateBuilder<NamedRegion>(reserved.Length);
        for (int i = 0; i < reserved.Length; i++)
        {
            named.Add(new NamedRegion(reservedNames[i], reserved[i]));
        }
        return new MachineConfig
        {
            CoreCount = CoreCount,
            ControlCores = ImmutableArray.Create(controlCores),
            RamRegions = ImmutableArray.Create(ram),
            ReservedRegions = named.MoveToImmutable(),
            ControlMemory = ImmutableArray.Create(controlMemory),
            DeviceCount = DeviceCount,
            CacheWays = CacheWays,
            ControlWays = ControlWays,
            RangeRegistersPerCore = RangeRegistersPerCore,
            GranuleSize = GranuleSize,
            SlotCapacity = SlotCapacity,
            CacheDomains = Domains.Listed ? DomainsAsConfig() : default,
        };
    }

    private ImmutableArray<CacheDomain> DomainsAsConfig()
    {
        var list = ImmutableArray.CreateBuilder<CacheDomain>(Domains.Count);
        for (int d = 0; d < Domains.Count; d++)
        {
            FrozenDomains.Rules r = Domains[d];
            list.Add(new CacheDomain
            {
                Cores = ImmutableArray.Create(Domains.CoresOf(d)),
                Ways = r.Ways,
                ControlWays = r.ControlWays,
                ContiguousMasks = r.Contiguous,
                MaxClassesOfService = r.MaxClasses,
                MinMaskWidth = r.MinWidth,
            });
        }
        return list.MoveToImmutable();
    }

    /// <summary>Length checked first (O(1)), then one copy; a missing or too long list copies nothing.</summary>
    private static T[] CopyBounded<T>(ImmutableArray<T> source, int max, out int given)
    {
        given = source.IsDefault ? -1 : source.Length;
        return given < 0 || given > max ? [] : source.AsSpan().ToArray();
    }

    internal static ConfigError Error(ConfigField field, ConfigProblem problem, int index = -1, int other = -1, ulong value = 0, ulong size = 0) =>
        new(field, problem, index, other, value, size);

    internal static ulong Number(int value) => unchecked((ulong)(long)value);

    private void Check(List<ConfigError> errors)
    {
        if (CoreCount < 1 || CoreCount > Limits.MaxCores)
        {
            errors.Add(Error(ConfigField.Cores, ConfigProblem.OutOfRange, value: Number(CoreCount)));
        }
        CheckControlCores(errors);
        if (GranuleSize < Limits.MinGranule || !BitOperations.IsPow2(GranuleSize))
        {
            errors.Add(Error(ConfigField.Granule, ConfigProblem.NotPowerOfTwo, value: GranuleSize));
        }
        CheckRegions(errors);
        if (DeviceCount < 0 || DeviceCount > Limits.MaxDevices)
        {
            errors.Add(Error(ConfigField.Devices, ConfigProblem.OutOfRange, value: Number(DeviceCount)));
        }
        if (CacheWays < 1 || CacheWays > Limits.MaxCacheWays)
        {
            errors.Add(Error(ConfigField.CacheWays, ConfigProblem.OutOfRange, value: Number(CacheWays)));
        }
        else if ((ControlWays & ~AllWaysMask) != 0)
        {
            errors.Add(Error(ConfigField.ControlWays, ConfigProblem.WaysBeyondMachine, value: ControlWays));
        }
        else if (ControlWays == AllWaysMask)
        {
            errors.Add(Error(ConfigField.ControlWays, ConfigProblem.HoldsEveryWay, value: ControlWays));
        }
        Domains.Check(errors, CoreCount, CacheWays, ControlWays);
        if (RangeRegistersPerCore < 1 || RangeRegistersPerCore > Limits.MaxRangeRegisters)
        {
            errors.Add(Error(ConfigField.RangeRegisters, ConfigProblem.OutOfRange, value: Number(RangeRegistersPerCore)));
        }
        if (SlotCapacity < 1 || SlotCapacity > Limits.MaxSlots)
        {
            errors.Add(Error(ConfigField.Slots, ConfigProblem.OutOfRange, value: Number(SlotCapacity)));
        }
    }

    private void CheckControlCores(List<ConfigError> errors)
    {
        if (controlCoresGiven <= 0 || controlCoresGiven > Limits.MaxCores)
        {
            errors.Add(Error(ConfigField.ControlCores, ConfigProblem.BadLength, value: Number(Math.Max(controlCoresGiven, 0))));
            return;
        }
        if (controlCores.Length >= CoreCount)
        {
            errors.Add(Error(ConfigField.ControlCores, ConfigProblem.LeavesNoGuestCore, value: Number(controlCores.Length)));
        }
        var seen = new bool[Math.Clamp(CoreCount, 0, Limits.MaxCores)];
        for (int i = 0; i < controlCores.Length; i++)
        {
            int core = controlCores[i];
            if (core < 0 || core >= CoreCount)
            {
                errors.Add(Error(ConfigField.ControlCores, ConfigProblem.OutOfRange, i, value: Number(core)));
            }
            else if (core < seen.Length && seen[core])
            {
                errors.Add(Error(ConfigField.ControlCores, ConfigProblem.Duplicate, i, value: Number(core)));
            }
            else if (core < seen.Length)
            {
                seen[core] = true;
            }
        }
    }

    private void CheckRegions(List<ConfigError> errors)
    {
        CheckList(errors, ConfigField.Ram, ram, ramGiven, minimum: 1);
        CheckList(errors, ConfigField.ControlMemory, controlMemory, controlMemoryGiven, minimum: 0);
        if (reservedGiven < 0 || reservedGiven > Limits.MaxRegions)
        {
            errors.Add(Error(ConfigField.Reserved, ConfigProblem.BadLength, value: Number(Math.Max(reservedGiven, 0))));
            return;
        }
        if (reservedNullAt >= 0)
        {
            errors.Add(Error(ConfigField.Reserved, ConfigProblem.MissingEntry, reservedNullAt));
            return;
        }
        CheckList(errors, ConfigField.Reserved, reserved, reservedGiven, minimum: 0);
        for (int i = 0; i < reserved.Length; i++)
        {
            for (int j = 0; j < controlMemory.Length; j++)
            {
                if (reserved[i].IsRepresentable && controlMemory[j].IsRepresentable && reserved[i].Overlaps(controlMemory[j]))
                {
                    errors.Add(Error(ConfigField.Reserved, ConfigProblem.OverlapsControlMemory, i, j, reserved[i].Base, reserved[i].Size));
                }
            }
        }
    }

    private void CheckList(List<ConfigError> errors, ConfigField field, MemoryRange[] ranges, int given, int minimum)
    {
        if (given < minimum || given > Limits.MaxRegions)
        {
            errors.Add(Error(field, ConfigProblem.BadLength, value: Number(Math.Max(given, 0))));
            return;
        }
        bool granuleUsable = GranuleSize != 0 && BitOperations.IsPow2(GranuleSize);
        for (int i = 0; i < ranges.Length; i++)
        {
            MemoryRange r = ranges[i];
            if (r.Size == 0 || !r.IsRepresentable)
            {
                errors.Add(Error(field, ConfigProblem.EmptyOrWraps, i, value: r.Base, size: r.Size));
                continue;
            }
            if (granuleUsable && ((r.Base | r.Size) & (GranuleSize - 1)) != 0)
            {
                errors.Add(Error(field, ConfigProblem.Unaligned, i, value: r.Base, size: r.Size));
            }
            if (field == ConfigField.ControlMemory && ramGiven >= 0 && ramGiven <= Limits.MaxRegions && !InsideOneRamRegion(r))
            {
                errors.Add(Error(field, ConfigProblem.OutsideRam, i, value: r.Base, size: r.Size));
            }
            for (int j = 0; j < i; j++)
            {
                if (ranges[j].IsRepresentable && r.Overlaps(ranges[j]))
                {
                    errors.Add(Error(field, ConfigProblem.OverlapsEarlier, i, j, r.Base, r.Size));
                }
            }
        }
    }

    private bool InsideOneRamRegion(MemoryRange r)
    {
        for (int i = 0; i < ram.Length; i++)
        {
            if (ram[i].Covers(r))
            {
                return true;
            }
        }
        return false;
    }
}
