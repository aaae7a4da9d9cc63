using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Harness.Ports;
using CoreSlice.Simulation;

namespace CoreSlice.Harness.Noninterference;

/// <summary>
/// The facts of a view read from the real code: the slicevisor's public read API (its slice table and
/// decision log) and the simulated machine (modes, locks, range registers or PMP entries, masks, received
/// IPIs, IOMMU windows, and memory with its real bytes).
/// </summary>
public sealed class RealViewSource(Bench bench) : IViewSource
{
    private readonly byte[] page = new byte[bench.Config.GranuleSize];

    public MachineConfig Config => bench.Config;

    private SliceTable Table => bench.Table;

    private SimulatedMachine Machine => bench.Machine;

    public SliceState State(int slot) => Table[slot].State;

    public void Row(int slot, ViewWriter w)
    {
        SliceEntry e = Table[slot];
        w.Put("state", (long)e.State);
        w.Hex("entry", e.EntryPoint);
        w.Data("measurement", e.Measurement);
        ReadOnlySpan<Permissions> perms = e.RangePermissions;
        w.Put("ranges", e.Ranges.Length);
        for (int i = 0; i < e.Ranges.Length; i++)
        {
            w.Hex("base", e.Ranges[i].Base);
            w.Hex("size", e.Ranges[i].Size);
            w.Put("perm", (long)perms[i]);
        }
        w.Sharing(e.Windows, e.DmaRanges);
    }

    public int CoreOwner(int core) => Table.CoreOwner(core);

    public int DeviceOwner(int device) => Table.DeviceOwner(device);

    public int WayOwner(int way) => Table.WayOwner(way);

    public int MemoryOwner(ulong address) => Table.MemoryOwner(address);

    public int WindowHolder(ulong address) => Table.WindowHolder(address);

    public int Permission(ulong address)
    {
        int owner = Table.MemoryOwner(address);
        if (Table.IsSlot(owner))
        {
            SliceEntry e = Table[owner];
            for (int i = 0; i < e.Ranges.Length; i++)
            {
                if (e.Ranges[i].Contains(address))
                {
                    return (int)e.RangePermissions[i];
                }
            }
        }
        int holder = Table.WindowHolder(address);
        if (Table.IsSlot(holder))
        {
            foreach (SharedWindow x in Table[holder].Windows)
            {
                if (x.Range.Contains(address))
                {
                    return (int)x.Permissions;
                }
            }
        }
        return 0;
    }

    public CoreMode Mode(int core) => Machine.Mode(core);

    public void CoreRegisters(int core, ViewWriter w)
    {
        w.Put("locked", Machine.IsLocked(core) ? 1 : 0);
        foreach (RangeRegister r in Machine.RangeRegistersOf(core))
        {
            w.Hex("rr", r.Base);
            w.Hex("size", r.Size);
            w.Put("perm", (long)r.Permissions);
        }
        // On the PMP port the harts filter with their entries: those are the registers the guest runs under.
        foreach (PmpEntry e in bench.Pmp is { } pmp ? pmp.EntriesOf(core) : [])
        {
            w.Hex("pmpcfg", e.Config);
            w.Hex("pmpaddr", e.Address);
        }
        ref readonly ResourceSet ipi = ref Machine.IpiMaskOf(core);
        for (int c = 0; c < Config.CoreCount; c++)
        {
            if (ipi.Contains(c))
            {
                w.Put("ipiTo", c);
            }
        }
        w.Hex("ways", Machine.WayMaskOf(core));
        w.Hex("entry", Machine.Mode(core) == CoreMode.Guest ? Machine.EntryPointOf(core) : 0);
        // A count, finer than the spec's set of senders: any delivery shows.
        w.Put("ipisReceived", bench.Pmp is { } p ? p.IpisReceived(core) : Machine.IpisReceived(core));
    }

    public void Memory(ulong address, ViewWriter w)
    {
        PhysicalMemory memory = Machine.Memory;
        w.Put("writer", memory.LastWriter(address));
        if (memory.IsPresent(address))
        {
            memory.Read(address, page);
            w.Data("bytes", page);
        }
        else
        {
            w.Put("zero", 1); // an absent page reads as zeros
        }
    }

    public void Dma(int device, ViewWriter w)
    {
        w.Put("open", Machine.IommuWindowOpen(device) ? 1 : 0);
        foreach (IommuMapping m in Machine.IommuWindow(device))
        {
            w.Hex("base", m.Range.Base);
            w.Hex("size", m.Range.Size);
            w.Put("perm", (long)m.Permissions);
        }
    }

    public void Log(ViewWriter w)
    {
        CoreSlice.Log.DecisionLog log = bench.Log;
        w.Put("capacity", log.Capacity);
        w.Put("count", log.Count);
        w.Hex("sequence", log.Sequence);
        w.Hex("refused", log.RefusedWhileFull);
        w.Hex("unrecorded", log.UnrecordedWhileFull); // the spec's logRefused counts both
        w.Data("head", log.Head);
    }
}
