using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>The slicevisor and sliceloader on the PMP port: programming, locks, reset, IPIs, the entry budget.</summary>
public sealed class PmpSlicevisorTests
{
    [Fact]
    public void StartSlice_writes_the_encoded_entries_all_locked_and_the_guest_is_held_to_them()
    {
        using PmpRig rig = PolarFire();
        SliceResult created = rig.Visor.CreateSlice(Request([2, 3], [new MemoryRange(0x9000_0000, 256 * MiB)], 1UL << 4));
        Assert.True(created.Ok, created.ToString());
        Assert.True(rig.Visor.StartSlice(created.Slot).Ok);
        ResourceSet harts = default;
        harts.Add(2);
        harts.Add(3);
        var want = new PmpEntry[16];
        Assert.Equal(3, PmpEncoder.Encode(rig.Machine.Geometry, [new MemoryRange(0x9000_0000, 256 * MiB)], Permissions.ReadWriteExecute, harts, want));
        foreach (int core in new[] { 2, 3 })
        {
            Assert.Equal(CoreMode.Guest, rig.Machine.Inner.Mode(core));
            Assert.Equal(want, rig.Machine.EntriesOf(core).ToArray());
            Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestFetch(core, 0x9000_0000));
            Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(core, 0x9000_0000 - 1));
            Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestFetch(core, 0x8200_0000)); // control memory
            Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestStore(core, 0x8020_0000, [1])); // slicevisor
        }
        // IPIs: within the slice delivered, to hart 1 or 0 refused by PMP.
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestSendIpi(2, 3));
        Assert.Equal(1, rig.Machine.IpisReceived(3));
        Assert.Equal(AccessOutcome.NotInIpiMask, rig.Machine.GuestSendIpi(2, 1));
        Assert.Equal(AccessOutcome.NotInIpiMask, rig.Machine.GuestSendIpi(3, 0));
        Assert.Equal(0, rig.Machine.IpisReceived(1));
    }

    [Fact]
    public void The_M_mode_guest_cannot_rewrite_a_locked_entry_nor_the_bottom_of_a_locked_TOR_entry()
    {
        using PmpRig rig = PolarFire();
        SliceResult created = rig.Visor.CreateSlice(Request([1], [new MemoryRange(0x10_0000_0000, 48 * MiB)], 1UL << 4));
        Assert.True(rig.Visor.StartSlice(created.Slot).Ok);
        PmpEntry[] before = rig.Machine.EntriesOf(1).ToArray();
        Assert.Equal(PmpCfg.Tor, before[1].Mode);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(AccessOutcome.FilterLocked, rig.Machine.GuestWritePmpEntry(1, i, new PmpEntry(PmpCfg.Napot | PmpCfg.Rwx, PmpCfg.AddressMask)));
        }
        Assert.Equal(before, rig.Machine.EntriesOf(1).ToArray());
        Assert.Equal(16, rig.Machine.RefusedPmpWrites(1));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(1, 0x8200_0000, new byte[1]));
    }

    [Fact]
    public void Only_the_secure_reset_of_DestroySlice_clears_the_locks()
    {
        using PmpRig rig = PolarFire();
        SliceResult created = rig.Visor.CreateSlice(Request([4], [new MemoryRange(0x9000_0000, 16 * MiB)], 1UL << 5));
        Assert.True(rig.Visor.StartSlice(created.Slot).Ok);
        Assert.True(rig.Machine.EntriesOf(4)[0].Locked);
        Assert.True(rig.Visor.DestroySlice(created.Slot).Ok);
        Assert.All(rig.Machine.EntriesOf(4).ToArray(), e => Assert.Equal(PmpEntry.Off, e));
        Assert.Equal(CoreMode.Idle, rig.Machine.Inner.Mode(4));
        Assert.Equal(AccessOutcome.CoreNotRunning, rig.Machine.GuestLoad(4, 0x9000_0000, new byte[1]));
    }

    [Fact]
    public void CreateSlice_refuses_a_slice_whose_entries_do_not_fit_before_anything_is_programmed()
    {
        using PmpRig rig = PolarFire();
        var ranges = new MemoryRange[7];
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = new MemoryRange(0x8400_1000 + ((ulong)i * MiB), 12 * KiB);
        }
        SliceResult r = rig.Visor.CreateSlice(Request([1, 3], ranges, 1UL << 2));
        Assert.Equal(SliceError.PmpEntriesExceeded, r.Error);
        Assert.Equal(17, r.Subject);
        Assert.Equal(Owner.Free, rig.Visor.Table.CoreOwner(1));
        Assert.All(rig.Machine.EntriesOf(1).ToArray(), e => Assert.Equal(PmpEntry.Off, e));
        // Positive control: one range fewer fits (15 + deny-all = 16), and the same machine accepts it.
        SliceResult ok = rig.Visor.CreateSlice(Request([1, 3], ranges[..6], 1UL << 2));
        Assert.True(ok.Ok, ok.ToString());
        Assert.True(rig.Visor.StartSlice(ok.Slot).Ok);
        Assert.Equal(PmpCfg.DenyAll, rig.Machine.EntriesOf(3)[15]);
    }

    [Fact]
    public void A_slice_whose_entries_fill_the_hart_exactly_is_accepted_and_one_more_region_is_not()
    {
        using PmpRig rig = PolarFire();
        // six TOR ranges (bottom + top each), one NAPOT range, two NA4 msip words (harts 1 and 3), the deny-all
        var ranges = new MemoryRange[8];
        for (int i = 0; i < 6; i++)
        {
            ranges[i] = new MemoryRange(0x8400_1000 + ((ulong)i * MiB), 12 * KiB);
        }
        ranges[6] = new MemoryRange(0x9000_0000, MiB);
        ranges[7] = new MemoryRange(0x9800_0000, MiB);
        ResourceSet harts = default;
        harts.Add(1);
        harts.Add(3);
        Assert.Equal(16, PmpEncoder.Cost(rig.Machine.Geometry, ranges.AsSpan(0, 7), harts));

        SliceResult over = rig.Visor.CreateSlice(Request([1, 3], ranges, 1UL << 2));
        Assert.Equal(SliceError.PmpEntriesExceeded, over.Error);
        Assert.Equal(17, over.Subject);

        SliceResult exact = rig.Visor.CreateSlice(Request([1, 3], ranges[..7], 1UL << 2));
        Assert.True(exact.Ok, exact.ToString());
        Assert.True(rig.Visor.StartSlice(exact.Slot).Ok);
        PmpEntry[] written = rig.Machine.EntriesOf(3).ToArray();
        Assert.DoesNotContain(PmpCfg.LockedOff, written[..15]);
        Assert.Equal(PmpCfg.DenyAll, written[15]);
    }

    [Fact]
    public void The_control_hart_powers_on_fenced_to_the_control_memory_and_its_own_msip_word()
    {
        using PmpRig rig = PolarFire();
        Assert.Equal(AccessOutcome.Allowed, rig.Machine.GuestLoad(0, 0x8200_0000, new byte[8]));
        Assert.Equal(AccessOutcome.NoRangeRegister, rig.Machine.GuestLoad(0, 0x9000_0000, new byte[8]));
        Assert.Equal(AccessOutcome.NotInIpiMask, rig.Machine.GuestSendIpi(0, 1));
    }

    [Fact]
    public void A_machine_whose_geometry_cannot_fence_msip_words_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PmpMachine(Board(), new PmpGeometry(16, 2, Clint, 5)));
        Assert.Throws<ArgumentException>(() => new PmpMachine(Board(), new PmpGeometry(16, 0, Clint + 2, 5)));
        Assert.Throws<ArgumentException>(() => new PmpMachine(Board(), new PmpGeometry(16, 0, Clint, 4)));
    }

    [Fact]
    public void The_example_descriptions_load()
    {
        string root = FindRoot();
        (MachineConfig pf, PmpGeometry g) = PmpMachineDescription.Load(Path.Combine(root, "examples/machines/polarfire-soc.json"));
        Assert.Equal(5, pf.CoreCount);
        Assert.Equal(new PmpGeometry(16, 0, Clint, 5), g);
        (MachineConfig virt, PmpGeometry gv) = PmpMachineDescription.Load(Path.Combine(root, "examples/machines/qemu-virt.json"));
        Assert.Equal(4, virt.CoreCount);
        Assert.Equal(16, gv.Entries);
        Assert.Throws<DescriptionException>(() => PmpMachineDescription.Parse("{ \"cores\": 2, \"pmp\": { \"entries\": 16, \"granularity\": 0, \"clint\": 0, \"extra\": 1 } }"));
    }

    internal static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CoreSlice.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
