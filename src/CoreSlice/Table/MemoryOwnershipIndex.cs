using CoreSlice.Faults;

namespace CoreSlice;

/// <summary>
/// Guest-owned memory as a sorted array of disjoint intervals, each tagged with
/// its slot. Overlap queries are a binary search (O(log n)), not a scan of every
/// slice or granule; insert and remove shift the array in place. Capacity is
/// fixed at construction (slots × range registers), so nothing ever allocates.
/// </summary>
internal sealed class MemoryOwnershipIndex
{
    private readonly ulong[] bases;
    private readonly ulong[] limits;
    private readonly int[] owners;
    private int count;

    public MemoryOwnershipIndex(int capacity)
    {
        bases = new ulong[capacity];
        limits = new ulong[capacity];
        owners = new int[capacity];
    }

    public int Count => count;

    /// <summary>Index of the first interval whose limit is above <paramref name="address"/> (count if none).</summary>
    private int LowerBound(ulong address)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (limits[mid] <= address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>
    /// The lowest interval overlapping <paramref name="range"/> (a representable, non-empty range):
    /// true with its owner and the overlapping part, false when the range touches no guest memory.
    /// </summary>
    public bool FindOverlap(MemoryRange range, out int owner, out MemoryRange overlap)
    {
        int i = LowerBound(range.Base);
        int top = InjectedBug.Active == Bug.ExistingOverlapOffByOne ? count - 1 : count;
        if (i < top && bases[i] < range.Limit)
        {
            owner = owners[i];
            overlap = range.Intersect(new MemoryRange(bases[i], limits[i] - bases[i]));
            return true;
        }
        owner = Owner.Free;
        overlap = default;
        return false;
    }

    /// <summary>The slot owning <paramref name="address"/>, or <see cref="Owner.Free"/>.</summary>
    public int OwnerOf(ulong address)
    {
        int i = LowerBound(address);
        return i < count && bases[i] <= address ? owners[i] : Owner.Free;
    }

    /// <summary>Adds a range the validator has shown to be disjoint from every interval here.</summary>
    public void Insert(MemoryRange range, int owner)
    {
        if (count == bases.Length)
        {
            // Unreachable when capacity = slots × registers; kept as an assertion, not a silent drop.
            throw new InvalidOperationException("memory ownership index full: capacity invariant broken");
        }
        int i = LowerBound(range.Base);
        int tail = count - i;
        Array.Copy(bases, i, bases, i + 1, tail);
        Array.Copy(limits, i, limits, i + 1, tail);
        Array.Copy(owners, i, owners, i + 1, tail);
        bases[i] = range.Base;
        limits[i] = range.Limit;
        owners[i] = owner;
        count++;
    }

    /// <summary>Removes every interval of <paramref name="owner"/>, keeping order: one pass.</summary>
    public void RemoveOwner(int owner)
    {
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            if (owners[i] != owner)
            {
                bases[kept] = bases[i];
                limits[kept] = limits[i];
                owners[kept] = owners[i];
                kept++;
            }
        }
        count = kept;
    }
}
