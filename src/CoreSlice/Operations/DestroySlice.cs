namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Tears a slice down: resets its cores (the sliceloader parks them, unlocked
    /// and cleared), closes its devices' IOMMU windows, scrubs its private memory and
    /// then every window (I5), and frees everything. A fault part-way leaves the slot
    /// Destroying with all its resources, windows included, so nothing is ever reassigned
    /// unscrubbed; calling again completes it.
    /// <para>
    /// Policy: a window is scrubbed before it can be lent to a different guest, so what the
    /// control slice left in a window is lost when the slice holding it is destroyed (the
    /// guest may have written it, and the next holder must not read that). A manager that
    /// wants those bytes copies them out before it calls DestroySlice.
    /// </para>
    /// </summary>
    private SliceResult DecideDestroySlice(int slot)
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "DecideDestroySlice without the slicevisor's lock");
        if (!Table.IsSlot(slot))
        {
            return SliceResult.Fail(SliceError.SlotOutOfRange, slot, slot);
        }
        SliceEntry entry = Table.Entry(slot);
        if (entry.State == SliceState.Free)
        {
            return SliceResult.Fail(SliceError.WrongState, slot, (int)SliceState.Free);
        }
        entry.State = SliceState.Destroying;
        ResourceSet cores = entry.CoreSet;
        for (int core = cores.Next(0); core >= 0; core = cores.Next(core + 1))
        {
            if (!hardware.SecureReset(core))
            {
                return SliceResult.Fail(SliceError.CoreResetFault, slot, core);
            }
            _ = Sliceloader.Boot(ref hardware, Table, core);
        }
        ResourceSet devices = entry.DeviceSet;
        for (int device = devices.Next(0); device >= 0; device = devices.Next(device + 1))
        {
            if (!hardware.CloseIommuWindow(device))
            {
                return SliceResult.Fail(SliceError.IommuFault, slot, device);
            }
        }
        foreach (MemoryRange range in entry.Ranges)
        {
            hardware.ScrubMemory(range);
        }
        foreach (SharedWindow window in entry.Windows)
        {
            hardware.ScrubMemory(window.Range);
        }
        Table.Release(slot);
        return SliceResult.Success(slot);
    }
}
