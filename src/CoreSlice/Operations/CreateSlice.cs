namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Assigns the decoded request (the validator's copy) to the lowest free slot,
    /// exclusively (I1), or returns the first failing check of spec/create.smt2 and
    /// changes nothing. The caller holds the lock and has decoded the request.
    /// </summary>
    private SliceResult DecideCreateSlice()
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "DecideCreateSlice without the slicevisor's lock");
        SliceResult result = validator.Validate();
        if (!result.Ok)
        {
            return result;
        }
        int slot = result.Slot;
        SliceEntry entry = Table.Entry(slot);
        entry.CoreSet = validator.CoreSet;
        entry.DeviceSet = validator.DeviceSet;
        entry.Assign(validator.Ranges, validator.RangePermissions, validator.Windows, validator.DmaRanges, validator.Ways, validator.EntryPoint);
        Table.Claim(slot);
        return SliceResult.Success(slot);
    }
}
