using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// Permissions and windows on the PMP port: each private range is encoded with its own
/// permissions and each window (after the ranges) with its own, the entry budget counts the
/// windows, and the M-mode guest is held to them by the locked entries.
/// </summary>
public sealed class PmpWindowTests
{
    private const ulong Code = 0x9000_0000;
    private const ulong Control = 0x8200_0000;
    private const Permissions R = Permissions.Read;
    private const Permissions RW = Permissions.Read | Permissions.Write;
    private const Permissions RX = Permissions.Read | Permissions.Execute;

    private static SharedWindow Window(ulong b, ulong size, Permissions p) => new(new MemoryRange(b, size), p);

    [Fact]
    public void Private_ranges_and_windows_are_encoded_each_with_its_permissions_and_enforced()
    {
        using PmpRig rig = PolarFire();
        SliceRequest request = Request([2], [new MemoryRange(Code, 16 * MiB)], 1UL << 4) with
        {
            RangePermissions = new[] { RX },
            Windows = new[] { Window(Control, 64 * KiB, R), Window(Control + (64 * KiB), 4 * KiB, RW) },
        };
        SliceResult created = rig.Visor.CreateSlice(request);
        Assert.True(created.Ok, created.ToString());
        Assert.True(rig.Visor.StartSlice(created.Slot).Ok);
        ResourceSet harts = default;
        harts.Add(2);
        var want = new PmpEntry[16];
        SliceEntry e = rig.Visor.Table[created.Slot];
        int used = PmpEncoder.Encode(rig.Machine.Geometry, e.Ranges, e.RangePermissions, e.Windows, harts, want);
        Assert.Equal(5, used); // range, two windows, the msip word, the deny-all
        Assert.Equal(used, PmpEncoder.Cost(rig.Machine.Geometry, e.Ranges, e.RangePermissions, e.Windows, harts));
        Assert.Equal(want, rig.Machine.EntriesOf(2).ToArray());
        Assert.Equal([RX, R, RW], want[..3].Select(x => x.Permissions).ToArray());
        Assert.All(want, x => Assert.True(x.Locked));

        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestFetch(2, Code));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(2, Code, [1]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(2, Control, [1]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(2, Control));
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(2, Control + (64 * KiB), [7, 8]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(2, Control + (64 * KiB)));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(2, Control + (68 * KiB), new byte[1])); // past the window
        // The control hart writes the read-only window; the guest reads it back; and the other way round.
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(0, Control + 16, [0x42]));
        byte[] seen = new byte[1];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(2, Control + 16, seen));
        Assert.Equal(0x42, seen[0]);
        byte[] back = new byte[2];
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(0, Control + (64 * KiB), back));
        Assert.Equal([7, 8], back);
    }

    private static SliceRequest SevenWindows(Permissions range) => Request([2], [new MemoryRange(Code, 16 * MiB)], 1UL << 4) with
    {
        RangePermissions = new[] { range },
        // 12 KiB each, none starting where the previous ended: an OFF and a TOR entry apiece.
        Windows = Enumerable.Range(0, 7).Select(i => Window(Control + 0x1000 + ((ulong)i * MiB), 12 * KiB, R)).ToArray(),
    };

    [Fact]
    public void The_entry_budget_counts_the_windows()
    {
        using PmpRig rig = PolarFire();
        // 1 (range) + 7 × 2 (windows) + 1 (msip) + 1 (deny-all) = 17 > 16, within the 8 registers.
        SliceResult r = rig.Visor.CreateSlice(SevenWindows(RX));
        Assert.Equal(SliceError.PmpEntriesExceeded, r.Error);
        Assert.Equal(17, r.Subject);
        using PmpRig roomy = PolarFire(entries: 64);
        Assert.True(roomy.Visor.CreateSlice(SevenWindows(RX)).Ok);
    }

    [Fact]
    public void EntryNotExecutable_comes_before_PmpEntriesExceeded()
    {
        using PmpRig rig = PolarFire();
        Assert.Equal(SliceError.EntryNotExecutable, rig.Visor.CreateSlice(SevenWindows(RW)).Error);
    }

    [Fact]
    public void The_encoder_refuses_permissions_that_are_not_one_per_range()
    {
        var table = new PmpEntry[16];
        var g = new PmpGeometry(16, 0, Clint, 5);
        MemoryRange[] ranges = [new MemoryRange(Code, MiB)];
        Assert.Equal(-1, PmpEncoder.Cost(g, ranges, [], [], default));
        Assert.Equal(-1, PmpEncoder.Encode(g, ranges, [R, R], [], default, table));
        Assert.All(table, x => Assert.Equal(PmpCfg.DenyAll, x));
        // The uniform overload is the per-range one with every range the same.
        var uniform = new PmpEntry[16];
        Assert.Equal(PmpEncoder.Encode(g, ranges, RX, default, uniform), PmpEncoder.Encode(g, ranges, [RX], [], default, table));
        Assert.Equal(uniform, table);
    }
}
