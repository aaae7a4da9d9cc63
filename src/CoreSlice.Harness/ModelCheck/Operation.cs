using CoreSlice.Harness.Steps;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>What an explored step does.</summary>
internal enum OpKind : byte
{
    /// <summary>Slicevisor CreateSlice(request).</summary>
    Create,
    /// <summary>Slicevisor LoadImage(slot, address, bytes).</summary>
    Load,
    /// <summary>Slicevisor StartSlice(slot).</summary>
    Start,
    /// <summary>Slicevisor DestroySlice(slot).</summary>
    Destroy,
    /// <summary>A guest core stores 8 non-zero bytes at an address.</summary>
    Store,
    /// <summary>A device DMA-writes 8 non-zero bytes at an address.</summary>
    Dma,
    /// <summary>A guest core writes its range register 0 to cover all memory, RWX.</summary>
    WriteRangeRegister,
    /// <summary>A guest core writes its IPI mask to every core.</summary>
    WriteIpiMask,
    /// <summary>A guest core writes its way mask to every way.</summary>
    WriteWayMask,
    /// <summary>A guest core asks to reset a core.</summary>
    RequestReset,
}

/// <summary>One explored operation with all its arguments; <see cref="Text"/> says it in words.</summary>
internal sealed record Operation(OpKind Kind, string Text)
{
    /// <summary>Create: the request.</summary>
    public SliceRequest Request { get; init; }

    /// <summary>Load/Start/Destroy: the slot (may be invalid).</summary>
    public int Slot { get; init; }

    /// <summary>Load/Store/Dma: the address.</summary>
    public ulong Address { get; init; }

    /// <summary>Load: number of bytes.</summary>
    public int Length { get; init; }

    /// <summary>Guest actions: the acting core; Dma: the device; RequestReset: the acting core.</summary>
    public int Actor { get; init; }

    /// <summary>RequestReset: the core asked to reset.</summary>
    public int Target { get; init; }

    /// <summary>The fault armed before a Start or Destroy.</summary>
    public FaultKind Fault { get; init; }

    /// <summary>The core or device the fault hits.</summary>
    public int FaultTarget { get; init; }

    /// <summary>The armed fault as one value.</summary>
    public Fault Armed => new(Fault, FaultTarget);

    /// <summary>True for slicevisor operations (the only ones allowed to reset cores).</summary>
    public bool Privileged => Kind is OpKind.Create or OpKind.Load or OpKind.Start or OpKind.Destroy;

    /// <inheritdoc/>
    public override string ToString() => Text;
}
