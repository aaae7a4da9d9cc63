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

    /// <summary>Memory ranges (one range register each), in the order they are checked.</summary>
    public ReadOnlyMemory<MemoryRange> Ranges { get; init; }

    /// <summary>Device (SR-IOV virtual function) indices.</summary>
    public ReadOnlyMemory<int> Devices { get; init; }

    /// <summary>Cache ways as a bit mask (bit w = way w).</summary>
    public ulong Ways { get; init; }

    /// <summary>Physical address where the guest starts; must lie inside one of <see cref="Ranges"/>.</summary>
    public ulong EntryPoint { get; init; }
}
