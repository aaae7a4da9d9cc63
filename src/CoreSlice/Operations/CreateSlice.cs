using CoreSlice.Faults;

namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Assigns the requested resources to the lowest free slot, exclusively (I1),
    /// or returns the first failing check of spec/create.smt2 and changes nothing.
    /// </summary>
    public SliceResult CreateSlice(in SliceRequest request)
    {
        lock (gate)
        {
            if (InjectedBug.Active == Bug.RejectedCreateMutatesEntry && Table.FirstFreeSlot() is int early and not 0)
            {
                Table.Entry(early).Ways = request.Ways;
                Table.Entry(early).EntryPoint = request.EntryPoint;
            }
            SliceResult result = validator.Validate(request);
            if (!result.Ok)
            {
                if (InjectedBug.Active == Bug.CreateFailureLeaksCores && result.Error is >= SliceError.RangeEmpty and <= SliceError.EntryOutsideMemory)
                {
                    Table.SetCoreOwners(validator.CoreSet, (short)Table.FirstFreeSlot());
                }
                return result;
            }
            int slot = result.Slot;
            SliceEntry entry = Table.Entry(slot);
            entry.CoreSet = validator.CoreSet;
            entry.DeviceSet = validator.DeviceSet;
            entry.Assign(validator.Ranges, request.Ways, request.EntryPoint);
            Table.Claim(slot);
            return SliceResult.Success(slot);
        }
    }
}
