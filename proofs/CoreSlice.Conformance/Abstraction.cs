using System.Buffers.Binary;
using CoreSlice.Hardware;
using CoreSlice.Harness.Ports;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Conformance;

/// <summary>
/// The abstraction function: the implementation's state (slice table + simulated
/// machine) as the spec's <c>State</c>. Ghost fields are not implementation state:
/// after a step they come from the spec's successor of the previous abstract state
/// (<see cref="ConformanceChecker.Complete"/>). Nothing here changes the implementation.
/// </summary>
public static class Abstraction
{
    /// <summary>An IOMMU window that is open but equals no live slot's memory.</summary>
    public const int UnknownWindow = -4;

    /// <summary>
    /// Abstracts the implementation. When <paramref name="initial"/>, the ghost fields are Init's (the
    /// ownership maps, no slot ever created); otherwise they, and the received-IPI record (the simulator
    /// keeps only counts), are left empty for <see cref="ConformanceChecker.Complete"/> to set.
    /// <paramref name="strictFreeSlots"/> no longer changes anything: the spec now clears a freed
    /// entry as the code does, so a Free slot is abstracted as the code holds it.
    /// <paramref name="problems"/> collects representation checks
    /// that the spec cannot see (the code's own ownership index vs. its entries, a
    /// Free entry not cleared).
    /// </summary>
    public static AbstractState Capture<THardware>(Slicevisor<THardware> visor, SimulatedMachine machine, bool initial, bool strictFreeSlots, List<string> problems)
        where THardware : IHardwarePort
    {
        ArgumentNullException.ThrowIfNull(visor);
        _ = strictFreeSlots;
        return Capture(visor.Table, visor.Log, machine, null, initial, problems);
    }

    /// <summary>
    /// As <see cref="Capture{THardware}"/>, for a slicevisor on either port (<see cref="Bench"/>). On the PMP port the
    /// spec's filter registers and IPI masks are read from the harts' PMP entries (<see cref="PmpFilter"/>).
    /// </summary>
    public static AbstractState Capture(Bench bench, bool initial, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(bench);
        return Capture(bench.Table, bench.Log, bench.Machine, bench.Pmp, initial, problems);
    }

    private static AbstractState Capture(SliceTable table, CoreSlice.Log.DecisionLog log, SimulatedMachine machine, PmpMachine? pmp, bool initial, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(problems);
        MachineConfig m = machine.Config;
        var dl = DomainLayout.Of(m);
        var s = new AbstractState(m.CoreCount, m.SlotCapacity, m.DeviceCount, dl.SpecWays, m.RangeRegistersPerCore);
        for (int t = 1; t <= m.SlotCapacity; t++)
        {
            SliceEntry e = table[t];
            s.St[t] = (int)e.State;
            ReadOnlySpan<MemoryRange> ranges = e.Ranges;
            s.TblN[t] = ranges.Length;
            for (int i = 0; i < ranges.Length; i++)
            {
                s.TblBase[t][i] = ranges[i].Base;
                s.TblSize[t][i] = ranges[i].Size;
                if (e.State != SliceState.Free)
                {
                    s.MemOwner.Add(new OwnedRange(ranges[i].Base, ranges[i].Size, t));
                }
            }
            ReadOnlySpan<Permissions> perms = e.RangePermissions;
            for (int i = 0; i < perms.Length && i < s.Registers; i++)
            {
                s.TblPerm[t][i] = (int)perms[i];
                if (e.State != SliceState.Free && i < ranges.Length)
                {
                    s.AddrPerm.Add(new OwnedRange(ranges[i].Base, ranges[i].Size, (int)perms[i]));
                }
            }
            ReadOnlySpan<SharedWindow> windows = e.Windows;
            s.TblWN[t] = windows.Length;
            for (int k = 0; k < windows.Length && k < s.Registers; k++)
            {
                s.TblWBase[t][k] = windows[k].Range.Base;
                s.TblWSize[t][k] = windows[k].Range.Size;
                s.TblWPerm[t][k] = (int)windows[k].Permissions;
                if (e.State != SliceState.Free)
                {
                    s.WinOwner.Add(new OwnedRange(windows[k].Range.Base, windows[k].Range.Size, t));
                    s.AddrPerm.Add(new OwnedRange(windows[k].Range.Base, windows[k].Range.Size, (int)windows[k].Permissions));
                }
            }
            ReadOnlySpan<DmaRange> dma = e.DmaRanges;
            s.TblDN[t] = dma.Length;
            for (int k = 0; k < dma.Length; k++)
            {
                s.TblDDev[t][k] = dma[k].Device;
                s.TblDBase[t][k] = dma[k].Range.Base;
                s.TblDSize[t][k] = dma[k].Range.Size;
                s.TblDPerm[t][k] = (int)dma[k].Permissions & 7;
            }
            s.Entry[t] = e.EntryPoint;
            s.Meas[t] = BinaryPrimitives.ReadUInt64BigEndian(e.Measurement);
            if (e.State == SliceState.Free)
            {
                if (ranges.Length != 0 || windows.Length != 0 || e.EntryPoint != 0 || s.Meas[t] != 0 || !e.Cores.IsEmpty || !e.Devices.IsEmpty || e.Ways != 0)
                {
                    problems.Add($"slot {t} is Free but its entry is not cleared");
                }
            }
        }
        for (int c = 0; c < m.CoreCount; c++)
        {
            s.CoreOwner[c] = table.CoreOwner(c);
            s.Mode[c] = (int)machine.Mode(c);
            if (pmp is not null)
            {
                PmpFilter.Capture(pmp, c, s, problems);
            }
            else
            {
                s.Locked[c] = machine.IsLocked(c);
                for (int i = 0; i < m.RangeRegistersPerCore; i++)
                {
                    RangeRegister r = machine.RangeRegisterOf(c, i);
                    s.RrBase[c][i] = r.Base;
                    s.RrSize[c][i] = r.Size;
                    s.RrPerm[c][i] = (int)r.Permissions;
                }
                ResourceSet ipi = machine.IpiMaskOf(c);
                for (int b = ipi.Next(0); b >= 0; b = ipi.Next(b + 1))
                {
                    s.Ipi[c].Add(b);
                }
            }
            s.WMask[c] = machine.WayMaskOf(c);
        }
        for (int d = 0; d < m.DeviceCount; d++)
        {
            s.DevOwner[d] = table.DeviceOwner(d);
            s.Iommu[d] = machine.IommuWindowOpen(d) ? Window(table, d, machine.IommuWindow(d)) : Owner.None;
        }
        // the table's dense way Offset(d) + w is the spec's way 64*d + w; an index naming no way is Free
        Array.Fill(s.WayOwner, Owner.Free);
        for (int d = 0; d < dl.Count; d++)
        {
            for (int w = 0; w < dl.Domains[d].Ways; w++)
            {
                s.WayOwner[(64 * d) + w] = table.WayOwner(d, w);
            }
        }
        machine.Memory.ForEachPresent((granule, writer) => s.LastWriter[granule] = writer);
        DecisionLogView(log, s);
        CheckOwnershipIndex(table, s, problems);
        if (initial)
        {
            s.CoreOwner.CopyTo(s.GCore, 0);
            s.DevOwner.CopyTo(s.GDev, 0);
            s.WayOwner.CopyTo(s.GWay, 0);
        }
        return s;
    }

