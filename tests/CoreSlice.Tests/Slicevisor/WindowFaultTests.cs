using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// Hardware faults with windows: a fault at any register write or readback of the sliceloader
/// (window registers included) is caught and quarantines the slot with its windows; a fault
/// part-way through DestroySlice keeps the slot Destroying with its windows held and unscrubbed
/// (no one else can be lent them), and the completing DestroySlice scrubs and frees them.
/// </summary>
public sealed class WindowFaultTests
{
    private const ulong Private = 2 * GiB;

    private static (Rig Rig, int Slot) Created()
    {
        Rig rig = Rig.Default();
        int slot = rig.Create(new SliceRequest
        {
            Cores = new[] { 1 },
            Ranges = new[] { new MemoryRange(Private, 64 * KiB) },
            RangePermissions = new[] { RX },
            Windows = new[] { Window(WindowA, 8 * KiB, RW), Window(WindowB, 4 * KiB, R) },
            Devices = new[] { 0 },
            Ways = 1UL << 2,
            EntryPoint = Private,
        });
        return (rig, slot);
    }

    private static void Holds(Rig rig, string when)
    {
        IReadOnlyList<Violation> v = new InvariantAudit(rig.Visor, rig.Machine).CheckAll();
        Assert.True(v.Count == 0, when + ": " + string.Join("; ", v));
    }

    [Theory]
    [InlineData(FaultPoint.RegisterWrite)]
    [InlineData(FaultPoint.Readback)]
    public void A_fault_at_any_sliceloader_step_quarantines_the_slot_with_its_windows(FaultPoint point)
    {
        long steps;
        (Rig clean, int cleanSlot) = Created();
        using (clean)
        {
            long before = clean.Machine.Operations(point);
            Assert.True(clean.Visor.StartSlice(cleanSlot).Ok);
            steps = clean.Machine.Operations(point) - before;
        }
        Assert.True(steps >= 3, $"{steps} steps");
        for (long k = 1; k <= steps; k++)
        {
            (Rig rig, int slot) = Created();
            using (rig)
            {
                rig.Machine.FailAt(point, k);
                Assert.Equal(SliceError.LoaderFault, rig.Visor.StartSlice(slot).Error);
                Assert.Equal(SliceState.Destroying, rig.Entry(slot).State);
                Assert.Equal(2, rig.Entry(slot).Windows.Length);
                Assert.Equal(slot, rig.Table.WindowHolder(WindowA));
                Assert.NotEqual(CoreMode.Guest, rig.Machine.Mode(1));
                Holds(rig, $"{point} #{k}");
                Assert.True(rig.Visor.DestroySlice(slot).Ok);
                Assert.Equal(Owner.Free, rig.Table.WindowHolder(WindowA));
                Holds(rig, $"{point} #{k}, after destroy");
            }
        }
    }

    [Fact]
    public void A_reset_fault_in_DestroySlice_keeps_the_windows_held_until_the_destroy_completes()
    {
        (Rig rig, int slot) = Created();
        using (rig)
        {
            Assert.True(rig.Visor.StartSlice(slot).Ok);
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(1, WindowA, [1, 2, 3]));
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(0, WindowB, [4]));
            rig.Machine.FailNextResets(1);
            Assert.Equal(SliceError.CoreResetFault, rig.Visor.DestroySlice(slot).Error);
            Assert.Equal(SliceState.Destroying, rig.Entry(slot).State);
            Assert.Equal(slot, rig.Table.WindowHolder(WindowA));
            Assert.Equal(slot, rig.Table.WindowHolder(WindowB));
            Assert.Equal(slot, rig.Machine.Memory.LastWriter(WindowA)); // not scrubbed yet, and not lendable
            Assert.Equal(SliceError.WindowInUse, rig.Visor.CreateSlice(new SliceRequest
            {
                Cores = new[] { 2 },
                Ranges = new[] { new MemoryRange(Private + GiB, 64 * KiB) },
                Windows = new[] { Window(WindowA, 4 * KiB, R) },
                Ways = 1UL << 3,
                EntryPoint = Private + GiB,
            }).Error);
            Holds(rig, "after the faulted destroy");
            Assert.True(rig.Visor.DestroySlice(slot).Ok);
            Assert.Equal(MemoryWriter.Nobody, rig.Machine.Memory.LastWriter(WindowA));
            Assert.Equal(MemoryWriter.Nobody, rig.Machine.Memory.LastWriter(WindowB));
            Assert.Equal(Owner.Free, rig.Table.WindowHolder(WindowB));
            Holds(rig, "after the completed destroy");
        }
    }
}
