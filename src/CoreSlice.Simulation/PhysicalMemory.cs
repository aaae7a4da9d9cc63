namespace CoreSlice.Simulation;

/// <summary>
/// Who last wrote a granule, besides guest slots (1..) and <see cref="Owner.Control"/>.
/// </summary>
public static class MemoryWriter
{
    /// <summary>Nobody: the granule was never written since power-on or its last scrub, and reads as zero.</summary>
    public const int Nobody = Owner.None;

    /// <summary>
    /// A writer the machine could not attribute: no ownership view was attached
    /// (<see cref="SimulatedMachine.AttachOwnership"/>), or it named no owner.
    /// </summary>
    public const int Unknown = -4;
}

/// <summary>
/// Sparse physical memory with real contents: one page per granule, present only
/// once written. An absent page reads as zero and has no writer, so a scrub is a
/// page drop and "holds zeros / written by no one" is one test (I5, S7).
/// <para>
/// Allocation: a page is allocated the first time a granule is written, and
/// dropped pages go to a bounded pool that later writes reuse; the page map grows
/// like any dictionary. Nothing else on the write, read or scrub path allocates.
/// </para>
/// </summary>
public sealed class PhysicalMemory
{
    /// <summary>Dropped pages kept for reuse (4096 pages: 16 MiB at 4 KiB granules).</summary>
    private const int PoolLimit = 4096;

    private readonly Dictionary<ulong, Page> pages = [];
    private readonly Stack<Page> pool = new();
    private readonly int shift;

    /// <summary>Creates empty memory with the given granule (a power of two).</summary>
    public PhysicalMemory(ulong granuleSize)
    {
        if (granuleSize == 0 || (granuleSize & (granuleSize - 1)) != 0 || granuleSize > 1UL << 30)
        {
            throw new ArgumentOutOfRangeException(nameof(granuleSize), "the granule must be a power of two up to 1 GiB");
        }
        GranuleSize = granuleSize;
        shift = System.Numerics.BitOperations.TrailingZeroCount(granuleSize);
    }

    /// <summary>Bytes per granule (and per page).</summary>
    public ulong GranuleSize { get; }

    /// <summary>Number of granules currently holding a page (written since their last scrub).</summary>
    public int PresentPages => pages.Count;

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="address"/>, recording <paramref name="writer"/> for every granule touched.</summary>
    public void Write(ulong address, ReadOnlySpan<byte> bytes, int writer)
    {
        int done = 0;
        while (done < bytes.Length)
        {
            ulong at = address + (ulong)done;
            int offset = (int)(at & (GranuleSize - 1));
            int chunk = (int)Math.Min((ulong)(bytes.Length - done), GranuleSize - (ulong)offset);
            Page page = GetOrAddPage(at >> shift);
            bytes.Slice(done, chunk).CopyTo(page.Data.AsSpan(offset, chunk));
            page.Writer = writer;
            done += chunk;
        }
    }

    /// <summary>Reads into <paramref name="destination"/> from <paramref name="address"/>; unwritten granules read as zero.</summary>
    public void Read(ulong address, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            ulong at = address + (ulong)done;
            int offset = (int)(at & (GranuleSize - 1));
            int chunk = (int)Math.Min((ulong)(destination.Length - done), GranuleSize - (ulong)offset);
            if (pages.TryGetValue(at >> shift, out Page? page))
            {
                page.Data.AsSpan(offset, chunk).CopyTo(destination.Slice(done, chunk));
            }
            else
            {
                destination.Slice(done, chunk).Clear();
            }
            done += chunk;
        }
    }

    /// <summary>The last writer of the granule holding <paramref name="address"/>, or <see cref="MemoryWriter.Nobody"/>.</summary>
    public int LastWriter(ulong address) =>
        pages.TryGetValue(address >> shift, out Page? page) ? page.Writer : MemoryWriter.Nobody;

    /// <summary>True when the granule holding <paramref name="address"/> has a page (was written since its last scrub).</summary>
    public bool IsPresent(ulong address) => pages.ContainsKey(address >> shift);

    /// <summary>
    /// Zeroes <paramref name="range"/>: whole granules are dropped (zero, no writer);
    /// granules only partly inside are zeroed in place and keep their writer. The
    /// work is bounded by min(granules in the range, pages present), so scrubbing
    /// a mostly untouched 1 GiB range is cheap.
    /// </summary>
    public void Scrub(MemoryRange range)
    {
        if (range.Size == 0)
        {
            return;
        }
        ulong limit = range.IsRepresentable ? range.Limit : ulong.MaxValue;
        ulong mask = GranuleSize - 1;
        ulong headEnd = (range.Base & mask) == 0 || (range.Base | mask) == ulong.MaxValue
            ? range.Base
            : Math.Min(limit, (range.Base | mask) + 1);
        ZeroPart(range.Base, headEnd);
        if (headEnd >= limit && headEnd != range.Base)
        {
            return;
        }
        ulong tailStart = limit & ~mask;
        if (tailStart > headEnd)
        {
            DropWhole(headEnd >> shift, tailStart >> shift);
        }
        ZeroPart(Math.Max(tailStart, headEnd), limit);
    }

    /// <summary>Calls <paramref name="visit"/>(granule base, last writer) for every present page, in no particular order.</summary>
    public void ForEachPresent(Action<ulong, int> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        foreach (KeyValuePair<ulong, Page> entry in pages)
        {
            visit(entry.Key << shift, entry.Value.Writer);
        }
    }

    private void DropWhole(ulong first, ulong end)
    {
        ulong count = end - first;
        if (count <= (ulong)pages.Count)
        {
            for (ulong g = first; g < end; g++)
            {
                if (pages.Remove(g, out Page? page))
                {
                    Recycle(page);
                }
            }
            return;
        }
        // Removing the current entry while enumerating is allowed for Dictionary (.NET Core 3.0+).
        foreach (KeyValuePair<ulong, Page> entry in pages)
        {
            if (entry.Key >= first && entry.Key < end)
            {
                pages.Remove(entry.Key);
                Recycle(entry.Value);
            }
        }
    }

    private void ZeroPart(ulong from, ulong to)
    {
        if (to <= from)
        {
            return;
        }
        if (pages.TryGetValue(from >> shift, out Page? page))
        {
            int offset = (int)(from & (GranuleSize - 1));
            page.Data.AsSpan(offset, (int)(to - from)).Clear();
        }
    }

    private void Recycle(Page page)
    {
        if (pool.Count < PoolLimit)
        {
            pool.Push(page);
        }
    }

    private Page GetOrAddPage(ulong granule)
    {
        if (pages.TryGetValue(granule, out Page? page))
        {
            return page;
        }
        if (pool.TryPop(out page))
        {
            Array.Clear(page.Data);
        }
        else
        {
            page = new Page(new byte[GranuleSize]);
        }
        pages.Add(granule, page);
        return page;
    }

    private sealed class Page(byte[] data)
    {
        public byte[] Data { get; } = data;

        public int Writer { get; set; } = MemoryWriter.Nobody;
    }
}
