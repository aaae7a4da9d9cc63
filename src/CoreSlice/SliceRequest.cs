using CoreSlice.Hardware;

namespace CoreSlice;

/// <summary>
/// What the untrusted manager asks for. Every field is hostile: lists may repeat
/// items, hold out-of-range indices, or be longer than the machine. The
/// slicevisor copies the request into its own buffers before checking it, so a
/// manager that rewrites the arrays during the call changes nothing (no TOCTOU).
/// </summary>
public readonly record struct SliceRequest
{
    /// <summary>Core indices, in the order they are checked.</summary>
    public ReadOnlyMemory<int> Cores { get; init; }

    /// <summary>Private memory ranges (one range register each), in the order they are checked.</summary>
    public ReadOnlyMemory<MemoryRange> Ranges { get; init; }

    /// <summary>
    /// The guest's permissions on each private range, in the order of <see cref="Ranges"/>:
    /// empty means every private range is read/write/execute (the first wave's meaning);
    /// otherwise exactly one per range, each a non-empty subset of Read|Write|Execute.
    /// </summary>
    public ReadOnlyMemory<Permissions> RangePermissions { get; init; }

    /// <summary>
    /// Windows onto control-slice memory shared with this guest (one range register each,
    /// after the private ranges), in the order they are checked.
    /// </summary>
    public ReadOnlyMemory<SharedWindow> Windows { get; init; }

    /// <summary>Device (SR-IOV virtual function) indices.</summary>
    public ReadOnlyMemory<int> Devices { get; init; }

    /// <summary>
    /// Per-device DMA ranges (one IOMMU mapping each), in the order they are checked: empty
    /// means every device reaches every private range with its Read/Write permissions;
    /// otherwise a device reaches exactly the ranges that name it. At most
    /// <see cref="Limits.MaxDmaRanges"/>.
    /// </summary>
    public ReadOnlyMemory<DmaRange> DmaRanges { get; init; }

    /// <summary>
    /// Cache ways of domain 0 as a bit mask (bit w = way w); on a machine without
    /// <see cref="MachineConfig.CacheDomains"/>, every way of the machine.
    /// </summary>
    public ulong Ways { get; init; }

    /// <summary>
    /// Ways in the other cache domains (and domain 0's, when <see cref="Ways"/> is zero), each
    /// domain at most once: at most the machine's domain count. The slice must hold ways in
    /// exactly the domains of its cores (at least one in each), exclusively per domain, and as
    /// each domain's CAT rules allow.
    /// </summary>
    public ReadOnlyMemory<DomainWays> DomainWays { get; init; }

    /// <summary>Physical address where the guest starts; must lie inside one of <see cref="Ranges"/>, one the guest may execute.</summary>
    public ulong EntryPoint { get; init; }
}
