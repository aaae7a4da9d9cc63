using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.DmaRequests;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// What StartSlice programs (I4, spec dmaAllows): each device's IOMMU window is exactly its rows in
/// request order; a device with no row gets an open, empty window; a slice listing no rows gives
/// every device every private range with its Read/Write part. Real DMA through the simulated
/// IOMMU then goes where, and only as, the rows say; DestroySlice closes every window.
/// </summary>
public sealed class DmaProgrammingTests
{
    private static IommuMapping Mapping(DmaRange row) => new(row.Range, row.Permissions);

    private static int Start(Rig rig, SliceRequest request)
    {
        int slot = rig.Create(request);
        Assert.Equal(SliceError.None, rig.Visor.StartSlice(slot).Error);
        Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
        return slot;
    }

    private static AccessOutcome Read(Rig rig, int device, ulong address) => rig.Machine.DeviceDmaRead(device, address, new byte[8]);

    private static AccessOutcome Write(Rig rig, int device, ulong address) => rig.Machine.DeviceDmaWrite(device, address, [1, 2, 3, 4, 5, 6, 7, 8]);

    [Fact]
    public void Each_device_s_window_is_exactly_its_rows_in_request_order()
    {
        using Rig rig = Make();
        DmaRange[] rows =
        [
            Row(DeviceB, WindowA, Granule),
            Row(DeviceA, Rwx + (8 * Granule), Granule, R),
            Row(DeviceB, Rx, RxSize, R),
            Row(DeviceA, Rwx, Granule, Permissions.Write),
            Row(DeviceB, Rwx, RwxSize),
        ];
        _ = Start(rig, Layout(rows));
        Assert.Equal([Mapping(rows[1]), Mapping(rows[3])], rig.Machine.IommuWindow(DeviceA).ToArray());
        Assert.Equal([Mapping(rows[0]), Mapping(rows[2]), Mapping(rows[4])], rig.Machine.IommuWindow(DeviceB).ToArray());
    }

