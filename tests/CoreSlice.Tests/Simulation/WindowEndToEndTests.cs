using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.SharedWindows;

namespace CoreSlice.Tests.Simulation;

/// <summary>
/// Intentional sharing end to end on the simulated machine: a slice with an RX code range, a
/// read-only data range, an RW window and an R window is created, loaded and started; its
/// guest uses each region exactly as its permission allows, the control slice and the guest
/// exchange bytes through the windows, another slice's guest and every device are kept out,
/// and destroy scrubs the windows so their next holder reads zeros. The audit and the
/// isolation oracle stay clean throughout; the oracle flags a second guest in the window.
/// </summary>
public sealed class WindowEndToEndTests
{
    private const ulong Code = 2 * GiB;
    private const ulong Data = (2 * GiB) + (4 * MiB);
    private const ulong OtherBase = 3 * GiB;
    private const int ControlCore = 0;
    private const int GuestCore = 1;
    private const int OtherCore = 3;

    private static SliceRequest Shared() => new()
    {
        Cores = new[] { GuestCore, 2 },
        Ranges = new[] { new MemoryRange(Code, 1 * MiB), new MemoryRange(Data, 64 * KiB) },
        RangePermissions = new[] { RX, R },
        Windows = new[] { Window(WindowA, 8 * KiB, RW), Window(WindowB, 4 * KiB, R) },
        Devices = new[] { 0 },
        Ways = 1UL << 2,
        EntryPoint = Code + 0x100,
    };

    private static byte[] Load(Rig rig, int core, ulong address, int length, AccessOutcome expected = AccessOutcome.Allowed)
    {
        byte[] bytes = new byte[length];
        Assert.Equal(expected, rig.Machine.GuestLoad(core, address, bytes));
        return bytes;
    }

    private static void Clean(Rig rig, IsolationOracle oracle, int core, ulong address, ulong length, Permissions kind)
    {
        OracleVerdict v = oracle.JudgeCoreAccess(core, address, length, kind);
        Assert.True(v.IsClean, v.Detail);
        Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
    }

