using System.Runtime.InteropServices;

namespace CoreSlice;

/// <summary>
/// A physical memory range [Base, Base + Size). Ranges from the manager are
/// hostile until validated; the helpers below are overflow-safe for any values.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct MemoryRange(ulong Base, ulong Size)
{
    /// <summary>True when Base + Size does not exceed 2^64 - 1, so the exclusive limit is representable.</summary>
    public bool IsRepresentable => Size <= ulong.MaxValue - Base;

    /// <summary>Exclusive end. Only meaningful when <see cref="IsRepresentable"/>.</summary>
    public ulong Limit => Base + Size;

    /// <summary>True when <paramref name="address"/> lies inside, for any Base and Size (no overflow).</summary>
    public bool Contains(ulong address) => address >= Base && address - Base < Size;

    /// <summary>
    /// True when [address, address + length) lies inside this range. Written as
    /// differences so that a hostile length cannot wrap the comparison.
    /// </summary>
    public bool Covers(ulong address, ulong length) =>
        address >= Base && address - Base <= Size && length <= Size - (address - Base);

    /// <summary>True when <paramref name="other"/> lies entirely inside this range (both may be hostile).</summary>
    public bool Covers(MemoryRange other) => Covers(other.Base, other.Size);

    /// <summary>True when the two ranges share at least one address. Both must be representable.</summary>
    public bool Overlaps(MemoryRange other) =>
        Size != 0 && other.Size != 0 && Base < other.Limit && other.Base < Limit;

    /// <summary>The shared part of two overlapping representable ranges.</summary>
    public MemoryRange Intersect(MemoryRange other)
    {
        ulong lo = Base > other.Base ? Base : other.Base;
        ulong hi = Limit < other.Limit ? Limit : other.Limit;
        return hi > lo ? new MemoryRange(lo, hi - lo) : default;
    }

    /// <inheritdoc/>
    public override string ToString() => $"[0x{Base:x}, 0x{Base + Size:x})";
}