    [Fact]
    public void A_device_with_no_rows_gets_an_open_empty_window_and_reaches_nothing()
    {
        using Rig rig = Make();
        _ = Start(rig, Layout(GoodRow));
        Assert.True(rig.Machine.IommuWindowOpen(DeviceB));
        Assert.True(rig.Machine.IommuWindow(DeviceB).IsEmpty);
        foreach (ulong address in new[] { Rwx, Rx, WindowA, WindowB })
        {
            Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, DeviceB, address));
            Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, DeviceB, address));
        }
    }

    [Fact]
    public void Without_rows_every_device_gets_every_private_range_with_its_read_write_part()
    {
        using Rig rig = Make();
        const ulong ExecuteOnly = FreeBase + (4 * MiB);
        SliceRequest legacy = Layout() with
        {
            Ranges = new[] { new MemoryRange(Rwx, RwxSize), new MemoryRange(Rx, RxSize), new MemoryRange(ExecuteOnly, 64 * KiB) },
            RangePermissions = new[] { RWX, RX, Permissions.Execute },
        };
        _ = Start(rig, legacy);
        IommuMapping[] expected =
        [
            new(new MemoryRange(Rwx, RwxSize), RW),
            new(new MemoryRange(Rx, RxSize), R),
            new(new MemoryRange(ExecuteOnly, 64 * KiB), Permissions.None),   // present, granting nothing
        ];
        foreach (int device in new[] { DeviceA, DeviceB })
        {
            Assert.Equal(expected, rig.Machine.IommuWindow(device).ToArray());
            Assert.Equal(AccessOutcome.Allowed, Write(rig, device, Rwx + 0x100));
            Assert.Equal(AccessOutcome.Allowed, Read(rig, device, Rwx + 0x100));
            Assert.Equal(AccessOutcome.Allowed, Read(rig, device, Rx));
            Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, device, Rx));
            Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, device, ExecuteOnly));
            Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, device, ExecuteOnly));
            // Windows are the guest's, not its devices', unless a row lends them.
            Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, device, WindowA));
        }
    }

    [Fact]
    public void Real_DMA_goes_where_and_only_as_the_rows_say()
    {
        using Rig rig = Make();
        _ = Start(rig, Layout(
            Row(DeviceA, Rwx, Granule, R),
            Row(DeviceA, Rwx + Granule, Granule, Permissions.Write),
            Row(DeviceA, WindowA, Granule),
            Row(DeviceB, Rx, Granule, R),
            Row(DeviceB, WindowB, ReadWindowSize, R)));

        Assert.Equal(AccessOutcome.Allowed, Read(rig, DeviceA, Rwx));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, DeviceA, Rwx));
        Assert.Equal(AccessOutcome.Allowed, Write(rig, DeviceA, Rwx + Granule));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, DeviceA, Rwx + Granule));
        Assert.Equal(AccessOutcome.Allowed, Write(rig, DeviceA, WindowA));
        Assert.Equal(AccessOutcome.Allowed, Read(rig, DeviceA, WindowA));
        // The slice's own memory outside the rows is out of reach, and a DMA crossing a row's end too.
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, DeviceA, Rwx + (2 * Granule)));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(DeviceA, Rwx + (2 * Granule) - 4, new byte[8]));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, DeviceA, Rx));

        Assert.Equal(AccessOutcome.Allowed, Read(rig, DeviceB, Rx));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, DeviceB, Rx));
        Assert.Equal(AccessOutcome.Allowed, Read(rig, DeviceB, WindowB));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, DeviceB, WindowB));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, DeviceB, Rwx));

        // What device A wrote into the window, device A reads back: one buffer, two directions.
        byte[] back = new byte[8];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaRead(DeviceA, WindowA, back));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, back);
        Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
    }

    [Fact]
    public void Other_slices_devices_keep_their_own_windows()
    {
        using Rig rig = Make();
        IommuMapping[] slot1Device = rig.Machine.IommuWindow(0).ToArray();
        _ = Start(rig, Layout(GoodRow));
        Assert.Equal(slot1Device, rig.Machine.IommuWindow(0).ToArray());
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, 0, Rwx));
        Assert.False(rig.Machine.IommuWindowOpen(1)); // slot 2 is Created, not started
    }

    [Fact]
    public void DestroySlice_closes_every_window_of_the_slice()
    {
        using Rig rig = Make();
        int slot = Start(rig, Layout(GoodRow, Row(DeviceB, WindowA, Granule)));
        Assert.Equal(AccessOutcome.Allowed, Write(rig, DeviceA, Rwx));
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(slot).Error);
        foreach (int device in new[] { DeviceA, DeviceB })
        {
            Assert.False(rig.Machine.IommuWindowOpen(device));
            Assert.True(rig.Machine.IommuWindow(device).IsEmpty);
        }
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Read(rig, DeviceA, Rwx));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, Write(rig, DeviceB, WindowA));
        Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
    }

    [Fact]
    public void A_device_listing_MaxDmaRanges_rows_gets_all_of_them()
    {
        // The IOMMU scratch buffer and the machine's window must both hold the longest list for one device.
        using Rig rig = Make();
        DmaRange[] rows = [.. Enumerable.Range(0, Limits.MaxDmaRanges).Select(i => Row(DeviceA, Rwx + ((ulong)i * Granule), Granule))];
        _ = Start(rig, Layout(rows));
        Assert.Equal(rows.Select(Mapping), rig.Machine.IommuWindow(DeviceA).ToArray());
        Assert.True(rig.Machine.IommuWindow(DeviceB).IsEmpty);
    }

    [Fact]
    public void A_slice_created_again_on_the_same_devices_gets_its_own_rows_only()
    {
        // The entry's row buffer is reused: a shorter list must not bring back the previous slice's rows.
        using Rig rig = Make();
        int first = Start(rig, Layout(GoodRows(6)));
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(first).Error);
        int second = Start(rig, Layout(Row(DeviceB, Rx, Granule, R)));
        Assert.Equal(first, second);
        Assert.Equal([Row(DeviceB, Rx, Granule, R)], rig.Entry(second).DmaRanges.ToArray());
        Assert.True(rig.Machine.IommuWindow(DeviceA).IsEmpty);
        Assert.Equal([new IommuMapping(new MemoryRange(Rx, Granule), R)], rig.Machine.IommuWindow(DeviceB).ToArray());
    }
}
