using System.Collections.Immutable;

namespace CoreSlice;

/// <summary>
/// The machine the slicevisor runs on, as its caller describes it: sizes and
/// fixed regions. A plain immutable description; the slicevisor copies it into
/// storage of its own at construction, checks that copy, and never reads this
/// object again (an <see cref="ImmutableArray{T}"/> can still be built over a
/// caller's array, so the copy is what makes later writes harmless).
/// </summary>
public sealed class MachineConfig
{
    /// <summary>Number of cores (1..<see cref="Limits.MaxCores"/>).</summary>
    public required int CoreCount { get; init; }

    /// <summary>Cores of the control slice (at least one: the manager runs there).</summary>
    public required ImmutableArray<int> ControlCores { get; init; }

    /// <summary>Physical RAM, as disjoint granule-aligned regions.</summary>
    public required ImmutableArray<MemoryRange> RamRegions { get; init; }

    /// <summary>Memory no slice may ever own: slicevisor, slice table, firmware (S9).</summary>
    public required ImmutableArray<NamedRegion> ReservedRegions { get; init; }

    /// <summary>The control slice's memory (inside RAM, disjoint from reserved regions).</summary>
    public required ImmutableArray<MemoryRange> ControlMemory { get; init; }

    /// <summary>Number of SR-IOV virtual functions (0..<see cref="Limits.MaxDevices"/>).</summary>
    public required int DeviceCount { get; init; }

    /// <summary>Number of last-level cache ways (1..<see cref="Limits.MaxCacheWays"/>); domain 0's when there are <see cref="CacheDomains"/>.</summary>
    public required int CacheWays { get; init; }

    /// <summary>Ways of the control slice, as a mask (domain 0's when there are <see cref="CacheDomains"/>).</summary>
    public required ulong ControlWays { get; init; }

    /// <summary>
    /// The last-level-cache domains (sockets), at most <see cref="Limits.MaxCacheDomains"/>; default
    /// (not given) means one domain holding every core with <see cref="CacheWays"/> and
    /// <see cref="ControlWays"/>, which is every machine described before domains existed. When given,
    /// <see cref="CacheWays"/> and <see cref="ControlWays"/> must equal domain 0's: they are domain 0's
    /// everywhere (a <see cref="SliceRequest.Ways"/> mask is domain 0's too).
    /// </summary>
    public ImmutableArray<CacheDomain> CacheDomains { get; init; }

    /// <summary>Range registers per core (1..<see cref="Limits.MaxRangeRegisters"/>).</summary>
    public required int RangeRegistersPerCore { get; init; }

    /// <summary>Allocation granule in bytes (a power of two, at least 4 KiB).</summary>
    public required ulong GranuleSize { get; init; }

    /// <summary>Guest slots in the slice table (1..<see cref="Limits.MaxSlots"/>); slots are numbered 1..SlotCapacity.</summary>
    public required int SlotCapacity { get; init; }

    /// <summary>Mask with one bit per existing way (of domain 0).</summary>
    public ulong AllWaysMask => CacheWays >= 64 ? ulong.MaxValue : (1UL << CacheWays) - 1;

    /// <summary>
    /// Every problem with this description, in check order (empty when it is usable).
    /// The slicevisor refuses to start on a description with any: it runs exactly
    /// these checks on its own copy.
    /// </summary>
    public IReadOnlyList<ConfigError> Check()
    {
        var errors = new List<ConfigError>();
        _ = FrozenMachine.Freeze(this, errors);
        return errors;
    }
}
