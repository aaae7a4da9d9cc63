namespace CoreSlice;

/// <summary>Which field of a <see cref="MachineConfig"/> a <see cref="ConfigError"/> is about.</summary>
public enum ConfigField : byte
{
    /// <summary><see cref="MachineConfig.CoreCount"/>.</summary>
    Cores,
    /// <summary><see cref="MachineConfig.ControlCores"/>.</summary>
    ControlCores,
    /// <summary><see cref="MachineConfig.GranuleSize"/>.</summary>
    Granule,
    /// <summary><see cref="MachineConfig.RamRegions"/>.</summary>
    Ram,
    /// <summary><see cref="MachineConfig.ControlMemory"/>.</summary>
    ControlMemory,
    /// <summary><see cref="MachineConfig.ReservedRegions"/>.</summary>
    Reserved,
    /// <summary><see cref="MachineConfig.DeviceCount"/>.</summary>
    Devices,
    /// <summary><see cref="MachineConfig.CacheWays"/>.</summary>
    CacheWays,
    /// <summary><see cref="MachineConfig.ControlWays"/>.</summary>
    ControlWays,
    /// <summary><see cref="MachineConfig.RangeRegistersPerCore"/>.</summary>
    RangeRegisters,
    /// <summary><see cref="MachineConfig.SlotCapacity"/>.</summary>
    Slots,
    /// <summary>A PMP port's <see cref="Hardware.Pmp.PmpGeometry.Entries"/>.</summary>
    PmpEntries,
    /// <summary>A PMP port's <see cref="Hardware.Pmp.PmpGeometry.Granularity"/>.</summary>
    PmpGranularity,
    /// <summary>A PMP port's <see cref="Hardware.Pmp.PmpGeometry.Harts"/>.</summary>
    PmpHarts,
    /// <summary>A PMP port's <see cref="Hardware.Pmp.PmpGeometry.MsipBase"/> (the CLINT's msip words).</summary>
    PmpClint,
    /// <summary><see cref="MachineConfig.CacheDomains"/>, the list itself (its length, a missing entry, a core in no domain).</summary>
    CacheDomains,
    /// <summary>A cache domain's <see cref="CacheDomain.Cores"/>. Index: the domain; Other: the position in its list.</summary>
    CacheDomainCores,
    /// <summary>A cache domain's <see cref="CacheDomain.Ways"/>. Index: the domain.</summary>
    CacheDomainWays,
    /// <summary>A cache domain's <see cref="CacheDomain.ControlWays"/>. Index: the domain.</summary>
    CacheDomainControlWays,
    /// <summary>A cache domain's <see cref="CacheDomain.MaxClassesOfService"/>. Index: the domain.</summary>
    CacheDomainClasses,
    /// <summary>A cache domain's <see cref="CacheDomain.MinMaskWidth"/>. Index: the domain.</summary>
    CacheDomainMinWidth,
}

/// <summary>What is wrong with the field a <see cref="ConfigError"/> names. A closed set: the TCB builds no text.</summary>
public enum ConfigProblem : byte
{
    /// <summary>A number is outside the range the field allows. Value: the number.</summary>
    OutOfRange,
    /// <summary>A list is missing, or holds fewer or more entries than allowed. Value: its length (0 when missing).</summary>
    BadLength,
    /// <summary>The control slice's cores leave no core for guests. Value: how many control cores.</summary>
    LeavesNoGuestCore,
    /// <summary>A control core is listed twice. Index: the later entry; Value: the core.</summary>
    Duplicate,
    /// <summary>The granule is not a power of two of at least <see cref="Limits.MinGranule"/>. Value: the granule.</summary>
    NotPowerOfTwo,
    /// <summary>A region is empty, or base + size wraps past 2^64. Index: the region; Value, Size: the region.</summary>
    EmptyOrWraps,
    /// <summary>A region is not aligned to the granule. Index: the region; Value, Size: the region.</summary>
    Unaligned,
    /// <summary>A control-memory region is not inside one RAM region. Index: the region; Value, Size: the region.</summary>
    OutsideRam,
    /// <summary>A region overlaps an earlier region (Other) of the same list. Value, Size: the region.</summary>
    OverlapsEarlier,
    /// <summary>A reserved region (Index) overlaps a control-memory region (Other). Value, Size: the reserved region.</summary>
    OverlapsControlMemory,
    /// <summary>A reserved region has no entry (a null element). Index: the entry.</summary>
    MissingEntry,
    /// <summary>The control ways name ways beyond the machine's. Value: the mask.</summary>
    WaysBeyondMachine,
    /// <summary>The control slice holds every way, so no slice could be created. Value: the mask.</summary>
    HoldsEveryWay,
    /// <summary>PMP granularity G is not 0: a coarser grain cannot fence one hart's 4-byte msip word. Value: G.</summary>
    PmpGrainTooCoarse,
    /// <summary>The machine's granule is not a multiple of the PMP grain 2^(G+2). Value: the granule; Size: the grain.</summary>
    GranuleFinerThanPmpGrain,
    /// <summary>The PMP port has a different number of harts (msip words) than the machine has cores. Value: the harts; Size: the cores.</summary>
    HartsDifferFromCores,
    /// <summary>A core is in no cache domain. Value: the core.</summary>
    CoreInNoDomain,
    /// <summary>A core is in two cache domains. Index: the later domain; Other: the earlier; Value: the core.</summary>
    CoreInTwoDomains,
    /// <summary>The control slice's ways in a domain break that domain's CAT rules (not contiguous, or narrower than the minimum). Index: the domain; Value: the mask.</summary>
    BreaksCatRules,
    /// <summary><see cref="MachineConfig.CacheWays"/> or <see cref="MachineConfig.ControlWays"/> differs from domain 0's. Value: the top-level value; Size: domain 0's.</summary>
    DisagreesWithDomain0,
}

/// <summary>
/// One problem with a machine description, as values: the field, what is wrong,
/// the list index (or -1), the other list index it conflicts with (or -1), and the
/// offending value (a number, or a region's base and size). The CLI and the
/// simulation turn these into sentences; the trusted core never builds a string.
/// </summary>
public readonly record struct ConfigError(ConfigField Field, ConfigProblem Problem, int Index, int Other, ulong Value, ulong Size);
