using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// A hart with the most PMP entries a geometry may have (<see cref="PmpGeometry.MaxEntries"/>, 64)
/// is a usable machine: the sliceloader writes and locks all 64 entries and enters the guest,
/// which is then held to its slice. (A limit of the sliceloader's own buffer that refused the
/// maximum itself would halt every hart of such a machine.)
/// </summary>
public sealed class PmpMaxEntriesTests
{
    [Fact]
    public void A_hart_with_64_PMP_entries_is_programmed_in_full_and_enters_the_guest()
    {
        using PmpRig rig = PolarFire(entries: PmpGeometry.MaxEntries);
        MemoryRange[] ranges = [new MemoryRange(0x9000_0000, 256 * MiB)];
        SliceResult created = rig.Visor.CreateSlice(Request([2], ranges, 1UL << 4));
        Assert.True(created.Ok, created.ToString());
        Assert.True(rig.Visor.StartSlice(created.Slot).Ok);

        ResourceSet harts = default;
        harts.Add(2);
        var want = new PmpEntry[PmpGeometry.MaxEntries];
        Assert.Equal(3, PmpEncoder.Encode(rig.Machine.Geometry, ranges, Permissions.ReadWriteExecute, harts, want));
        Assert.Equal(CoreMode.Guest, rig.Machine.Inner.Mode(2));
        Assert.Equal(want, rig.Machine.EntriesOf(2).ToArray());
        Assert.Equal(PmpCfg.DenyAll, rig.Machine.EntriesOf(2)[PmpGeometry.MaxEntries - 1]);
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestFetch(2, 0x9000_0000));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(2, 0x9000_0000 - 1));
    }
}
