using CoreSlice;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// One test per CreateSlice rejection code (SliceError 1..43): the exact error, subject,
/// holder, holder region and conflict interval, and the whole state unchanged bit for bit.
/// Every request starts from <see cref="Populated.Valid"/>, which the positive control
/// shows succeeds, so each rejection is caused by the one field broken.
/// </summary>
public sealed class CreateSliceRejectionTests
{
    private static void Reject(SliceRequest request, SliceResult expected)
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(request), expected);
    }

    private static SliceRequest WithRanges(params MemoryRange[] ranges) => Valid() with { Ranges = ranges };

    [Fact]
    public void CreateSlice_Valid_request_succeeds_positive_control()
    {
        using Rig rig = Make();
        StateSnapshot before = StateSnapshot.Take(rig);
        SliceResult r = rig.Visor.CreateSlice(Valid());
        Assert.Equal(SliceError.None, r.Error);
        Assert.Equal(3, r.Slot);
        Assert.NotNull(before.Diff(StateSnapshot.Take(rig))); // the snapshot sees a real change
        Assert.Equal(3, rig.Table.CoreOwner(4));
        Assert.Equal(3, rig.Table.MemoryOwner(FreeBase));
    }

    [Fact]
    public void CreateSlice_TableFull_is_rejected_and_changes_nothing()
    {
        using var rig = Rig.Small(); // 3 slots, 3 guest cores
        for (int i = 0; i < 3; i++)
        {
            rig.Create(cores: 1, bytes: 4 * KiB, devices: 0, ways: 1);
        }
        var request = Request([1], [new MemoryRange(40 * MiB, 4 * KiB)], [], 0);
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(request), Rejected(SliceError.TableFull, -1));
    }

    [Fact]
    public void CreateSlice_NoCores_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Cores = Array.Empty<int>() }, Rejected(SliceError.NoCores, -1));

    [Fact]
    public void CreateSlice_TooManyCores_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Cores = Enumerable.Repeat(4, 17).ToArray() }, Rejected(SliceError.TooManyCores, 17));

    [Fact]
    public void CreateSlice_NoMemory_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Ranges = Array.Empty<MemoryRange>() }, Rejected(SliceError.NoMemory, -1));

    [Fact]
    public void CreateSlice_TooManyRanges_is_rejected_and_changes_nothing()
    {
        MemoryRange[] ranges = Enumerable.Range(0, 17).Select(i => new MemoryRange(FreeBase + ((ulong)i * MiB), 4 * KiB)).ToArray();
        Reject(WithRanges(ranges), Rejected(SliceError.TooManyRanges, 17));
    }

    [Fact]
    public void CreateSlice_TooManyDevices_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Devices = Enumerable.Repeat(2, 9).ToArray() }, Rejected(SliceError.TooManyDevices, 9));

    [Theory]
    [InlineData(16)]
    [InlineData(1024)]
    [InlineData(int.MaxValue)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void CreateSlice_CoreOutOfRange_is_rejected_and_changes_nothing(int core) =>
        Reject(Valid() with { Cores = new[] { 4, core } }, Rejected(SliceError.CoreOutOfRange, core));

    [Fact]
    public void CreateSlice_CoreReservedForControl_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Cores = new[] { 4, 0 } }, Rejected(SliceError.CoreReservedForControl, 0, Owner.Control));

    [Fact]
    public void CreateSlice_CoreDuplicated_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Cores = new[] { 4, 5, 4 } }, Rejected(SliceError.CoreDuplicated, 4));

    [Fact]
    public void CreateSlice_CoreInUse_is_rejected_and_names_the_holder() =>
        Reject(Valid() with { Cores = new[] { 4, 3 } }, Rejected(SliceError.CoreInUse, 3, holder: 2));

    [Fact]
    public void CreateSlice_RangeEmpty_is_rejected_and_changes_nothing() =>
        Reject(WithRanges(new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 0)), Rejected(SliceError.RangeEmpty, 1));

    [Theory]
    [InlineData(1UL, 4096UL)]
    [InlineData(4096UL, 4095UL)]
    [InlineData(2048UL, 2048UL)]
    public void CreateSlice_RangeUnaligned_is_rejected_and_changes_nothing(ulong baseOffset, ulong size) =>
        Reject(WithRanges(new MemoryRange(FreeBase + baseOffset, size)), Rejected(SliceError.RangeUnaligned, 0));

    [Fact]
    public void CreateSlice_RangeWraps_size_exactly_2pow64_minus_base_is_rejected_and_changes_nothing()
    {
        ulong b = FreeBase;
        ulong size = unchecked(0UL - b); // 2^64 - base: base + size == 2^64, which is 0 in 64 bits
        Assert.Equal(0UL, unchecked(b + size));
        Reject(WithRanges(new MemoryRange(b, size)) with { EntryPoint = b }, Rejected(SliceError.RangeWraps, 0));
    }

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, 0x2000UL)]
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, 0xFFFF_FFFF_FFFF_F000UL)]
    [InlineData(0x8000_0000_0000_0000UL, 0x8000_0000_0000_0000UL)]
    public void CreateSlice_RangeWraps_is_rejected_and_changes_nothing(ulong b, ulong size) =>
        Reject(WithRanges(new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(b, size)), Rejected(SliceError.RangeWraps, 1));

    [Fact]
    public void CreateSlice_largest_representable_range_is_not_RangeWraps_but_RangeOutsideRam()
    {
        // base + size == 2^64 - 4096: representable, so the next check (RAM) decides.
        Reject(WithRanges(new MemoryRange(FreeBase, unchecked(0UL - FreeBase - Granule))), Rejected(SliceError.RangeOutsideRam, 0));
    }

    [Theory]
    [InlineData(4UL * GiB, 4096UL)]                        // just past RAM
    [InlineData((4UL * GiB) - 4096, 8192UL)]               // straddles the top of RAM
    [InlineData(0xFFFF_FFFF_FFFF_E000UL, 4096UL)]          // near 2^64
    public void CreateSlice_RangeOutsideRam_is_rejected_and_changes_nothing(ulong b, ulong size) =>
        Reject(WithRanges(new MemoryRange(b, size)), Rejected(SliceError.RangeOutsideRam, 0));

    [Fact]
    public void CreateSlice_RangeOutsideRam_straddling_a_hole_between_RAM_regions_is_rejected()
    {
        using var rig = Rig.Small(); // RAM [0,16M) and [32M,48M)
        var request = Request([1], [new MemoryRange((16 * MiB) - Granule, 2 * Granule)], [], 1UL << 1);
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(request), Rejected(SliceError.RangeOutsideRam, 0));
    }

    [Fact]
    public void CreateSlice_RangeOverlapsReserved_names_the_region_and_the_interval() =>
        // [16M, 20M) overlaps slicevisor [1M,17M) (index 1) in [16M,17M) first.
        Reject(WithRanges(new MemoryRange(16 * MiB, 4 * MiB)),
            Rejected(SliceError.RangeOverlapsReserved, 0, Owner.Reserved, 1, 16 * MiB, 1 * MiB));

    [Fact]
    public void CreateSlice_RangeOverlapsReserved_slice_table_region_is_rejected() =>
        Reject(WithRanges(new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(17 * MiB + Granule, Granule)),
            Rejected(SliceError.RangeOverlapsReserved, 1, Owner.Reserved, 2, 17 * MiB + Granule, Granule));

    [Fact]
    public void CreateSlice_RangeOverlapsControl_names_the_control_range_and_the_interval() =>
        // [540M, 560M) overlaps control [32M, 544M) in [540M, 544M).
        Reject(WithRanges(new MemoryRange(540 * MiB, 20 * MiB)),
            Rejected(SliceError.RangeOverlapsControl, 0, Owner.Control, 0, 540 * MiB, 4 * MiB));

    [Fact]
    public void CreateSlice_RangeOverlapsRequest_names_the_earlier_range_and_the_interval() =>
        Reject(WithRanges(new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 1 * MiB), new MemoryRange(FreeBase + (4 * MiB) + (512 * KiB), 1 * MiB)),
            Rejected(SliceError.RangeOverlapsRequest, 2, Owner.None, 1, FreeBase + (4 * MiB) + (512 * KiB), 512 * KiB));

    [Fact]
    public void CreateSlice_RangeInUse_names_the_holder_and_the_interval() =>
        // [1G+8M-4K, +8K) overlaps slot 2's second range [1G+8M, +64K) in one granule.
        Reject(WithRanges(new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(Slot2Second - Granule, 2 * Granule)),
            Rejected(SliceError.RangeInUse, 1, holder: 2, conflictBase: Slot2Second, conflictSize: Granule));

    [Fact]
    public void CreateSlice_RangeInUse_covering_two_slices_names_the_lowest()
    {
        // [1G, 1G+16M) covers slot 1 and slot 2: the lowest interval (slot 1's) is reported.
        Reject(WithRanges(new MemoryRange(Slot1Base, 16 * MiB)),
            Rejected(SliceError.RangeInUse, 0, holder: 1, conflictBase: Slot1Base, conflictSize: 1 * MiB));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void CreateSlice_DeviceOutOfRange_is_rejected_and_changes_nothing(int device) =>
        Reject(Valid() with { Devices = new[] { 2, device } }, Rejected(SliceError.DeviceOutOfRange, device));

    [Fact]
    public void CreateSlice_DeviceDuplicated_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Devices = new[] { 2, 3, 2 } }, Rejected(SliceError.DeviceDuplicated, 2));

    [Fact]
    public void CreateSlice_DeviceInUse_is_rejected_and_names_the_holder() =>
        Reject(Valid() with { Devices = new[] { 2, 1 } }, Rejected(SliceError.DeviceInUse, 1, holder: 2));

    [Fact]
    public void CreateSlice_WaysEmpty_is_rejected_and_changes_nothing() =>
        Reject(Valid() with { Ways = 0 }, Rejected(SliceError.WaysEmpty, -1));

    [Theory]
    [InlineData(12)]
    [InlineData(63)]
    public void CreateSlice_WaysOutOfRange_names_the_lowest_way_beyond(int way) =>
        Reject(Valid() with { Ways = (1UL << 4) | (1UL << way) | (1UL << 63) }, Rejected(SliceError.WaysOutOfRange, way));

    [Fact]
    public void CreateSlice_WaysInUse_by_the_control_slice_is_rejected() =>
        Reject(Valid() with { Ways = (1UL << 4) | 0b10 }, Rejected(SliceError.WaysInUse, 1, Owner.Control));

    [Fact]
    public void CreateSlice_WaysInUse_by_another_slice_names_it() =>
        Reject(Valid() with { Ways = (1UL << 4) | (1UL << 3) }, Rejected(SliceError.WaysInUse, 3, holder: 2));

    [Theory]
    [InlineData(FreeBase + (1 * MiB))]     // the exclusive limit itself
    [InlineData(FreeBase - 1)]
    [InlineData(Slot1Base)]                // another slice's memory
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public void CreateSlice_EntryOutsideMemory_is_rejected_and_changes_nothing(ulong entry) =>
        Reject(Valid() with { EntryPoint = entry }, Rejected(SliceError.EntryOutsideMemory, -1));

    [Fact]
    public void CreateSlice_entry_in_the_second_range_is_accepted_positive_control()
    {
        using Rig rig = Make();
        SliceRequest r = WithRanges(new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), Granule)) with { EntryPoint = FreeBase + (4 * MiB) + Granule - 1 };
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(r).Error);
    }

    // ---- check order: a request failing two checks returns the earlier one ----

    [Fact]
    public void CheckOrder_TableFull_before_NoCores()
    {
        using var rig = Rig.Small();
        for (int i = 0; i < 3; i++)
        {
            rig.Create(cores: 1, bytes: 4 * KiB, devices: 0, ways: 1);
        }
        var request = Request([], [], [], 0);
        AssertRejectedAndUnchanged(rig, () => rig.Visor.CreateSlice(request), Rejected(SliceError.TableFull, -1));
    }

    [Fact]
    public void CheckOrder_NoCores_before_NoMemory_and_WaysEmpty() =>
        Reject(Request([], [], [], 0), Rejected(SliceError.NoCores, -1));

    [Fact]
    public void CheckOrder_shape_TooManyRanges_before_CoreOutOfRange() =>
        Reject(Valid() with { Cores = new[] { 99 }, Ranges = Enumerable.Repeat(new MemoryRange(FreeBase, Granule), 17).ToArray() },
            Rejected(SliceError.TooManyRanges, 17));

    [Fact]
    public void CheckOrder_CoreOutOfRange_before_RangeEmpty() =>
        Reject(Valid() with { Cores = new[] { -5 }, Ranges = new[] { new MemoryRange(FreeBase, 0) } }, Rejected(SliceError.CoreOutOfRange, -5));

    [Fact]
    public void CheckOrder_cores_in_request_order_InUse_then_Control() =>
        Reject(Valid() with { Cores = new[] { 2, 0 } }, Rejected(SliceError.CoreInUse, 2, holder: 1));

    [Fact]
    public void CheckOrder_CoreReservedForControl_before_CoreDuplicated() =>
        Reject(Valid() with { Cores = new[] { 0, 0 } }, Rejected(SliceError.CoreReservedForControl, 0, Owner.Control));

    [Fact]
    public void CheckOrder_RangeUnaligned_before_RangeWraps_in_one_range() =>
        Reject(WithRanges(new MemoryRange(ulong.MaxValue - 10, 100)), Rejected(SliceError.RangeUnaligned, 0));

    [Fact]
    public void CheckOrder_ranges_in_request_order_Empty_at_0_before_Wraps_at_1() =>
        Reject(WithRanges(new MemoryRange(FreeBase, 0), new MemoryRange(0xFFFF_FFFF_FFFF_F000UL, 0x2000)), Rejected(SliceError.RangeEmpty, 0));

    [Fact]
    public void CheckOrder_RangeOverlapsReserved_before_RangeOverlapsControl() =>
        // [0, 64M) overlaps firmware, slicevisor, slice-table and control: the first reserved region wins.
        Reject(WithRanges(new MemoryRange(0, 64 * MiB)), Rejected(SliceError.RangeOverlapsReserved, 0, Owner.Reserved, 0, 0, 1 * MiB));

    [Fact]
    public void CheckOrder_RangeOverlapsRequest_before_RangeInUse() =>
        Reject(WithRanges(new MemoryRange(Slot1Base - Granule, Granule), new MemoryRange(Slot1Base - Granule, 2 * Granule)),
            Rejected(SliceError.RangeOverlapsRequest, 1, Owner.None, 0, Slot1Base - Granule, Granule));

    [Fact]
    public void CheckOrder_RangeInUse_before_DeviceInUse() =>
        Reject(WithRanges(new MemoryRange(Slot1Base, Granule)) with { Devices = new[] { 0 } },
            Rejected(SliceError.RangeInUse, 0, holder: 1, conflictBase: Slot1Base, conflictSize: Granule));

    [Fact]
    public void CheckOrder_DeviceDuplicated_before_DeviceInUse_when_listed_first() =>
        Reject(Valid() with { Devices = new[] { 3, 3, 0 } }, Rejected(SliceError.DeviceDuplicated, 3));

    [Fact]
    public void CheckOrder_DeviceInUse_before_WaysEmpty() =>
        Reject(Valid() with { Devices = new[] { 0 }, Ways = 0 }, Rejected(SliceError.DeviceInUse, 0, holder: 1));

    [Fact]
    public void CheckOrder_WaysOutOfRange_before_WaysInUse() =>
        Reject(Valid() with { Ways = 0b1 | (1UL << 20) }, Rejected(SliceError.WaysOutOfRange, 20));

    [Fact]
    public void CheckOrder_WaysInUse_before_EntryOutsideMemory() =>
        Reject(Valid() with { Ways = 1UL << 2, EntryPoint = 0 }, Rejected(SliceError.WaysInUse, 2, holder: 1));
}
