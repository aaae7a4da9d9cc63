using CoreSlice.Hardware;

namespace CoreSlice.Manager;

/// <summary>How a hostile manager breaks an otherwise valid request's DMA ranges (one extra row, or too many).</summary>
public enum DmaPerturbation
{
    /// <summary>No change: the request stays valid.</summary>
    None,
    /// <summary>A row naming a device the request does not list (free, past the machine, or negative).</summary>
    DeviceNotInRequest,
    /// <summary>A row of size zero.</summary>
    EmptyRow,
    /// <summary>A row whose base is not on the granule.</summary>
    UnalignedRow,
    /// <summary>A row with base + size past 2^64.</summary>
    WrappingRow,
    /// <summary>A row asking to execute (devices only read and write).</summary>
    ExecuteRow,
    /// <summary>A row beyond RAM: outside every range and window of the request.</summary>
    RowOutsideSlice,
    /// <summary>A row over another slice's private memory.</summary>
    RowOverAnotherSlice,
    /// <summary>The first range made read-execute and a row writing to it.</summary>
    WriteOnReadOnlyRange,
    /// <summary>One row more than <see cref="Limits.MaxDmaRanges"/>.</summary>
    TooManyRows,
}

/// <summary>
/// The manager's hostile DMA mode, apart from <see cref="HostileRequests"/> so that callers
/// cycling through <see cref="HostileRequests.All"/> keep their sequences: takes a valid request
/// and breaks its DMA ranges only. Every row but <see cref="DmaPerturbation.DeviceNotInRequest"/>'s
/// names the request's first device, so the fault is the one named; a request without devices or
/// memory, or a table with no other slice to steal from, may come back valid.
/// </summary>
public static class HostileDmaRequests
{
    /// <summary>Every DMA perturbation, for callers that cycle through them.</summary>
    public static IReadOnlyList<DmaPerturbation> All { get; } = Enum.GetValues<DmaPerturbation>();

    /// <summary>
    /// <paramref name="valid"/> with its DMA ranges broken as <paramref name="how"/>: the bad row comes
    /// after the valid ones (its index is their count), but first for <see cref="DmaPerturbation.WriteOnReadOnlyRange"/>.
    /// </summary>
    public static SliceRequest Perturb(SliceRequest valid, DmaPerturbation how, MachineConfig config, SliceTable table, Random random)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(random);
        int[] devices = valid.Devices.ToArray();
        DmaRange[] rows = valid.DmaRanges.ToArray();
        if (how == DmaPerturbation.DeviceNotInRequest)
        {
            return WithRow(valid, rows, Row(ForeignDevice(devices, config, random), FirstGranule(valid, config), Permissions.Read));
        }
        if (how == DmaPerturbation.None || devices.Length == 0 || valid.Ranges.IsEmpty)
        {
            return valid;
        }
        int device = devices[0];
        ulong granule = config.GranuleSize;
        MemoryRange first = FirstGranule(valid, config);
        switch (how)
        {
            case DmaPerturbation.EmptyRow:
                return WithRow(valid, rows, Row(device, first with { Size = 0 }, Permissions.Read));
            case DmaPerturbation.UnalignedRow:
                return WithRow(valid, rows, Row(device, first with { Base = first.Base + 1 + (ulong)random.Next((int)Math.Min(granule - 1, 4095)) }, Permissions.Read));
            case DmaPerturbation.WrappingRow:
                return WithRow(valid, rows, Row(device, new MemoryRange(ulong.MaxValue - granule + 1, granule * (1 + (ulong)random.Next(4))), Permissions.Read));
            case DmaPerturbation.ExecuteRow:
                return WithRow(valid, rows, Row(device, first, random.Next(2) == 0 ? Permissions.Execute : Permissions.ReadWriteExecute));
            case DmaPerturbation.RowOutsideSlice:
                return WithRow(valid, rows, Row(device, new MemoryRange(HostileRequests.PastRam(config), granule), Permissions.Read));
            case DmaPerturbation.RowOverAnotherSlice:
                return HostileRequests.StolenRange(table, random) is { } stolen
                    ? WithRow(valid, rows, Row(device, stolen, Permissions.Read | Permissions.Write))
                    : valid;
            case DmaPerturbation.WriteOnReadOnlyRange:
                // First, not last: the valid rows writing the first range (the shape's buffers) now fail too.
                return valid with { RangePermissions = ReadExecuteFirst(valid), DmaRanges = (DmaRange[])[Row(device, first, Permissions.Read | Permissions.Write), .. rows] };
            case DmaPerturbation.TooManyRows:
                return valid with { DmaRanges = Enumerable.Repeat(Row(device, first, Permissions.Read), Limits.MaxDmaRanges + 1).ToArray() };
            default:
                return valid;
        }
    }

    private static DmaRange Row(int device, MemoryRange range, Permissions permissions) => new(device, range, permissions);

    /// <summary><paramref name="request"/> with <paramref name="bad"/> after its valid <paramref name="rows"/>.</summary>
    private static SliceRequest WithRow(SliceRequest request, DmaRange[] rows, DmaRange bad) => request with { DmaRanges = (DmaRange[])[.. rows, bad] };

    /// <summary>The first granule of the request's first private range (where its entry point usually is).</summary>
    private static MemoryRange FirstGranule(SliceRequest request, MachineConfig config) =>
        new(request.Ranges.IsEmpty ? 0 : request.Ranges.Span[0].Base, config.GranuleSize);

    /// <summary>A device index the request does not list: a free device of the machine, one past it, or a negative one.</summary>
    private static int ForeignDevice(int[] devices, MachineConfig config, Random random)
    {
        int pick = random.Next(3);
        if (pick == 0)
        {
            for (int d = 0; d < config.DeviceCount; d++)
            {
                if (Array.IndexOf(devices, d) < 0)
                {
                    return d;
                }
            }
        }
        return pick == 2 ? -1 - random.Next(8) : config.DeviceCount + random.Next(8);
    }

    /// <summary>The request's permissions (RWX where it gave none) with the first range read-execute: still runnable, no longer writable.</summary>
    private static Permissions[] ReadExecuteFirst(SliceRequest request)
    {
        Permissions[] permissions = request.RangePermissions.Length == request.Ranges.Length
            ? request.RangePermissions.ToArray()
            : Enumerable.Repeat(Permissions.ReadWriteExecute, request.Ranges.Length).ToArray();
        permissions[0] = Permissions.Read | Permissions.Execute;
        return permissions;
    }
}
