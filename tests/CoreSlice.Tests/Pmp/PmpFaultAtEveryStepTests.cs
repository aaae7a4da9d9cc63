using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// I3, S5 on the PMP port: a fault at every PMP entry write, way-mask write and readback (entries, way
/// mask, lock bit) of StartSlice's sliceloader, on every hart of the slice. Each run first counts the steps
/// of a clean start, then faults the k-th for every k. The fault must be reported as LoaderFault, the faulted
/// hart halted, no hart may run guest code with entries other than the encoding, the slot is quarantined, and a later destroy
/// clears every entry and lock.
/// </summary>
public sealed class PmpFaultAtEveryStepTests
{
    private static readonly MemoryRange[] Ranges = [new MemoryRange(0x9000_0000, 256 * MiB), new MemoryRange(0x10_0000_0000, 48 * MiB)];

    private static (PmpRig Rig, int Slot) Created()
    {
        PmpRig rig = PolarFire();
        SliceResult created = rig.Visor.CreateSlice(Request([2, 3], Ranges, 1UL << 4));
        Assert.True(created.Ok, created.ToString());
        return (rig, created.Slot);
    }

    private static long Steps(FaultPoint point)
    {
        (PmpRig rig, int slot) = Created();
        using (rig)
        {
            long before = rig.Machine.Inner.Operations(point);
            Assert.True(rig.Visor.StartSlice(slot).Ok);
            return rig.Machine.Inner.Operations(point) - before;
        }
    }

    [Theory]
    [InlineData(FaultPoint.RegisterWrite, 2 * (16 + 1))]  // 2 harts × (16 entries + way mask)
    [InlineData(FaultPoint.Readback, 2 * (1 + 1 + 16))]   // 2 harts × (lock bit + way mask + 16 entries)
    public void A_fault_at_every_step_of_the_PMP_sliceloader_halts_the_hart_and_quarantines_the_slot(FaultPoint point, long expectedSteps)
    {
        long steps = Steps(point);
        Assert.Equal(expectedSteps, steps);
        ResourceSet harts = default;
        harts.Add(2);
        harts.Add(3);
        var want = new PmpEntry[16];
        Assert.True(PmpEncoder.Encode(new PmpGeometry(16, 0, Clint, 5), Ranges, Permissions.ReadWriteExecute, harts, want) > 0);
        for (long k = 1; k <= steps; k++)
        {
            (PmpRig rig, int slot) = Created();
            using (rig)
            {
                rig.Machine.Inner.FailAt(point, k);
                SliceResult r = rig.Visor.StartSlice(slot);
                Assert.Equal(SliceError.LoaderFault, r.Error);
                Assert.Equal(SliceState.Destroying, rig.Visor.Table[slot].State);
                int halted = 0;
                foreach (int core in new[] { 2, 3 })
                {
                    CoreMode mode = rig.Machine.Inner.Mode(core);
                    Assert.True(mode is CoreMode.Halted or CoreMode.Guest or CoreMode.Idle, $"{point} #{k}: hart {core} is {mode}");
                    if (mode == CoreMode.Guest)
                    {
                        // a hart booted before the fault runs with exactly the encoding, all locked
                        Assert.Equal(want, rig.Machine.EntriesOf(core).ToArray());
                    }
                    else if (mode == CoreMode.Idle)
                    {
                        // a hart StartSlice did not reach after the fault: reset, nothing programmed, no guest code
                        Assert.All(rig.Machine.EntriesOf(core).ToArray(), e => Assert.Equal(PmpEntry.Off, e));
                    }
                    else
                    {
                        halted++;
                    }
                }
                Assert.Equal(1, halted);
                Assert.True(rig.Visor.DestroySlice(slot).Ok, $"{point} #{k}: destroy after the fault");
                Assert.Equal(SliceState.Free, rig.Visor.Table[slot].State);
                foreach (int core in new[] { 2, 3 })
                {
                    Assert.All(rig.Machine.EntriesOf(core).ToArray(), e => Assert.Equal(PmpEntry.Off, e));
                    Assert.Equal(CoreMode.Idle, rig.Machine.Inner.Mode(core));
                }
            }
        }
    }
}
