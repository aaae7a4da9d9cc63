namespace CoreSlice;

public sealed partial class Slicevisor<THardware>
{
    /// <summary>
    /// Copies <paramref name="bytes"/> to [address, address + length), which must lie
    /// inside one range of a Created slice, and extends its measurement. The bytes pass
    /// through the slicevisor's own bounded buffer, chunk by chunk: what is written to
    /// memory and what is measured are the same copy, read once from the caller. The
    /// caller holds the lock.
    /// </summary>
    private SliceResult DecideLoadImage(int slot, ulong address, ReadOnlySpan<byte> bytes)
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "DecideLoadImage without the slicevisor's lock");
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
        measurement.Begin(entry.MeasurementBuffer, address, (ulong)bytes.Length);
        // Bounded by the slice's range (checked above), never by anything else the caller says.
        for (int done = 0; done < bytes.Length; done += loadBuffer.Length)
        {
            Span<byte> chunk = loadBuffer.AsSpan(0, Math.Min(loadBuffer.Length, bytes.Length - done));
            bytes.Slice(done, chunk.Length).CopyTo(chunk);
            hardware.WriteMemory(address + (ulong)done, chunk);
            measurement.Append(chunk);
        }
        measurement.Finish(entry.MeasurementBuffer);
        return SliceResult.Success(slot);
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
