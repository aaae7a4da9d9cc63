using CoreSlice.Hardware;

namespace CoreSlice;

/// <summary>
/// The trusted boot code a core runs first after every secure reset. It reads
/// the core's slice-table entry and, if that slice is Running, programs the
/// core's filter registers to exactly the entry (I2), locks them, reads them
/// back and only then enters the guest (I3, S5). A core whose slice is not
/// Running is parked: it runs no guest code.
/// </summary>
public static class Sliceloader
{
    /// <summary>What the sliceloader did with a core.</summary>
    public enum Outcome
    {
        /// <summary>Programmed, locked, verified, and running the guest.</summary>
        EnteredGuest,
        /// <summary>Not assigned to a running slice: parked in the wait loop.</summary>
        Parked,
        /// <summary>A readback differed from the entry: the core was halted, the guest never ran.</summary>
        Halted,
    }

    /// <summary>Boots <paramref name="core"/> right after its secure reset.</summary>
    public static Outcome Boot<THardware>(ref THardware hardware, SliceTable table, int core)
        where THardware : IHardwarePort
    {
        int slot = table.CoreOwner(core);
        if (!table.IsSlot(slot) || table.Entry(slot).State != SliceState.Running)
        {
            hardware.Park(core);
            return Outcome.Parked;
        }
        SliceEntry entry = table.Entry(slot);
        if (!typeof(THardware).IsValueType && hardware is Hardware.Pmp.IPmpPort pmp)
        {
            return Hardware.Pmp.PmpSliceloader.Boot(pmp, entry, core);
        }
        // The validator bounds a slice's ranges and windows by the registers: each gets one, none is dropped.
        Invariant.Holds(entry.Ranges.Length + entry.Windows.Length <= table.RangeRegisters && entry.Cores.Contains(core), "sliceloader: the entry does not fit the core's registers, or does not own the core");
        Program(ref hardware, entry, entry.CoreSet, core, table.RangeRegisters);
        hardware.LockFilters(core);
        if (!hardware.IsLocked(core) || !ReadBackMatches(ref hardware, entry, entry.CoreSet, core, table.RangeRegisters))
        {
            hardware.Halt(core);
            return Outcome.Halted;
        }
        hardware.EnterGuest(core, entry.EntryPoint);
        return Outcome.EnteredGuest;
    }

    /// <summary>
    /// The value register <paramref name="index"/> must hold for <paramref name="entry"/>:
    /// private range i with its permissions for i &lt; nr, window k with its permissions
    /// at nr + k, disabled beyond.
    /// </summary>
    public static RangeRegister RegisterFor(SliceEntry entry, int index)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ReadOnlySpan<MemoryRange> ranges = entry.Ranges;
        if ((uint)index < (uint)ranges.Length)
        {
            return new RangeRegister(ranges[index].Base, ranges[index].Size, entry.RangePermissions[index]);
        }
        ReadOnlySpan<SharedWindow> windows = entry.Windows;
        int k = index - ranges.Length;
        return (uint)k < (uint)windows.Length
            ? new RangeRegister(windows[k].Range.Base, windows[k].Range.Size, windows[k].Permissions)
            : RangeRegister.Disabled;
    }

    private static void Program<THardware>(ref THardware hardware, SliceEntry entry, in ResourceSet ipiMask, int core, int registers)
        where THardware : IHardwarePort
    {
        // Writes may be refused (a faulty or already-locked core); the readback below catches that.
        for (int i = 0; i < registers; i++)
        {
            _ = hardware.WriteRangeRegister(core, i, RegisterFor(entry, i));
        }
        _ = hardware.WriteIpiMask(core, ipiMask);
        // Only the slice's ways in this core's cache domain (spec: I2_FilterSoundness.ways, core-regs-programmed).
        _ = hardware.WriteWayMask(core, entry.WaysOfCore(core));
    }

    private static bool ReadBackMatches<THardware>(ref THardware hardware, SliceEntry entry, in ResourceSet ipiMask, int core, int registers)
        where THardware : IHardwarePort
    {
        for (int i = 0; i < registers; i++)
        {
            if (hardware.ReadRangeRegister(core, i) != RegisterFor(entry, i))
            {
                return false;
            }
        }
        hardware.ReadIpiMask(core, out ResourceSet ipi);
        return ipi.Equals(ipiMask) && hardware.ReadWayMask(core) == entry.WaysOfCore(core);
    }
}
