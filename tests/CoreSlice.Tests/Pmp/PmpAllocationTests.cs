using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>The encoder is TCB code: it allocates nothing, and neither does a PMP create/start/destroy cycle's trusted part.</summary>
public sealed class PmpAllocationTests
{
    [Fact]
    public void Encode_and_Cost_allocate_nothing()
    {
        var g = new PmpGeometry(16, 0, Clint, 5);
        MemoryRange[] ranges = [new MemoryRange(0x9000_0000, 256 * MiB), new MemoryRange(0x10_0000_0000, 48 * MiB), new MemoryRange(0x10_0300_0000, 80 * MiB)];
        ResourceSet harts = default;
        harts.Add(2);
        harts.Add(4);
        var table = new PmpEntry[16];
        int sink = 0;
        long bytes = Allocations.Least(() =>
        {
            sink += PmpEncoder.Cost(g, ranges, harts);
            sink += PmpEncoder.Encode(g, ranges, Permissions.ReadWriteExecute, harts, table);
        }, 1000);
        Assert.Equal(0, bytes);
        Assert.True(sink > 0);
    }

    [Fact]
    public void A_PMP_create_start_destroy_cycle_allocates_nothing()
    {
        using PmpRig rig = PolarFire();
        SliceRequest request = Request([2, 3], [new MemoryRange(0x9000_0000, 256 * MiB), new MemoryRange(0x10_0000_0000, 48 * MiB)], 1UL << 4);
        byte[] drained = new byte[1 << 20];
        bool ok = true;
        long bytes = Allocations.Least(() =>
        {
            SliceResult c = rig.Visor.CreateSlice(request);
            ok &= c.Ok && rig.Visor.StartSlice(c.Slot).Ok && rig.Visor.DestroySlice(c.Slot).Ok;
            if (rig.Visor.Log.Count * 2 >= rig.Visor.Log.Capacity)
            {
                ok &= rig.Visor.DrainLog(drained, out _).Ok;
            }
        }, 200, warmup: 100);
        Assert.True(ok);
        Assert.Equal(0, bytes);
    }
}
