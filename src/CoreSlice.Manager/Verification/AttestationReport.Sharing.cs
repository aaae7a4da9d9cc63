using System.Buffers.Binary;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using L = CoreSlice.Attestation.ReportLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>The sharing section of a version-3 report: range permissions, windows, DMA ranges.</summary>
public sealed partial class AttestationReport
{
    private const Permissions ReadWrite = Permissions.Read | Permissions.Write;

    /// <summary>The guest's effective permission on each range, in the order of <see cref="Ranges"/>.</summary>
    public IReadOnlyList<Permissions> RangePermissions { get; private init; } = [];

    /// <summary>The windows onto control memory, in range-register order after the ranges (window k is register Ranges.Count + k).</summary>
    public IReadOnlyList<SharedWindow> Windows { get; private init; } = [];

    /// <summary>Whether the slice lists DMA ranges (<see cref="DmaRanges"/>) or its devices reach every private range.</summary>
    public DmaScope DmaScope { get; private init; }

    /// <summary>The listed DMA ranges, in request order; empty exactly when <see cref="DmaScope"/> is <see cref="DmaScope.AllPrivateRanges"/>.</summary>
    public IReadOnlyList<DmaRange> DmaRanges { get; private init; } = [];

    /// <summary>
    /// What each device reaches by DMA: the listed ranges, or, with no list, every device on every
    /// private range with that range's Read/Write permissions (a range the guest may only execute
    /// gives a device nothing). Device-major, ranges in register order.
    /// </summary>
    public IReadOnlyList<DmaRange> EffectiveDmaRanges => DmaScope == DmaScope.Listed
        ? DmaRanges
        : [.. from device in Devices
              from i in Enumerable.Range(0, Ranges.Count)
              where (RangePermissions[i] & ReadWrite) != Permissions.None
              select new DmaRange(device, Ranges[i], RangePermissions[i] & ReadWrite)];

    /// <summary>The sharing section's structural problem (called after the common part checked out), or null.</summary>
    private static string? SharingProblem(ReadOnlySpan<byte> b)
    {
        int ranges = (int)BinaryPrimitives.ReadUInt32LittleEndian(b[L.RangeCount..]);
        ReadOnlySpan<byte> permissions = b.Slice(L.RangePermissions, L.RangeSlots);
        // A used slot is never zero (the slicevisor grants a non-empty permission), so a count raised over zero slots is caught.
        if (permissions[..ranges].ContainsAnyExceptInRange((byte)Permissions.Read, (byte)Permissions.ReadWriteExecute) || permissions[ranges..].ContainsAnyExcept((byte)0))
        {
            return "range permissions: a used slot is empty or holds bits other than read/write/execute, or an unused slot is not zero";
        }
        uint windows = BinaryPrimitives.ReadUInt32LittleEndian(b[L.WindowCount..]);
        if (windows > (uint)(L.WindowSlots - ranges))
        {
            return $"window count: {windows} windows and {ranges} ranges exceed the {L.WindowSlots} range registers";
        }
        byte scope = b[L.DmaScopeField];
        uint dma = BinaryPrimitives.ReadUInt32LittleEndian(b[L.DmaRangeCount..]);
        if (!(scope == (byte)DmaScope.AllPrivateRanges && dma == 0) && !(scope == (byte)DmaScope.Listed && dma is > 0 and <= L.DmaSlots))
        {
            return $"DMA scope {scope} with {dma} DMA ranges: expected scope 1 (no list) with none, or scope 2 (listed) with 1..{L.DmaSlots}";
        }
        if (b.Slice(L.Reserved4, 3).ContainsAnyExcept((byte)0) || BinaryPrimitives.ReadUInt32LittleEndian(b[L.Reserved5..]) != 0)
        {
            return "reserved bytes are not zero";
        }
        return GrantsProblem(b.Slice(L.Windows, L.WindowSlots * L.GrantSize), (int)windows, "windows", maxHolder: 0)
            ?? GrantsProblem(b.Slice(L.DmaRanges, L.DmaSlots * L.GrantSize), (int)dma, "DMA ranges", maxHolder: ResourceSet.Capacity - 1);
    }

