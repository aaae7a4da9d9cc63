using CoreSlice;
using CoreSlice.Log;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Support;

/// <summary>
/// A simulated machine with its slicevisor and first-fit manager, wired the way the
/// real system is: the slicevisor holds the one privileged port, the machine
/// attributes writes through the slice table's ownership view.
/// </summary>
public sealed class Rig : IDisposable
{
    public Rig(MachineConfig config)
    {
        Config = config;
        Machine = new SimulatedMachine(config);
        Visor = new Slicevisor<SimulatedHardwarePort>(config, Machine.OpenPrivilegedPort());
        Machine.AttachOwnership(Visor.Table.CoreOwner, Visor.Table.DeviceOwner, Visor.Table.MemoryOwner);
        Manager = new FirstFitAllocator<SimulatedHardwarePort>(Visor);
    }

    public static Rig Default() => new(Machines.Default());

    private readonly byte[] drained = new byte[DecisionLog.DefaultCapacity * DecisionLogLayout.EntrySize];

    /// <summary>
    /// What a real manager does in a long run: when the decision log is half full, drain it
    /// (into a buffer made once, so this allocates nothing) so requests are not refused with LogFull.
    /// </summary>
    public void KeepLogRoom()
    {
        if (Visor.Log.Count * 2 >= Visor.Log.Capacity)
        {
            // No Assert here: this runs inside allocation measurements.
            if (!Visor.DrainLog(drained, out _).Ok)
            {
                throw new InvalidOperationException("the decision log could not be drained");
            }
        }
    }

    public static Rig Small() => new(Machines.Small());

    public MachineConfig Config { get; }

    public SimulatedMachine Machine { get; }

    public Slicevisor<SimulatedHardwarePort> Visor { get; }

    public FirstFitAllocator<SimulatedHardwarePort> Manager { get; }

    public SliceTable Table => Visor.Table;

    public SliceEntry Entry(int slot) => Table[slot];

    /// <summary>A first-fit request; fails the test when the machine cannot satisfy it.</summary>
    public SliceRequest Plan(int cores = 1, ulong bytes = 64 * Machines.KiB, int devices = 1, int ways = 1) =>
        Manager.Plan(new SliceShape(cores, bytes, devices, ways)) ?? throw new Xunit.Sdk.XunitException("the manager could not plan the slice");

    /// <summary>Creates a slice and asserts success.</summary>
    public int Create(in SliceRequest request)
    {
        SliceResult r = Visor.CreateSlice(request);
        Assert.Equal(SliceError.None, r.Error);
        return r.Slot;
    }

    public int Create(int cores = 1, ulong bytes = 64 * Machines.KiB, int devices = 1, int ways = 1) =>
        Create(Plan(cores, bytes, devices, ways));

    /// <summary>Creates and starts a slice and asserts both succeed.</summary>
    public int Run(int cores = 1, ulong bytes = 64 * Machines.KiB, int devices = 1, int ways = 1)
    {
        int slot = Create(cores, bytes, devices, ways);
        Assert.Equal(SliceError.None, Visor.StartSlice(slot).Error);
        return slot;
    }

    public int FirstCore(int slot) => Entry(slot).Cores.Next(0);

    public int FirstDevice(int slot) => Entry(slot).Devices.Next(0);

    public MemoryRange FirstRange(int slot) => Entry(slot).Ranges[0];

    /// <summary>Every core of the slot, ascending.</summary>
    public List<int> Cores(int slot)
    {
        var list = new List<int>();
        ResourceSet set = Entry(slot).Cores;
        for (int c = set.Next(0); c >= 0; c = set.Next(c + 1))
        {
            list.Add(c);
        }
        return list;
    }

    /// <summary>Every device of the slot, ascending.</summary>
    public List<int> Devices(int slot)
    {
        var list = new List<int>();
        ResourceSet set = Entry(slot).Devices;
        for (int d = set.Next(0); d >= 0; d = set.Next(d + 1))
        {
            list.Add(d);
        }
        return list;
    }

    public void Dispose() => Visor.Dispose();
}
