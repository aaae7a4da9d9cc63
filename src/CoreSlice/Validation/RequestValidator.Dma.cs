using CoreSlice.Hardware;

namespace CoreSlice.Validation;

internal sealed partial class RequestValidator
{
    /// <summary>A DMA range's permission: a non-empty subset of Read|Write (a device never executes).</summary>
    private static bool DmaPermissionAllowed(Permissions p) =>
        p != Permissions.None && (p & ~(Permissions.Read | Permissions.Write)) == 0;

    /// <summary>
    /// Each DMA range, in request order (after the devices, before the ways): DmaDeviceNotInRequest,
    /// DmaRangeEmpty, DmaRangeUnaligned, DmaRangeWraps, DmaPermissionsInvalid, DmaRangeOutsideSlice,
    /// DmaPermissionsExceedRange (I4: a device reaches only its slice's memory and windows, with no
    /// more than the guest's permission there). At most <see cref="Limits.MaxDmaRanges"/> ranges,
    /// each against at most registers ranges and windows.
    /// </summary>
    private SliceResult CheckDmaRanges()
    {
        ulong granuleMask = config.GranuleSize - 1;
        for (int k = 0; k < dmaCount; k++)
        {
            DmaRange dma = dmaRanges[k];
            MemoryRange range = dma.Range;
            if ((uint)dma.Device >= (uint)config.DeviceCount || !deviceSet.Contains(dma.Device))
            {
                return SliceResult.Fail(SliceError.DmaDeviceNotInRequest, 0, k);
            }
            if (range.Size == 0)
            {
                return SliceResult.Fail(SliceError.DmaRangeEmpty, 0, k);
            }
            if (((range.Base | range.Size) & granuleMask) != 0)
            {
                return SliceResult.Fail(SliceError.DmaRangeUnaligned, 0, k);
            }
            if (range.Size > ulong.MaxValue - range.Base)
            {
                return SliceResult.Fail(SliceError.DmaRangeWraps, 0, k);
            }
            if (!DmaPermissionAllowed(dma.Permissions))
            {
                return SliceResult.Fail(SliceError.DmaPermissionsInvalid, 0, k);
            }
            int holder = HoldingRegion(range, out Permissions allowed);
            if (holder < 0)
            {
                return SliceResult.Fail(SliceError.DmaRangeOutsideSlice, 0, k);
            }
            if ((dma.Permissions & ~allowed) != 0)
            {
                return SliceResult.MemoryConflict(SliceError.DmaPermissionsExceedRange, k, Owner.None, holder, range.Base, range.Size);
            }
        }
        return SliceResult.Success(0);
    }

    /// <summary>
    /// The private range (0..) or window (rangeCount + k) of this request that holds every byte of
    /// <paramref name="range"/>, and the guest's permission there; -1 when none does. The
    /// private ranges are pairwise disjoint, and so are the windows (both checked before), so the
    /// one holding the base is the only candidate of each kind.
    /// </summary>
    private int HoldingRegion(MemoryRange range, out Permissions allowed)
    {
        for (int i = 0; i < rangeCount; i++)
        {
            if (ranges[i].Covers(range))
            {
                allowed = effective[i];
                return i;
            }
        }
        for (int k = 0; k < windowCount; k++)
        {
            if (windows[k].Range.Covers(range))
            {
                allowed = windows[k].Permissions;
                return rangeCount + k;
            }
        }
        allowed = Permissions.None;
        return -1;
    }
}
