using CoreSlice.Hardware;
using CoreSlice.Harness.Model;

namespace CoreSlice.Harness.Noninterference;

/// <summary>
/// The facts of a view read from the executable model (<see cref="SpecModel"/>). The model holds memory as
/// its last writer per granule (as the spec does: no values) and keeps no decision log, so its views have no
/// bytes and an empty log component; memory ownership and windows are read off the live rows, as the slice
/// table's index is built from them.
/// </summary>
public sealed class ModelViewSource(SpecModel model) : IViewSource
{
    public MachineConfig Config => model.Config;

    public SliceState State(int slot) => model.Slot(slot).State;

    public void Row(int slot, ViewWriter w)
    {
        ModelSlot s = model.Slot(slot);
        w.Put("state", (long)s.State);
        w.Hex("entry", s.Entry);
        w.Data("measurement", s.Measurement);
        w.Put("ranges", s.Ranges.Length);
        for (int i = 0; i < s.Ranges.Length; i++)
        {
            w.Hex("base", s.Ranges[i].Base);
            w.Hex("size", s.Ranges[i].Size);
            w.Put("perm", i < s.Perms.Length ? s.Perms[i] : 0);
        }
        w.Sharing(s.Windows, s.DmaRanges);
    }

    public int CoreOwner(int core) => (uint)core < (uint)model.CoreOwner.Length ? model.CoreOwner[core] : Owner.None;

    public int DeviceOwner(int device) => (uint)device < (uint)model.DeviceOwner.Length ? model.DeviceOwner[device] : Owner.None;

    public int WayOwner(int way) => model.WayOwner[way];

    // Loops, not LINQ: a checker reads these for every granule of every state on every edge.
    public int MemoryOwner(ulong address)
    {
        foreach (NamedRegion r in Config.ReservedRegions)
        {
            if (SpecModel.Contains(r.Range, address))
            {
                return Owner.Reserved;
            }
        }
        foreach (MemoryRange r in Config.ControlMemory)
        {
            if (SpecModel.Contains(r, address))
            {
                return Owner.Control;
            }
        }
        for (int slot = 1; slot <= model.Slots.Length; slot++)
        {
            ModelSlot s = model.Slot(slot);
            if (s.State != SliceState.Free && RangeIndex(s.Ranges, address) >= 0)
            {
                return slot;
            }
        }
        foreach (MemoryRange r in Config.RamRegions)
        {
            if (SpecModel.Contains(r, address))
            {
                return Owner.Free;
            }
        }
        return Owner.None;
    }

    public int WindowHolder(ulong address)
    {
        for (int slot = 1; slot <= model.Slots.Length; slot++)
        {
            ModelSlot s = model.Slot(slot);
            if (s.State != SliceState.Free && WindowIndex(s.Windows, address) >= 0)
            {
                return slot;
            }
        }
        return Owner.Free;
    }

    private static int RangeIndex(MemoryRange[] ranges, ulong address)
    {
        for (int i = 0; i < ranges.Length; i++)
        {
            if (SpecModel.Contains(ranges[i], address))
            {
                return i;
            }
        }
        return -1;
    }

    private static int WindowIndex(SharedWindow[] windows, ulong address)
    {
        for (int i = 0; i < windows.Length; i++)
        {
            if (SpecModel.Contains(windows[i].Range, address))
            {
                return i;
            }
        }
        return -1;
    }

    public int Permission(ulong address)
    {
        int owner = MemoryOwner(address);
        if (model.IsSlot(owner))
        {
            ModelSlot s = model.Slot(owner);
            int i = RangeIndex(s.Ranges, address);
            return i >= 0 && i < s.Perms.Length ? s.Perms[i] : 0;
        }
        int holder = WindowHolder(address);
        int k = model.IsSlot(holder) ? WindowIndex(model.Slot(holder).Windows, address) : -1;
        return k >= 0 ? (int)model.Slot(holder).Windows[k].Permissions : 0;
    }

    public CoreMode Mode(int core) => model.Mode[core];

    public void CoreRegisters(int core, ViewWriter w)
    {
        w.Put("locked", model.Locked[core] ? 1 : 0);
        foreach (ModelRegister r in model.Regs[core])
        {
            w.Hex("rr", r.Base);
            w.Hex("size", r.Size);
            w.Put("perm", r.Perms);
        }
        foreach (int c in model.Ipi[core])
        {
            w.Put("ipiTo", c);
        }
        w.Hex("ways", model.WayMask[core]);
        w.Hex("entry", model.Mode[core] == CoreMode.Guest ? model.CoreEntry[core] : 0);
        // ipiIn: the senders whose interrupts it received since its last secure reset, as the spec records them.
        for (int from = 0; from < model.IpiIn[core].Length; from++)
        {
            if (model.IpiIn[core][from])
            {
                w.Put("ipiFrom", from);
            }
        }
    }

    public void Memory(ulong address, ViewWriter w) =>
        w.Put("writer", model.Writer.TryGetValue(address / Config.GranuleSize * Config.GranuleSize, out int writer) ? writer : Owner.None);

    public void Dma(int device, ViewWriter w)
    {
        foreach (IommuMapping m in model.Window[device])
        {
            w.Hex("base", m.Range.Base);
            w.Hex("size", m.Range.Size);
            w.Put("perm", (long)m.Permissions);
        }
    }

    public void Log(ViewWriter w)
    {
        // The executable model keeps no decision log: the component is empty on this side.
    }
}
