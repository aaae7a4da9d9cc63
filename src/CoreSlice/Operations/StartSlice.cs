namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Starts a Created slice: opens each device's IOMMU window onto the slice's
    /// private memory (I4; never onto a shared window, which only the guest's cores
    /// reach, through their range registers), then secure-resets each core so that the sliceloader programs,
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
            if (!hardware.SetIommuWindow(device, entry.Ranges))
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
}
