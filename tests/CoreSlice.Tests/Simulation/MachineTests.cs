using CoreSlice.Tests.Support;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Simulation;

public class MachineTests
{
    private static readonly MachineConfig Config = MachineDescription.Default;

    private static (SimulatedMachine Machine, SimulatedHardwarePort Port) Fresh()
    {
        var machine = new SimulatedMachine(Config);
        return (machine, machine.OpenPrivilegedPort());
    }

    [Fact]
    public void PowerOn_control_core_is_locked_to_control_memory_and_others_idle()
    {
        var (m, _) = Fresh();
        Assert.Equal(CoreMode.Control, m.Mode(0));
        Assert.True(m.IsLocked(0));
        Assert.Equal(new RangeRegister(32 * SimRig.MiB, 512 * SimRig.MiB, Permissions.ReadWriteExecute), m.RangeRegisterOf(0, 0));
        Assert.Equal(RangeRegister.Disabled, m.RangeRegisterOf(0, 1));
        Assert.True(m.IpiMaskOf(0).Contains(0));
        Assert.Equal(1, m.IpiMaskOf(0).Count);
        Assert.Equal(0b11UL, m.WayMaskOf(0));
        for (int c = 1; c < m.CoreCount; c++)
        {
            Assert.Equal(CoreMode.Idle, m.Mode(c));
            Assert.False(m.IsLocked(c));
            Assert.True(m.IpiMaskOf(c).IsEmpty);
        }
    }

    [Fact]
    public void OpenPrivilegedPort_works_once_only()
    {
        var m = new SimulatedMachine(Config);
        _ = m.OpenPrivilegedPort();
        Assert.Throws<InvalidOperationException>(() => m.OpenPrivilegedPort());
    }

    [Fact]
    public void Constructor_rejects_a_config_with_problems()
    {
        MachineConfig bad = MachineDescription.Default;
        var broken = new MachineConfig
        {
            CoreCount = bad.CoreCount, ControlCores = [99], RamRegions = bad.RamRegions, ReservedRegions = bad.ReservedRegions,
            ControlMemory = bad.ControlMemory, DeviceCount = bad.DeviceCount, CacheWays = bad.CacheWays, ControlWays = bad.ControlWays,
            RangeRegistersPerCore = bad.RangeRegistersPerCore, GranuleSize = bad.GranuleSize, SlotCapacity = bad.SlotCapacity,
        };
        Assert.Throws<ArgumentException>(() => new SimulatedMachine(broken));
    }

    [Fact]
    public void Write_after_lock_is_refused_and_counted_through_the_port()
    {
        var (m, port) = Fresh();
        Assert.True(port.SecureReset(3));
        var value = new RangeRegister(1 * SimRig.GiB, SimRig.MiB, Permissions.Read);
        Assert.True(port.WriteRangeRegister(3, 0, value));
        port.LockFilters(3);
        Assert.True(port.IsLocked(3));
        Assert.False(port.WriteRangeRegister(3, 0, new RangeRegister(0, 4 * SimRig.GiB, Permissions.ReadWriteExecute)));
        var everyone = new ResourceSet();
        everyone.Add(0);
        Assert.False(port.WriteIpiMask(3, everyone));
        Assert.False(port.WriteWayMask(3, 0xfff));
        Assert.Equal(3, m.RefusedLockedWrites(3));
        Assert.Equal(value, port.ReadRangeRegister(3, 0));
        port.ReadIpiMask(3, out ResourceSet ipi);
        Assert.True(ipi.IsEmpty);
        Assert.Equal(0UL, port.ReadWayMask(3));
    }

    [Fact]
    public void Guest_write_to_locked_filter_is_refused_and_counted()
    {
        var (m, port) = Fresh();
        BootGuest(port, 2, new MemoryRange(SimRig.GiB, SimRig.MiB));
        Assert.Equal(AccessOutcome.FilterLocked, m.GuestWriteRangeRegister(2, 1, new RangeRegister(0, SimRig.GiB, Permissions.ReadWriteExecute)));
        Assert.Equal(AccessOutcome.FilterLocked, m.GuestWriteWayMask(2, ulong.MaxValue));
        var mask = new ResourceSet();
        mask.Add(0);
        Assert.Equal(AccessOutcome.FilterLocked, m.GuestWriteIpiMask(2, mask));
        Assert.Equal(3, m.RefusedLockedWrites(2));
        Assert.Equal(RangeRegister.Disabled, m.RangeRegisterOf(2, 1));
        Assert.False(m.FilterAllows(2, 0, Permissions.Read));
    }

    [Fact]
    public void Control_core_filters_are_locked_against_the_manager()
    {
        var (m, _) = Fresh();
        Assert.Equal(AccessOutcome.FilterLocked, m.GuestWriteRangeRegister(0, 1, new RangeRegister(SimRig.GiB, SimRig.GiB, Permissions.ReadWriteExecute)));
        Assert.Equal(1, m.RefusedLockedWrites(0));
    }

