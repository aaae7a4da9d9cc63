using System.Security.Cryptography;
using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// Hostile permission and window lists: lengths far beyond the machine are refused on their
/// length alone (their items never copied, so never logged), and the caller rewriting its
/// arrays after or during the call changes nothing the slicevisor decided.
/// </summary>
public sealed class WindowHostileRequestTests
{
    private const int Huge = 1 << 20;

    private static byte[] LastArguments(Rig rig) =>
        rig.Visor.Log.Entry(rig.Visor.Log.Count - 1)[DecisionLogLayout.Arguments..(DecisionLogLayout.Arguments + DecisionLogLayout.ArgumentsSize)].ToArray();

    /// <summary>The argument bytes of <see cref="Valid"/> with <paramref name="windows"/> windows given and none of them copied.</summary>
    private static byte[] ExpectedArguments(int windows, int permissions)
    {
        var b = new List<byte>();
        void I32(int v) => b.AddRange(BitConverter.GetBytes(v));
        void U64(ulong v) => b.AddRange(BitConverter.GetBytes(v));
        SliceRequest v = Valid();
        I32(2); I32(4); I32(5);
        I32(1); U64(FreeBase); U64(1 * MiB);
        I32(permissions);
        I32(windows);
        I32(1); I32(2);
        I32(0); // no DMA ranges
        U64(v.Ways); U64(v.EntryPoint);
        return SHA256.HashData([.. b]);
    }

    [Fact]
    public void A_2pow20_window_list_is_TooManyRanges_on_its_length_and_its_items_are_never_copied()
    {
        using Rig rig = Make();
        // Two lists of the same length with different items: the same refusal and the same logged
        // bytes, which carry only the length (the log records the slicevisor's copy).
        SharedWindow[] zeros = new SharedWindow[Huge];
        SharedWindow[] junk = Enumerable.Repeat(Window(ulong.MaxValue - 5, 77, (Permissions)0xFF), Huge).ToArray();
        RejectedLogged(rig, () => rig.Visor.CreateSlice(Valid() with { Windows = zeros }), Rejected(SliceError.TooManyRanges, Huge + 1));
        byte[] first = LastArguments(rig);
        RejectedLogged(rig, () => rig.Visor.CreateSlice(Valid() with { Windows = junk }), Rejected(SliceError.TooManyRanges, Huge + 1));
        Assert.Equal(first, LastArguments(rig));
        Assert.Equal(ExpectedArguments(Huge, 0), first);
    }

    [Fact]
    public void A_2pow20_permission_list_is_PermissionsCountMismatch_and_its_items_are_never_copied()
    {
        using Rig rig = Make();
        Permissions[] junk = Enumerable.Repeat((Permissions)0xFF, Huge).ToArray();
        RejectedLogged(rig, () => rig.Visor.CreateSlice(Valid() with { RangePermissions = junk }), Rejected(SliceError.PermissionsCountMismatch, Huge));
        Assert.Equal(ExpectedArguments(0, Huge), LastArguments(rig));
    }

    [Fact]
    public void The_register_sum_of_two_maximal_lengths_does_not_overflow()
    {
        // Real lists cannot reach int.MaxValue each; the sum is formed in 64 bits, so a length
        // near the top of int still gives TooManyRanges with the sum as its subject.
        using Rig rig = Make();
        SharedWindow[] windows = new SharedWindow[Huge];
        SliceResult r = rig.Visor.CreateSlice(Valid() with { Ranges = new MemoryRange[Huge], Windows = windows });
        Assert.Equal(SliceError.TooManyRanges, r.Error);
        Assert.Equal(2 * Huge, r.Subject);
    }

    [Fact]
    public void Rewriting_the_permission_and_window_arrays_after_the_call_changes_nothing()
    {
        using Rig rig = Make();
        Permissions[] permissions = [RX];
        SharedWindow[] windows = [Window(WindowA, 8 * KiB, R), Window(WindowB, 4 * KiB, RW)];
        int slot = rig.Create(Valid() with { RangePermissions = permissions, Windows = windows });
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        StateSnapshot before = StateSnapshot.Take(rig);
        permissions[0] = Permissions.None;
        windows[0] = Window(Slot1Base, 1 * MiB, RWX);
        windows[1] = default;
        before.AssertSameAs(StateSnapshot.Take(rig));
        Assert.Equal([RX], rig.Entry(slot).RangePermissions.ToArray());
        Assert.Equal(Window(WindowA, 8 * KiB, R), rig.Entry(slot).Windows[0]);
        Assert.Equal(new RangeRegister(WindowA, 8 * KiB, R), rig.Machine.RangeRegisterOf(rig.FirstCore(slot), 1));
    }

    [Fact]
    public void Rewriting_the_permission_and_window_arrays_from_another_thread_never_gets_a_bad_window_accepted()
    {
        using Rig rig = Make();
        Permissions[] permissions = [RX];
        SharedWindow[] windows = [Window(WindowA, 8 * KiB, R), Window(WindowB, 4 * KiB, RW)];
        SliceRequest request = Valid() with { RangePermissions = permissions, Windows = windows };
        RewriteRace.Run(rig, request,
            () =>
            {
                permissions[0] = Permissions.None;
                windows[0] = Window(Slot1Base, 1 * MiB, RWX);
                windows[1] = Window(WindowA, 8 * KiB, RW);
                permissions[0] = RX;
                windows[0] = Window(WindowA, 8 * KiB, R);
                windows[1] = Window(WindowB, 4 * KiB, RW);
            },
            (slot, e) =>
            {
                // Whatever mixture was read (a window is 24 bytes: a read may tear), it was checked whole.
                Assert.Equal([RX], e.RangePermissions.ToArray());
                Assert.Equal(2, e.Windows.Length);
                foreach (SharedWindow w in e.Windows)
                {
                    Assert.True(w.Permissions is R or RW, $"accepted {w}");
                    Assert.True(w.Range.Base >= ControlBase && w.Range.Limit <= ControlTop, $"accepted {w}");
                }
                Assert.False(e.Windows[0].Range.Overlaps(e.Windows[1].Range));
                Assert.True(rig.Visor.StartSlice(slot).Ok);
            });
    }
}
