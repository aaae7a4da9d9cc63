using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Manager;

/// <summary>
/// The first-fit manager's DMA buffers: a shape asking for some bytes per device gets one
/// read-write row per device, carved from the top of the first private range, which the
/// slicevisor accepts and programs; devices then reach their own buffer only. A shape asking for
/// none lists no rows (the first wave's meaning), and buffers that do not fit are no plan.
/// </summary>
public sealed class DmaPlanTests
{
    private static SliceShape Shape(ulong memory, int devices, ulong dmaBytes) => new(1, memory, devices, 1, dmaBytes);

    [Fact]
    public void A_shape_without_dma_bytes_lists_no_rows()
    {
        using Rig rig = Populated.Make();
        SliceRequest plan = rig.Manager.Plan(new SliceShape(1, 64 * KiB, 2, 1)) ?? throw new InvalidOperationException("no plan");
        Assert.True(plan.DmaRanges.IsEmpty);
    }

    [Fact]
    public void Each_device_gets_its_own_read_write_buffer_from_the_top_of_the_first_range()
    {
        using Rig rig = Populated.Make();
        SliceRequest plan = rig.Manager.Plan(Shape(1 * MiB, 3, 10 * KiB)) ?? throw new InvalidOperationException("no plan");
        MemoryRange first = plan.Ranges.Span[0];
        int[] devices = plan.Devices.ToArray();
        const ulong Buffer = 12 * KiB;   // 10 KiB rounded up to the 4 KiB granule
        DmaRange[] expected = [.. devices.Select((d, i) => new DmaRange(d, new MemoryRange(first.Limit - ((ulong)(i + 1) * Buffer), Buffer), Permissions.Read | Permissions.Write))];
        Assert.Equal(expected, plan.DmaRanges.ToArray());
    }

    [Fact]
    public void The_slicevisor_accepts_and_programs_the_planned_buffers_and_devices_reach_only_their_own()
    {
        using Rig rig = Populated.Make();
        SliceRequest plan = rig.Manager.Plan(Shape(256 * KiB, 2, 8 * KiB)) ?? throw new InvalidOperationException("no plan");
        int slot = rig.Create(plan);
        Assert.Equal(SliceError.None, rig.Visor.StartSlice(slot).Error);
        Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
        DmaRange[] rows = plan.DmaRanges.ToArray();
        foreach (DmaRange row in rows)
        {
            Assert.Equal([new IommuMapping(row.Range, row.Permissions)], rig.Machine.IommuWindow(row.Device).ToArray());
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaWrite(row.Device, row.Range.Base, [1, 2, 3]));
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaRead(row.Device, row.Range.Limit - 8, new byte[8]));
            // The guest's code at the base of the range, and the other device's buffer, stay out of reach.
            Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaRead(row.Device, plan.EntryPoint, new byte[1]));
        }
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaRead(rows[0].Device, rows[1].Range.Base, new byte[1]));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(rows[1].Device, rows[0].Range.Base, [1]));
    }

    [Theory]
    [InlineData(64 * 1024UL, 2, 33 * 1024UL)]     // two 36 KiB buffers do not fit 64 KiB
    [InlineData(64 * 1024UL, 1, 68 * 1024UL)]     // one buffer larger than the range
    [InlineData(64 * 1024UL, 1, ulong.MaxValue)]  // rounding up would overflow
    public void Buffers_that_do_not_fit_the_first_range_are_no_plan(ulong memory, int devices, ulong dmaBytes)
    {
        using Rig rig = Populated.Make();
        Assert.Null(rig.Manager.Plan(Shape(memory, devices, dmaBytes)));
    }

    [Fact]
    public void Buffers_filling_the_first_range_exactly_are_accepted()
    {
        using Rig rig = Populated.Make();
        SliceRequest plan = rig.Manager.Plan(Shape(64 * KiB, 2, 32 * KiB)) ?? throw new InvalidOperationException("no plan");
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(plan).Error);
    }

    [Fact]
    public void A_shape_with_dma_bytes_but_no_devices_lists_no_rows()
    {
        using Rig rig = Populated.Make();
        SliceRequest plan = rig.Manager.Plan(Shape(64 * KiB, 0, 4 * KiB)) ?? throw new InvalidOperationException("no plan");
        Assert.True(plan.DmaRanges.IsEmpty);
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(plan).Error);
    }
}