    [Fact]
    public void Guest_write_to_unlocked_filter_is_applied()
    {
        // The hardware only protects locked registers: an unlocked guest is what I3 must catch.
        var (m, port) = Fresh();
        Assert.True(port.SecureReset(4));
        port.EnterGuest(4, 0);
        Assert.Equal(AccessOutcome.Allowed, m.GuestWriteRangeRegister(4, 0, new RangeRegister(0, SimRig.GiB, Permissions.Read)));
        Assert.True(m.FilterAllows(4, 5, Permissions.Read));
    }

    [Fact]
    public void SecureReset_clears_and_unlocks_and_starts_the_loader()
    {
        var (m, port) = Fresh();
        BootGuest(port, 5, new MemoryRange(SimRig.GiB, SimRig.MiB));
        Assert.True(port.SecureReset(5));
        Assert.False(m.IsLocked(5));
        Assert.Equal(CoreMode.Loader, m.Mode(5));
        Assert.Equal(RangeRegister.Disabled, m.RangeRegisterOf(5, 0));
        Assert.True(m.IpiMaskOf(5).IsEmpty);
        Assert.Equal(0UL, m.WayMaskOf(5));
        Assert.Equal(2, m.ResetCount(5));
        Assert.True(port.WriteWayMask(5, 0b100));
    }

    [Fact]
    public void Guests_cannot_reset_any_core()
    {
        var (m, port) = Fresh();
        BootGuest(port, 6, new MemoryRange(SimRig.GiB, SimRig.MiB));
        long before = m.ResetCount(6);
        Assert.Equal(AccessOutcome.NotPrivileged, m.GuestRequestReset(6, 6));
        Assert.Equal(AccessOutcome.NotPrivileged, m.GuestRequestReset(6, 7));
        Assert.Equal(AccessOutcome.NotPrivileged, m.GuestRequestReset(0, 6));
        Assert.Equal(before, m.ResetCount(6));
        Assert.Equal(0, m.ResetCount(7));
        Assert.True(m.IsLocked(6));
        Assert.Equal(2, m.RefusedResetRequests(6));
        Assert.Equal(1, m.RefusedResetRequests(0));
    }

