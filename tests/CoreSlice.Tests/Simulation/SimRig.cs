using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using Xunit;

namespace CoreSlice.Tests.Simulation;

/// <summary>A default machine with its slicevisor and audit; keeps a copy of the port to play a buggy slicevisor.</summary>
internal sealed class SimRig : IDisposable
{
    public const ulong MiB = 1UL << 20;
    public const ulong GiB = 1UL << 30;

    public SimRig(MachineConfig? config = null)
    {
        Config = config ?? MachineDescription.Default;
        Machine = new SimulatedMachine(Config);
        Port = Machine.OpenPrivilegedPort();
        Slicevisor = new Slicevisor<SimulatedHardwarePort>(Config, Port);
        Audit = new InvariantAudit(Slicevisor, Machine);
        Oracle = new IsolationOracle(Slicevisor.Table, Machine);
    }

    public MachineConfig Config { get; }

    public SimulatedMachine Machine { get; }

    /// <summary>A copy of the privileged port (tests only: to act behind the slicevisor's back).</summary>
    public SimulatedHardwarePort Port { get; }

    public Slicevisor<SimulatedHardwarePort> Slicevisor { get; }

    public InvariantAudit Audit { get; }

    public IsolationOracle Oracle { get; }

    public static SliceRequest Request(int[] cores, MemoryRange[] ranges, int[] devices, ulong ways, ulong? entry = null) => new()
    {
        Cores = cores,
        Ranges = ranges,
        Devices = devices,
        Ways = ways,
        EntryPoint = entry ?? ranges[0].Base,
    };

    /// <summary>Creates, loads a few bytes and starts a slice; asserts each step succeeds.</summary>
    public int Start(int[] cores, MemoryRange range, int[] devices, ulong ways, byte[]? image = null)
    {
        SliceRequest request = Request(cores, [range], devices, ways);
        SliceResult created = Slicevisor.CreateSlice(request);
        Assert.True(created.Ok, created.ToString());
        if (image is not null)
        {
            Assert.True(Slicevisor.LoadImage(created.Slot, range.Base, image).Ok);
        }
        SliceResult started = Slicevisor.StartSlice(created.Slot);
        Assert.True(started.Ok, started.ToString());
        return created.Slot;
    }

    public void AssertClean()
    {
        IReadOnlyList<Violation> violations = Audit.CheckAll();
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    public void Dispose() => Slicevisor.Dispose();
}
