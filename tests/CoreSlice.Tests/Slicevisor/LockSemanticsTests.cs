using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>S5 / I3: what the sliceloader programs, that the lock holds, that only a reset clears it.</summary>
public sealed class LockSemanticsTests
{
    [Fact]
    public void StartSlice_locks_every_guest_core_with_exactly_the_registers_of_its_entry()
    {
        using var rig = Rig.Default();
        int slot = rig.Create(Request([4, 6, 9], [new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (8 * MiB), 64 * KiB)], [2, 5], (1UL << 4) | (1UL << 7), FreeBase + (8 * MiB) + 8));
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        SliceEntry e = rig.Entry(slot);
        foreach (int core in new[] { 4, 6, 9 })
        {
            Assert.Equal(CoreMode.Guest, rig.Machine.Mode(core));
            Assert.True(rig.Machine.IsLocked(core));
            for (int i = 0; i < rig.Config.RangeRegistersPerCore; i++)
            {
                Assert.Equal(Sliceloader.RegisterFor(e, i), rig.Machine.RangeRegisterOf(core, i));
            }
            // Independently of RegisterFor: two RWX registers on the slice's ranges, the rest disabled.
            Assert.Equal(new RangeRegister(FreeBase, 1 * MiB, Permissions.ReadWriteExecute), rig.Machine.RangeRegisterOf(core, 0));
            Assert.Equal(new RangeRegister(FreeBase + (8 * MiB), 64 * KiB, Permissions.ReadWriteExecute), rig.Machine.RangeRegisterOf(core, 1));
            Assert.Equal(RangeRegister.Disabled, rig.Machine.RangeRegisterOf(core, 2));
            Assert.True(rig.Machine.IpiMaskOf(core).Equals(e.Cores));
            Assert.Equal(3, rig.Machine.IpiMaskOf(core).Count);
            Assert.Equal((1UL << 4) | (1UL << 7), rig.Machine.WayMaskOf(core));
            Assert.Equal(FreeBase + (8 * MiB) + 8, rig.Machine.EntryPointOf(core));
        }
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(5)); // a core of no slice is untouched
        Assert.False(rig.Machine.IsLocked(5));
    }

    [Fact]
    public void A_filter_write_after_lock_is_refused_even_through_the_privileged_port()
    {
        using var rig = Rig.Default();
        var machine = new SimulatedMachine(rig.Config); // a second machine whose port the test holds
        SimulatedHardwarePort port = machine.OpenPrivilegedPort();
        Assert.True(port.SecureReset(3));
        Assert.True(port.WriteRangeRegister(3, 0, new RangeRegister(FreeBase, Granule, Permissions.Read))); // positive control: unlocked
        port.LockFilters(3);
        Assert.False(port.WriteRangeRegister(3, 0, new RangeRegister(0, ulong.MaxValue, Permissions.ReadWriteExecute)));
        Assert.False(port.WriteWayMask(3, ulong.MaxValue));
        Assert.False(port.WriteIpiMask(3, default));
        Assert.Equal(new RangeRegister(FreeBase, Granule, Permissions.Read), machine.RangeRegisterOf(3, 0));
        Assert.Equal(3, machine.RefusedLockedWrites(3));
    }

    [Fact]
    public void DestroySlice_reset_clears_and_unlocks_every_core_and_parks_it()
    {
        using Rig rig = Make();
        Assert.True(rig.Machine.IsLocked(1));
        long resets = rig.Machine.ResetCount(1);
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        foreach (int core in new[] { 1, 2 })
        {
            Assert.False(rig.Machine.IsLocked(core));
            Assert.Equal(CoreMode.Idle, rig.Machine.Mode(core));
            foreach (RangeRegister r in rig.Machine.RangeRegistersOf(core))
            {
                Assert.Equal(RangeRegister.Disabled, r);
            }
            Assert.True(rig.Machine.IpiMaskOf(core).IsEmpty);
            Assert.Equal(0UL, rig.Machine.WayMaskOf(core));
            Assert.Equal(AccessOutcome.CoreNotRunning, rig.Machine.GuestLoad(core, Slot1Base, new byte[1]));
        }
        Assert.Equal(resets + 1, rig.Machine.ResetCount(1));
    }

    [Fact]
    public void A_core_reused_by_a_new_slice_is_locked_to_the_new_entry_only()
    {
        using Rig rig = Make();
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        int slot = rig.Create(Request([1], [new MemoryRange(FreeBase, 1 * MiB)], [0], 1UL << 2));
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(1, Slot1Base, new byte[1]));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(1, FreeBase, new byte[1]));
        Assert.Equal(AccessOutcome.NotInIpiMask, rig.Machine.GuestSendIpi(1, 2));
    }

    [Theory]
    [InlineData(0)] // first core of the slice: nothing of the guest runs
    [InlineData(1)] // second core: the first already runs
    public void CorruptNextRegisterWrite_makes_the_sliceloader_halt_the_core_and_StartSlice_report_LoaderFault(int which)
    {
        using var rig = Rig.Default();
        int slot = rig.Create(Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4));
        int victim = 4 + which;
        rig.Machine.CorruptNextRegisterWrite(victim);
        SliceResult r = rig.Visor.StartSlice(slot);
        Assert.Equal(Rejected(SliceError.LoaderFault, victim, slot: slot), r);
        Assert.Equal(CoreMode.Halted, rig.Machine.Mode(victim));
        Assert.Equal(0UL, rig.Machine.EntryPointOf(victim)); // never entered the guest
        Assert.Equal(AccessOutcome.CoreNotRunning, rig.Machine.GuestFetch(victim, FreeBase));
        Assert.Equal(AccessOutcome.CoreNotRunning, rig.Machine.GuestStore(victim, FreeBase, [1]));
        Assert.Equal(SliceState.Destroying, rig.Entry(slot).State); // quarantined
        if (which == 1)
        {
            Assert.Equal(5, r.Subject);
            Assert.Equal(CoreMode.Guest, rig.Machine.Mode(4));
        }
        else
        {
            Assert.Equal(CoreMode.Idle, rig.Machine.Mode(5)); // the loop stopped at the fault
        }
        // The destroy completes and frees the halted core.
        Assert.True(rig.Visor.DestroySlice(slot).Ok);
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(victim));
        Assert.False(rig.Machine.IsLocked(victim));
        Assert.Equal(Owner.Free, rig.Table.CoreOwner(victim));
    }
}