    [Fact]
    public void Load_store_fetch_follow_the_range_registers()
    {
        var (m, port) = Fresh();
        Assert.True(port.SecureReset(1));
        Assert.True(port.WriteRangeRegister(1, 0, new RangeRegister(SimRig.GiB, 0x1000, Permissions.Read)));
        Assert.True(port.WriteRangeRegister(1, 3, new RangeRegister(SimRig.GiB + 0x1000, 0x1000, Permissions.Read | Permissions.Write)));
        Assert.True(port.WriteRangeRegister(1, 15, new RangeRegister(SimRig.GiB + 0x2000, 0x1000, Permissions.Execute)));
        port.LockFilters(1);
        port.EnterGuest(1, SimRig.GiB + 0x2000);
        Span<byte> buffer = stackalloc byte[8];
        Assert.Equal(AccessOutcome.Allowed, m.GuestLoad(1, SimRig.GiB, buffer));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestStore(1, SimRig.GiB, buffer));
        Assert.Equal(AccessOutcome.Allowed, m.GuestStore(1, SimRig.GiB + 0x1000, buffer));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestFetch(1, SimRig.GiB + 0x1000));
        Assert.Equal(AccessOutcome.Allowed, m.GuestFetch(1, SimRig.GiB + 0x2fff));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestFetch(1, SimRig.GiB + 0x3000));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestLoad(1, SimRig.GiB - 1, buffer[..1]));
        // An access straddling the end of a register is not covered by it.
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestLoad(1, SimRig.GiB + 0xffc, buffer));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestLoad(1, ulong.MaxValue, buffer));
        Assert.Equal(AccessOutcome.NoRangeRegister, m.GuestLoad(1, 32 * SimRig.MiB, buffer));
    }

    [Fact]
    public void Accesses_from_cores_not_running_software_are_blocked()
    {
        var (m, port) = Fresh();
        Span<byte> buffer = stackalloc byte[4];
        Assert.Equal(AccessOutcome.CoreNotRunning, m.GuestLoad(3, SimRig.GiB, buffer));
        Assert.True(port.SecureReset(3));
        Assert.True(port.WriteRangeRegister(3, 0, new RangeRegister(SimRig.GiB, SimRig.MiB, Permissions.ReadWriteExecute)));
        Assert.Equal(AccessOutcome.CoreNotRunning, m.GuestLoad(3, SimRig.GiB, buffer)); // Loader
        port.Halt(3);
        Assert.Equal(AccessOutcome.CoreNotRunning, m.GuestStore(3, SimRig.GiB, buffer));
        Assert.Equal(AccessOutcome.NoSuchCore, m.GuestLoad(-1, SimRig.GiB, buffer));
        Assert.Equal(AccessOutcome.NoSuchCore, m.GuestSendIpi(16, 0));
        Assert.False(m.FilterAllows(3, SimRig.GiB, Permissions.Read));
    }

    [Fact]
    public void Filter_allows_but_no_ram_is_a_bus_error()
    {
        var (m, port) = Fresh();
        Assert.True(port.SecureReset(2));
        Assert.True(port.WriteRangeRegister(2, 0, new RangeRegister(4 * SimRig.GiB, SimRig.MiB, Permissions.ReadWriteExecute)));
        port.EnterGuest(2, 4 * SimRig.GiB);
        Assert.Equal(AccessOutcome.NotRam, m.GuestStore(2, 4 * SimRig.GiB, [1]));
        Assert.Equal(0, m.Memory.PresentPages);
    }

    [Fact]
    public void Ipi_delivered_only_inside_the_mask()
    {
        var (m, port) = Fresh();
        var mask = new ResourceSet();
        mask.Add(2);
        mask.Add(3);
        Assert.True(port.SecureReset(2));
        Assert.True(port.WriteIpiMask(2, mask));
        port.LockFilters(2);
        port.EnterGuest(2, 0);
        Assert.Equal(AccessOutcome.Allowed, m.GuestSendIpi(2, 3));
        Assert.Equal(AccessOutcome.NotInIpiMask, m.GuestSendIpi(2, 4));
        Assert.Equal(AccessOutcome.NotInIpiMask, m.GuestSendIpi(2, 0));
        Assert.Equal(AccessOutcome.NoSuchCore, m.GuestSendIpi(2, 1024));
        Assert.Equal(AccessOutcome.CoreNotRunning, m.GuestSendIpi(3, 2));
        Assert.Equal(1, m.IpisReceived(3));
        Assert.Equal(0, m.IpisReceived(4));
    }

    [Fact]
    public void Iommu_denies_by_default_and_allows_only_the_window()
    {
        var (m, port) = Fresh();
        Span<byte> buffer = stackalloc byte[16];
        for (int d = 0; d < m.DeviceCount; d++)
        {
            Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaRead(d, 32 * SimRig.MiB, buffer));
        }
        IommuMapping[] window = [new(new MemoryRange(SimRig.GiB, SimRig.MiB), Permissions.ReadWrite)];
        Assert.True(port.SetIommuWindow(3, window));
        window[0] = new IommuMapping(new MemoryRange(0, 4 * SimRig.GiB), Permissions.ReadWrite); // the hardware copied the window
        Assert.Equal(AccessOutcome.Allowed, m.DeviceDmaWrite(3, SimRig.GiB, buffer));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaWrite(3, SimRig.GiB + SimRig.MiB - 8, buffer));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaRead(3, 32 * SimRig.MiB, buffer));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaRead(4, SimRig.GiB, buffer));
        Assert.Equal(AccessOutcome.NoSuchDevice, m.DeviceDmaRead(8, SimRig.GiB, buffer));
        Assert.True(port.CloseIommuWindow(3));
        Assert.Equal(AccessOutcome.OutsideIommuWindow, m.DeviceDmaRead(3, SimRig.GiB, buffer));
        Assert.True(m.IommuWindow(3).IsEmpty);
    }

    [Fact]
    public void Injected_reset_faults_halt_the_core_then_clear()
    {
        var (m, port) = Fresh();
        m.FailNextResets(7, 2);
        Assert.False(port.SecureReset(7));
        Assert.Equal(CoreMode.Halted, m.Mode(7));
        Assert.False(port.SecureReset(7));
        Assert.True(port.SecureReset(7));
        Assert.Equal(CoreMode.Loader, m.Mode(7));
        Assert.Equal(3, m.ResetCount(7));
    }

    [Fact]
    public void Injected_iommu_faults_leave_the_window_unchanged()
    {
        var (m, port) = Fresh();
        Assert.True(port.SetIommuWindow(1, [new IommuMapping(new MemoryRange(SimRig.GiB, SimRig.MiB), Permissions.Read)]));
        m.FailNextIommuChanges(1, 2);
        Assert.False(port.CloseIommuWindow(1));
        Assert.False(port.SetIommuWindow(1, [new IommuMapping(new MemoryRange(2 * SimRig.GiB, SimRig.MiB), Permissions.Read)]));
        Assert.Equal(new IommuMapping(new MemoryRange(SimRig.GiB, SimRig.MiB), Permissions.Read), m.IommuWindow(1)[0]);
        Assert.True(port.CloseIommuWindow(1));
        Assert.True(m.IommuWindow(1).IsEmpty);
    }

    [Fact]
    public void Corrupted_register_write_reads_back_differently_once()
    {
        var (m, port) = Fresh();
        Assert.True(port.SecureReset(9));
        m.CorruptNextRegisterWrite(9);
        var value = new RangeRegister(SimRig.GiB, SimRig.MiB, Permissions.ReadWriteExecute);
        Assert.True(port.WriteRangeRegister(9, 0, value));
        Assert.NotEqual(value, port.ReadRangeRegister(9, 0));
        Assert.True(port.WriteRangeRegister(9, 0, value));
        Assert.Equal(value, port.ReadRangeRegister(9, 0));
        m.CorruptNextRegisterWrite(9);
        Assert.True(port.WriteWayMask(9, 0b100));
        Assert.NotEqual(0b100UL, port.ReadWayMask(9));
        m.CorruptNextRegisterWrite(9);
        var mask = new ResourceSet();
        mask.Add(9);
        Assert.True(port.WriteIpiMask(9, mask));
        port.ReadIpiMask(9, out ResourceSet back);
        Assert.False(back.Equals(mask));
    }

    [Fact]
    public void Port_writes_memory_and_filter_check_is_allocation_free_once_warm()
    {
        var (m, port) = Fresh();
        BootGuest(port, 1, new MemoryRange(SimRig.GiB, SimRig.MiB));
        byte[] data = new byte[64];
        IommuMapping[] window = [new IommuMapping(new MemoryRange(SimRig.GiB, SimRig.MiB), Permissions.ReadWrite)];
        port.WriteMemory(SimRig.GiB, data);
        port.ScrubMemory(new MemoryRange(SimRig.GiB, SimRig.MiB));
        port.WriteMemory(SimRig.GiB, data); // page comes from the pool
        bool any = false;
        long allocated = Allocations.Least(() =>
        {
            any |= m.FilterAllows(1, SimRig.GiB + 7, Permissions.Read);
            port.WriteMemory(SimRig.GiB, data);
            Assert.True(port.SecureReset(1));
            Assert.True(port.WriteRangeRegister(1, 0, new RangeRegister(SimRig.GiB, SimRig.MiB, Permissions.ReadWriteExecute)));
            port.ReadIpiMask(1, out _);
            port.LockFilters(1);
            port.EnterGuest(1, SimRig.GiB);
            Assert.True(port.SetIommuWindow(0, window));
            Assert.True(port.CloseIommuWindow(0));
            port.ScrubMemory(new MemoryRange(SimRig.GiB, SimRig.MiB));
        }, cycles: 1000, warmup: 20);
        Assert.True(any);
        Assert.Equal(0, allocated);
    }

    internal static void BootGuest(SimulatedHardwarePort port, int core, MemoryRange range)
    {
        Assert.True(port.SecureReset(core));
        Assert.True(port.WriteRangeRegister(core, 0, new RangeRegister(range.Base, range.Size, Permissions.ReadWriteExecute)));
        var self = new ResourceSet();
        self.Add(core);
        Assert.True(port.WriteIpiMask(core, self));
        port.LockFilters(core);
        port.EnterGuest(core, range.Base);
    }
}

