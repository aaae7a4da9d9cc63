using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// Hardware faults part-way through DestroySlice and StartSlice: the slot is quarantined in
/// Destroying holding everything (never reassigned unscrubbed), and a retry completes.
/// </summary>
public sealed class FaultInjectionTests
{
    /// <summary>Every resource of slot 1 is refused to a new request with the right ...InUse code.</summary>
    private static void AssertSlot1ResourcesStillHeld(Rig rig)
    {
        Assert.Equal(SliceState.Destroying, rig.Entry(1).State);
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(Valid() with { Cores = new[] { 2 } }), Rejected(SliceError.CoreInUse, 2, holder: 1));
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(Valid() with { Ranges = new[] { new MemoryRange(Slot1Base, Granule) }, EntryPoint = Slot1Base }),
            Rejected(SliceError.RangeInUse, 0, holder: 1, conflictBase: Slot1Base, conflictSize: Granule));
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(Valid() with { Devices = new[] { 0 } }), Rejected(SliceError.DeviceInUse, 0, holder: 1));
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(Valid() with { Ways = 1UL << 2 }), Rejected(SliceError.WaysInUse, 2, holder: 1));
        // Not scrubbed yet, and the bytes are still the slot's own (not handed to anyone).
        Assert.Equal(1, rig.Machine.Memory.LastWriter(Slot1Base + 0x100));
    }

    private static void AssertSlot1FreedAndScrubbed(Rig rig)
    {
        Assert.Equal(SliceState.Free, rig.Entry(1).State);
        Assert.Equal(Owner.Free, rig.Table.CoreOwner(1));
        Assert.Equal(Owner.Free, rig.Table.CoreOwner(2));
        Assert.Equal(Owner.Free, rig.Table.DeviceOwner(0));
        Assert.Equal(Owner.Free, rig.Table.WayOwner(2));
        Assert.Equal(Owner.Free, rig.Table.MemoryOwner(Slot1Base));
        Assert.False(rig.Machine.Memory.IsPresent(Slot1Base + 0x100));
        Assert.False(rig.Machine.Memory.IsPresent(Slot1Base + 0x2000));
        Assert.Equal(0, rig.Machine.IommuWindow(0).Length);
        Assert.Empty(new CoreSlice.Simulation.Audit.InvariantAudit(rig.Visor, rig.Machine).CheckAll());
        Assert.Equal(1, rig.Create(Valid() with { Cores = new[] { 2 }, Devices = new[] { 0 }, Ways = 1UL << 2, Ranges = new[] { new MemoryRange(Slot1Base, 1 * MiB) }, EntryPoint = Slot1Base }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DestroySlice_CoreResetFault_quarantines_and_retry_completes(int failingCore)
    {
        using Rig rig = Make();
        rig.Machine.FailNextResets(failingCore);
        SliceResult r = rig.Visor.DestroySlice(1);
        Assert.Equal(Rejected(SliceError.CoreResetFault, failingCore, slot: 1), r);
        Assert.Equal(CoreMode.Halted, rig.Machine.Mode(failingCore));
        Assert.Equal([new IommuMapping(new MemoryRange(Slot1Base, 1 * MiB), Permissions.ReadWrite)], rig.Machine.IommuWindow(0).ToArray()); // not yet closed
        AssertSlot1ResourcesStillHeld(rig);
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        AssertSlot1FreedAndScrubbed(rig);
    }

    [Fact]
    public void DestroySlice_IommuFault_quarantines_and_retry_completes()
    {
        using Rig rig = Make();
        rig.Machine.FailNextIommuChanges(0);
        SliceResult r = rig.Visor.DestroySlice(1);
        Assert.Equal(Rejected(SliceError.IommuFault, 0, slot: 1), r);
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(1)); // cores were already reset and parked
        AssertSlot1ResourcesStillHeld(rig);
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        AssertSlot1FreedAndScrubbed(rig);
    }

    [Fact]
    public void DestroySlice_repeated_faults_keep_the_slot_quarantined_until_one_succeeds()
    {
        using Rig rig = Make();
        rig.Machine.FailNextResets(2, count: 3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(SliceError.CoreResetFault, rig.Visor.DestroySlice(1).Error);
            AssertSlot1ResourcesStillHeld(rig);
        }
        Assert.True(rig.Visor.DestroySlice(1).Ok);
        AssertSlot1FreedAndScrubbed(rig);
    }

    [Fact]
    public void StartSlice_IommuFault_quarantines_in_Destroying_and_no_core_runs_the_guest()
    {
        using var rig = Rig.Default();
        int slot = rig.Create(Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2, 3], 1UL << 4));
        rig.Machine.FailNextIommuChanges(3);
        Assert.Equal(Rejected(SliceError.IommuFault, 3, slot: slot), rig.Visor.StartSlice(slot));
        Assert.Equal(SliceState.Destroying, rig.Entry(slot).State);
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(4));
        Assert.Equal(SliceError.CoreInUse, rig.Visor.CreateSlice(Request([4], [new MemoryRange(3 * GiB, Granule)], [], 1UL << 5)).Error);
        Assert.Equal(SliceError.DeviceInUse, rig.Visor.CreateSlice(Request([6], [new MemoryRange(3 * GiB, Granule)], [2], 1UL << 5)).Error);
        Assert.Equal(SliceError.WrongState, rig.Visor.StartSlice(slot).Error);
        Assert.True(rig.Visor.DestroySlice(slot).Ok);
        Assert.Equal(0, rig.Machine.IommuWindow(2).Length);
        Assert.Equal(Owner.Free, rig.Table.DeviceOwner(2));
    }

    [Fact]
    public void StartSlice_CoreResetFault_quarantines_and_destroy_completes_after_the_core_recovers()
    {
        using var rig = Rig.Default();
        int slot = rig.Create(Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4));
        Assert.True(rig.Visor.LoadImage(slot, FreeBase, [1, 2, 3]).Ok);
        rig.Machine.FailNextResets(5);
        Assert.Equal(Rejected(SliceError.CoreResetFault, 5, slot: slot), rig.Visor.StartSlice(slot));
        Assert.Equal(SliceState.Destroying, rig.Entry(slot).State);
        Assert.Equal(CoreMode.Halted, rig.Machine.Mode(5));
        Assert.Equal(CoreMode.Guest, rig.Machine.Mode(4)); // already started: confined to its own slice
        Assert.Equal(SliceError.RangeInUse, rig.Visor.CreateSlice(Request([6], [new MemoryRange(FreeBase, Granule)], [], 1UL << 5)).Error);
        Assert.True(rig.Machine.Memory.IsPresent(FreeBase)); // the image is not scrubbed while held
        Assert.True(rig.Visor.DestroySlice(slot).Ok);
        Assert.False(rig.Machine.Memory.IsPresent(FreeBase));
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(4));
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(5));
    }
}
