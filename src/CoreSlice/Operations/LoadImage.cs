namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Copies <paramref name="bytes"/> to [address, address + length), which must lie
    /// inside one range of a Created slice, and extends its measurement.
    /// </summary>
    private SliceResult DecideLoadImage(int slot, ulong address, ReadOnlySpan<byte> bytes)
    {
        lock (gate)
        {
            SliceResult result = CheckSlot(slot, SliceState.Created);
            if (!result.Ok)
            {
                return result;
            }
            SliceEntry entry = Table.Entry(slot);
            if (!InsideOneRange(entry.Ranges, address, (ulong)bytes.Length))
            {
                return SliceResult.Fail(SliceError.ImageOutsideMemory, slot, -1);
            }
            hardware.WriteMemory(address, bytes);
            measurement.Extend(entry.MeasurementBuffer, address, bytes);
            return SliceResult.Success(slot);
        }
    }

    private static bool InsideOneRange(ReadOnlySpan<MemoryRange> ranges, ulong address, ulong length)
    {
        for (int i = 0; i < ranges.Length; i++)
        {
            if (ranges[i].Covers(address, length))
            {
                return true;
            }
        }
        return false;
    }
}
