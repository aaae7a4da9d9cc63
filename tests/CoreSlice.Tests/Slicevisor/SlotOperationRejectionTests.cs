using CoreSlice;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// SlotOutOfRange, WrongState and ImageOutsideMemory for LoadImage, StartSlice and
/// DestroySlice: exact result, state unchanged bit for bit. Slot 1 is Running, slot 2
/// Created (ranges [1G+2M,+1M) and [1G+8M,+64K)), slot 3 Free.
/// </summary>
public sealed class SlotOperationRejectionTests
{
    public static TheoryData<int> BadSlots => new() { 0, -1, 65, 1000, int.MaxValue, int.MinValue };

    [Theory]
    [MemberData(nameof(BadSlots))]
    public void LoadImage_SlotOutOfRange_is_rejected_and_changes_nothing(int slot)
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(slot, Slot2Base, [1, 2, 3]),
            Rejected(SliceError.SlotOutOfRange, slot, slot: slot));
    }

    [Theory]
    [MemberData(nameof(BadSlots))]
    public void StartSlice_SlotOutOfRange_is_rejected_and_changes_nothing(int slot)
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.StartSlice(slot), Rejected(SliceError.SlotOutOfRange, slot, slot: slot));
    }

    [Theory]
    [MemberData(nameof(BadSlots))]
    public void DestroySlice_SlotOutOfRange_is_rejected_and_changes_nothing(int slot)
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.DestroySlice(slot), Rejected(SliceError.SlotOutOfRange, slot, slot: slot));
    }

    [Fact]
    public void LoadImage_WrongState_Running_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(1, Slot1Base, [1]),
            Rejected(SliceError.WrongState, (int)SliceState.Running, slot: 1));
    }

    [Fact]
    public void LoadImage_WrongState_Free_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(3, FreeBase, [1]),
            Rejected(SliceError.WrongState, (int)SliceState.Free, slot: 3));
    }

    [Fact]
    public void LoadImage_WrongState_Destroying_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        rig.Machine.FailNextResets(3);
        Assert.Equal(SliceError.CoreResetFault, rig.Visor.DestroySlice(2).Error);
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(2, Slot2Base, [1]),
            Rejected(SliceError.WrongState, (int)SliceState.Destroying, slot: 2));
    }

    [Fact]
    public void StartSlice_WrongState_Running_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.StartSlice(1), Rejected(SliceError.WrongState, (int)SliceState.Running, slot: 1));
    }

    [Fact]
    public void StartSlice_WrongState_Free_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.StartSlice(3), Rejected(SliceError.WrongState, (int)SliceState.Free, slot: 3));
    }

    [Fact]
    public void StartSlice_WrongState_Destroying_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        rig.Machine.FailNextIommuChanges(1);
        Assert.Equal(SliceError.IommuFault, rig.Visor.StartSlice(2).Error);
        AssertRejectedAndUnchanged(rig, () => rig.Visor.StartSlice(2), Rejected(SliceError.WrongState, (int)SliceState.Destroying, slot: 2));
    }

    [Fact]
    public void DestroySlice_WrongState_Free_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.DestroySlice(3), Rejected(SliceError.WrongState, (int)SliceState.Free, slot: 3));
    }

    public static TheoryData<ulong, int> OutsideLoads => new()
    {
        { Slot2Base - 1, 2 },                              // starts before the range
        { Slot2Base + (1 * MiB) - 2, 3 },                  // runs one byte past the limit
        { Slot2Base + (1 * MiB), 1 },                      // starts at the limit
        { Slot2Second + (64 * KiB) - 1, 2 },
        { Slot1Base, 4 },                                  // another slice's memory
        { FreeBase, 4 },                                   // free RAM
        { 32 * MiB, 4 },                                   // control memory
        { 1 * MiB, 4 },                                    // the slicevisor itself
        { 8 * GiB, 4 },                                    // beyond RAM
        { ulong.MaxValue - 1, 4 },                         // address + length wraps past 2^64
        { ulong.MaxValue, 1 },
    };

    [Theory]
    [MemberData(nameof(OutsideLoads))]
    public void LoadImage_ImageOutsideMemory_is_rejected_and_changes_nothing(ulong address, int length)
    {
        using Rig rig = Make();
        byte[] bytes = Enumerable.Repeat((byte)0xAB, length).ToArray();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(2, address, bytes), Rejected(SliceError.ImageOutsideMemory, -1, slot: 2));
    }

    [Fact]
    public void LoadImage_huge_length_that_wraps_address_space_is_rejected_and_changes_nothing()
    {
        using Rig rig = Make();
        byte[] bytes = new byte[4 * MiB]; // larger than either range; near 2^64 it wraps
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(2, Slot2Base, bytes), Rejected(SliceError.ImageOutsideMemory, -1, slot: 2));
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(2, ulong.MaxValue - (1 * MiB), bytes), Rejected(SliceError.ImageOutsideMemory, -1, slot: 2));
    }

    [Fact]
    public void LoadImage_spanning_two_ranges_of_the_slice_is_rejected_even_when_they_touch()
    {
        using var rig = Rig.Default();
        int slot = rig.Create(Request([4], [new MemoryRange(FreeBase, Granule), new MemoryRange(FreeBase + Granule, Granule)], [], 1UL << 4));
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(slot, FreeBase + Granule - 2, [1, 2, 3, 4]),
            Rejected(SliceError.ImageOutsideMemory, -1, slot: slot));
    }

    [Fact]
    public void LoadImage_exactly_filling_a_range_succeeds_and_extends_the_measurement_positive_control()
    {
        using Rig rig = Make();
        byte[] image = Enumerable.Range(0, 64 * 1024).Select(i => (byte)i).ToArray();
        byte[] before = rig.Entry(2).Measurement.ToArray();
        Assert.Equal(SliceError.None, rig.Visor.LoadImage(2, Slot2Second, image).Error);
        byte[] back = new byte[image.Length];
        rig.Machine.Memory.Read(Slot2Second, back);
        Assert.Equal(image, back);
        Assert.Equal(2, rig.Machine.Memory.LastWriter(Slot2Second));
        Assert.NotEqual(before, rig.Entry(2).Measurement.ToArray());
    }

    [Fact]
    public void LoadImage_measurement_is_the_SHA384_chain_over_address_length_and_bytes()
    {
        using var rig = Rig.Default();
        int slot = rig.Create(Request([4], [new MemoryRange(FreeBase, 1 * MiB)], [], 1UL << 4));
        byte[] a = [1, 2, 3], b = [4, 5];
        Assert.True(rig.Visor.LoadImage(slot, FreeBase + 8, a).Ok);
        Assert.True(rig.Visor.LoadImage(slot, FreeBase + 100, b).Ok);
        byte[] m = Chain(Chain(new byte[48], FreeBase + 8, a), FreeBase + 100, b);
        Assert.Equal(m, rig.Entry(slot).Measurement.ToArray());
    }

    private static byte[] Chain(byte[] m, ulong address, byte[] bytes)
    {
        byte[] header = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header, address);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), (ulong)bytes.Length);
        return System.Security.Cryptography.SHA384.HashData([.. m, .. header, .. bytes]);
    }

    [Fact]
    public void CheckOrder_SlotOutOfRange_before_WrongState_and_ImageOutsideMemory()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(0, ulong.MaxValue, [1]), Rejected(SliceError.SlotOutOfRange, 0, slot: 0));
    }

    [Fact]
    public void CheckOrder_WrongState_before_ImageOutsideMemory()
    {
        using Rig rig = Make();
        AssertRejectedAndUnchanged(rig, () => rig.Visor.LoadImage(1, ulong.MaxValue, [1]),
            Rejected(SliceError.WrongState, (int)SliceState.Running, slot: 1));
    }
}
