using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// Every guest attack class against a running slice (S3, S4, S5, S6), each blocked with
/// its reason, and the positive controls (own memory, own cores) that show the test could fail.
/// Slot 1 runs on cores 1,2 with [1G,+1M) and device 0; slot 2 (Created) holds [1G+2M,+1M).
/// </summary>
public sealed class GuestAttackTests
{
    private const int Core = 1;

    public static TheoryData<string, ulong> ForeignAddresses => new()
    {
        { "another slice", Slot2Base + 0x10 },
        { "control memory", 32 * MiB },
        { "reserved slicevisor", 1 * MiB + 0x40 },
        { "reserved slice table", 17 * MiB },
        { "free RAM", FreeBase },
        { "just below own memory", Slot1Base - 1 },
        { "just past own memory", Slot1Base + (1 * MiB) },
        { "beyond RAM", 5 * GiB },
        { "top of the address space", ulong.MaxValue },
    };

    [Theory]
    [MemberData(nameof(ForeignAddresses))]
    public void Guest_load_store_fetch_outside_own_memory_is_blocked(string what, ulong address)
    {
        _ = what;
        using Rig rig = Make();
        StateSnapshot before = StateSnapshot.Take(rig);
        byte[] buffer = new byte[4];
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(Core, address, buffer));
        Assert.Equal(new byte[4], buffer);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(Core, address, [0xEE, 0xEE, 0xEE, 0xEE]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(Core, address));
        before.AssertSameAs(StateSnapshot.Take(rig));
    }

    [Fact]
    public void Guest_access_straddling_the_end_of_own_memory_is_blocked()
    {
        using Rig rig = Make();
        ulong last = Slot1Base + (1 * MiB) - 2;
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(Core, last, [1, 2, 3, 4]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(Core, last, new byte[4]));
    }

    [Fact]
    public void Guest_load_store_fetch_of_own_memory_is_allowed_positive_control()
    {
        using Rig rig = Make();
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(2, Slot1Base + 0x500, [7, 7]));
        byte[] back = new byte[2];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(1, Slot1Base + 0x500, back));
        Assert.Equal(new byte[] { 7, 7 }, back);
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestFetch(1, Slot1Base + 0x40));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(1, Slot1Base + (1 * MiB) - 4, new byte[4]));
        Assert.Equal(1, rig.Machine.Memory.LastWriter(Slot1Base + 0x500));
    }

    [Fact]
    public void Created_slice_cores_run_nothing_before_StartSlice()
    {
        using Rig rig = Make();
        Assert.Equal(AccessOutcome.CoreNotRunning, rig.Machine.GuestLoad(3, Slot2Base, new byte[1]));
        Assert.Equal(AccessOutcome.CoreNotRunning, rig.Machine.GuestSendIpi(3, 3));
    }

    [Theory]
    [MemberData(nameof(ForeignAddresses))]
    public void Device_DMA_outside_its_window_is_blocked(string what, ulong address)
    {
        _ = what;
        using Rig rig = Make();
        StateSnapshot before = StateSnapshot.Take(rig);
        byte[] buffer = new byte[4];
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaRead(0, address, buffer));
        Assert.Equal(new byte[4], buffer);
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(0, address, [1, 2, 3, 4]));
        before.AssertSameAs(StateSnapshot.Take(rig));
    }

    [Fact]
    public void Device_DMA_inside_its_window_is_allowed_positive_control()
    {
        using Rig rig = Make();
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaWrite(0, Slot1Base + 0x3000, [1, 2]));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaRead(0, Slot1Base + 0x100, new byte[4]));
        Assert.Equal([new IommuMapping(new MemoryRange(Slot1Base, 1 * MiB), Permissions.ReadWrite)], rig.Machine.IommuWindow(0).ToArray());
    }

    [Theory]
    [InlineData(1)] // device of a Created (not started) slice: window still closed
    [InlineData(5)] // device of no slice
    public void Device_DMA_by_a_device_of_no_running_slice_is_blocked_everywhere(int device)
    {
        using Rig rig = Make();
        foreach (ulong a in new[] { Slot1Base, Slot2Base, FreeBase, 32 * MiB, 0UL })
        {
            Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(device, a, [1]));
            Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaRead(device, a, new byte[1]));
        }
    }

    [Fact]
    public void Device_of_a_destroyed_slice_can_no_longer_DMA()
    {
        using Rig rig = Make();
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(0, Slot1Base, [1]));
        Assert.Equal(0, rig.Machine.IommuWindow(0).Length);
    }

    [Theory]
    [InlineData(0)]  // control core
    [InlineData(3)]  // another slice's core
    [InlineData(7)]  // a free core
    public void Guest_IPI_to_a_foreign_core_is_blocked(int target)
    {
        using Rig rig = Make();
        long received = rig.Machine.IpisReceived(target);
        Assert.Equal(AccessOutcome.NotInIpiMask, rig.Machine.GuestSendIpi(Core, target));
        Assert.Equal(received, rig.Machine.IpisReceived(target));
    }

    [Fact]
    public void Guest_IPI_to_own_cores_is_delivered_positive_control()
    {
        using Rig rig = Make();
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestSendIpi(1, 2));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestSendIpi(2, 1));
        Assert.Equal(1, rig.Machine.IpisReceived(2));
        Assert.Equal(AccessOutcome.NoSuchCore, rig.Machine.GuestSendIpi(1, 16));
    }

    [Fact]
    public void Guest_writes_of_each_filter_register_are_refused_and_counted()
    {
        using Rig rig = Make();
        StateSnapshot before = StateSnapshot.Take(rig);
        var everything = new RangeRegister(0, ulong.MaxValue, Permissions.ReadWriteExecute);
        for (int i = 0; i < rig.Config.RangeRegistersPerCore; i++)
        {
            Assert.Equal(AccessOutcome.FilterLocked, rig.Machine.GuestWriteRangeRegister(Core, i, everything));
        }
        ResourceSet all = default;
        for (int c = 0; c < 16; c++)
        {
            all.Add(c);
        }
        Assert.Equal(AccessOutcome.FilterLocked, rig.Machine.GuestWriteIpiMask(Core, all));
        Assert.Equal(AccessOutcome.FilterLocked, rig.Machine.GuestWriteWayMask(Core, ulong.MaxValue));
        Assert.Equal(rig.Config.RangeRegistersPerCore + 2, rig.Machine.RefusedLockedWrites(Core));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(Core, Slot2Base, new byte[1]));
        Assert.Equal(AccessOutcome.NotInIpiMask, rig.Machine.GuestSendIpi(Core, 0));
        Assert.Equal(1UL << 2, rig.Machine.WayMaskOf(Core));
        // Only the refusal counter moved.
        string? diff = before.Diff(StateSnapshot.Take(rig));
        Assert.NotNull(diff);
        Assert.Contains($"core {Core}:", diff, StringComparison.Ordinal);
        Assert.Contains($"refused={rig.Config.RangeRegistersPerCore + 2}", diff, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)] // its own core
    [InlineData(2)] // its sibling
    [InlineData(3)] // another slice's core
    [InlineData(0)] // the control core
    public void Guest_reset_requests_are_refused_and_counted(int target)
    {
        using Rig rig = Make();
        long resets = rig.Machine.ResetCount(target);
        Assert.Equal(AccessOutcome.NotPrivileged, rig.Machine.GuestRequestReset(Core, target));
        Assert.Equal(resets, rig.Machine.ResetCount(target));
        Assert.Equal(1, rig.Machine.RefusedResetRequests(Core));
        Assert.Equal(Hardware.CoreMode.Guest, rig.Machine.Mode(1));
        Assert.True(rig.Machine.IsLocked(1));
    }

    [Fact]
    public void Manager_on_the_control_core_cannot_reset_or_reach_guest_memory()
    {
        using Rig rig = Make();
        Assert.Equal(AccessOutcome.NotPrivileged, rig.Machine.GuestRequestReset(0, 1));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(0, Slot1Base + 0x100, new byte[4]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(0, 1 * MiB, new byte[4]));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(0, 32 * MiB, new byte[4])); // positive control
    }
}
