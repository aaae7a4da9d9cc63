namespace CoreSlice;

/// <summary>
/// The outcome of a slicevisor operation: success (with the slot), or exactly
/// which check failed, on what, and against whom. A plain value: no allocation.
/// </summary>
public readonly record struct SliceResult
{
    /// <summary>What failed, or <see cref="SliceError.None"/>.</summary>
    public SliceError Error { get; init; }

    /// <summary>The slot the operation created or acted on (0 when none).</summary>
    public int Slot { get; init; }

    /// <summary>The failing item: a core, device or way index, a range's index in the request, or a state. -1 when none.</summary>
    public int Subject { get; init; }

    /// <summary>The conflicting party: a slot (1..), <see cref="Owner.Control"/>, <see cref="Owner.Reserved"/>, or <see cref="Owner.None"/>.</summary>
    public int Holder { get; init; }

    /// <summary>For memory conflicts: the index of the reserved region, control range or earlier request range; -1 otherwise.</summary>
    public int HolderRegion { get; init; }

    /// <summary>For memory conflicts: the overlapping interval [ConflictBase, ConflictBase + ConflictSize).</summary>
    public ulong ConflictBase { get; init; }

    /// <summary>Size of the overlapping interval (0 when not a memory conflict).</summary>
    public ulong ConflictSize { get; init; }

    /// <summary>True when the operation succeeded.</summary>
    public bool Ok => Error == SliceError.None;

    /// <summary>A success for <paramref name="slot"/>.</summary>
    public static SliceResult Success(int slot) =>
        new() { Error = SliceError.None, Slot = slot, Subject = -1, Holder = Owner.None, HolderRegion = -1 };

    /// <summary>A failure naming the failing item and, where there is one, its holder.</summary>
    public static SliceResult Fail(SliceError error, int slot, int subject, int holder = Owner.None, int holderRegion = -1) =>
        new() { Error = error, Slot = slot, Subject = subject, Holder = holder, HolderRegion = holderRegion };

    /// <summary>A memory conflict: the range at <paramref name="subject"/> overlaps [conflictBase, +conflictSize) held by <paramref name="holder"/>.</summary>
    public static SliceResult MemoryConflict(SliceError error, int subject, int holder, int holderRegion, ulong conflictBase, ulong conflictSize) =>
        new()
        {
            Error = error, Slot = 0, Subject = subject, Holder = holder, HolderRegion = holderRegion,
            ConflictBase = conflictBase, ConflictSize = conflictSize,
        };
}
