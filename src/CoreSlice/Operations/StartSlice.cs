using CoreSlice.Hardware;

namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Starts a Created slice: opens each device's IOMMU window onto exactly its DMA ranges
    /// (I4; or, when the slice lists none, onto every private range with its Read/Write
    /// permissions), then secure-resets each core so that the sliceloader programs,
    /// locks and enters it (I2, I3). A fault part-way quarantines the slot.
    /// </summary>
    private SliceResult DecideStartSlice(int slot)
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "DecideStartSlice without the slicevisor's lock");
        SliceResult result = CheckSlot(slot, SliceState.Created);
        if (!result.Ok)
        {
            return result;
        }
        SliceEntry entry = Table.Entry(slot);
        // Running first: the sliceloader enters a guest only for a Running slot.
        entry.State = SliceState.Running;
        ResourceSet devices = entry.DeviceSet;
        for (int device = devices.Next(0); device >= 0; device = devices.Next(device + 1))
        {
            if (!hardware.SetIommuWindow(device, IommuWindowOf(entry, device)))
            {
                return Quarantine(slot, SliceError.IommuFault, device);
            }
        }
        ResourceSet cores = entry.CoreSet;
        for (int core = cores.Next(0); core >= 0; core = cores.Next(core + 1))
        {
            if (!hardware.SecureReset(core))
            {
                return Quarantine(slot, SliceError.CoreResetFault, core);
            }
            if (Sliceloader.Boot(ref hardware, Table, core) != Sliceloader.Outcome.EnteredGuest)
            {
                return Quarantine(slot, SliceError.LoaderFault, core);
            }
        }
        return SliceResult.Success(slot);
    }

    /// <summary>
    /// The IOMMU entries <paramref name="device"/> gets (spec dmaAllows): its DMA ranges in request
    /// order, or, for a slice that lists none, every private range with the Read/Write part of its
    /// permissions. Built in the preallocated <see cref="iommuScratch"/>: at most
    /// max(registers, <see cref="Limits.MaxDmaRanges"/>) entries.
    /// </summary>
    private ReadOnlySpan<IommuMapping> IommuWindowOf(SliceEntry entry, int device)
    {
        const Permissions DeviceAccess = Permissions.Read | Permissions.Write;
        int count = 0;
        ReadOnlySpan<DmaRange> dma = entry.DmaRanges;
        if (dma.IsEmpty)
        {
            ReadOnlySpan<MemoryRange> ranges = entry.Ranges;
            ReadOnlySpan<Permissions> permissions = entry.RangePermissions;
            for (int i = 0; i < ranges.Length; i++)
            {
                iommuScratch[count++] = new IommuMapping(ranges[i], permissions[i] & DeviceAccess);
            }
        }
        else
        {
            for (int k = 0; k < dma.Length; k++)
            {
                if (dma[k].Device == device)
                {
                    iommuScratch[count++] = new IommuMapping(dma[k].Range, dma[k].Permissions);
                }
            }
        }
        return iommuScratch.AsSpan(0, count);
    }
}
