namespace CoreSlice.Hardware.Pmp;

/// <summary>
/// The sliceloader's path on a PMP core: encode the slice (its private ranges and its
/// windows, each with its permissions, and the msip words of its harts), write every entry (each locked), set and lock the way
/// mask, read every entry back, and enter the guest only if all of them are exactly
/// what was encoded; otherwise halt the core. The guest runs in M-mode, which only
/// locked entries bind: hence every entry carries L and the last is the deny-all.
/// </summary>
public static class PmpSliceloader
{
    /// <summary>Boots <paramref name="core"/> of the Running slice <paramref name="entry"/>.</summary>
    public static Sliceloader.Outcome Boot(IPmpPort hardware, SliceEntry entry, int core)
    {
        ArgumentNullException.ThrowIfNull(hardware);
        ArgumentNullException.ThrowIfNull(entry);
        PmpGeometry geometry = hardware.Geometry;
        Span<PmpEntry> want = stackalloc PmpEntry[PmpGeometry.MaxEntries];
        ResourceSet harts = entry.Cores;
        if (geometry.Entries > PmpGeometry.MaxEntries
            || PmpEncoder.Encode(geometry, entry.Ranges, entry.RangePermissions, entry.Windows, harts, want) < 0)
        {
            // The validator refused every slice that does not fit; reaching here is a broken table.
            hardware.Halt(core);
            return Sliceloader.Outcome.Halted;
        }
        int n = geometry.Entries;
        for (int i = 0; i < n; i++)
        {
            // A refused write (already locked, faulty core) is caught by the readback below.
            _ = hardware.WritePmpEntry(core, i, want[i]);
        }
        _ = hardware.WriteWayMask(core, entry.WaysOfCore(core));
        hardware.LockFilters(core);
        bool same = hardware.IsLocked(core) && hardware.ReadWayMask(core) == entry.WaysOfCore(core);
        for (int i = 0; i < n && same; i++)
        {
            same = hardware.ReadPmpEntry(core, i) == want[i];
        }
        if (!same)
        {
            hardware.Halt(core);
            return Sliceloader.Outcome.Halted;
        }
        hardware.EnterGuest(core, entry.EntryPoint);
        return Sliceloader.Outcome.EnteredGuest;
    }
}