    /// <summary>
    /// Used records: holder within bounds, permissions a non-empty subset of read/write (windows and
    /// DMA ranges never execute, and an empty one is never granted, so a count raised over zero
    /// records is caught), reserved zero; unused records zero.
    /// </summary>
    private static string? GrantsProblem(ReadOnlySpan<byte> records, int used, string what, int maxHolder)
    {
        for (int k = 0; k < used; k++)
        {
            ReadOnlySpan<byte> record = records.Slice(k * L.GrantSize, L.GrantSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record[L.GrantHolder..]) > (uint)maxHolder)
            {
                return $"{what}: record {k} names {(maxHolder == 0 ? "a holder where zero belongs" : "a device beyond the device map")}";
            }
            byte permissions = record[L.GrantPermissions];
            if (permissions == 0 || (permissions & ~(byte)ReadWrite) != 0 || record.Slice(L.GrantPermissions + 1, 3).ContainsAnyExcept((byte)0))
            {
                return $"{what}: record {k} holds permissions that are empty or other than read/write, or nonzero reserved bytes";
            }
        }
        return records[(used * L.GrantSize)..].ContainsAnyExcept((byte)0) ? $"{what}: unused slots are not zero" : null;
    }

    private static Permissions[] ReadRangePermissions(ReadOnlySpan<byte> b, int count)
    {
        var permissions = new Permissions[count];
        for (int i = 0; i < count; i++)
        {
            permissions[i] = (Permissions)b[L.RangePermissions + i];
        }
        return permissions;
    }

    private static SharedWindow[] ReadWindows(ReadOnlySpan<byte> b)
    {
        var windows = new SharedWindow[BinaryPrimitives.ReadUInt32LittleEndian(b[L.WindowCount..])];
        for (int k = 0; k < windows.Length; k++)
        {
            ReadOnlySpan<byte> record = b.Slice(L.Windows + (k * L.GrantSize), L.GrantSize);
            windows[k] = new SharedWindow(GrantRange(record), (Permissions)record[L.GrantPermissions]);
        }
        return windows;
    }

    private static DmaRange[] ReadDmaRanges(ReadOnlySpan<byte> b)
    {
        var ranges = new DmaRange[BinaryPrimitives.ReadUInt32LittleEndian(b[L.DmaRangeCount..])];
        for (int k = 0; k < ranges.Length; k++)
        {
            ReadOnlySpan<byte> record = b.Slice(L.DmaRanges + (k * L.GrantSize), L.GrantSize);
            ranges[k] = new DmaRange((int)BinaryPrimitives.ReadUInt32LittleEndian(record[L.GrantHolder..]), GrantRange(record), (Permissions)record[L.GrantPermissions]);
        }
        return ranges;
    }

    private static MemoryRange GrantRange(ReadOnlySpan<byte> record) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(record[L.GrantBase..]), BinaryPrimitives.ReadUInt64LittleEndian(record[L.GrantLength..]));

    /// <summary>
    /// The sharing section rebuilt from the decoded fields (for the entry hash): written here from
    /// the lists, not copied from the report's bytes, so it cross-checks the slicevisor's encoder.
    /// </summary>
    private void EncodeSharing(Span<byte> section)
    {
        const int at = L.RangePermissions;
        for (int i = 0; i < RangePermissions.Count; i++)
        {
            section[i] = (byte)RangePermissions[i];
        }
        BinaryPrimitives.WriteUInt32LittleEndian(section[(L.WindowCount - at)..], (uint)Windows.Count);
        section[L.DmaScopeField - at] = (byte)DmaScope;
        BinaryPrimitives.WriteUInt32LittleEndian(section[(L.DmaRangeCount - at)..], (uint)DmaRanges.Count);
        for (int k = 0; k < Windows.Count; k++)
        {
            EncodeGrant(section[(L.Windows - at + (k * L.GrantSize))..], 0, Windows[k].Permissions, Windows[k].Range);
        }
        for (int k = 0; k < DmaRanges.Count; k++)
        {
            EncodeGrant(section[(L.DmaRanges - at + (k * L.GrantSize))..], (uint)DmaRanges[k].Device, DmaRanges[k].Permissions, DmaRanges[k].Range);
        }
    }

    private static void EncodeGrant(Span<byte> record, uint holder, Permissions permissions, MemoryRange range)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record[L.GrantHolder..], holder);
        record[L.GrantPermissions] = (byte)permissions;
        BinaryPrimitives.WriteUInt64LittleEndian(record[L.GrantBase..], range.Base);
        BinaryPrimitives.WriteUInt64LittleEndian(record[L.GrantLength..], range.Size);
    }
}