    private static void DecisionLogView(CoreSlice.Log.DecisionLog log, AbstractState s)
    {
        s.LogCap = (ulong)log.Capacity;
        s.LogN = (ulong)log.Count;
        s.LogSeq = log.Sequence;
        s.LogRefused = log.RefusedWhileFull + log.UnrecordedWhileFull; // the spec counts every request the full log did not record
    }

    private static int Window(SliceTable table, int device, ReadOnlySpan<IommuMapping> window)
    {
        // The owner first: when several slots would give the device the same (say, empty) window, it is the owner's.
        int owner = table.DeviceOwner(device);
        if (owner >= 1 && owner <= table.Capacity && table[owner].State != SliceState.Free
            && window.SequenceEqual(ExpectedWindow(table[owner], device)))
        {
            return owner;
        }
        for (int t = 1; t <= table.Capacity; t++)
        {
            SliceEntry e = table[t];
            if (e.State != SliceState.Free && window.SequenceEqual(ExpectedWindow(e, device)))
            {
                return t;
            }
        }
        return UnknownWindow;
    }

    /// <summary>
    /// What the spec's dmaAllows lets the device of slot e reach: its DMA ranges in order, or every
    /// private range with the Read/Write part of its permissions when the slot lists none.
    /// </summary>
    private static IommuMapping[] ExpectedWindow(SliceEntry e, int device)
    {
        const Permissions DeviceAccess = Permissions.Read | Permissions.Write;
        if (e.DmaRanges.IsEmpty)
        {
            var all = new IommuMapping[e.Ranges.Length];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = new IommuMapping(e.Ranges[i], e.RangePermissions[i] & DeviceAccess);
            }
            return all;
        }
        var own = new List<IommuMapping>();
        foreach (DmaRange r in e.DmaRanges)
        {
            if (r.Device == device)
            {
                own.Add(new IommuMapping(r.Range, r.Permissions));
            }
        }
        return [.. own];
    }

    /// <summary>The code's ownership index (what RangeInUse consults) must agree with the entries at every interval edge.</summary>
    private static void CheckOwnershipIndex(SliceTable table, AbstractState s, List<string> problems)
    {
        foreach (OwnedRange r in s.MemOwner)
        {
            foreach (ulong probe in new[] { r.Base, r.Base + r.Size - 1 })
            {
                int owner = table.MemoryOwner(probe);
                if (owner != r.Owner)
                {
                    problems.Add($"the code's memory ownership says 0x{probe:x} is owned by {owner}, slot {r.Owner}'s entry says it is {r.Owner}'s");
                }
            }
            foreach (ulong probe in new[] { r.Base - 1, r.Base + r.Size })
            {
                int owner = table.MemoryOwner(probe);
                if (owner == r.Owner && !s.MemOwner.Any(o => o.Owner == owner && probe - o.Base < o.Size))
                {
                    problems.Add($"the code's memory ownership gives 0x{probe:x} to slot {owner}, outside its entry");
                }
            }
        }
        // the window index (what WindowInUse consults) must agree with the entries' windows at every edge
        foreach (OwnedRange r in s.WinOwner)
        {
            foreach (ulong probe in new[] { r.Base, r.Base + r.Size - 1 })
            {
                int holder = table.WindowHolder(probe);
                if (holder != r.Owner)
                {
                    problems.Add($"the code's window index says 0x{probe:x} is held by {holder}, slot {r.Owner}'s entry says it is {r.Owner}'s");
                }
            }
        }
    }
}
