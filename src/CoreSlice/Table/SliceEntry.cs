using CoreSlice.Hardware;

namespace CoreSlice;

/// <summary>
/// One slot of the slice table. Preallocated at construction (its range, permission
/// and window arrays are sized to the range-register count) and reused for every slice that ever
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
    private readonly Permissions[] permissions;
    private readonly SharedWindow[] windows;
    // The windows' ranges alone, in the same order: what the window ownership index takes.
    private readonly MemoryRange[] windowRanges;
    private readonly DmaRange[] dmaRanges = new DmaRange[Limits.MaxDmaRanges];
    private readonly byte[] measurement = new byte[MeasurementSize];
    // The slice's way mask in each cache domain (bit w = way w of that domain); the domains are the machine's.
    private readonly ulong[] ways = new ulong[Limits.MaxCacheDomains];
    private readonly FrozenDomains domains;
    private int rangeCount;
    private int windowCount;
    private int dmaCount;

    internal SliceEntry(int slot, int rangeCapacity, FrozenDomains domains)
    {
        Slot = slot;
        this.domains = domains;
        ranges = new MemoryRange[rangeCapacity];
        permissions = new Permissions[rangeCapacity];
        windows = new SharedWindow[rangeCapacity];
        windowRanges = new MemoryRange[rangeCapacity];
    }

    /// <summary>This slot's number (1..capacity).</summary>
    public int Slot { get; }

    /// <summary>Where the slot is in its lifecycle.</summary>
    public SliceState State { get; internal set; }

    /// <summary>The slice's cores.</summary>
    public ResourceSet Cores => CoreSet;

    /// <summary>The slice's devices.</summary>
    public ResourceSet Devices => DeviceSet;

    /// <summary>The slice's cache ways in domain 0 (bit w = way w): on a machine of one domain, all of them.</summary>
    public ulong Ways => ways[0];

    /// <summary>The machine's cache domains (<see cref="WaysIn"/> is meaningful for 0..count − 1).</summary>
    public int DomainCount => domains.Count;

    /// <summary>The slice's cache ways in <paramref name="domain"/> (0 for a domain the machine does not have).</summary>
    public ulong WaysIn(int domain) => (uint)domain < (uint)domains.Count ? ways[domain] : 0;

    /// <summary>The way mask <paramref name="core"/>'s register must hold: the slice's ways in that core's domain.</summary>
    public ulong WaysOfCore(int core) => ways[domains.DomainOf(core)];

    /// <summary>Where the guest starts.</summary>
    public ulong EntryPoint { get; internal set; }

    /// <summary>How many slices have been created in this slot (increases on every create).</summary>
    public ulong Generation { get; internal set; }

    /// <summary>The slice's private memory ranges, one range register each, in request order.</summary>
    public ReadOnlySpan<MemoryRange> Ranges => ranges.AsSpan(0, rangeCount);

    /// <summary>
    /// The guest's permission on each private range, one per range in the order of
    /// <see cref="Ranges"/>: the effective ones (RWX where the request gave none).
    /// </summary>
    public ReadOnlySpan<Permissions> RangePermissions => permissions.AsSpan(0, rangeCount);

    /// <summary>
    /// The slice's windows onto control-slice memory, in request order: range register
    /// <c>Ranges.Length + k</c> holds window k. Not part of <see cref="Ranges"/> or
    /// <see cref="OwnsAddress"/>: the control slice keeps owning the bytes.
    /// </summary>
    public ReadOnlySpan<SharedWindow> Windows => windows.AsSpan(0, windowCount);

    /// <summary>
    /// The slice's per-device DMA ranges, in request order. Empty means every device of the
    /// slice reaches every private range with that range's Read/Write permissions; otherwise a
    /// device reaches exactly the ranges that name it (see <see cref="DmaRange"/>).
    /// </summary>
    public ReadOnlySpan<DmaRange> DmaRanges => dmaRanges.AsSpan(0, dmaCount);

    /// <summary>The windows' ranges, in the order of <see cref="Windows"/>.</summary>
    internal ReadOnlySpan<MemoryRange> WindowRanges => windowRanges.AsSpan(0, windowCount);

    /// <summary>The SHA-384 measurement chain over everything loaded (all zero before the first load).</summary>
    public ReadOnlySpan<byte> Measurement => measurement;

    internal Span<byte> MeasurementBuffer => measurement;

    /// <summary>True when <paramref name="address"/> lies in one of the slice's private ranges (never a window).</summary>
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

    // The row is written here, over a Free slot only, and cleared by Clear when a destroy completes: nothing
    // else writes it, so a live slot's ranges, windows and DMA rows are what create checked (T5_StaticRows).
    internal void Assign(ReadOnlySpan<MemoryRange> newRanges, ReadOnlySpan<Permissions> newPermissions, ReadOnlySpan<SharedWindow> newWindows, ReadOnlySpan<DmaRange> newDmaRanges, ReadOnlySpan<ulong> newWays, ulong entryPoint)
    {
        Invariant.Holds(State == SliceState.Free, "SliceEntry.Assign: the slot is live (T5_StaticRows)");
        // The validator gives one effective permission per range and at most registers - ranges windows.
        Invariant.Holds(newPermissions.Length == newRanges.Length && newRanges.Length + newWindows.Length <= ranges.Length
                        && newDmaRanges.Length <= dmaRanges.Length, "SliceEntry.Assign: permissions, windows or DMA ranges do not fit the entry");
        newRanges.CopyTo(ranges);
        newPermissions.CopyTo(permissions);
        rangeCount = newRanges.Length;
        newWindows.CopyTo(windows);
        windowCount = newWindows.Length;
        for (int k = 0; k < windowCount; k++)
        {
            windowRanges[k] = windows[k].Range;
        }
        newDmaRanges.CopyTo(dmaRanges);
        dmaCount = newDmaRanges.Length;
        newWays.CopyTo(ways);
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
        permissions.AsSpan().Clear();
        rangeCount = 0;
        windows.AsSpan().Clear();
        windowRanges.AsSpan().Clear();
        windowCount = 0;
        dmaRanges.AsSpan().Clear();
        dmaCount = 0;
        ways.AsSpan().Clear();
        EntryPoint = 0;
        measurement.AsSpan().Clear();
        State = SliceState.Free;
    }
}
