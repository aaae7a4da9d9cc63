using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Log;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Support;

/// <summary>
/// Windows and permissions for tests on the default machine, whose control memory is
/// [32M, 544M): <see cref="ControlBase"/> and up are windows a guest may be lent.
/// <see cref="RejectedLogged"/> adds to "changes nothing" that the refusal is logged once.
/// </summary>
public static class SharedWindows
{
    public const ulong ControlBase = 32 * MiB;
    public const ulong ControlTop = 544 * MiB;
    public const ulong WindowA = 64 * MiB;
    public const ulong WindowB = 80 * MiB;

    public const Permissions R = Permissions.Read;
    public const Permissions RW = Permissions.Read | Permissions.Write;
    public const Permissions RX = Permissions.Read | Permissions.Execute;
    public const Permissions RWX = Permissions.ReadWriteExecute;

    public static SharedWindow Window(ulong @base, ulong size, Permissions permissions = RW) => new(new MemoryRange(@base, size), permissions);

    /// <summary>
    /// Runs <paramref name="call"/> on <paramref name="rig"/>: exactly <paramref name="expected"/>, table and
    /// hardware unchanged bit for bit, and the decision log one entry longer, that entry the refusal.
    /// </summary>
    public static void RejectedLogged(Rig rig, Func<SliceResult> call, SliceResult expected)
    {
        int logged = rig.Visor.Log.Count;
        Populated.AssertRejectedAndUnchanged(rig, call, expected);
        Assert.Equal(logged + 1, rig.Visor.Log.Count);
        ReadOnlySpan<byte> last = rig.Visor.Log.Entry(rig.Visor.Log.Count - 1);
        Assert.Equal((ushort)expected.Error, BitConverter.ToUInt16(last[DecisionLogLayout.Error..]));
        Assert.Equal(expected.Subject, BitConverter.ToInt32(last[DecisionLogLayout.Subject..]));
    }
}
