namespace CoreSlice;

/// <summary>
/// Hard upper bounds of the trusted core. Every table is sized from the machine
/// description at construction and never grows; these maxima bound every loop
/// (TigerBeetle style: put a limit on everything).
/// </summary>
public static class Limits
{
    /// <summary>Most cores a machine may have.</summary>
    public const int MaxCores = 1024;

    /// <summary>Most SR-IOV virtual functions (devices) a machine may have.</summary>
    public const int MaxDevices = 1024;

    /// <summary>Most cache ways of one cache domain (a domain's way set is one 64-bit mask).</summary>
    public const int MaxCacheWays = 64;

    /// <summary>Most last-level-cache domains (sockets) a machine may have.</summary>
    public const int MaxCacheDomains = 8;

    /// <summary>Most ways of a whole machine: every domain at its maximum (ways are numbered densely across domains).</summary>
    public const int MaxMachineWays = MaxCacheDomains * MaxCacheWays;

    /// <summary>Most range registers per core, and so most memory ranges per slice.</summary>
    public const int MaxRangeRegisters = 64;

    /// <summary>Most per-device DMA ranges (IOMMU mappings) one slice may list.</summary>
    public const int MaxDmaRanges = 64;

    /// <summary>Most guest slots in the slice table.</summary>
    public const int MaxSlots = 1024;

    /// <summary>Most RAM regions, reserved regions or control-memory ranges in a machine description.</summary>
    public const int MaxRegions = 64;

    /// <summary>Smallest granule: 4 KiB pages.</summary>
    public const ulong MinGranule = 4096;
}