    [Fact]
    public void A_guest_uses_its_regions_and_windows_exactly_as_permitted_and_destroy_scrubs_the_windows()
    {
        using Rig rig = Rig.Default();
        var oracle = new IsolationOracle(rig.Table, rig.Machine);
        var audit = new InvariantAudit(rig.Visor, rig.Machine);
        int slot = rig.Create(Shared());
        Assert.True(rig.Visor.LoadImage(slot, Code, [0x13, 0x00, 0x00, 0x00]).Ok);
        Assert.True(rig.Visor.LoadImage(slot, Data, [1, 2, 3, 4]).Ok);     // the slicevisor writes a read-only range
        Assert.Equal(SliceError.ImageOutsideMemory, rig.Visor.LoadImage(slot, WindowA, [9]).Error); // never into a window
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        Assert.Empty(audit.CheckAll());

        // Registers: the private ranges with their permissions, then the windows with theirs.
        Assert.Equal(new RangeRegister(Code, 1 * MiB, RX), rig.Machine.RangeRegisterOf(GuestCore, 0));
        Assert.Equal(new RangeRegister(Data, 64 * KiB, R), rig.Machine.RangeRegisterOf(GuestCore, 1));
        Assert.Equal(new RangeRegister(WindowA, 8 * KiB, RW), rig.Machine.RangeRegisterOf(GuestCore, 2));
        Assert.Equal(new RangeRegister(WindowB, 4 * KiB, R), rig.Machine.RangeRegisterOf(GuestCore, 3));
        Assert.Equal(RangeRegister.Disabled, rig.Machine.RangeRegisterOf(GuestCore, 4));
        for (int i = 0; i < rig.Config.RangeRegistersPerCore; i++)
        {
            Assert.Equal(Sliceloader.RegisterFor(rig.Entry(slot), i), rig.Machine.RangeRegisterOf(GuestCore, i));
        }

        // Private ranges: code runs but is not writable; data is read-only.
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestFetch(GuestCore, Code + 0x100));
        Clean(rig, oracle, GuestCore, Code + 0x100, 1, Permissions.Execute);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(GuestCore, Code, [0xFF]));
        Assert.Equal([1, 2, 3, 4], Load(rig, GuestCore, Data, 4));
        Clean(rig, oracle, GuestCore, Data, 4, Permissions.Read);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(GuestCore, Data, [0xFF]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(GuestCore, Data));

        // The RW window: the guest writes, the control slice reads it back; nothing there executes.
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(GuestCore, WindowA + 0x10, [0xAB, 0xCD]));
        Clean(rig, oracle, GuestCore, WindowA + 0x10, 2, Permissions.Write);
        Assert.Equal([0xAB, 0xCD], Load(rig, ControlCore, WindowA + 0x10, 2));
        Clean(rig, oracle, ControlCore, WindowA + 0x10, 2, Permissions.Read);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(GuestCore, WindowA));

        // The R window: the control slice writes, the guest reads; the guest cannot write or execute.
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(ControlCore, WindowB, [0x5A, 0xA5, 0x5A]));
        Clean(rig, oracle, ControlCore, WindowB, 3, Permissions.Write);
        Assert.Equal([0x5A, 0xA5, 0x5A], Load(rig, GuestCore, WindowB, 3));
        Clean(rig, oracle, GuestCore, WindowB, 3, Permissions.Read);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(GuestCore, WindowB, [0]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(GuestCore, WindowB));
        // Past the window's end, still control memory: not lent.
        _ = Load(rig, GuestCore, WindowB + (4 * KiB), 1, AccessOutcome.NoRangeRegister);

        // Another slice's guest, and every device (the slice's own included), cannot reach a window.
        int other = rig.Create(new SliceRequest { Cores = new[] { OtherCore }, Ranges = new[] { new MemoryRange(OtherBase, 64 * KiB) }, Devices = new[] { 1 }, Ways = 1UL << 3, EntryPoint = OtherBase });
        Assert.True(rig.Visor.StartSlice(other).Ok);
        _ = Load(rig, OtherCore, WindowA, 1, AccessOutcome.NoRangeRegister);
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(OtherCore, WindowA, [1]));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaRead(0, WindowA, new byte[1]));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, rig.Machine.DeviceDmaWrite(1, WindowA, [1]));
        Assert.Empty(audit.CheckAll());

        // Destroy scrubs the private ranges and then the windows: what the control slice and the
        // guest left there is gone, and the window's next holder reads zeros.
        Assert.True(rig.Visor.DestroySlice(slot).Ok);
        Assert.Equal(MemoryWriter.Nobody, rig.Machine.Memory.LastWriter(WindowA));
        Assert.Equal(MemoryWriter.Nobody, rig.Machine.Memory.LastWriter(WindowB));
        Assert.Equal(Owner.Free, rig.Table.WindowHolder(WindowA));
        Assert.Empty(audit.CheckAll());
        int next = rig.Create(new SliceRequest { Cores = new[] { GuestCore }, Ranges = new[] { new MemoryRange(Code, 64 * KiB) }, Windows = new[] { Window(WindowA, 8 * KiB, R), Window(WindowB, 4 * KiB, R) }, Ways = 1UL << 2, EntryPoint = Code });
        Assert.True(rig.Visor.StartSlice(next).Ok);
        Assert.Equal(new byte[2], Load(rig, GuestCore, WindowA + 0x10, 2));
        Assert.Equal(new byte[3], Load(rig, GuestCore, WindowB, 3));
        Clean(rig, oracle, GuestCore, WindowA, 8 * KiB, Permissions.Read);
    }

    [Fact]
    public void The_oracle_flags_a_second_guest_touching_a_window_and_a_write_the_entry_does_not_grant()
    {
        using Rig rig = Rig.Default();
        var oracle = new IsolationOracle(rig.Table, rig.Machine);
        int slot = rig.Create(Shared());
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        int other = rig.Create(new SliceRequest { Cores = new[] { OtherCore }, Ranges = new[] { new MemoryRange(OtherBase, 64 * KiB) }, Ways = 1UL << 3, EntryPoint = OtherBase });
        Assert.True(rig.Visor.StartSlice(other).Ok);
        Assert.True(oracle.JudgeCoreAccess(GuestCore, WindowA, 8, Permissions.Read).IsClean);
        Assert.True(oracle.JudgeCoreAccess(GuestCore, WindowA, 8, Permissions.Write).IsClean);
        // As if the hardware had let them: judged against the table, these cross a boundary.
        Assert.True(oracle.JudgeCoreAccess(OtherCore, WindowA, 8, Permissions.Read).IsolationViolated);
        Assert.True(oracle.JudgeCoreAccess(GuestCore, WindowB, 1, Permissions.Write).IsolationViolated);
        Assert.True(oracle.JudgeCoreAccess(GuestCore, WindowA, 1, Permissions.Execute).IsolationViolated);
        Assert.True(oracle.JudgeCoreAccess(GuestCore, Data, 1, Permissions.Write).IsolationViolated);
        Assert.True(oracle.JudgeDma(0, WindowA, 8, write: false).IsolationViolated);
        // A window's bytes written by its guest are residue to any other slice, not to the control slice.
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestStore(GuestCore, WindowA, [7]));
        Assert.True(oracle.JudgeCoreAccess(ControlCore, WindowA, 1, Permissions.Read).IsClean);
        Assert.True(oracle.JudgeCoreAccess(OtherCore, WindowA, 1, Permissions.Read).ResidueRead);
    }

    [Fact]
    public void A_write_to_a_read_only_private_range_faults_and_an_entry_in_a_non_executable_range_is_refused()
    {
        using Rig rig = Rig.Default();
        int slot = rig.Create(Shared());
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        int pagesBefore = rig.Machine.Memory.PresentPages;
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(GuestCore, Data + 8, [1, 2, 3]));
        Assert.Equal(pagesBefore, rig.Machine.Memory.PresentPages);
        SliceRequest entryInData = Shared() with { Cores = new[] { OtherCore }, Ranges = new[] { new MemoryRange(OtherBase, 64 * KiB) }, RangePermissions = new[] { RW }, Windows = ReadOnlyMemory<SharedWindow>.Empty, Devices = new[] { 1 }, Ways = 1UL << 3, EntryPoint = OtherBase };
        Assert.Equal(SliceError.EntryNotExecutable, rig.Visor.CreateSlice(entryInData).Error);
    }

    [Fact]
    public void The_audit_names_a_guest_s_bytes_in_control_memory_outside_its_windows()
    {
        using Rig rig = Rig.Default();
        var audit = new InvariantAudit(rig.Visor, rig.Machine);
        int slot = rig.Create(Shared());
        Assert.True(rig.Visor.StartSlice(slot).Ok);
        Assert.Empty(audit.CheckAll());
        // A guest's bytes in another party's control memory are residue; in its own window they are not.
        rig.Machine.Memory.Write(WindowB + (8 * KiB), [1], slot);
        Assert.Contains(audit.I5_NoResidue(), v => v.Message.Contains("written by slot", StringComparison.Ordinal));
    }
}
