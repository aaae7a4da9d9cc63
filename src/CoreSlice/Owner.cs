namespace CoreSlice;

/// <summary>
/// Who owns a resource. Guest slots are 1..capacity; the other values are sentinels.
/// Ownership maps hold these, so "two owners at once" cannot even be written down.
/// </summary>
public static class Owner
{
    /// <summary>Nobody: the resource may be assigned.</summary>
    public const int Free = -1;

    /// <summary>The control slice (slice 0): the manager's cores, memory and ways.</summary>
    public const int Control = 0;

    /// <summary>Reserved memory: the slicevisor, the slice table, firmware. Never assignable.</summary>
    public const int Reserved = -2;

    /// <summary>No party (used in results that have no conflicting holder).</summary>
    public const int None = -3;
}
