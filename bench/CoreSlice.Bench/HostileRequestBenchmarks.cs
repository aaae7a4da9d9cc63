using BenchmarkDotNet.Attributes;

namespace CoreSlice.Bench;

/// <summary>
/// Work per call is bounded by the machine, not by the request. Each row is one logged,
/// refused call through the public API on the benchmark machine with 62 live slices:
/// the baseline is an ordinary refused CreateSlice (1 core already in use); the hostile
/// rows carry 4,194,304 ranges, or 4,194,304 cores, or 4,194,304 devices (refused on their
/// length alone, before any item is read), and a LoadImage of 64 MiB aimed outside the
/// slice (refused on its bounds before any byte is read).
/// </summary>
[MemoryDiagnoser]
public class HostileRequestBenchmarks
{
    private const int Millions = 1 << 22;
    private BenchMachine rig = null!;
    private SliceRequest ordinary;
    private SliceRequest manyRanges;
    private SliceRequest manyCores;
    private SliceRequest manyDevices;
    private byte[] image = [];
    private int created;

    [GlobalSetup]
    public void Setup()
    {
        rig = new BenchMachine();
        rig.Populate(BenchMachine.MaxLiveForRequest);
        SliceRequest valid = BenchMachine.NewRequest(8, entryInside: true);
        ordinary = valid with { Cores = new[] { 1 } };
        manyRanges = valid with { Ranges = new MemoryRange[Millions] };
        manyCores = valid with { Cores = new int[Millions] };
        manyDevices = valid with { Devices = new int[Millions] };
        image = new byte[64 * (int)BenchMachine.MiB];
        SliceResult c = rig.Visor.CreateSlice(valid);
        created = c.Slot;
        Expect(rig.Visor.CreateSlice(ordinary).Error, SliceError.CoreInUse);
        Expect(rig.Visor.CreateSlice(manyRanges).Error, SliceError.TooManyRanges);
        Expect(rig.Visor.CreateSlice(manyCores).Error, SliceError.TooManyCores);
        Expect(rig.Visor.CreateSlice(manyDevices).Error, SliceError.TooManyDevices);
        Expect(rig.Visor.LoadImage(created, 0, image).Error, SliceError.ImageOutsideMemory);
    }

    private static void Expect(SliceError got, SliceError expected)
    {
        if (got != expected)
        {
            throw new InvalidOperationException($"expected {expected}, got {got}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();

    [Benchmark(Baseline = true)]
    public SliceError OrdinaryRefusedCreate()
    {
        rig.KeepLogRoom();
        return rig.Visor.CreateSlice(ordinary).Error;
    }

    [Benchmark]
    public SliceError CreateWith4MRanges()
    {
        rig.KeepLogRoom();
        return rig.Visor.CreateSlice(manyRanges).Error;
    }

    [Benchmark]
    public SliceError CreateWith4MCores()
    {
        rig.KeepLogRoom();
        return rig.Visor.CreateSlice(manyCores).Error;
    }

    [Benchmark]
    public SliceError CreateWith4MDevices()
    {
        rig.KeepLogRoom();
        return rig.Visor.CreateSlice(manyDevices).Error;
    }

    [Benchmark]
    public SliceError LoadImage64MiBOutside()
    {
        rig.KeepLogRoom();
        return rig.Visor.LoadImage(created, 0, image).Error;
    }
}
