using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// A hardware fault at every step of StartSlice (every register write and every readback of
/// the sliceloader's sequence on every core, every secure reset, every IOMMU change) and of
/// DestroySlice: each run first counts the steps of a clean operation, then faults the k-th for
/// every k. Every fault must be reported, quarantine the slot with all its resources, keep
/// I1-I6, and a later DestroySlice must complete (slot Free, memory scrubbed).
/// </summary>
public sealed class FaultAtEveryStepTests
{
    private static readonly SliceError[] Faults = [SliceError.CoreResetFault, SliceError.IommuFault, SliceError.LoaderFault];

    /// <summary>A Small machine with a 2-core, 2-device, 2-range slice created.</summary>
    private static (Rig Rig, int Slot) Created()
    {
        var rig = new Rig(Small());
        SliceRequest request = new()
        {
            Cores = new[] { 1, 2 },
            Ranges = new[] { new MemoryRange(4 * MiB, 64 * KiB), new MemoryRange(8 * MiB, 64 * KiB) },
            Devices = new[] { 0, 3 },
            Ways = 0b110,
            EntryPoint = 4 * MiB,
        };
        int slot = rig.Create(request);
        Assert.True(rig.Visor.LoadImage(slot, 4 * MiB, [1, 2, 3]).Ok);
        return (rig, slot);
    }

    private static long Steps(FaultPoint point, bool destroy)
    {
        (Rig rig, int slot) = Created();
        using (rig)
        {
            if (destroy)
            {
                Assert.True(rig.Visor.StartSlice(slot).Ok);
            }
            long before = rig.Machine.Operations(point);
            Assert.True((destroy ? rig.Visor.DestroySlice(slot) : rig.Visor.StartSlice(slot)).Ok);
            return rig.Machine.Operations(point) - before;
        }
    }

    private static void Holds(Rig rig, string when) =>
        Assert.True(new InvariantAudit(rig.Visor, rig.Machine).CheckAll() is { Count: 0 }, when + ": " + string.Join("; ", new InvariantAudit(rig.Visor, rig.Machine).CheckAll()));

    [Theory]
    [InlineData(FaultPoint.RegisterWrite, 2 * (2 + 2))]  // 2 cores × (2 range registers + IPI mask + way mask)
    [InlineData(FaultPoint.Readback, 2 * (1 + 2 + 2))]   // 2 cores × (lock bit + 2 range registers + IPI mask + way mask)
    [InlineData(FaultPoint.Reset, 2)]
    [InlineData(FaultPoint.IommuChange, 2)]
    public void A_fault_at_every_step_of_StartSlice_is_reported_quarantined_and_recoverable(FaultPoint point, long expectedSteps)
    {
        long steps = Steps(point, destroy: false);
        Assert.Equal(expectedSteps, steps);
        for (long k = 1; k <= steps; k++)
        {
            (Rig rig, int slot) = Created();
            using (rig)
            {
                rig.Machine.FailAt(point, k);
                SliceResult r = rig.Visor.StartSlice(slot);
                Assert.Contains(r.Error, Faults);
                Assert.Equal(SliceState.Destroying, rig.Entry(slot).State);
                Assert.Equal(2, rig.Entry(slot).Cores.Count);
                Holds(rig, $"{point} #{k} of StartSlice");
                Assert.True(rig.Visor.DestroySlice(slot).Ok, $"{point} #{k}: destroy after the fault");
                Assert.Equal(SliceState.Free, rig.Entry(slot).State);
                Holds(rig, $"{point} #{k}, after destroy");
            }
        }
    }

    [Theory]
    [InlineData(FaultPoint.Reset, 2)]
    [InlineData(FaultPoint.IommuChange, 2)]
    [InlineData(FaultPoint.RegisterWrite, 0)] // the sliceloader parks a destroyed slice's cores without programming them
    [InlineData(FaultPoint.Readback, 0)]
    public void A_fault_at_every_step_of_DestroySlice_keeps_the_slot_quarantined_until_a_later_destroy_completes(FaultPoint point, long expectedSteps)
    {
        long steps = Steps(point, destroy: true);
        Assert.Equal(expectedSteps, steps);
        for (long k = 1; k <= steps; k++)
        {
            (Rig rig, int slot) = Created();
            using (rig)
            {
                Assert.True(rig.Visor.StartSlice(slot).Ok);
                rig.Machine.FailAt(point, k);
                SliceResult r = rig.Visor.DestroySlice(slot);
                Assert.Contains(r.Error, Faults);
                Assert.Equal(SliceState.Destroying, rig.Entry(slot).State);
                Assert.Equal(2, rig.Entry(slot).Ranges.Length); // still held: nothing reassigned unscrubbed
                Assert.Equal(slot, rig.Table.MemoryOwner(4 * MiB));
                Holds(rig, $"{point} #{k} of DestroySlice");
                Assert.True(rig.Visor.DestroySlice(slot).Ok, $"{point} #{k}: the second destroy");
                Assert.Equal(SliceState.Free, rig.Entry(slot).State);
                Holds(rig, $"{point} #{k}, after the second destroy");
            }
        }
    }

    [Fact]
    public void FailAt_counts_from_now_and_fires_once()
    {
        (Rig rig, int slot) = Created();
        using (rig)
        {
            rig.Machine.FailAt(FaultPoint.Reset, 2);
            Assert.Equal(SliceError.CoreResetFault, rig.Visor.StartSlice(slot).Error); // the second core's reset
            Assert.True(rig.Visor.DestroySlice(slot).Ok);                               // fired once: destroy's resets succeed
        }
    }
}
