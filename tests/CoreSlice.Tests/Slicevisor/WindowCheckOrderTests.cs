using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// The check order around the sharing codes (SliceError.cs, the spec's order): a request
/// failing two neighbouring checks returns the earlier one, and changes nothing.
/// </summary>
public sealed class WindowCheckOrderTests
{
    private static void First(SliceRequest request, SliceError expected, int subject)
    {
        using Rig rig = Make();
        int logged = rig.Visor.Log.Count;
        StateSnapshot before = StateSnapshot.Take(rig);
        SliceResult r = rig.Visor.CreateSlice(request);
        Assert.Equal(expected, r.Error);
        Assert.Equal(subject, r.Subject);
        before.AssertSameAs(StateSnapshot.Take(rig));
        Assert.Equal(logged + 1, rig.Visor.Log.Count);
    }

    private static readonly MemoryRange[] TwoRanges = [new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB)];

    [Fact]
    public void NoMemory_comes_before_TooManyRanges_of_windows() =>
        First(Valid() with { Ranges = Array.Empty<MemoryRange>(), Windows = Enumerable.Repeat(Window(WindowA, 0), 40).ToArray() }, SliceError.NoMemory, -1);

    [Fact]
    public void TooManyRanges_comes_before_PermissionsCountMismatch() =>
        First(Valid() with { Windows = Enumerable.Repeat(Window(WindowA, 4 * KiB), 16).ToArray(), RangePermissions = new[] { R, R, R } }, SliceError.TooManyRanges, 17);

    [Fact]
    public void PermissionsCountMismatch_comes_before_TooManyDevices() =>
        First(Valid() with { RangePermissions = new[] { R, R }, Devices = Enumerable.Repeat(2, 9).ToArray() }, SliceError.PermissionsCountMismatch, 2);

    [Fact]
    public void PermissionsCountMismatch_comes_before_every_core_check() =>
        First(Valid() with { RangePermissions = new[] { R, R }, Cores = new[] { 0 } }, SliceError.PermissionsCountMismatch, 2);

    [Fact]
    public void RangeInUse_comes_before_RangePermissionsInvalid_of_the_same_range() =>
        First(Valid() with { Ranges = new[] { new MemoryRange(Slot1Base, 4 * KiB) }, RangePermissions = new[] { Permissions.None } }, SliceError.RangeInUse, 0);

    [Fact]
    public void RangePermissionsInvalid_of_a_range_comes_before_the_next_range_s_checks() =>
        First(Valid() with { Ranges = new[] { TwoRanges[0], new MemoryRange(FreeBase, 0) }, RangePermissions = new[] { Permissions.None, R } }, SliceError.RangePermissionsInvalid, 0);

    [Fact]
    public void Private_range_checks_come_before_window_checks() =>
        First(Valid() with { Ranges = new[] { new MemoryRange(8 * GiB, 4 * KiB) }, Windows = new[] { Window(WindowA, 0) } }, SliceError.RangeOutsideRam, 0);

    [Fact]
    public void RangePermissionsInvalid_comes_before_window_checks() =>
        First(Valid() with { RangePermissions = new[] { Permissions.None }, Windows = new[] { Window(WindowA, 0) } }, SliceError.RangePermissionsInvalid, 0);

    [Fact]
    public void WindowEmpty_comes_before_WindowPermissionsInvalid() =>
        First(Valid() with { Windows = new[] { Window(WindowA, 0, Permissions.Execute) } }, SliceError.WindowEmpty, 0);

    [Fact]
    public void WindowUnaligned_comes_before_WindowWraps() =>
        First(Valid() with { Windows = new[] { Window(ulong.MaxValue - 10, 100) } }, SliceError.WindowUnaligned, 0);

    [Fact]
    public void WindowWraps_comes_before_WindowPermissionsInvalid() =>
        First(Valid() with { Windows = new[] { Window(0xFFFF_FFFF_FFFF_F000UL, 0x2000, Permissions.None) } }, SliceError.WindowWraps, 0);

    [Fact]
    public void WindowPermissionsInvalid_comes_before_WindowOutsideControl() =>
        First(Valid() with { Windows = new[] { Window(FreeBase, 4 * KiB, RWX) } }, SliceError.WindowPermissionsInvalid, 0);

    [Fact]
    public void WindowOutsideControl_comes_before_WindowOverlapsRequest() =>
        First(Valid() with { Windows = new[] { Window(ControlTop - (8 * KiB), 4 * KiB), Window(ControlTop - (8 * KiB), 12 * KiB) } }, SliceError.WindowOutsideControl, 1);

    [Fact]
    public void WindowOverlapsRequest_comes_before_WindowInUse()
    {
        using Rig rig = Make();
        int holder = rig.Create(Request([6], [new MemoryRange(FreeBase + (64 * MiB), 64 * KiB)], [3], 1UL << 5) with { Windows = new[] { Window(WindowA, 64 * KiB, R) } });
        // Window 1 overlaps both window 0 (at [A+64K, A+72K)) and the holder's window (at [A+60K, A+64K)).
        SliceRequest request = Valid() with { Windows = new[] { Window(WindowA + (64 * KiB), 8 * KiB), Window(WindowA + (60 * KiB), 12 * KiB) } };
        RejectedLogged(rig, () => rig.Visor.CreateSlice(request),
            Rejected(SliceError.WindowOverlapsRequest, 1, Owner.None, 0, WindowA + (64 * KiB), 8 * KiB));
        // Without window 0, the same window is in use by the holder.
        request = Valid() with { Windows = new[] { Window(WindowA + (60 * KiB), 12 * KiB) } };
        RejectedLogged(rig, () => rig.Visor.CreateSlice(request),
            Rejected(SliceError.WindowInUse, 0, holder, -1, WindowA + (60 * KiB), 4 * KiB));
    }

    [Fact]
    public void WindowInUse_of_an_earlier_window_comes_before_a_later_window_s_checks()
    {
        using Rig rig = Make();
        _ = rig.Create(Request([6], [new MemoryRange(FreeBase + (64 * MiB), 64 * KiB)], [3], 1UL << 5) with { Windows = new[] { Window(WindowA, 64 * KiB, R) } });
        SliceResult r = rig.Visor.CreateSlice(Valid() with { Windows = new[] { Window(WindowA, 4 * KiB), Window(WindowB, 0) } });
        Assert.Equal(SliceError.WindowInUse, r.Error);
        Assert.Equal(0, r.Subject);
    }

    [Fact]
    public void Each_window_is_checked_whole_before_the_next() =>
        First(Valid() with { Windows = new[] { Window(FreeBase, 4 * KiB), Window(WindowA, 0) } }, SliceError.WindowOutsideControl, 0);

    [Fact]
    public void Window_checks_come_before_device_checks() =>
        First(Valid() with { Windows = new[] { Window(WindowA, 0) }, Devices = new[] { 99 } }, SliceError.WindowEmpty, 0);

    [Fact]
    public void Ways_come_before_EntryNotExecutable() =>
        First(Valid() with { RangePermissions = new[] { RW }, Ways = 0 }, SliceError.WaysEmpty, -1);

    [Fact]
    public void EntryOutsideMemory_comes_before_EntryNotExecutable() =>
        First(Valid() with { RangePermissions = new[] { RW }, EntryPoint = FreeBase + (1 * MiB) }, SliceError.EntryOutsideMemory, -1);
}
