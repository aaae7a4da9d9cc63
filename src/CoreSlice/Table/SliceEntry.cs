namespace CoreSlice;

/// <summary>
/// One slot of the slice table. Preallocated at construction (its range array
/// is sized to the range-register count) and reused for every slice that ever
/// occupies the slot. Public members are read-only; only the slicevisor mutates.
/// </summary>
public sealed class SliceEntry
{
    /// <summary>Size of a measurement: SHA-384.</summary>
    public const int MeasurementSize = 48;

    // Fields, not properties: the slicevisor fills them in place, and the sets are 128-byte values.
    internal ResourceSet CoreSet;
    internal ResourceSet DeviceSet;
    private readonly MemoryRange[] ranges;
    private readonly byte[] measurement = new byte[MeasurementSize];
    private int rangeCount;

    internal SliceEntry(int slot, int rangeCapacity)
    {
        Slot = slot;
        ranges = new MemoryRange[rangeCapacity];
    }

    /// <summary>This slot's number (1..capacity).</summary>
    public int Slot { get; }

    /// <summary>Where the slot is in its lifecycle.</summary>
    public SliceState State { get; internal set; }

    /// <summary>The slice's cores.</summary>
    public ResourceSet Cores => CoreSet;

    /// <summary>The slice's devices.</summary>
    public ResourceSet Devices => DeviceSet;

    /// <summary>The slice's cache ways (bit w = way w).</summary>
    public ulong Ways { get; internal set; }

    /// <summary>Where the guest starts.</summary>
    public ulong EntryPoint { get; internal set; }

    /// <summary>How many slices have been created in this slot (increases on every create).</summary>
    public ulong Generation { get; internal set; }

    /// <summary>The slice's memory ranges, one range register each, in request order.</summary>
    public ReadOnlySpan<MemoryRange> Ranges => ranges.AsSpan(0, rangeCount);

    /// <summary>The SHA-384 measurement chain over everything loaded (all zero before the first load).</summary>
    public ReadOnlySpan<byte> Measurement => measurement;

    internal Span<byte> MeasurementBuffer => measurement;

    /// <summary>True when <paramref name="address"/> lies in one of the slice's ranges.</summary>
    public bool OwnsAddress(ulong address)
    {
        for (int i = 0; i < rangeCount; i++)
        {
            if (ranges[i].Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    internal void Assign(ReadOnlySpan<MemoryRange> newRanges, ulong ways, ulong entryPoint)
    {
        newRanges.CopyTo(ranges);
        rangeCount = newRanges.Length;
        Ways = ways;
        EntryPoint = entryPoint;
        measurement.AsSpan().Clear();
        Generation++;
        State = SliceState.Created;
    }

    internal void Clear()
    {
        CoreSet.Clear();
        DeviceSet.Clear();
        ranges.AsSpan().Clear();
        rangeCount = 0;
        Ways = 0;
        EntryPoint = 0;
        measurement.AsSpan().Clear();
        State = SliceState.Free;
    }
}
