using CoreSlice;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>CreateSlice on a valid request: the lowest free slot, owning exactly what was asked.</summary>
public sealed class CreateSliceSuccessTests
{
    [Fact]
    public void CreateSlice_valid_request_on_empty_machine_returns_slot_1_and_does_not_throw()
    {
        using var rig = Rig.Default();
        var request = Populated.Request([4], [new MemoryRange(2 * GiB, 1 * MiB)], [2], 1UL << 4);
        SliceResult r = rig.Visor.CreateSlice(request);
        Assert.Equal(new SliceResult { Error = SliceError.None, Slot = 1, Subject = -1, Holder = Owner.None, HolderRegion = -1 }, r);
        SliceEntry e = rig.Entry(1);
        Assert.Equal(SliceState.Created, e.State);
        Assert.Equal(1UL, e.Generation);
        Assert.Equal([new MemoryRange(2 * GiB, 1 * MiB)], e.Ranges.ToArray());
        Assert.Equal(1UL << 4, e.Ways);
        Assert.Equal(2 * GiB, e.EntryPoint);
        Assert.True(e.Cores.Contains(4) && e.Cores.Count == 1);
        Assert.True(e.Devices.Contains(2) && e.Devices.Count == 1);
        Assert.Equal(1, rig.Table.CoreOwner(4));
        Assert.Equal(1, rig.Table.DeviceOwner(2));
        Assert.Equal(1, rig.Table.WayOwner(4));
        Assert.Equal(1, rig.Table.MemoryOwner((2 * GiB) + (1 * MiB) - 1));
        Assert.Equal(Owner.Free, rig.Table.MemoryOwner((2 * GiB) + (1 * MiB)));
    }

    [Fact]
    public void CreateSlice_takes_the_lowest_free_slot_after_a_destroy()
    {
        using var rig = Rig.Small();
        int a = rig.Create(cores: 1, bytes: 4 * KiB, devices: 1, ways: 1);
        int b = rig.Create(cores: 1, bytes: 4 * KiB, devices: 1, ways: 1);
        Assert.Equal((1, 2), (a, b));
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(a).Error);
        Assert.Equal(1, rig.Create(cores: 1, bytes: 4 * KiB, devices: 1, ways: 1));
        Assert.Equal(2UL, rig.Entry(1).Generation);
    }
}
