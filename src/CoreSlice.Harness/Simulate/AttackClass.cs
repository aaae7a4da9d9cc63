namespace CoreSlice.Harness.Simulate;

/// <summary>The kinds of guest action the scenario tries, attacks and legitimate controls alike.</summary>
internal enum AttackClass
{
    /// <summary>A guest's load/store/fetch of its own memory: must be allowed (the positive control).</summary>
    OwnMemory,
    /// <summary>Load/store/fetch of another slice's, the control slice's, reserved or free memory.</summary>
    ForeignMemory,
    /// <summary>Load/store/fetch past the end of RAM.</summary>
    BeyondRam,
    /// <summary>DMA by a slice's device outside its slice's memory.</summary>
    ForeignDma,
    /// <summary>DMA by a device that no running slice owns.</summary>
    UnassignedDma,
    /// <summary>An IPI to a core of another slice or of the control slice.</summary>
    ForeignIpi,
    /// <summary>A guest rewriting one of its core's locked filter registers.</summary>
    FilterWrite,
    /// <summary>A guest asking for a reset of a core.</summary>
    ResetRequest,
    /// <summary>A freshly created slice reading memory a previous owner wrote.</summary>
    ResidueProbe,
    /// <summary>One step of a round trip through a read-write window (control writes, guest reads, guest writes, control reads): must be allowed.</summary>
    WindowExchange,
    /// <summary>Load/store/fetch by another slice's guest in a window it was not given.</summary>
    ForeignWindow,
    /// <summary>A window's own guest fetching from it, or writing a read-only one.</summary>
    WindowMisuse,
    /// <summary>DMA inside one of the device's DMA ranges with the permission the range grants: must be allowed.</summary>
    DmaInRows,
    /// <summary>DMA outside the device's DMA ranges (its slice's unlisted memory, other slices', control memory), or a write to a read-only range.</summary>
    DmaOutsideRows,
    /// <summary>A window's next holder reading every granule of it after the previous holder wrote there.</summary>
    WindowResidue,
}
