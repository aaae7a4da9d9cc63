using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using Xunit;

namespace CoreSlice.Tests.Simulation;

public class AuditTests
{
    private static readonly MemoryRange SliceA = new(SimRig.GiB, 16 * SimRig.MiB);
    private static readonly MemoryRange SliceB = new(2 * SimRig.GiB, 16 * SimRig.MiB);

    private static void AssertViolates(IReadOnlyList<Violation> violations, string invariant, string fragment)
    {
        Assert.True(
            violations.Any(v => v.Invariant == invariant && v.Message.Contains(fragment, StringComparison.Ordinal)),
            $"expected {invariant} mentioning \"{fragment}\", got:\n{string.Join("\n", violations)}");
    }

    [Fact]
    public void Power_on_and_a_full_lifecycle_are_clean()
    {
        using var rig = new SimRig();
        rig.AssertClean();
        MachineSnapshot before = rig.Audit.Snapshot();
        int a = rig.Start([1, 2], SliceA, [0, 1], 0b1100, [1, 2, 3]);
        Assert.Empty(rig.Audit.CheckStep(before, privilegedStep: true, actedOnSlot: a));
        int b = rig.Start([3], SliceB, [2], 0b10000);
        rig.AssertClean();
        Assert.Equal(CoreMode.Guest, rig.Machine.Mode(1));
        Assert.Equal(CoreMode.Guest, rig.Machine.Mode(3));
        before = rig.Audit.Snapshot();
        Assert.True(rig.Slicevisor.DestroySlice(a).Ok);
        Assert.Empty(rig.Audit.CheckStep(before, privilegedStep: true, actedOnSlot: a));
        AssertViolates(rig.Audit.T2_ResetAuthority(before, privilegedStep: true, actedOnSlot: b), "T2_ResetAuthority", $"operation on slot {b}");
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(1));
        Assert.True(rig.Slicevisor.DestroySlice(b).Ok);
        rig.AssertClean();
    }

    [Fact]
    public void Guest_stores_are_attributed_and_destroy_leaves_no_residue()
    {
        using var rig = new SimRig();
        int a = rig.Start([1], SliceA, [0], 0b100, [0xAB]);
        Assert.Equal(a, rig.Machine.Memory.LastWriter(SliceA.Base)); // LoadImage attributed to the owner
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(1, SliceA.Base + 0x5000, [1, 2, 3]));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.DeviceDmaWrite(0, SliceA.Base + 0x9000, [4]));
        Assert.Equal(a, rig.Machine.Memory.LastWriter(SliceA.Base + 0x9000));
        rig.AssertClean();
        Assert.True(rig.Slicevisor.DestroySlice(a).Ok);
        rig.AssertClean();
        int b = rig.Start([2], SliceA, [1], 0b100);
        byte[] read = new byte[3];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(2, SliceA.Base + 0x5000, read));
        Assert.Equal(new byte[3], read);
        Assert.True(rig.Oracle.JudgeCoreAccess(2, SliceA.Base + 0x5000, 3, Permissions.Read).IsClean);
        Assert.NotEqual(a, b == a ? 0 : a); // slot numbers may repeat; the data may not
        rig.AssertClean();
    }

    [Fact]
    public void I5_catches_bytes_left_in_free_memory_and_in_a_new_owners_memory()
    {
        using var rig = new SimRig();
        int a = rig.Start([1], SliceA, [], 0b100);
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(1, SliceA.Base, [7]));
        // A buggy slicevisor that forgets to scrub: plant the old owner's bytes in free memory.
        rig.Machine.Memory.Write(3 * SimRig.GiB, [9], writer: a);
        AssertViolates(rig.Audit.I5_NoResidue(), "I5_NoResidue", "owned by nobody (free)");
        rig.Machine.Memory.Write(SliceA.Base + 0x1000, [9], writer: a + 1);
        AssertViolates(rig.Audit.I5_NoResidue(), "I5_NoResidue", $"written by slot {a + 1}");
        rig.Machine.Memory.Write(SimRig.MiB, [9], writer: a);
        AssertViolates(rig.Audit.I5_NoResidue(), "I5_NoResidue", "owned by reserved memory");
    }

    [Fact]
    public void Oracle_flags_a_residue_read()
    {
        using var rig = new SimRig();
        int a = rig.Start([1], SliceA, [0], 0b100);
        rig.Machine.Memory.Write(SliceA.Base, [1], writer: a + 5);
        OracleVerdict load = rig.Oracle.JudgeCoreAccess(1, SliceA.Base, 1, Permissions.Read);
        Assert.True(load.ResidueRead);
        Assert.False(load.IsolationViolated);
        Assert.Contains($"last written by slot {a + 5}", load.Detail, StringComparison.Ordinal);
        Assert.True(rig.Oracle.JudgeDma(0, SliceA.Base, 1, write: false).ResidueRead);
        Assert.False(rig.Oracle.JudgeDma(0, SliceA.Base, 1, write: true).ResidueRead);
    }

    [Fact]
    public void Oracle_flags_crossings_the_hardware_might_have_let_through()
    {
        using var rig = new SimRig();
        int a = rig.Start([1], SliceA, [0], 0b100);
        int b = rig.Start([2], SliceB, [1], 0b1000);
        Assert.True(rig.Oracle.JudgeCoreAccess(1, SliceA.Base + 100, 8, Permissions.Write).IsClean);
        OracleVerdict cross = rig.Oracle.JudgeCoreAccess(1, SliceB.Base, 8, Permissions.Read);
        Assert.True(cross.IsolationViolated);
        Assert.Contains($"belongs to slot {b}", cross.Detail, StringComparison.Ordinal);
        Assert.True(rig.Oracle.JudgeCoreAccess(1, SliceA.Limit - 4, 8, Permissions.Read).IsolationViolated); // straddles the end
        Assert.True(rig.Oracle.JudgeDma(0, 32 * SimRig.MiB, 1, write: true).IsolationViolated);
        Assert.True(rig.Oracle.JudgeIpi(1, 2).IsolationViolated);
        Assert.True(rig.Oracle.JudgeIpi(1, 0).IsolationViolated);
        Assert.False(rig.Oracle.JudgeIpi(1, 1).IsolationViolated);
        Assert.False(rig.Oracle.JudgeCoreAccess(0, 32 * SimRig.MiB, 1, Permissions.Read).IsolationViolated);
        _ = a;
    }

    [Fact]
    public void Attacks_are_blocked_by_the_hardware_on_a_running_machine()
    {
        using var rig = new SimRig();
        rig.Start([1], SliceA, [0], 0b100);
        int b = rig.Start([2], SliceB, [1], 0b1000);
        SimulatedMachine m = rig.Machine;
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestLoad(1, SliceB.Base, buffer));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestStore(1, SimRig.MiB, buffer)); // slicevisor
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestFetch(1, 32 * SimRig.MiB)); // control memory
        Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaWrite(0, SliceB.Base, buffer));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaRead(2, SliceA.Base, buffer)); // unassigned device
        Assert.Equal(AccessOutcome.NotInIpiMask, m.GuestSendIpi(1, 2));
        Assert.Equal(AccessOutcome.NotInIpiMask, m.GuestSendIpi(1, 0));
        Assert.Equal(AccessOutcome.FilterLocked, m.GuestWriteRangeRegister(1, 1, new RangeRegister(SliceB.Base, SliceB.Size, Permissions.ReadWriteExecute)));
        Assert.Equal(AccessOutcome.NotPrivileged, m.GuestRequestReset(1, 2));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestLoad(0, SliceA.Base, buffer)); // the manager cannot read guests
        Assert.Equal(CoreMode.Guest, m.Mode(2));
        Assert.Equal(SliceState.Running, rig.Slicevisor.Table[b].State);
        rig.AssertClean();
    }

    [Fact]
    public void I2_and_I3_catch_a_core_programmed_behind_the_slicevisors_back()
    {
        using var rig = new SimRig();
        int a = rig.Start([1], SliceA, [], 0b100);
        MachineSnapshot before = rig.Audit.Snapshot();
        SimulatedHardwarePort port = rig.Port;
        Assert.True(port.SecureReset(1));
        Assert.True(port.WriteRangeRegister(1, 0, new RangeRegister(SliceB.Base, SliceB.Size, Permissions.ReadWriteExecute)));
        Assert.True(port.WriteWayMask(1, 0b1));
        port.LockFilters(1);
        port.EnterGuest(1, SliceA.Base);
        IReadOnlyList<Violation> v = rig.Audit.CheckStep(before, privilegedStep: false);
        AssertViolates(v, "I2_FilterSoundness", "core 1 range register 0 allows 0x80000000");
        AssertViolates(v, "I2_FilterSoundness", "ways 0x1");
        AssertViolates(v, "I3_LockedGuest", $"core 1 (slot {a}) range register 0");
        AssertViolates(v, "T2_ResetAuthority", "core 1 was reset 1 time(s)");
    }

    [Fact]
    public void I3_catches_an_unlocked_guest_and_a_guest_on_a_free_core()
    {
        using var rig = new SimRig();
        rig.Start([1], SliceA, [], 0b100);
        Assert.True(rig.Port.SecureReset(1));
        rig.Port.EnterGuest(1, SliceA.Base);
        Assert.True(rig.Port.SecureReset(5));
        rig.Port.EnterGuest(5, 0);
        IReadOnlyList<Violation> v = rig.Audit.CheckAll();
        AssertViolates(v, "I3_LockedGuest", "with unlocked filter registers");
        AssertViolates(v, "I3_LockedGuest", "core 5 runs guest code but belongs to nobody (free)");
        AssertViolates(v, "I2_FilterSoundness", "core 5 runs in mode Guest but belongs to nobody (free)");
    }

    [Fact]
    public void I4_catches_a_window_onto_foreign_memory_or_a_free_device()
    {
        using var rig = new SimRig();
        rig.Start([1], SliceA, [0], 0b100);
        Assert.True(rig.Port.SetIommuWindow(0, [new IommuMapping(SliceB, Permissions.ReadWrite)]));
        Assert.True(rig.Port.SetIommuWindow(5, [new IommuMapping(SliceA, Permissions.ReadWrite)]));
        IReadOnlyList<Violation> v = rig.Audit.I4_DmaConfinement();
        AssertViolates(v, "I4_DmaConfinement", "device 0 (slot 1) may DMA to [0x80000000, 0x81000000)");
        AssertViolates(v, "I4_DmaConfinement", "device 5 may DMA to [0x40000000, 0x41000000) but belongs to nobody (free)");
    }

    [Fact]
    public void T1_catches_a_locked_register_that_changed_without_reset()
    {
        using var rig = new SimRig();
        rig.Start([1], SliceA, [], 0b100);
        MachineSnapshot before = rig.Audit.Snapshot();
        Assert.Equal(AccessOutcome.FilterLocked, rig.Machine.GuestWriteWayMask(1, 0xfff));
        Assert.Empty(rig.Audit.T1_LockStability(before));
        // Simulate hardware that lost its lock: reset counts as taken before, so T1 sees no reset.
        MachineSnapshot locked = rig.Audit.Snapshot();
        Assert.True(rig.Port.SecureReset(1));
        MachineSnapshot afterReset = rig.Audit.Snapshot();
        Assert.Empty(rig.Audit.T1_LockStability(locked)); // a reset is allowed to clear
        Assert.False(afterReset.Locked[1]);
        IReadOnlyList<Violation> t2 = rig.Audit.T2_ResetAuthority(locked, privilegedStep: true, actedOnSlot: 0);
        Assert.Empty(t2);
        Assert.NotEmpty(rig.Audit.T2_ResetAuthority(locked, privilegedStep: true, actedOnSlot: 2));
    }

    [Fact]
    public void T2_flags_a_reset_of_a_control_core()
    {
        using var rig = new SimRig();
        MachineSnapshot before = rig.Audit.Snapshot();
        Assert.True(rig.Port.SecureReset(0));
        AssertViolates(rig.Audit.T2_ResetAuthority(before, privilegedStep: true), "T2_ResetAuthority", "control core 0");
        Assert.False(rig.Machine.IsLocked(0));
    }

    [Fact]
    public void Injected_reset_fault_on_destroy_quarantines_and_stays_clean()
    {
        using var rig = new SimRig();
        int a = rig.Start([1, 2], SliceA, [0], 0b100, [5, 5, 5]);
        rig.Machine.FailNextResets(2);
        SliceResult failed = rig.Slicevisor.DestroySlice(a);
        Assert.Equal(SliceError.CoreResetFault, failed.Error);
        Assert.Equal(SliceState.Destroying, rig.Slicevisor.Table[a].State);
        rig.AssertClean();
        Assert.True(rig.Slicevisor.DestroySlice(a).Ok);
        rig.AssertClean();
        Assert.Equal(0, rig.Machine.Memory.PresentPages);
    }

    [Fact]
    public void Corrupted_register_write_makes_the_sliceloader_halt_the_core()
    {
        using var rig = new SimRig();
        SliceResult created = rig.Slicevisor.CreateSlice(SimRig.Request([1], [SliceA], [], 0b100));
        Assert.True(created.Ok);
        rig.Machine.CorruptNextRegisterWrite(1);
        SliceResult started = rig.Slicevisor.StartSlice(created.Slot);
        Assert.Equal(SliceError.LoaderFault, started.Error);
        Assert.Equal(CoreMode.Halted, rig.Machine.Mode(1));
        rig.AssertClean();
    }

    [Fact]
    public void I6_remembers_resources_per_generation()
    {
        using var rig = new SimRig();
        int a = rig.Start([1], SliceA, [], 0b100);
        Assert.Empty(rig.Audit.I6_StaticResources());
        Assert.True(rig.Slicevisor.DestroySlice(a).Ok);
        int again = rig.Start([3], SliceB, [], 0b100); // same slot, new generation: not a change
        Assert.Equal(a, again);
        Assert.Empty(rig.Audit.I6_StaticResources());
    }

    [Fact]
    public void T5_holds_on_each_step_and_flags_a_row_that_changed_under_a_live_slot()
    {
        using var rig = new SimRig();
        MachineSnapshot beforeCreate = rig.Audit.Snapshot();
        int a = rig.Start([1], SliceA, [], 0b100);
        Assert.Empty(rig.Audit.T5_StaticRows(beforeCreate)); // created from Free: not a change
        MachineSnapshot live = rig.Audit.Snapshot();
        Assert.True(rig.Slicevisor.DestroySlice(a).Ok);
        Assert.Empty(rig.Audit.T5_StaticRows(live)); // destroyed to Free: not a change
        Assert.Equal(a, rig.Start([1], SliceB, [], 0b100));
        Assert.Empty(rig.Audit.T5_StaticRows(live)); // freed and created again in between: a new generation, a new row

        // The trusted core gives no way to rewrite a live row, so the check is shown its teeth on a second machine
        // whose slot holds the same generation with another range: compared with the first, the row changed.
        using var other = new SimRig();
        Assert.Equal(a, other.Start([3], SliceB, [], 0b100));
        MachineSnapshot elsewhere = other.Audit.Snapshot();
        using var first = new SimRig();
        Assert.Equal(a, first.Start([1], SliceA, [], 0b100));
        AssertViolates(first.Audit.T5_StaticRows(elsewhere), "T5_StaticRows", $"slot {a}'s ranges or their permissions changed");
    }

    [Fact]
    public void I1_holds_across_many_slices_and_sees_the_ownership_maps()
    {
        using var rig = new SimRig();
        for (int i = 1; i <= 10; i++)
        {
            rig.Start([i], new MemoryRange(SimRig.GiB + ((ulong)i * 128 * SimRig.MiB), 64 * SimRig.MiB), i <= 8 ? [i - 1] : [], 1UL << (1 + i));
        }
        Assert.Empty(rig.Audit.I1_Disjointness());
        rig.AssertClean();
    }
}
