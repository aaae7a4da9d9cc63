using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Conformance;

/// <summary>
/// The spec's per-core filter (range registers, IPI mask, lock bit), read from a hart's PMP entries on the PMP port,
/// with <see cref="PmpRules"/> alone (never with the encoder under test):
/// <list type="bullet">
/// <item>register k is the k-th entry, in entry order, that matches some bytes with some permission, outside the
/// msip words: its interval and its R/W/X bits. OFF entries (a TOR bottom, the fillers) and the deny-all grant
/// nothing and hold no register. The sliceloader places a slice's regions in request order (ranges, then windows),
/// so this is the order the spec's registers have; a region placed elsewhere, widened, or with other bits is a
/// different register and the step does not conform.</item>
/// <item>the IPI mask holds hart h when an entry matching h's msip word decides, and it lets the hart's M-mode store
/// there (the lowest matching entry decides; a word no entry matches is in no mask).</item>
/// <item>locked: the abstract machine's lock and every entry's L bit.</item>
/// </list>
/// An entry that grants bytes beyond the registers the spec has, or every byte of the address space (which no
/// register describes), is a problem the step reports.
/// </summary>
internal static class PmpFilter
{
    public static void Capture(PmpMachine pmp, int core, AbstractState s, List<string> problems)
    {
        ReadOnlySpan<PmpEntry> entries = pmp.EntriesOf(core);
        PmpGeometry g = pmp.Geometry;
        ulong msipFirst = g.MsipBase;
        ulong msipLast = g.MsipAddress(g.Harts - 1) + (PmpGeometry.MsipWord - 1);
        bool allLocked = true;
        int register = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            allLocked &= entries[i].Locked;
            if (entries[i].Permissions == Permissions.None || !PmpRules.Interval(entries, i, g.Granularity, out ulong first, out ulong last))
            {
                continue;
            }
            if (first >= msipFirst && last <= msipLast)
            {
                continue;   // msip words: the IPI mask, below
            }
            if (register >= s.Registers || (first == 0 && last == ulong.MaxValue))
            {
                problems.Add($"core {core}: PMP entry {i} grants 0x{first:x}..0x{last:x} {entries[i].Permissions}, which no register of the spec's {s.Registers} holds");
                continue;
            }
            s.RrBase[core][register] = first;
            s.RrSize[core][register] = last - first + 1;
            s.RrPerm[core][register] = (int)entries[i].Permissions;
            register++;
        }
        s.Locked[core] = pmp.Inner.IsLocked(core) && allLocked;
        for (int h = 0; h < g.Harts && h < s.Cores; h++)
        {
            // an entry must decide: with none matching, M-mode's default allows everything, which is no mask at all (a
            // reset hart's entries are all OFF; it runs nothing until the sliceloader programs it, deny-all last)
            if (PmpRules.Allows(entries, g.Granularity, g.MsipAddress(h), PmpGeometry.MsipWord, Permissions.Write, machineMode: true, out int deciding) && deciding >= 0)
            {
                s.Ipi[core].Add(h);
            }
        }
    }
}
