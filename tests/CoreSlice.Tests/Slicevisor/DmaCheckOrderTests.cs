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
/// The check order around the DMA codes (SliceError.cs, spec/create.smt2): TooManyDmaRanges right
/// after TooManyDevices; the rows after the devices and before the ways; within a row device,
/// empty, unaligned, wraps, permissions, outside, exceeds; each row whole before the next. A
/// request failing two checks returns the earlier one and changes nothing.
/// </summary>
public sealed class DmaCheckOrderTests
{
    private static void First(SliceRequest request, SliceResult expected)
    {
        using Rig rig = Make();
        RejectedLogged(rig, () => rig.Visor.CreateSlice(request), expected);
    }

    private static readonly DmaRange NotInRequest = Row(4, Rwx, Granule);

    // ---- the length, among the shape checks

    [Fact]
    public void PermissionsCountMismatch_comes_before_TooManyDmaRanges() =>
        First(Layout(GoodRows(65)) with { RangePermissions = new[] { R } }, Rejected(SliceError.PermissionsCountMismatch, 1));

    [Fact]
    public void TooManyDevices_comes_before_TooManyDmaRanges() =>
        First(Layout(GoodRows(65)) with { Devices = Enumerable.Range(0, 9).ToArray() }, Rejected(SliceError.TooManyDevices, 9));

    [Fact]
    public void TooManyDevices_comes_before_a_bad_row() =>
        First(Layout(NotInRequest) with { Devices = Enumerable.Repeat(DeviceA, 9).ToArray() }, Rejected(SliceError.TooManyDevices, 9));

    [Fact]
    public void TooManyDmaRanges_comes_before_every_core_check() =>
        First(Layout(GoodRows(65)) with { Cores = new[] { 0 } }, Rejected(SliceError.TooManyDmaRanges, 65));

    // ---- the rows, between the devices and the ways

    [Fact]
    public void A_window_check_comes_before_a_bad_row() =>
        First(Layout(NotInRequest) with { Windows = new[] { Window(WindowA, 0) } }, Rejected(SliceError.WindowEmpty, 0));

    [Fact]
    public void A_failing_window_comes_before_a_row_that_would_fail_on_it()
    {
        // The row would be outside the slice once the window is refused; the window's own error wins.
        SliceRequest request = Layout(Row(DeviceA, Slot1Base, Granule, R)) with { Windows = new[] { Window(Slot1Base, 64 * KiB, R) } };
        First(request, Rejected(SliceError.WindowOutsideControl, 0));
    }

    [Fact]
    public void A_range_check_comes_before_a_bad_row() =>
        First(Layout(NotInRequest) with { RangePermissions = new[] { Permissions.None, RX } }, Rejected(SliceError.RangePermissionsInvalid, 0));

    [Fact]
    public void A_device_check_comes_before_a_bad_row() =>
        First(Layout(Row(DeviceA, 8 * GiB, Granule)) with { Devices = new[] { DeviceA, 0 } }, Rejected(SliceError.DeviceInUse, 0, holder: 1));

    [Fact]
    public void A_row_naming_an_out_of_range_device_reports_the_device_list_first() =>
        First(Layout(Row(99, Rwx, Granule)) with { Devices = new[] { 99 } }, Rejected(SliceError.DeviceOutOfRange, 99));

    [Fact]
    public void A_bad_row_comes_before_a_bad_way() =>
        First(Layout(NotInRequest) with { Ways = 1UL << 2 }, Rejected(SliceError.DmaDeviceNotInRequest, 0));

    [Fact]
    public void A_bad_row_comes_before_no_ways() =>
        First(Layout(Row(DeviceA, Rwx, 0)) with { Ways = 0 }, Rejected(SliceError.DmaRangeEmpty, 0));

    [Fact]
    public void A_bad_row_comes_before_a_bad_entry_point() =>
        First(Layout(Row(DeviceA, Rx, Granule, Permissions.Write)) with { EntryPoint = 8 * GiB },
            Rejected(SliceError.DmaPermissionsExceedRange, 0, Owner.None, 1, Rx, Granule));

    // ---- within a row

    [Fact]
    public void DmaDeviceNotInRequest_comes_before_DmaRangeEmpty() =>
        First(Layout(Row(-1, Rwx, 0)), Rejected(SliceError.DmaDeviceNotInRequest, 0));

    [Fact]
    public void DmaRangeEmpty_comes_before_DmaRangeUnaligned() =>
        First(Layout(Row(DeviceA, Rwx + 1, 0)), Rejected(SliceError.DmaRangeEmpty, 0));

    [Fact]
    public void DmaRangeUnaligned_comes_before_DmaRangeWraps() =>
        First(Layout(Row(DeviceA, ulong.MaxValue - 10, 100)), Rejected(SliceError.DmaRangeUnaligned, 0));

    [Fact]
    public void DmaRangeWraps_comes_before_DmaPermissionsInvalid() =>
        First(Layout(Row(DeviceA, 0xFFFF_FFFF_FFFF_F000UL, 0x2000, Permissions.Execute)), Rejected(SliceError.DmaRangeWraps, 0));

    [Fact]
    public void DmaPermissionsInvalid_comes_before_DmaRangeOutsideSlice() =>
        First(Layout(Row(DeviceA, 8 * GiB, Granule, Permissions.None)), Rejected(SliceError.DmaPermissionsInvalid, 0));

    [Fact]
    public void DmaRangeOutsideSlice_comes_before_DmaPermissionsExceedRange() =>
        // Write over both an RX range and free RAM: no range holds it, so the permission is never compared.
        First(Layout(Row(DeviceA, Rx, RxSize + Granule, Permissions.Write)), Rejected(SliceError.DmaRangeOutsideSlice, 0));

    [Fact]
    public void Each_row_is_checked_whole_before_the_next() =>
        First(Layout(Row(DeviceA, Rx, Granule, RW), NotInRequest), Rejected(SliceError.DmaPermissionsExceedRange, 0, Owner.None, 1, Rx, Granule));

    [Fact]
    public void The_first_bad_row_is_reported_when_several_are_bad() =>
        First(Layout(GoodRow, GoodRow, Row(DeviceB, 8 * GiB, Granule), NotInRequest), Rejected(SliceError.DmaRangeOutsideSlice, 2));
}
