using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Allocation;

/// <summary>
/// Intentional sharing adds no allocation: CreateSlice with permissions and windows (accepted,
/// or refused at each window check), StartSlice programming the window registers, and
/// DestroySlice scrubbing the windows allocate zero bytes once warm (the buffers are sized at
/// construction). The scrubbed window pages go back to the simulation's pool.
/// </summary>
public sealed class WindowAllocationTests
{
    private const int Cycles = 2000;

    private static long Measure(Action body) => Allocations.Least(body, Cycles, rounds: 8);

    private static readonly SliceRequest Shared = Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB)], [2], 1UL << 4) with
    {
        RangePermissions = new[] { RX, RW },
        Windows = new[] { Window(WindowA, 8 * KiB, RW), Window(WindowB, 4 * KiB, R) },
    };

    [Fact]
    public void CreateSlice_with_windows_then_start_and_destroy_allocate_zero_bytes()
    {
        using Rig rig = Make();
        byte[] message = [1, 2, 3, 4];
        long bytes = Measure(() =>
        {
            rig.KeepLogRoom();
            SliceResult c = rig.Visor.CreateSlice(Shared);
            SliceResult s = rig.Visor.StartSlice(c.Slot);
            // Something in the window for destroy to scrub.
            if (rig.Machine.GuestStore(4, WindowA, message) != CoreSlice.Simulation.AccessOutcome.Allowed)
            {
                throw new InvalidOperationException("the guest could not write its RW window");
            }
            SliceResult d = rig.Visor.DestroySlice(c.Slot);
            if (!c.Ok || !s.Ok || !d.Ok)
            {
                throw new InvalidOperationException($"{c.Error} {s.Error} {d.Error}");
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void CreateSlice_refused_at_each_window_check_allocates_zero_bytes()
    {
        using Rig rig = Make();
        int holder = rig.Create(Request([6], [new MemoryRange(FreeBase + (64 * MiB), 64 * KiB)], [3], 1UL << 5) with { Windows = new[] { Window(WindowB + (64 * KiB), 64 * KiB, R) } });
        Assert.NotEqual(0, holder);
        (SliceRequest Request, SliceError Error)[] refused =
        [
            (Valid() with { RangePermissions = new[] { R, R } }, SliceError.PermissionsCountMismatch),
            (Valid() with { RangePermissions = new[] { Permissions.None } }, SliceError.RangePermissionsInvalid),
            (Valid() with { Windows = new[] { Window(WindowA, 0) } }, SliceError.WindowEmpty),
            (Valid() with { Windows = new[] { Window(WindowA + 1, 4 * KiB) } }, SliceError.WindowUnaligned),
            (Valid() with { Windows = new[] { Window(0xFFFF_FFFF_FFFF_F000UL, 0x2000) } }, SliceError.WindowWraps),
            (Valid() with { Windows = new[] { Window(WindowA, 4 * KiB, RWX) } }, SliceError.WindowPermissionsInvalid),
            (Valid() with { Windows = new[] { Window(FreeBase, 4 * KiB) } }, SliceError.WindowOutsideControl),
            (Valid() with { Windows = new[] { Window(WindowA, 8 * KiB), Window(WindowA, 4 * KiB) } }, SliceError.WindowOverlapsRequest),
            (Valid() with { Windows = new[] { Window(WindowB + (64 * KiB), 4 * KiB) } }, SliceError.WindowInUse),
            (Valid() with { RangePermissions = new[] { RW } }, SliceError.EntryNotExecutable),
        ];
        long bytes = Measure(() =>
        {
            rig.KeepLogRoom();
            foreach ((SliceRequest request, SliceError error) in refused)
            {
                SliceResult r = rig.Visor.CreateSlice(request);
                if (r.Error != error)
                {
                    throw new InvalidOperationException($"expected {error}, got {r.Error}");
                }
            }
        });
        Assert.Equal(0, bytes);
    }
}
