namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Assigns the requested resources to the lowest free slot, exclusively (I1),
    /// or returns the first failing check of spec/create.smt2 and changes nothing.
    /// </summary>
    /// <remarks><paramref name="copy"/> is the slicevisor's own copy (see CreateSlice): validated and applied as one.</remarks>
    private SliceResult DecideCreateSlice(in SliceRequest copy)
    {
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
