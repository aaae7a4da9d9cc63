using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// Tests written against mutants Stryker.NET left alive (see tests/README.md, "Mutation testing"):
/// each pins a boundary or a conjunction that no other fast test distinguished.
/// </summary>
public sealed class MutationSurvivorTests
{
    [Fact]
    public void A_request_listing_exactly_as_many_cores_as_the_machine_is_not_TooManyCores()
    {
        using Rig rig = Make();
        int[] all = Enumerable.Range(0, rig.Config.CoreCount).ToArray();

        SliceResult r = rig.Visor.CreateSlice(Valid() with { Cores = all });

        // Length == CoreCount passes the shape check; core 0 then fails as the control slice's.
        Assert.Equal(SliceError.CoreReservedForControl, r.Error);
    }

    [Fact]
    public void Exactly_as_many_ranges_as_range_registers_and_devices_as_the_machine_are_accepted()
    {
        var rig = new Rig(Small());
        using (rig)
        {
            MemoryRange[] two = [new MemoryRange(4 * MiB, Granule), new MemoryRange(8 * MiB, Granule)];
            int[] devices = [0, 1, 2, 3];

            SliceResult r = rig.Visor.CreateSlice(Request([1], two, devices, 1UL << 1, 4 * MiB));

            Assert.Equal(SliceError.None, r.Error);
        }
    }

    [Fact]
    public void Owner_lookups_one_past_the_end_answer_None()
    {
        using Rig rig = Make();
        MachineConfig c = rig.Config;

        Assert.Equal(Owner.None, rig.Table.CoreOwner(c.CoreCount));
        Assert.Equal(Owner.None, rig.Table.DeviceOwner(c.DeviceCount));
        Assert.Equal(Owner.None, rig.Table.WayOwner(c.CacheWays));
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Table[c.SlotCapacity + 1]);
    }

    [Fact]
    public void Core_0_is_started_and_destroyed_when_a_slice_owns_it()
    {
        MachineConfig config = new()
        {
            CoreCount = 4, ControlCores = [3],
            RamRegions = [new MemoryRange(0, 16 * MiB)],
            ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, 1 * MiB))],
            ControlMemory = [new MemoryRange(1 * MiB, 1 * MiB)],
            DeviceCount = 1, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2,
            GranuleSize = Granule, SlotCapacity = 2,
        };
        using var rig = new Rig(config);
        int slot = rig.Create(Request([0, 1], [new MemoryRange(4 * MiB, 1 * MiB)], [], 1UL << 1, 4 * MiB));

        Assert.Equal(SliceError.None, rig.Visor.StartSlice(slot).Error);
        Assert.Equal(CoreMode.Guest, rig.Machine.Mode(0));
        Assert.True(rig.Machine.IsLocked(0));
        Assert.Equal(SliceError.None, rig.Visor.DestroySlice(slot).Error);
        Assert.Equal(CoreMode.Idle, rig.Machine.Mode(0));
        Assert.False(rig.Machine.IsLocked(0));
    }

    [Fact]
    public void The_sliceloader_halts_a_core_whose_way_mask_reads_back_wrong_even_if_its_IPI_mask_is_right()
    {
        MachineConfig config = Small();
        var machine = new SimulatedMachine(config);
        using var visor = new Slicevisor<WayMaskLiar>(config, new WayMaskLiar(machine.OpenPrivilegedPort()));
        int slot = visor.CreateSlice(Request([1], [new MemoryRange(4 * MiB, Granule)], [], 1UL << 1, 4 * MiB)).Slot;

        SliceResult r = visor.StartSlice(slot);

        Assert.Equal(SliceError.LoaderFault, r.Error);
        Assert.Equal(CoreMode.Halted, machine.Mode(1));
    }

    [Theory]
    [InlineData("slot")]
    [InlineData("address")]
    [InlineData("bytes")]
    public void The_log_binds_every_argument_of_LoadImage(string which)
    {
        byte[] a = Digest(slot: 1, address: FreeBase, bytes: [1, 2, 3]);
        byte[] b = which switch
        {
            "slot" => Digest(slot: 2, address: FreeBase, bytes: [1, 2, 3]),
            "address" => Digest(slot: 1, address: FreeBase + 8, bytes: [1, 2, 3]),
            _ => Digest(slot: 1, address: FreeBase, bytes: [1, 2, 4]),
        };

        Assert.NotEqual(Convert.ToHexString(a), Convert.ToHexString(b));
    }

    /// <summary>The logged arguments of the last log entry after one LoadImage on a fresh slicevisor with one Created slice.</summary>
    private static byte[] Digest(int slot, ulong address, byte[] bytes)
    {
        using Rig rig = Make();
        int created = rig.Visor.CreateSlice(Valid()).Slot;
        // Slot 1 stands for the created slice (an accepted load, whose logged measurement covers the bytes);
        // any other number is taken as given. A refused load's bytes are never read, so not logged.
        _ = rig.Visor.LoadImage(slot == 1 ? created : slot, address, bytes);
        ReadOnlySpan<byte> entry = rig.Visor.Log.Entry(rig.Visor.Log.Count - 1);
        return entry.Slice(DecisionLogLayout.Arguments, DecisionLogLayout.ArgumentsSize).ToArray();
    }

    /// <summary>A port whose way-mask readback is wrong (a faulty register), everything else the simulation's.</summary>
    private readonly struct WayMaskLiar(SimulatedHardwarePort inner) : IHardwarePort
    {
        public bool SecureReset(int core) => inner.SecureReset(core);
        public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => inner.SetIommuWindow(device, window);
        public bool CloseIommuWindow(int device) => inner.CloseIommuWindow(device);
        public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) => inner.WriteMemory(address, bytes);
        public void ScrubMemory(MemoryRange range) => inner.ScrubMemory(range);
        public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output) => inner.DeriveKey(context, output);
        public bool WriteRangeRegister(int core, int index, RangeRegister value) => inner.WriteRangeRegister(core, index, value);
        public bool WriteIpiMask(int core, in ResourceSet mask) => inner.WriteIpiMask(core, mask);
        public bool WriteWayMask(int core, ulong mask) => inner.WriteWayMask(core, mask);
        public void LockFilters(int core) => inner.LockFilters(core);
        public bool IsLocked(int core) => inner.IsLocked(core);
        public RangeRegister ReadRangeRegister(int core, int index) => inner.ReadRangeRegister(core, index);
        public void ReadIpiMask(int core, out ResourceSet mask) => inner.ReadIpiMask(core, out mask);
        public ulong ReadWayMask(int core) => inner.ReadWayMask(core) ^ 1UL;
        public void EnterGuest(int core, ulong entryPoint) => inner.EnterGuest(core, entryPoint);
        public void Park(int core) => inner.Park(core);
        public void Halt(int core) => inner.Halt(core);
    }
}