public class FilterEquivalenceTests
{
    [Fact]
    public void Vectorized_filter_agrees_with_the_register_definition_on_random_and_edge_registers()
    {
        var machine = new SimulatedMachine(MachineDescription.Default);
        SimulatedHardwarePort port = machine.OpenPrivilegedPort();
        var random = new Random(42);
        ulong[] edges = [0, 1, 0x1000, 0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, ulong.MaxValue - 0x1000, ulong.MaxValue - 1, ulong.MaxValue];
        ulong Pick() => random.Next(3) == 0 ? edges[random.Next(edges.Length)] : (ulong)random.NextInt64() << random.Next(2);
        for (int round = 0; round < 200; round++)
        {
            Assert.True(port.SecureReset(1));
            var registers = new RangeRegister[16];
            for (int i = 0; i < registers.Length; i++)
            {
                registers[i] = new RangeRegister(Pick(), Pick(), (Permissions)random.Next(8));
                Assert.True(port.WriteRangeRegister(1, i, registers[i]));
            }
            port.EnterGuest(1, 0);
            for (int probe = 0; probe < 200; probe++)
            {
                ulong address = random.Next(2) == 0 ? Pick() : registers[random.Next(16)].Base + (ulong)random.Next(-2, 3);
                Permissions need = (Permissions)random.Next(1, 8);
                bool expected = registers.Any(r => r.Allows(address, need));
                Assert.True(expected == machine.FilterAllows(1, address, need), $"0x{address:x} {need} round {round}");
            }
        }
    }
}
