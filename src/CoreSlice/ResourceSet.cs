using System.Numerics;
using System.Runtime.CompilerServices;

namespace CoreSlice;

/// <summary>
/// A fixed 1024-bit set of core or device indices (an IPI mask, a slice's cores,
/// its devices). A value type with inline storage: copying it allocates nothing.
/// </summary>
public struct ResourceSet : IEquatable<ResourceSet>
{
    /// <summary>Number of 64-bit words: <see cref="Limits.MaxCores"/> / 64.</summary>
    public const int Words = 16;

    /// <summary>Capacity in bits.</summary>
    public const int Capacity = Words * 64;

    private Bits bits;

    [InlineArray(Words)]
    private struct Bits
    {
        private ulong element0;
    }

    /// <summary>True when <paramref name="index"/> is in the set; false for any out-of-range index.</summary>
    public readonly bool Contains(int index) =>
        (uint)index < Capacity && (bits[index >> 6] & (1UL << (index & 63))) != 0;

    /// <summary>Adds <paramref name="index"/> (must be 0..Capacity-1).</summary>
    public void Add(int index)
    {
        if ((uint)index >= Capacity)
        {
            ThrowHelper.ArgumentOutOfRange(nameof(index));
        }
        bits[index >> 6] |= 1UL << (index & 63);
    }

    /// <summary>Removes <paramref name="index"/> if present.</summary>
    public void Remove(int index)
    {
        if ((uint)index < Capacity)
        {
            bits[index >> 6] &= ~(1UL << (index & 63));
        }
    }

    /// <summary>Empties the set.</summary>
    public void Clear()
    {
        for (int w = 0; w < Words; w++)
        {
            bits[w] = 0;
        }
    }

    /// <summary>Number of members.</summary>
    public readonly int Count
    {
        get
        {
            int n = 0;
            for (int w = 0; w < Words; w++)
            {
                n += BitOperations.PopCount(bits[w]);
            }
            return n;
        }
    }

    /// <summary>True when the set has no member.</summary>
    public readonly bool IsEmpty
    {
        get
        {
            for (int w = 0; w < Words; w++)
            {
                if (bits[w] != 0)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>The raw 64-bit word <paramref name="word"/> (0..15): bits word*64 .. word*64+63.</summary>
    public readonly ulong Word(int word) => bits[word];

    /// <summary>
    /// The smallest member at or after <paramref name="start"/>, or -1. Iterate with
    /// <c>for (int i = s.Next(0); i >= 0; i = s.Next(i + 1))</c>: at most Capacity steps.
    /// </summary>
    public readonly int Next(int start)
    {
        if (start < 0)
        {
            start = 0;
        }
        for (int w = start >> 6; w < Words; w++)
        {
            ulong word = bits[w];
            if (w == start >> 6)
            {
                word &= ~0UL << (start & 63);
            }
            if (word != 0)
            {
                return (w << 6) + BitOperations.TrailingZeroCount(word);
            }
        }
        return -1;
    }

    /// <summary>True when every member of this set is in <paramref name="other"/>.</summary>
    public readonly bool IsSubsetOf(in ResourceSet other)
    {
        for (int w = 0; w < Words; w++)
        {
            if ((bits[w] & ~other.bits[w]) != 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when the sets share a member.</summary>
    public readonly bool Intersects(in ResourceSet other)
    {
        for (int w = 0; w < Words; w++)
        {
            if ((bits[w] & other.bits[w]) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <inheritdoc/>
    public readonly bool Equals(ResourceSet other)
    {
        for (int w = 0; w < Words; w++)
        {
            if (bits[w] != other.bits[w])
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is ResourceSet other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode()
    {
        ulong h = 0;
        for (int w = 0; w < Words; w++)
        {
            h = (h * 31) ^ bits[w];
        }
        return h.GetHashCode();
    }

    /// <summary>Set equality.</summary>
    public static bool operator ==(ResourceSet left, ResourceSet right) => left.Equals(right);

    /// <summary>Set inequality.</summary>
    public static bool operator !=(ResourceSet left, ResourceSet right) => !left.Equals(right);
}
