using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// One test per CreateSlice code of intentional sharing (7, 28, 80-86, 45) and TooManyRanges
/// counting windows: the exact error, subject, holder, holder region and conflict interval;
/// table, hardware and log unchanged but for the one refusal entry. Every request is
/// <see cref="Populated.Valid"/> (plus a good window where one is needed) with one field broken.
/// </summary>
public sealed class WindowRejectionTests
{
    private static void Reject(SliceRequest request, SliceResult expected)
    {
        using Rig rig = Make();
        RejectedLogged(rig, () => rig.Visor.CreateSlice(request), expected);
    }

    private static SliceRequest With(params SharedWindow[] windows) => Valid() with { Windows = windows };

    [Fact]
    public void CreateSlice_with_permissions_and_windows_succeeds_positive_control()
    {
        using Rig rig = Make();
        SliceRequest request = Valid() with
        {
            Ranges = new[] { new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB) },
            RangePermissions = new[] { RX, R },
            Windows = new[] { Window(WindowA, 64 * KiB, RW), Window(WindowB, 4 * KiB, R) },
        };
        SliceResult r = rig.Visor.CreateSlice(request);
        Assert.Equal(SliceError.None, r.Error);
        SliceEntry e = rig.Entry(r.Slot);
        Assert.Equal([RX, R], e.RangePermissions.ToArray());
        Assert.Equal([Window(WindowA, 64 * KiB, RW), Window(WindowB, 4 * KiB, R)], e.Windows.ToArray());
        Assert.Equal(2, e.Ranges.Length);
        Assert.Equal(Owner.Control, rig.Table.MemoryOwner(WindowA)); // lent, not given
        Assert.Equal(r.Slot, rig.Table.WindowHolder(WindowA));
        Assert.Equal(r.Slot, rig.Table.WindowHolder(WindowB + (4 * KiB) - 1));
        Assert.Equal(Owner.Free, rig.Table.WindowHolder(WindowB + (4 * KiB)));
        Assert.False(e.OwnsAddress(WindowA));
    }

    [Fact]
    public void CreateSlice_without_permissions_gives_every_private_range_RWX()
    {
        using Rig rig = Make();
        int slot = rig.Create(Valid());
        Assert.Equal([RWX], rig.Entry(slot).RangePermissions.ToArray());
        Assert.True(rig.Entry(slot).Windows.IsEmpty);
    }

    [Fact]
    public void CreateSlice_TooManyRanges_counts_ranges_and_windows_together()
    {
        // 15 ranges + 2 windows = 17 registers on a 16-register core; the subject is the sum.
        MemoryRange[] ranges = Enumerable.Range(0, 15).Select(i => new MemoryRange(FreeBase + ((ulong)i * MiB), 4 * KiB)).ToArray();
        Reject(Valid() with { Ranges = ranges, Windows = new[] { Window(WindowA, 4 * KiB), Window(WindowB, 4 * KiB) } },
            Rejected(SliceError.TooManyRanges, 17));
    }

    [Fact]
    public void CreateSlice_ranges_and_windows_filling_every_register_are_accepted()
    {
        using Rig rig = Make();
        MemoryRange[] ranges = Enumerable.Range(0, 14).Select(i => new MemoryRange(FreeBase + ((ulong)i * MiB), 4 * KiB)).ToArray();
        SliceResult r = rig.Visor.CreateSlice(Valid() with { Ranges = ranges, Windows = new[] { Window(WindowA, 4 * KiB), Window(WindowB, 4 * KiB) } });
        Assert.Equal(SliceError.None, r.Error);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    public void CreateSlice_PermissionsCountMismatch_names_the_count_given(int count) =>
        Reject(Valid() with { RangePermissions = Enumerable.Repeat(RWX, count).ToArray() }, Rejected(SliceError.PermissionsCountMismatch, count));

    [Theory]
    [InlineData((byte)0)]       // None
    [InlineData((byte)0x02)]    // Write without Read (reserved by RISC-V PMP)
    [InlineData((byte)0x06)]    // Write|Execute without Read
    [InlineData((byte)0x08)]    // a bit the hardware does not have
    [InlineData((byte)0x0F)]    // RWX plus an unknown bit
    [InlineData((byte)0xFF)]
    public void CreateSlice_RangePermissionsInvalid_names_the_range(byte bits)
    {
        SliceRequest request = Valid() with
        {
            Ranges = new[] { new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB) },
            RangePermissions = new[] { RWX, (Permissions)bits },
        };
        Reject(request, Rejected(SliceError.RangePermissionsInvalid, 1));
    }

    [Theory]
    [InlineData((byte)1)]   // R
    [InlineData((byte)3)]   // RW
    [InlineData((byte)4)]   // execute-only
    [InlineData((byte)5)]   // RX
    public void CreateSlice_any_nonempty_subset_of_RWX_with_write_only_beside_read_is_a_valid_private_permission(byte bits)
    {
        using Rig rig = Make();
        SliceRequest request = Valid() with
        {
            Ranges = new[] { new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB) },
            RangePermissions = new[] { RWX, (Permissions)bits },
        };
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(request).Error);
    }

    [Fact]
    public void CreateSlice_WindowEmpty_names_the_window() =>
        Reject(With(Window(WindowA, 4 * KiB), Window(WindowB, 0)), Rejected(SliceError.WindowEmpty, 1));

    [Theory]
    [InlineData(WindowA + 1, 4096UL)]
    [InlineData(WindowA, 4095UL)]
    [InlineData(WindowA + 2048, 2048UL)]
    public void CreateSlice_WindowUnaligned_names_the_window(ulong b, ulong size) =>
        Reject(With(Window(b, size)), Rejected(SliceError.WindowUnaligned, 0));

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, 0x1000UL)]   // base + size == 2^64 exactly
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, 0x2000UL)]
    [InlineData(0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL)]
    public void CreateSlice_WindowWraps_names_the_window(ulong b, ulong size) =>
        Reject(With(Window(WindowA, 4 * KiB), Window(b, size)), Rejected(SliceError.WindowWraps, 1));

    [Theory]
    [InlineData((byte)0)]   // none
    [InlineData((byte)2)]   // write-only
    [InlineData((byte)4)]   // execute
    [InlineData((byte)5)]   // RX
    [InlineData((byte)7)]   // RWX
    [InlineData((byte)0x81)]
    public void CreateSlice_WindowPermissionsInvalid_names_the_window(byte bits) =>
        Reject(With(Window(WindowA, 4 * KiB, (Permissions)bits)), Rejected(SliceError.WindowPermissionsInvalid, 0));

    [Theory]
    [InlineData(ControlTop - (4 * KiB), 8 * KiB)]     // straddles the top of control memory
    [InlineData(ControlBase - (4 * KiB), 8 * KiB)]    // straddles its bottom
    [InlineData(FreeBase, 4 * KiB)]                   // free RAM
    [InlineData(Slot1Base, 4 * KiB)]                  // another slice's private memory
    [InlineData(1 * MiB, 4 * KiB)]                    // reserved (the slicevisor)
    [InlineData(8 * GiB, 4 * KiB)]                    // not RAM
    public void CreateSlice_WindowOutsideControl_names_the_window(ulong b, ulong size) =>
        Reject(With(Window(b, size)), Rejected(SliceError.WindowOutsideControl, 0));

    [Fact]
    public void CreateSlice_a_window_of_all_control_memory_is_accepted()
    {
        using Rig rig = Make();
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(With(Window(ControlBase, ControlTop - ControlBase, R))).Error);
    }

    [Fact]
    public void CreateSlice_WindowOverlapsRequest_names_the_earlier_window_and_the_interval() =>
        Reject(With(Window(WindowA, 64 * KiB), Window(WindowB, 4 * KiB), Window(WindowB - (8 * KiB), 12 * KiB)),
            Rejected(SliceError.WindowOverlapsRequest, 2, Owner.None, 1, WindowB, 4 * KiB));

    [Fact]
    public void CreateSlice_WindowInUse_names_the_holder_and_the_interval()
    {
        using Rig rig = Make();
        int holder = rig.Create(Request([6], [new MemoryRange(FreeBase + (64 * MiB), 64 * KiB)], [3], 1UL << 5) with { Windows = new[] { Window(WindowA, 64 * KiB, R) } });
        SliceRequest request = With(Window(WindowB, 4 * KiB), Window(WindowA + (60 * KiB), 8 * KiB));
        RejectedLogged(rig, () => rig.Visor.CreateSlice(request), Rejected(SliceError.WindowInUse, 1, holder: holder, conflictBase: WindowA + (60 * KiB), conflictSize: 4 * KiB));
    }

    [Fact]
    public void CreateSlice_a_window_freed_by_destroy_can_be_lent_again()
    {
        using Rig rig = Make();
        int holder = rig.Create(Request([6], [new MemoryRange(FreeBase + (64 * MiB), 64 * KiB)], [3], 1UL << 5) with { Windows = new[] { Window(WindowA, 64 * KiB, R) } });
        Assert.Equal(SliceError.WindowInUse, rig.Visor.CreateSlice(With(Window(WindowA, 4 * KiB))).Error);
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(holder).Error);
        Assert.Equal(Owner.Free, rig.Table.WindowHolder(WindowA));
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(With(Window(WindowA, 4 * KiB))).Error);
    }

    [Fact]
    public void CreateSlice_EntryNotExecutable_when_the_range_holding_the_entry_lacks_execute()
    {
        SliceRequest request = Valid() with
        {
            Ranges = new[] { new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB) },
            RangePermissions = new[] { RX, RW },
            EntryPoint = FreeBase + (4 * MiB) + 0x40,
        };
        Reject(request, Rejected(SliceError.EntryNotExecutable, -1));
    }

    [Fact]
    public void CreateSlice_an_entry_point_in_a_window_is_EntryOutsideMemory() =>
        // A window is never the guest's own memory, so the entry is outside every private range.
        Reject(With(Window(WindowA, 4 * KiB, R)) with { EntryPoint = WindowA }, Rejected(SliceError.EntryOutsideMemory, -1));
}
