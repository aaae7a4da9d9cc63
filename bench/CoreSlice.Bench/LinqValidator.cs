using CoreSlice.Hardware;

namespace CoreSlice.Bench;

/// <summary>
/// The CreateSlice checks written the obvious way: LINQ over every slot of the public
/// slice table and every range, no ownership maps, no interval index. Same checks, same
/// order, same first failing error as the slicevisor's RequestValidator (asserted in setup).
/// </summary>
public static class LinqValidator
{
    public static SliceError Validate(MachineConfig config, SliceTable table, SliceRequest request)
    {
        List<SliceEntry> slots = Enumerable.Range(1, table.Capacity).Select(s => table[s]).ToList();
        List<SliceEntry> live = slots.Where(e => e.State != SliceState.Free).ToList();
        if (!slots.Any(e => e.State == SliceState.Free))
        {
            return SliceError.TableFull;
        }
        int[] cores = request.Cores.ToArray();
        MemoryRange[] ranges = request.Ranges.ToArray();
        int[] devices = request.Devices.ToArray();
        if (cores.Length == 0)
        {
            return SliceError.NoCores;
        }
        if (cores.Length > config.CoreCount)
        {
            return SliceError.TooManyCores;
        }
        if (ranges.Length == 0)
        {
            return SliceError.NoMemory;
        }
        if (ranges.Length > config.RangeRegistersPerCore)
        {
            return SliceError.TooManyRanges;
        }
        if (devices.Length > config.DeviceCount)
        {
            return SliceError.TooManyDevices;
        }
        for (int i = 0; i < cores.Length; i++)
        {
            int core = cores[i];
            if (core < 0 || core >= config.CoreCount)
            {
                return SliceError.CoreOutOfRange;
            }
            if (config.ControlCores.Contains(core))
            {
                return SliceError.CoreReservedForControl;
            }
            if (cores.Take(i).Contains(core))
            {
                return SliceError.CoreDuplicated;
            }
            if (live.Any(e => e.Cores.Contains(core)))
            {
                return SliceError.CoreInUse;
            }
        }
        List<MemoryRange> used = live.SelectMany(e => e.Ranges.ToArray()).ToList();
        for (int i = 0; i < ranges.Length; i++)
        {
            MemoryRange range = ranges[i];
            if (range.Size == 0)
            {
                return SliceError.RangeEmpty;
            }
            if (range.Base % config.GranuleSize != 0 || range.Size % config.GranuleSize != 0)
            {
                return SliceError.RangeUnaligned;
            }
            if (!range.IsRepresentable)
            {
                return SliceError.RangeWraps;
            }
            if (!config.RamRegions.Any(ram => ram.Covers(range)))
            {
                return SliceError.RangeOutsideRam;
            }
            if (config.ReservedRegions.Any(r => r.Range.Overlaps(range)))
            {
                return SliceError.RangeOverlapsReserved;
            }
            if (config.ControlMemory.Any(c => c.Overlaps(range)))
            {
                return SliceError.RangeOverlapsControl;
            }
            if (ranges.Take(i).Any(earlier => earlier.Overlaps(range)))
            {
                return SliceError.RangeOverlapsRequest;
            }
            if (used.Any(u => u.Overlaps(range)))
            {
                return SliceError.RangeInUse;
            }
        }
        for (int i = 0; i < devices.Length; i++)
        {
            int device = devices[i];
            if (device < 0 || device >= config.DeviceCount)
            {
                return SliceError.DeviceOutOfRange;
            }
            if (devices.Take(i).Contains(device))
            {
                return SliceError.DeviceDuplicated;
            }
            if (live.Any(e => e.Devices.Contains(device)))
            {
                return SliceError.DeviceInUse;
            }
        }
        if (request.Ways == 0)
        {
            return SliceError.WaysEmpty;
        }
        if ((request.Ways & ~config.AllWaysMask) != 0)
        {
            return SliceError.WaysOutOfRange;
        }
        if ((request.Ways & config.ControlWays) != 0 || live.Any(e => (e.Ways & request.Ways) != 0))
        {
            return SliceError.WaysInUse;
        }
        return ranges.Any(r => r.Contains(request.EntryPoint)) ? SliceError.None : SliceError.EntryOutsideMemory;
    }
}
