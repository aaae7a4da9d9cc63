using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Manager;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Manager;

/// <summary>
/// Each hostile DMA mode of the manager (<see cref="HostileDmaRequests"/>), applied to a valid plan
/// that already lists a buffer per device, is refused by the slicevisor with the code it aims at,
/// naming the bad row, and changes nothing but the log. On <see cref="Populated.Make"/>'s state,
/// so there is another slice to steal from; several seeds, since the modes draw at random.
/// </summary>
public sealed class HostileDmaRequestTests
{
    /// <summary>The code each mode aims at.</summary>
    private static readonly Dictionary<DmaPerturbation, SliceError> Aim = new()
    {
        [DmaPerturbation.DeviceNotInRequest] = SliceError.DmaDeviceNotInRequest,
        [DmaPerturbation.EmptyRow] = SliceError.DmaRangeEmpty,
        [DmaPerturbation.UnalignedRow] = SliceError.DmaRangeUnaligned,
        [DmaPerturbation.WrappingRow] = SliceError.DmaRangeWraps,
        [DmaPerturbation.ExecuteRow] = SliceError.DmaPermissionsInvalid,
        [DmaPerturbation.RowOutsideSlice] = SliceError.DmaRangeOutsideSlice,
        [DmaPerturbation.RowOverAnotherSlice] = SliceError.DmaRangeOutsideSlice,
        [DmaPerturbation.WriteOnReadOnlyRange] = SliceError.DmaPermissionsExceedRange,
        [DmaPerturbation.TooManyRows] = SliceError.TooManyDmaRanges,
    };

    public static TheoryData<DmaPerturbation> Modes() => new(HostileDmaRequests.All.Where(p => p != DmaPerturbation.None));

    private static SliceRequest ValidPlan(Rig rig) =>
        rig.Manager.Plan(new SliceShape(1, 256 * KiB, 2, 1, 16 * KiB)) ?? throw new InvalidOperationException("no plan");

    /// <summary>The slicevisor's answer the mode aims at: the bad row (appended, or first), its holder for 96, the count for 8.</summary>
    private static SliceResult Expected(SliceError error, SliceRequest valid, SliceRequest hostile) => error switch
    {
        SliceError.TooManyDmaRanges => Rejected(error, hostile.DmaRanges.Length),
        SliceError.DmaPermissionsExceedRange => Rejected(error, 0, Owner.None, 0, hostile.DmaRanges.Span[0].Range.Base, hostile.DmaRanges.Span[0].Range.Size),
        _ => Rejected(error, valid.DmaRanges.Length),
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Each_hostile_dma_mode_is_refused_with_its_code_and_changes_nothing(DmaPerturbation how)
    {
        Assert.True(Aim.TryGetValue(how, out SliceError error), $"{how} has no expected code here");
        for (int seed = 0; seed < 5; seed++)
        {
            using Rig rig = Make();
            SliceRequest valid = ValidPlan(rig);
            Assert.Equal(2, valid.DmaRanges.Length);
            SliceRequest hostile = HostileDmaRequests.Perturb(valid, how, rig.Config, rig.Table, new Random(seed));
            RejectedLogged(rig, () => rig.Visor.CreateSlice(hostile), Expected(error, valid, hostile));
        }
    }

    [Fact]
    public void None_leaves_the_plan_valid()
    {
        using Rig rig = Make();
        SliceRequest valid = ValidPlan(rig);
        Assert.Equal(valid, HostileDmaRequests.Perturb(valid, DmaPerturbation.None, rig.Config, rig.Table, new Random(1)));
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(valid).Error);
    }

    [Fact]
    public void With_no_other_slice_to_steal_from_the_request_stays_valid()
    {
        using Rig rig = Rig.Default();
        SliceRequest valid = ValidPlan(rig);
        SliceRequest hostile = HostileDmaRequests.Perturb(valid, DmaPerturbation.RowOverAnotherSlice, rig.Config, rig.Table, new Random(3));
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(hostile).Error);
    }

    [Fact]
    public void WriteOnReadOnlyRange_breaks_only_the_dma_the_range_stays_runnable()
    {
        // Without its write row the same request is accepted: the read-execute range still holds the entry.
        using Rig rig = Make();
        SliceRequest valid = ValidPlan(rig);
        SliceRequest hostile = HostileDmaRequests.Perturb(valid, DmaPerturbation.WriteOnReadOnlyRange, rig.Config, rig.Table, new Random(5));
        Assert.Equal([RX], hostile.RangePermissions.ToArray());
        DmaRange[] readOnly = [.. valid.DmaRanges.ToArray().Select(r => r with { Permissions = Permissions.Read })];
        Assert.Equal(SliceError.None, rig.Visor.CreateSlice(hostile with { DmaRanges = readOnly }).Error);
    }
}
