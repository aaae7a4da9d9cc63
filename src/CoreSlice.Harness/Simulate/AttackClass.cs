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
}
