using BenchmarkDotNet.Attributes;
using CoreSlice.Simulation;

namespace CoreSlice.Bench;

/// <summary>
/// Starting a slice. <see cref="SliceloaderBootPerCore"/> is what StartSlice does per core:
/// a secure reset, then the sliceloader reads the slice-table entry, writes and locks 16
/// range registers, the IPI and way masks, reads everything back and enters the guest —
/// through the struct port (devirtualized), on a second simulated machine so that the
/// slicevisor's own machine keeps its slice running. The lifecycle pair shows StartSlice
/// through the public, logged API: (CreateStartDestroy − CreateDestroy) / Cores is its cost
/// per core plus the IOMMU window and one log entry shared out. Log drained when half full.
/// </summary>
[MemoryDiagnoser]
public class StartSliceBenchmarks
{
    private BenchMachine rig = null!;
    private SimulatedMachine second = null!;
    private SimulatedHardwarePort port;
    private SliceRequest request;

    [Params(1, 16)]
    public int Cores { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        rig = new BenchMachine();
        SliceRequest live = BenchMachine.LiveRequest(0);
        int[] cores = Enumerable.Range(1, Cores).ToArray();
        request = live with { Cores = cores };
        SliceResult c = rig.Visor.CreateSlice(request);
        if (!c.Ok || !rig.Visor.StartSlice(c.Slot).Ok || !rig.Visor.DestroySlice(c.Slot).Ok)
        {
            throw new InvalidOperationException("lifecycle failed");
        }
        // A running slice for the sliceloader benchmark (core 1), left in the table.
        SliceResult running = rig.Visor.CreateSlice(BenchMachine.LiveRequest(40) with { Cores = new[] { 1000 } });
        if (!running.Ok || !rig.Visor.StartSlice(running.Slot).Ok)
        {
            throw new InvalidOperationException("could not start the slice");
        }
        second = new SimulatedMachine(rig.Config);
        port = second.OpenPrivilegedPort();
        if (SliceloaderBootPerCore() != Sliceloader.Outcome.EnteredGuest || second.RangeRegistersOf(1000)[15].Size == 0 || !second.IsLocked(1000))
        {
            throw new InvalidOperationException("the sliceloader did not enter the guest");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();

    [Benchmark]
    public Sliceloader.Outcome SliceloaderBootPerCore()
    {
        if (!port.SecureReset(1000))
        {
            throw new InvalidOperationException("reset failed");
        }
        return Sliceloader.Boot(ref port, rig.Visor.Table, 1000);
    }

    [Benchmark(Baseline = true)]
    public int CreateDestroy()
    {
        rig.KeepLogRoom();
        SliceResult c = rig.Visor.CreateSlice(request);
        SliceResult d = rig.Visor.DestroySlice(c.Slot);
        return c.Ok && d.Ok ? c.Slot : throw new InvalidOperationException($"{c.Error} {d.Error}");
    }

    [Benchmark]
    public int CreateStartDestroy()
    {
        rig.KeepLogRoom();
        SliceResult c = rig.Visor.CreateSlice(request);
        SliceResult s = rig.Visor.StartSlice(c.Slot);
        SliceResult d = rig.Visor.DestroySlice(c.Slot);
        return c.Ok && s.Ok && d.Ok ? c.Slot : throw new InvalidOperationException($"{c.Error} {s.Error} {d.Error}");
    }
}
