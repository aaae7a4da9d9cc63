using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.DmaRequests;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// One test per CreateSlice code of per-device DMA ranges (8, 90-96): the exact error, the row
/// it names (and for 96 the holding region and the row's interval); table, ownership and hardware
/// unchanged bit for bit, and the refusal logged once. Every request is
/// <see cref="DmaRequests.Layout"/> with one row broken; the row sits after a good one, so the
/// subject is the row's index, not the first.
/// </summary>
public sealed class DmaRejectionTests
{
    private static void Reject(SliceRequest request, SliceResult expected)
    {
        using Rig rig = Make();
        RejectedLogged(rig, () => rig.Visor.CreateSlice(request), expected);
    }

    private static void RejectSecondRow(DmaRange bad, SliceError error) =>
        Reject(Layout(GoodRow, bad), Rejected(error, 1));

    [Fact]
    public void CreateSlice_with_dma_rows_succeeds_positive_control()
    {
        using Rig rig = Make();
        DmaRange[] rows = [GoodRow, Row(DeviceB, Rx, Granule, R), Row(DeviceB, WindowA, Granule, RW), Row(DeviceA, WindowB, ReadWindowSize, R)];
        SliceResult r = rig.Visor.CreateSlice(Layout(rows));
        Assert.Equal(SliceError.None, r.Error);
        Assert.Equal(rows, rig.Entry(r.Slot).DmaRanges.ToArray());
    }

    [Fact]
    public void CreateSlice_TooManyDmaRanges_names_the_count_given() =>
        Reject(Layout(GoodRows(Limits.MaxDmaRanges + 1)), Rejected(SliceError.TooManyDmaRanges, Limits.MaxDmaRanges + 1));

    [Fact]
    public void CreateSlice_exactly_MaxDmaRanges_rows_are_accepted()
    {
        using Rig rig = Make();
        SliceResult r = rig.Visor.CreateSlice(Layout(GoodRows(Limits.MaxDmaRanges)));
        Assert.Equal(SliceError.None, r.Error);
        Assert.Equal(Limits.MaxDmaRanges, rig.Entry(r.Slot).DmaRanges.Length);
    }

    [Theory]
    [InlineData(4)]              // a free device of the machine, not in the request
    [InlineData(0)]              // another slice's device
    [InlineData(8)]              // one past the machine's devices
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void CreateSlice_DmaDeviceNotInRequest_names_the_row(int device) =>
        RejectSecondRow(Row(device, Rwx, Granule), SliceError.DmaDeviceNotInRequest);

    [Fact]
    public void CreateSlice_DmaDeviceNotInRequest_when_the_request_has_no_devices() =>
        Reject(Layout(GoodRow) with { Devices = Array.Empty<int>() }, Rejected(SliceError.DmaDeviceNotInRequest, 0));

    [Fact]
    public void CreateSlice_DmaRangeEmpty_names_the_row() =>
        RejectSecondRow(Row(DeviceB, Rwx, 0), SliceError.DmaRangeEmpty);

