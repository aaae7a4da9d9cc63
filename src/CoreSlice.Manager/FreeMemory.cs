namespace CoreSlice.Manager;

/// <summary>
/// The manager's own view of free memory: RAM minus reserved, control and every
/// live slice's ranges, as sorted gaps. Untrusted bookkeeping: the slicevisor
/// re-checks whatever the manager proposes.
/// </summary>
public static class FreeMemory
{
    /// <summary>Free intervals, sorted by base, computed from the table's public view.</summary>
    public static List<MemoryRange> Gaps(MachineConfig config, SliceTable table)
    {
        var taken = new List<MemoryRange>();
        foreach (NamedRegion r in config.ReservedRegions)
        {
            taken.Add(r.Range);
        }
        taken.AddRange(config.ControlMemory);
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry entry = table[slot];
            if (entry.State != SliceState.Free)
            {
                taken.AddRange(entry.Ranges.ToArray());
            }
        }
        taken.Sort((a, b) => a.Base.CompareTo(b.Base));
        var gaps = new List<MemoryRange>();
        foreach (MemoryRange ram in config.RamRegions)
        {
            ulong cursor = ram.Base;
            foreach (MemoryRange t in taken)
            {
                if (t.Limit <= cursor || t.Base >= ram.Limit)
                {
                    continue;
                }
                if (t.Base > cursor)
                {
                    gaps.Add(new MemoryRange(cursor, t.Base - cursor));
                }
                cursor = Math.Max(cursor, t.Limit);
            }
            if (cursor < ram.Limit)
            {
                gaps.Add(new MemoryRange(cursor, ram.Limit - cursor));
            }
        }
        return gaps;
    }
}
