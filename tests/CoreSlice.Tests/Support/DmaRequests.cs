using CoreSlice;
using CoreSlice.Hardware;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Support;

/// <summary>
/// One request layout for the DMA-range tests on <see cref="Populated.Make"/>'s state, so each
/// test breaks one row of a request that is otherwise valid. Its holding regions, numbered as the
/// range registers and as <see cref="SliceResult.HolderRegion"/>: 0 the RWX range at
/// <see cref="Populated.FreeBase"/> (1 MiB, holding the entry), 1 the RX range right after it
/// (adjacent, so a row can straddle the two), 2 the RW window at <see cref="SharedWindows.WindowA"/>
/// (64 KiB), 3 the read-only window at <see cref="SharedWindows.WindowB"/> (4 KiB). Devices 2 and 3
/// (slot 1 holds device 0, slot 2 device 1).
/// </summary>
public static class DmaRequests
{
    public const ulong Rwx = FreeBase;
    public const ulong RwxSize = 1 * MiB;
    public const ulong Rx = FreeBase + RwxSize;
    public const ulong RxSize = 64 * KiB;
    public const ulong RwWindowSize = 64 * KiB;
    public const ulong ReadWindowSize = 4 * KiB;
    public const int DeviceA = 2;
    public const int DeviceB = 3;

    /// <summary>The first holding region index past the private ranges: the RW window.</summary>
    public const int RwWindowRegion = 2;

    /// <summary>The read-only window's holding region index.</summary>
    public const int ReadWindowRegion = 3;

    public static DmaRange Row(int device, ulong @base, ulong size, Permissions permissions = RW) => new(device, new MemoryRange(@base, size), permissions);

    /// <summary>The layout above with <paramref name="rows"/> as its DMA ranges (none: the legacy meaning).</summary>
    public static SliceRequest Layout(params DmaRange[] rows) => Valid() with
    {
        Ranges = new[] { new MemoryRange(Rwx, RwxSize), new MemoryRange(Rx, RxSize) },
        RangePermissions = new[] { RWX, RX },
        Windows = new[] { Window(WindowA, RwWindowSize, RW), Window(WindowB, ReadWindowSize, R) },
        Devices = new[] { DeviceA, DeviceB },
        DmaRanges = rows,
    };

    /// <summary>A row that passes every DMA check: device A reads and writes the RWX range's first granule.</summary>
    public static DmaRange GoodRow => Row(DeviceA, Rwx, Granule);

    /// <summary><paramref name="count"/> good rows, alternating the two devices, one granule each.</summary>
    public static DmaRange[] GoodRows(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Row(i % 2 == 0 ? DeviceA : DeviceB, Rwx + ((ulong)i * Granule), Granule))];
}
