using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Simulation.Audit;

/// <summary>
/// I2 and I3 on a PMP machine: a hart's filter is its PMP entries, read as what they let the
/// M-mode guest do (<see cref="PmpGrants"/>, from <see cref="PmpRules"/> alone, not from the
/// encoder that wrote them). The msip words stand for the IPI mask: storing to hart h's word is
/// an IPI to h.
/// </summary>
public sealed partial class InvariantAudit
{
    /// <summary>I2 on PMP: every entry locked, and every byte the entries grant is the owner's (a window within its permission, an msip word of its own harts).</summary>
    private void PmpFilterSound(Sink v, int c, int owner, ReadOnlySpan<MemoryRange> memory, ResourceSet cores)
    {
        ReadOnlySpan<PmpEntry> entries = pmp!.EntriesOf(c);
        for (int i = 0; i < entries.Length; i++)
        {
            if (!entries[i].Locked)
            {
                v.Add($"core {c} ({OwnerText.Describe(owner)}) runs with PMP entry {i} unlocked (it does not bind M-mode)");
            }
        }
        var allowed = new List<PmpGrant>();
        foreach (MemoryRange r in memory)
        {
            AddGrant(allowed, r, Permissions.ReadWriteExecute);
        }
        if (owner >= 1 && owner <= table.Capacity)
        {
            foreach (SharedWindow w in table[owner].Windows)
            {
                AddGrant(allowed, w.Range, w.Permissions);
            }
        }
        AddMsipWords(allowed, cores);
        foreach (PmpGrant g in PmpGrants.Of(entries, pmp.Geometry.Granularity))
        {
            if (!PmpGrants.CoveredBy(g, allowed, out ulong outside))
            {
                v.Add($"core {c}'s PMP entries grant {g}, and 0x{outside:x} is outside what {OwnerText.Describe(owner)} holds{MsipText(outside)}");
            }
        }
    }

    /// <summary>I3 on PMP: the entries grant exactly the slice's private ranges and windows, each with its permissions, and its harts' msip words.</summary>
    private void PmpFilterExact(Sink v, int c, int slot, SliceEntry e)
    {
        var expected = new List<PmpGrant>();
        ReadOnlySpan<MemoryRange> ranges = e.Ranges;
        for (int i = 0; i < ranges.Length; i++)
        {
            AddGrant(expected, ranges[i], e.RangePermissions[i]);
        }
        foreach (SharedWindow w in e.Windows)
        {
            AddGrant(expected, w.Range, w.Permissions);
        }
        AddMsipWords(expected, e.Cores);
        List<PmpGrant> want = PmpGrants.Join(expected);
        List<PmpGrant> have = PmpGrants.Of(pmp!.EntriesOf(c), pmp.Geometry.Granularity);
        for (int k = 0; k < Math.Max(want.Count, have.Count); k++)
        {
            string w = k < want.Count ? want[k].ToString() : "nothing more";
            string h = k < have.Count ? have[k].ToString() : "nothing more";
            if (w != h)
            {
                v.Add($"core {c} (slot {slot}) PMP entries grant {h}{(k < have.Count ? MsipText(have[k].First) : "")} where the entry dictates {w} (grant {k})");
                return;
            }
        }
    }

    private static void AddGrant(List<PmpGrant> list, MemoryRange range, Permissions permissions)
    {
        if (PmpGrants.For(range, permissions) is { } g)
        {
            list.Add(g);
        }
    }

    private void AddMsipWords(List<PmpGrant> list, ResourceSet harts)
    {
        for (int h = harts.Next(0); h >= 0 && h < pmp!.Geometry.Harts; h = harts.Next(h + 1))
        {
            AddGrant(list, new MemoryRange(pmp.Geometry.MsipAddress(h), PmpGeometry.MsipWord), PmpEncoder.MsipPermissions);
        }
    }

    /// <summary>", hart h's msip word (an IPI to core h of its owner)" when <paramref name="address"/> is one.</summary>
    private string MsipText(ulong address)
    {
        PmpGeometry g = pmp!.Geometry;
        if (address < g.MsipBase || address - g.MsipBase >= PmpGeometry.MsipWord * (ulong)g.Harts)
        {
            return "";
        }
        int hart = (int)((address - g.MsipBase) / PmpGeometry.MsipWord);
        return $": hart {hart}'s msip word (IPIs to core {hart} of {OwnerText.Describe(table.CoreOwner(hart))})";
    }
}
