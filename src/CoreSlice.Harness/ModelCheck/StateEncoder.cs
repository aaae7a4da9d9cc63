using System.Buffers.Binary;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// The canonical encoding of a state, what states are deduplicated by:
/// <list type="bullet">
/// <item>the slice table: per slot its state, cores, devices, ways, entry point, ranges with
/// their permissions, windows and DMA ranges (Free slots included, so a rejected call that scribbles on one is seen); not the
/// measurement nor the generation counter, which grow without bound;</item>
/// <item>the ownership maps: owner of every core, device, way and RAM granule;</item>
/// <item>the machine: per core its mode, lock bit, range registers, IPI mask, PMP entries (on the PMP port), way mask
/// (and entry point while in Guest mode); per device its IOMMU window;</item>
/// <item>memory, abstracted: per RAM granule whether it holds a page, its last writer,
/// and whether its bytes are all zero — not the bytes themselves.</item>
/// </list>
/// Counters (resets, refused writes, IPIs received) are not state: T2 reads them per step.
/// </summary>
internal sealed class StateEncoder
{
    private readonly MachineConfig config;
    private readonly int granules;
    private readonly byte[] page;
    private byte[] buffer = new byte[1024];
    private int length;

    public StateEncoder(MachineConfig config)
    {
        this.config = config;
        granules = (int)(config.RamRegions[0].Size / config.GranuleSize);
        page = new byte[config.GranuleSize];
    }

    /// <summary>The encoding of <paramref name="live"/>'s current state (valid until the next call).</summary>
    public ReadOnlySpan<byte> Encode(LiveMachine live)
    {
        length = 0;
        SliceTable table = live.Table;
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry e = table[slot];
            Put((byte)e.State);
            Put(e.Cores.Word(0));
            Put(e.Devices.Word(0));
            Put(e.Ways);
            Put(e.EntryPoint);
            Put((byte)e.Ranges.Length);
            foreach (MemoryRange r in e.Ranges)
            {
                Put(r.Base);
                Put(r.Size);
            }
            foreach (Permissions p in e.RangePermissions)
            {
                Put((byte)p);
            }
            // Windows and DMA ranges change what the slice may reach before it runs (and what destroy scrubs).
            Put((byte)e.Windows.Length);
            foreach (SharedWindow w in e.Windows)
            {
                Put(w.Range.Base);
                Put(w.Range.Size);
                Put((byte)w.Permissions);
            }
            Put((byte)e.DmaRanges.Length);
            foreach (DmaRange d in e.DmaRanges)
            {
                Put((byte)d.Device);
                Put(d.Range.Base);
                Put(d.Range.Size);
                Put((byte)d.Permissions);
            }
        }
        for (int c = 0; c < config.CoreCount; c++)
        {
            Put((byte)table.CoreOwner(c));
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            Put((byte)table.DeviceOwner(d));
        }
        for (int w = 0; w < config.CacheWays; w++)
        {
            Put((byte)table.WayOwner(w));
        }
        Simulation.SimulatedMachine machine = live.Machine;
        for (int c = 0; c < config.CoreCount; c++)
        {
            CoreMode mode = machine.Mode(c);
            Put((byte)mode);
            Put(machine.IsLocked(c) ? (byte)1 : (byte)0);
            foreach (RangeRegister r in machine.RangeRegistersOf(c))
            {
                Put(r.Base);
                Put(r.Size);
                Put((byte)r.Permissions);
            }
            Put(machine.IpiMaskOf(c).Word(0));
            foreach (PmpEntry e in live.Bench.Pmp is { } pmp ? pmp.EntriesOf(c) : [])
            {
                Put(e.Config);
                Put(e.Address);
            }
            Put(machine.WayMaskOf(c));
            Put(mode == CoreMode.Guest ? machine.EntryPointOf(c) : 0);
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            ReadOnlySpan<IommuMapping> window = machine.IommuWindow(d);
            Put((byte)window.Length);
            foreach (IommuMapping m in window)
            {
                Put(m.Range.Base);
                Put(m.Range.Size);
                Put((byte)m.Permissions);
            }
        }
        for (int g = 0; g < granules; g++)
        {
            ulong address = (ulong)g * config.GranuleSize;
            Put((byte)table.MemoryOwner(address));
            if (!machine.Memory.IsPresent(address))
            {
                Put((byte)0);
                continue;
            }
            machine.Memory.Read(address, page);
            Put(page.AsSpan().ContainsAnyExcept((byte)0) ? (byte)2 : (byte)1);
            Put((byte)machine.Memory.LastWriter(address));
        }
        return buffer.AsSpan(0, length);
    }

    private void Room(int n)
    {
        if (length + n > buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    private void Put(byte value)
    {
        Room(1);
        buffer[length++] = value;
    }

    private void Put(ulong value)
    {
        Room(8);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(length), value);
        length += 8;
    }
}
