using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.DmaRequests;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Allocation;

/// <summary>
/// Per-device DMA ranges add no allocation: CreateSlice copying and checking the rows (accepted,
/// or refused at each DMA check), StartSlice building each device's IOMMU window in the
/// preallocated scratch buffer, and DestroySlice closing them allocate zero bytes once warm.
/// The longest list (every row for one device) is measured too, since it fills the scratch buffer.
/// </summary>
public sealed class DmaAllocationTests
{
    private const int Cycles = 2000;

    private static long Measure(Action body) => Allocations.Least(body, Cycles);

    private static void Lifecycle(Rig rig, SliceRequest request, byte[] message)
    {
        rig.KeepLogRoom();
        SliceResult c = rig.Visor.CreateSlice(request);
        SliceResult s = rig.Visor.StartSlice(c.Slot);
        // A real DMA through the window just programmed, so the measured path is the one a device uses.
        if (rig.Machine.DeviceDmaWrite(DeviceA, Rwx, message) != AccessOutcome.Allowed)
        {
            throw new InvalidOperationException("device A could not write its row");
        }
        SliceResult d = rig.Visor.DestroySlice(c.Slot);
        if (!c.Ok || !s.Ok || !d.Ok)
        {
            throw new InvalidOperationException($"{c.Error} {s.Error} {d.Error}");
        }
    }

    [Fact]
    public void Create_Start_Destroy_with_dma_rows_allocate_zero_bytes()
    {
        using Rig rig = Make();
        SliceRequest request = Layout(GoodRow, Row(DeviceB, Rx, Granule, R), Row(DeviceB, WindowA, Granule), Row(DeviceA, WindowB, ReadWindowSize, R));
        byte[] message = [1, 2, 3, 4];
        Assert.Equal(0, Measure(() => Lifecycle(rig, request, message)));
    }

    [Fact]
    public void Create_Start_Destroy_with_MaxDmaRanges_rows_for_one_device_allocate_zero_bytes()
    {
        using Rig rig = Make();
        DmaRange[] rows = [.. Enumerable.Range(0, Limits.MaxDmaRanges).Select(i => Row(DeviceA, Rwx + ((ulong)i * Granule), Granule))];
        SliceRequest request = Layout(rows);
        byte[] message = [1, 2, 3, 4];
        Assert.Equal(0, Measure(() => Lifecycle(rig, request, message)));
    }

    [Fact]
    public void CreateSlice_refused_at_each_dma_check_allocates_zero_bytes()
    {
        using Rig rig = Make();
        (SliceRequest Request, SliceError Error)[] refused =
        [
            (Layout(GoodRows(Limits.MaxDmaRanges + 1)), SliceError.TooManyDmaRanges),
            (Layout(new DmaRange[100_000]), SliceError.TooManyDmaRanges),
            (Layout(Row(4, Rwx, Granule)), SliceError.DmaDeviceNotInRequest),
            (Layout(Row(DeviceA, Rwx, 0)), SliceError.DmaRangeEmpty),
            (Layout(Row(DeviceA, Rwx + 1, Granule)), SliceError.DmaRangeUnaligned),
            (Layout(Row(DeviceA, 0xFFFF_FFFF_FFFF_F000UL, 0x2000)), SliceError.DmaRangeWraps),
            (Layout(Row(DeviceA, Rwx, Granule, Permissions.Execute)), SliceError.DmaPermissionsInvalid),
            (Layout(Row(DeviceA, Slot1Base, Granule)), SliceError.DmaRangeOutsideSlice),
            (Layout(Row(DeviceA, WindowB, ReadWindowSize, RW)), SliceError.DmaPermissionsExceedRange),
        ];
        Assert.Equal(0, Measure(() =>
        {
            rig.KeepLogRoom();
            foreach ((SliceRequest request, SliceError error) in refused)
            {
                SliceResult r = rig.Visor.CreateSlice(request);
                if (r.Error != error)
                {
                    throw new InvalidOperationException($"expected {error}, got {r.Error}");
                }
            }
        }));
    }
}
