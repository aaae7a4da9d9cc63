using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.DmaRequests;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// A hostile manager's DMA lists: a 100,000-row list is refused on its length alone (its items
/// never copied, so the log holds only the length); rewriting the rows after the call, or from
/// another thread during it, never gets a row accepted or programmed that was not checked whole;
/// and the decision log's digest tells apart two requests differing in any byte of any row.
/// </summary>
public sealed class DmaHostileRequestTests
{
    private const int Huge = 100_000;

    private static byte[] LastArguments(Rig rig) =>
        rig.Visor.Log.Entry(rig.Visor.Log.Count - 1)[DecisionLogLayout.Arguments..(DecisionLogLayout.Arguments + DecisionLogLayout.ArgumentsSize)].ToArray();

    [Fact]
    public void A_100000_row_list_is_TooManyDmaRanges_on_its_length_and_its_items_are_never_copied()
    {
        using Rig rig = Make();
        // Same length, different items: the same refusal and the same logged bytes, which would
        // differ had any item been copied (the log digests the slicevisor's copy, not the caller's list).
        DmaRange[] zeros = new DmaRange[Huge];
        DmaRange[] junk = [.. Enumerable.Repeat(Row(int.MinValue, ulong.MaxValue - 5, 77, (Permissions)0xFF), Huge)];
        RejectedLogged(rig, () => rig.Visor.CreateSlice(Layout(zeros)), Rejected(SliceError.TooManyDmaRanges, Huge));
        byte[] first = LastArguments(rig);
        RejectedLogged(rig, () => rig.Visor.CreateSlice(Layout(junk)), Rejected(SliceError.TooManyDmaRanges, Huge));
        Assert.Equal(first, LastArguments(rig));
    }

    [Fact]
    public void Rewriting_the_rows_after_the_call_changes_nothing()
    {
        using Rig rig = Make();
        DmaRange[] rows = [GoodRow, Row(DeviceB, WindowB, ReadWindowSize, R)];
        int slot = rig.Create(Layout(rows));
        rows[0] = Row(DeviceA, Slot1Base, 1 * MiB);     // another slice's memory
        rows[1] = Row(DeviceB, WindowB, ReadWindowSize, RW);
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        StateSnapshot before = StateSnapshot.Take(rig);
        rows[0] = Row(0, 0, ulong.MaxValue, RW);
        before.AssertSameAs(StateSnapshot.Take(rig));
        Assert.Equal([GoodRow, Row(DeviceB, WindowB, ReadWindowSize, R)], rig.Entry(slot).DmaRanges.ToArray());
        Assert.Equal([new IommuMapping(GoodRow.Range, RW)], rig.Machine.IommuWindow(DeviceA).ToArray());
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaRead(DeviceA, Slot1Base, new byte[1]));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(DeviceB, WindowB, [1]));
    }

    /// <summary>A row is sound when it names a device of its slice and lies in one of its ranges or windows with no more than its permission.</summary>
    private static string? Unsound(SliceEntry e, DmaRange row)
    {
        if (!e.Devices.Contains(row.Device))
        {
            return $"{row} names a device not in the slice";
        }
        if (row.Permissions is not (R or Permissions.Write or RW))
        {
            return $"{row} has permissions {row.Permissions}";
        }
        for (int i = 0; i < e.Ranges.Length; i++)
        {
            if (e.Ranges[i].Covers(row.Range))
            {
                return (row.Permissions & ~e.RangePermissions[i]) == 0 ? null : $"{row} exceeds range {i}";
            }
        }
        foreach (SharedWindow w in e.Windows)
        {
            if (w.Range.Covers(row.Range))
            {
                return (row.Permissions & ~w.Permissions) == 0 ? null : $"{row} exceeds window {w}";
            }
        }
        return $"{row} lies outside the slice";
    }

    [Fact]
    public void Rewriting_the_rows_from_another_thread_never_gets_a_bad_row_accepted_or_programmed()
    {
        using Rig rig = Make();
        DmaRange[] good = [GoodRow, Row(DeviceB, Rx, Granule, R), Row(DeviceB, WindowB, ReadWindowSize, R)];
        DmaRange[] evil = [Row(0, Slot1Base, 1 * MiB), Row(DeviceB, Rx, Granule, RW), Row(DeviceB, WindowB, ReadWindowSize, RW)];
        DmaRange[] rows = (DmaRange[])good.Clone();
        SliceRequest request = Layout(rows);
        RewriteRace.Run(rig, request,
            () =>
            {
                for (int k = 0; k < rows.Length; k++)
                {
                    rows[k] = evil[k];
                }
                for (int k = 0; k < rows.Length; k++)
                {
                    rows[k] = good[k];
                }
            },
            (slot, e) =>
            {
                // Whatever mixture was read (a row is several words: a read may tear), it was checked whole.
                Assert.Equal(3, e.DmaRanges.Length);
                foreach (DmaRange row in e.DmaRanges)
                {
                    string? unsound = Unsound(e, row);
                    Assert.True(unsound is null, unsound);
                }
                Assert.True(rig.Visor.StartSlice(slot).Ok);
                // What is programmed is the checked copy, not the caller's array of the moment.
                foreach (int device in new[] { DeviceA, DeviceB })
                {
                    IommuMapping[] expected = [.. e.DmaRanges.ToArray().Where(r => r.Device == device).Select(r => new IommuMapping(r.Range, r.Permissions))];
                    Assert.Equal(expected, rig.Machine.IommuWindow(device).ToArray());
                }
            });
    }

    [Fact]
    public void The_logged_digest_differs_when_any_byte_of_any_row_differs()
    {
        // A row is logged as device i32 ‖ base u64 ‖ size u64 ‖ permission byte: flip one bit in
        // each of those 21 bytes, in each row, and every variant's logged arguments must be new.
        DmaRange[] rows = [GoodRow, Row(DeviceB, WindowB, ReadWindowSize, R)];
        var variants = new List<DmaRange[]> { rows };
        for (int k = 0; k < rows.Length; k++)
        {
            DmaRange row = rows[k];
            var changed = new List<DmaRange>();
            for (int b = 0; b < 4; b++)
            {
                changed.Add(row with { Device = row.Device ^ (1 << (8 * b)) });
            }
            for (int b = 0; b < 8; b++)
            {
                changed.Add(row with { Range = row.Range with { Base = row.Range.Base ^ (1UL << (8 * b)) } });
                changed.Add(row with { Range = row.Range with { Size = row.Range.Size ^ (1UL << (8 * b)) } });
            }
            changed.Add(row with { Permissions = row.Permissions ^ Permissions.Write });
            foreach (DmaRange c in changed)
            {
                DmaRange[] variant = (DmaRange[])rows.Clone();
                variant[k] = c;
                variants.Add(variant);
            }
        }
        variants.Add([rows[1], rows[0]]);   // the order is part of the request
        variants.Add([rows[0]]);

        using Rig rig = Make();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (DmaRange[] variant in variants)
        {
            rig.KeepLogRoom();
            SliceResult r = rig.Visor.CreateSlice(Layout(variant) with { Ways = 1UL << 2 }); // refused at the ways: nothing is created
            Assert.NotEqual(SliceError.None, r.Error);
            Assert.True(seen.Add(Convert.ToHexString(LastArguments(rig))), $"variant {string.Join(", ", variant)} logged the same arguments as an earlier one");
        }
    }
}
