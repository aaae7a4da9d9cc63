namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Assigns the requested resources to the lowest free slot, exclusively (I1),
    /// or returns the first failing check of spec/create.smt2 and changes nothing.
    /// </summary>
    private SliceResult DecideCreateSlice(in SliceRequest request)
    {
        // One private copy, validated and applied: the caller's variable may change during the call (no TOCTOU).
        SliceRequest copy = request;
        lock (gate)
        {
            SliceResult result = validator.Validate(copy);
            if (!result.Ok)
            {
                return result;
            }
            int slot = result.Slot;
            SliceEntry entry = Table.Entry(slot);
            entry.CoreSet = validator.CoreSet;
            entry.DeviceSet = validator.DeviceSet;
            entry.Assign(validator.Ranges, copy.Ways, copy.EntryPoint);
            Table.Claim(slot);
            return SliceResult.Success(slot);
        }
    }
}