    [Theory]
    [InlineData(Rwx + 1, Granule)]
    [InlineData(Rwx, Granule - 1)]
    [InlineData(Rwx + (Granule / 2), Granule / 2)]
    public void CreateSlice_DmaRangeUnaligned_names_the_row(ulong b, ulong size) =>
        RejectSecondRow(Row(DeviceB, b, size), SliceError.DmaRangeUnaligned);

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, 0x1000UL)]   // base + size == 2^64 exactly
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, 0x2000UL)]
    [InlineData(0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL)]
    public void CreateSlice_DmaRangeWraps_names_the_row(ulong b, ulong size) =>
        RejectSecondRow(Row(DeviceB, b, size), SliceError.DmaRangeWraps);

    [Theory]
    [InlineData((byte)0)]      // none: a row that grants nothing is a mistake, not a mapping
    [InlineData((byte)4)]      // execute: devices never execute
    [InlineData((byte)5)]      // RX
    [InlineData((byte)7)]      // RWX
    [InlineData((byte)0x08)]   // a bit the hardware does not have
    [InlineData((byte)0x83)]   // RW plus an unknown bit
    public void CreateSlice_DmaPermissionsInvalid_names_the_row(byte bits) =>
        RejectSecondRow(Row(DeviceB, Rwx, Granule, (Permissions)bits), SliceError.DmaPermissionsInvalid);

    [Theory]
    [InlineData(FreeBase + (8 * MiB), 4 * KiB)]                 // free RAM
    [InlineData(Slot1Base, 4 * KiB)]                            // another slice's private memory
    [InlineData(Slot2Second, 4 * KiB)]
    [InlineData(1 * MiB, 4 * KiB)]                              // reserved (the slicevisor)
    [InlineData(ControlBase, 4 * KiB)]                          // control memory not lent as a window
    [InlineData(8 * GiB, 4 * KiB)]                              // not RAM
    [InlineData(Rx + RxSize - Granule, 2 * Granule)]            // one granule past the end of the last range
    [InlineData(Rwx - Granule, 2 * Granule)]                    // one granule before the first
    [InlineData(Rwx + RwxSize - Granule, 2 * Granule)]          // straddles the two adjacent private ranges
    [InlineData(Rwx, RwxSize + RxSize)]                         // both adjacent ranges exactly: still not inside ONE
    [InlineData(WindowA + RwWindowSize - Granule, 2 * Granule)] // one granule past the end of a window
    public void CreateSlice_DmaRangeOutsideSlice_names_the_row(ulong b, ulong size) =>
        RejectSecondRow(Row(DeviceB, b, size, R), SliceError.DmaRangeOutsideSlice);

    [Fact]
    public void CreateSlice_DmaPermissionsExceedRange_write_on_an_RX_range_names_the_range()
    {
        DmaRange bad = Row(DeviceB, Rx + Granule, Granule, Permissions.Write);
        Reject(Layout(GoodRow, bad), Rejected(SliceError.DmaPermissionsExceedRange, 1, Owner.None, 1, Rx + Granule, Granule));
    }

    [Theory]
    [InlineData((byte)2)]   // W
    [InlineData((byte)3)]   // RW
    public void CreateSlice_DmaPermissionsExceedRange_write_on_a_read_only_window_names_the_window(byte bits)
    {
        DmaRange bad = Row(DeviceA, WindowB, ReadWindowSize, (Permissions)bits);
        Reject(Layout(GoodRow, bad), Rejected(SliceError.DmaPermissionsExceedRange, 1, Owner.None, ReadWindowRegion, WindowB, ReadWindowSize));
    }

    [Fact]
    public void CreateSlice_a_row_equal_to_a_whole_range_or_window_is_accepted()
    {
        using Rig rig = Make();
        DmaRange[] rows = [Row(DeviceA, Rwx, RwxSize), Row(DeviceA, Rx, RxSize, R), Row(DeviceB, WindowA, RwWindowSize), Row(DeviceB, WindowB, ReadWindowSize, R)];
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(Layout(rows)).Error);
    }

    [Fact]
    public void CreateSlice_the_last_granule_of_a_range_is_inside_it()
    {
        using Rig rig = Make();
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(Layout(Row(DeviceB, Rx + RxSize - Granule, Granule, R))).Error);
    }

    [Theory]
    [InlineData((byte)1)]   // R on an RX range: allowed (execute is the guest's, reading is shared)
    [InlineData((byte)2)]   // W on RWX
    [InlineData((byte)3)]
    public void CreateSlice_any_nonempty_subset_of_RW_within_the_range_is_accepted(byte bits)
    {
        using Rig rig = Make();
        DmaRange row = (Permissions)bits == R ? Row(DeviceA, Rx, Granule, R) : Row(DeviceA, Rwx, Granule, (Permissions)bits);
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(Layout(row)).Error);
    }

    [Fact]
    public void CreateSlice_a_read_row_inside_a_read_only_window_is_accepted()
    {
        using Rig rig = Make();
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(Layout(Row(DeviceB, WindowB, ReadWindowSize, R))).Error);
    }

    [Fact]
    public void CreateSlice_two_devices_may_share_a_granule_and_a_device_may_list_it_twice()
    {
        // Rows are grants, not owners: overlap between rows of the same slice is the guest's business.
        using Rig rig = Make();
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(Layout(GoodRow, Row(DeviceB, Rwx, Granule), GoodRow)).Error);
    }
}
