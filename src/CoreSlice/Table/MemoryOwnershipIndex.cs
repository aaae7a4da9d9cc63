namespace CoreSlice;

/// <summary>
/// Guest-held memory as a sorted array of disjoint intervals, each tagged with
/// its slot (the slice table keeps two: private ranges, and windows). Overlap queries are a binary search (O(log n)), not a scan of every
/// slice or granule; insert and remove shift the array in place. Capacity is
/// fixed at construction (slots × range registers), so nothing ever allocates;
/// a slice's ranges go in with one pass and come out with one pass.
/// </summary>
internal sealed class MemoryOwnershipIndex
{
    private readonly ulong[] bases;
    private readonly ulong[] limits;
    private readonly int[] owners;
    private readonly MemoryRange[] sorted;
    private readonly int[] positions;
    private int count;

    public MemoryOwnershipIndex(int capacity, int rangesPerSlice)
    {
        sorted = new MemoryRange[rangesPerSlice];
        positions = new int[rangesPerSlice];
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
        if (i < count && bases[i] < range.Limit)
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

    /// <summary>
    /// Adds a slice's ranges, which the validator has shown to be disjoint from every
    /// interval here and from each other. One pass from the back: each interval already
    /// here moves at most once (one block move per new range), however many ranges come.
    /// </summary>
    public void InsertAll(ReadOnlySpan<MemoryRange> ranges, int owner)
    {
        int k = ranges.Length;
        // Capacity is slots × registers, so a validated slice always fits.
        Invariant.Holds(k <= sorted.Length && count <= bases.Length - k, "memory ownership index: full (capacity invariant broken)");
        Span<MemoryRange> order = sorted.AsSpan(0, k);
        ranges.CopyTo(order);
        for (int i = 1; i < k; i++)
        {
            // Insertion sort by base: k is at most the range-register count.
            MemoryRange r = order[i];
            int j = i - 1;
            while (j >= 0 && order[j].Base > r.Base)
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = r;
        }
        for (int j = 0; j < k; j++)
        {
            positions[j] = LowerBound(order[j].Base); // against the intervals already here, before any move
        }
        int end = count;
        for (int j = k - 1; j >= 0; j--)
        {
            // Old intervals [positions[j], end) sit after new ranges 0..j: they move up by j + 1.
            int from = positions[j];
            int tail = end - from;
            Array.Copy(bases, from, bases, from + j + 1, tail);
            Array.Copy(limits, from, limits, from + j + 1, tail);
            Array.Copy(owners, from, owners, from + j + 1, tail);
            bases[from + j] = order[j].Base;
            limits[from + j] = order[j].Limit;
            owners[from + j] = owner;
            end = from;
        }
        count += k;
        for (int j = 0; j < k; j++)
        {
            // Disjoint and sorted around each new interval, where it landed: what the validator established.
            int at = positions[j] + j;
            Invariant.Holds(at == 0 || limits[at - 1] <= bases[at], "memory ownership index: overlap or disorder below an inserted range");
            Invariant.Holds(at + 1 == count || limits[at] <= bases[at + 1], "memory ownership index: overlap or disorder above an inserted range");
        }
    }

    /// <summary>
    /// Removes every interval of <paramref name="owner"/>, keeping order: a vectorized
    /// search for each run of the owner's intervals and one block move per kept run.
    /// </summary>
    public void RemoveOwner(int owner)
    {
        int write = owners.AsSpan(0, count).IndexOf(owner);
        if (write < 0)
        {
            return;
        }
        int read = write;
        while (read < count)
        {
            // Each turn skips a run of the owner's intervals (at least one) and keeps the run after it.
            int skip = owners.AsSpan(read, count - read).IndexOfAnyExcept(owner);
            if (skip < 0)
            {
                break;
            }
            read += skip;
            int keep = owners.AsSpan(read, count - read).IndexOf(owner);
            if (keep < 0)
            {
                keep = count - read;
            }
            Array.Copy(bases, read, bases, write, keep);
            Array.Copy(limits, read, limits, write, keep);
            Array.Copy(owners, read, owners, write, keep);
            write += keep;
            read += keep;
        }
        Invariant.Holds(owners.AsSpan(0, write).IndexOf(owner) < 0, "memory ownership index: an interval of a removed owner remains");
        count = write;
    }
}
