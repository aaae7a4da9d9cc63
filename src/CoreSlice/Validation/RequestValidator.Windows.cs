using CoreSlice.Hardware;

namespace CoreSlice.Validation;

internal sealed partial class RequestValidator
{
    /// <summary>A window's permission: exactly Read, or Read|Write (no code from the manager, no write-only).</summary>
    private static bool WindowPermissionAllowed(Permissions p) =>
        p == Permissions.Read || p == (Permissions.Read | Permissions.Write);

    /// <summary>
    /// Each window, in request order (after the private ranges, before the devices):
    /// WindowEmpty, WindowUnaligned, WindowWraps, WindowPermissionsInvalid,
    /// WindowOutsideControl, WindowOverlapsRequest, WindowInUse. At most registers
    /// windows, each against the control regions and the earlier windows, then one
    /// binary search of the window index.
    /// </summary>
    private SliceResult CheckWindows()
    {
        ulong granuleMask = config.GranuleSize - 1;
        for (int k = 0; k < windowCount; k++)
        {
            MemoryRange window = windows[k].Range;
            if (window.Size == 0)
            {
                return SliceResult.Fail(SliceError.WindowEmpty, 0, k);
            }
            if (((window.Base | window.Size) & granuleMask) != 0)
            {
                return SliceResult.Fail(SliceError.WindowUnaligned, 0, k);
            }
            // Hostile arithmetic: compare against the headroom, never compute base + size first.
            if (window.Size > ulong.MaxValue - window.Base)
            {
                return SliceResult.Fail(SliceError.WindowWraps, 0, k);
            }
            if (!WindowPermissionAllowed(windows[k].Permissions))
            {
                return SliceResult.Fail(SliceError.WindowPermissionsInvalid, 0, k);
            }
            if (!InsideControlMemory(window))
            {
                return SliceResult.Fail(SliceError.WindowOutsideControl, 0, k);
            }
            SliceResult conflict = CheckWindowConflicts(window, k);
            if (!conflict.Ok)
            {
                return conflict;
            }
        }
        return SliceResult.Success(0);
    }

    /// <summary>
    /// True when every byte of <paramref name="window"/> (representable, non-empty) is control
    /// memory. The control regions are disjoint (the machine check refuses overlaps), so the
    /// sizes of the window's intersections with them add up to the window's size exactly when
    /// they cover it; the sum never exceeds the window's size, so it cannot overflow.
    /// </summary>
    private bool InsideControlMemory(MemoryRange window)
    {
        ReadOnlySpan<MemoryRange> control = config.ControlMemory;
        ulong covered = 0;
        for (int c = 0; c < control.Length; c++)
        {
            if (window.Overlaps(control[c]))
            {
                covered += window.Intersect(control[c]).Size;
            }
        }
        return covered == window.Size;
    }

    private SliceResult CheckWindowConflicts(MemoryRange window, int k)
    {
        for (int j = 0; j < k; j++)
        {
            MemoryRange earlier = windows[j].Range;
            if (window.Overlaps(earlier))
            {
                MemoryRange overlap = window.Intersect(earlier);
                return SliceResult.MemoryConflict(SliceError.WindowOverlapsRequest, k, Owner.None, j, overlap.Base, overlap.Size);
            }
        }
        if (table.Windows.FindOverlap(window, out int holder, out MemoryRange shared))
        {
            return SliceResult.MemoryConflict(SliceError.WindowInUse, k, holder, -1, shared.Base, shared.Size);
        }
        return SliceResult.Success(0);
    }
}
