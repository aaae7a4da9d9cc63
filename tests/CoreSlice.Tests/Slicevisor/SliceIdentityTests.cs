using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// What names a slice and what the sliceloader does with a core, read through the public
/// surface: the boot counter moves only on an accepted create and names that slice (S8's
/// replay protection), a slot that does not exist has no boot id, the entry's address test has
/// exact edges, and the sliceloader parks (I3: runs no guest code on) every core whose slot is not Running.
/// </summary>
public sealed class SliceIdentityTests
{
    [Fact]
    public void S8_only_accepted_creates_move_the_boot_counter_and_each_names_its_slice()
    {
        using Rig rig = Rig.Small();
        Assert.Equal(0UL, rig.Visor.BootCounter);
        int a = rig.Create(Request([1], [new MemoryRange(4 * MiB, Granule)], [], 0b10));
        Assert.Equal(SliceError.CoreInUse, rig.Visor.CreateSlice(Request([1], [new MemoryRange(8 * MiB, Granule)], [], 0b100)).Error);
        Assert.Equal(1UL, rig.Visor.BootCounter);
        int b = rig.Create(Request([2], [new MemoryRange(8 * MiB, Granule)], [], 0b100));
        Assert.Equal((1UL, 2UL, 2UL), (rig.Visor.SliceBootId(a), rig.Visor.SliceBootId(b), rig.Visor.BootCounter));
        Assert.Equal(0UL, rig.Visor.SliceBootId(3)); // a slot never used

        Assert.True(rig.Visor.DestroySlice(a).Ok);
        int again = rig.Create(Request([3], [new MemoryRange(4 * MiB, Granule)], [], 0b1000));
        Assert.Equal(a, again);
        Assert.Equal((3UL, 3UL, 2UL), (rig.Visor.SliceBootId(again), rig.Visor.BootCounter, rig.Entry(again).Generation));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void S8_a_slot_that_does_not_exist_has_no_boot_id(int slot)
    {
        using Rig rig = Rig.Small();
        _ = rig.Create(Request([1], [new MemoryRange(4 * MiB, Granule)], [], 0b10));
        Assert.Equal(0UL, rig.Visor.SliceBootId(slot));
        Assert.False(rig.Table.IsSlot(slot));
    }

    [Fact]
    public void OwnsAddress_is_true_from_the_first_to_the_last_byte_of_every_range()
    {
        using Rig rig = Make();
        SliceEntry two = rig.Entry(2); // [Slot2Base, +1M) and [Slot2Second, +64K)
        Assert.True(two.OwnsAddress(Slot2Base));
        Assert.True(two.OwnsAddress(Slot2Base + MiB - 1));
        Assert.False(two.OwnsAddress(Slot2Base + MiB));
        Assert.False(two.OwnsAddress(Slot2Base - 1));
        Assert.True(two.OwnsAddress(Slot2Second));
        Assert.True(two.OwnsAddress(Slot2Second + (64 * KiB) - 1));
        Assert.False(two.OwnsAddress(Slot2Second + (64 * KiB)));
        Assert.False(rig.Entry(3).OwnsAddress(FreeBase)); // a Free slot owns nothing
    }

    [Fact]
    public void I3_the_sliceloader_parks_cores_of_no_slot_a_Created_slot_or_a_Destroying_slot_and_enters_only_a_Running_one()
    {
        MachineConfig config = Small();
        var machine = new SimulatedMachine(config);
        SimulatedHardwarePort port = machine.OpenPrivilegedPort(); // a copy of the slicevisor's own port
        using var visor = new Slicevisor<SimulatedHardwarePort>(config, port);
        machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
        int running = visor.CreateSlice(Request([1, 2], [new MemoryRange(4 * MiB, Granule)], [], 0b10)).Slot;
        Assert.True(visor.StartSlice(running).Ok);
        Assert.True(visor.CreateSlice(Request([3], [new MemoryRange(8 * MiB, Granule)], [], 0b100)).Ok);

        foreach (int core in new[] { 0, 3 }) // the control core, a Created slice's core
        {
            Assert.Equal(Sliceloader.Outcome.Parked, Sliceloader.Boot(ref port, visor.Table, core));
        }
        Assert.NotEqual(CoreMode.Guest, machine.Mode(3));

        Assert.True(port.SecureReset(1));
        Assert.Equal(Sliceloader.Outcome.EnteredGuest, Sliceloader.Boot(ref port, visor.Table, 1));
        Assert.Equal(CoreMode.Guest, machine.Mode(1));
        Assert.Equal(4 * MiB, machine.EntryPointOf(1));

        machine.FailNextResets(2);
        Assert.Equal(SliceError.CoreResetFault, visor.DestroySlice(running).Error); // core 1 reset, core 2 not: Destroying
        Assert.Equal(SliceState.Destroying, visor.Table[running].State);
        Assert.True(port.SecureReset(1));
        Assert.Equal(Sliceloader.Outcome.Parked, Sliceloader.Boot(ref port, visor.Table, 1));
        Assert.NotEqual(CoreMode.Guest, machine.Mode(1));
    }

    [Fact]
    public void I2_the_register_for_each_index_is_the_range_with_RWX_or_disabled_past_the_ranges()
    {
        using Rig rig = Make();
        SliceEntry two = rig.Entry(2);
        Assert.Equal(new RangeRegister(Slot2Base, MiB, Permissions.ReadWriteExecute), Sliceloader.RegisterFor(two, 0));
        Assert.Equal(new RangeRegister(Slot2Second, 64 * KiB, Permissions.ReadWriteExecute), Sliceloader.RegisterFor(two, 1));
        Assert.Equal(RangeRegister.Disabled, Sliceloader.RegisterFor(two, 2));
        Assert.Equal(RangeRegister.Disabled, Sliceloader.RegisterFor(two, rig.Table.RangeRegisters - 1));
    }

    [Fact]
    public void I5_a_destroyed_slot_lists_nothing_it_held_and_no_measurement()
    {
        using Rig rig = Make(); // slot 2: core 3, two ranges, device 1, way 3, an image loaded
        Assert.True(rig.Visor.DestroySlice(2).Ok);
        SliceEntry e = rig.Entry(2);
        Assert.Equal(SliceState.Free, e.State);
        Assert.True(e.Cores.IsEmpty);
        Assert.True(e.Devices.IsEmpty);
        Assert.True(e.Ranges.IsEmpty);
        Assert.Equal((0UL, 0UL), (e.Ways, e.EntryPoint));
        Assert.Equal(new byte[SliceEntry.MeasurementSize], e.Measurement.ToArray());
        Assert.False(e.OwnsAddress(Slot2Base));
    }
}
