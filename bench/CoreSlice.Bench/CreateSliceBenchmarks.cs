using BenchmarkDotNet.Attributes;

namespace CoreSlice.Bench;

/// <summary>
/// CreateSlice (validation + apply) then DestroySlice, through the public, logged API,
/// against a table of live slices. Each live slice holds 16 ranges, so the memory index
/// holds 16 × Live intervals (992 at Live = 62). The decision log (default 4096 entries)
/// is drained into a preallocated buffer whenever it is half full (amortized in the time).
/// Baseline: the same request with its entry point outside its ranges, refused with
/// EntryOutsideMemory after every other check (the whole validation and one logged entry with its
/// argument digest, no apply, no destroy), so the ratio is what applying and destroying add.
/// </summary>
[MemoryDiagnoser]
public class CreateSliceBenchmarks
{
    private BenchMachine rig = null!;
    private SliceRequest request;
    private SliceRequest refusedAtEntry;

    /// <summary>Live slices in the table (62 is the most a 64-way machine can hold next to the request).</summary>
    [Params(1, 16, 62)]
    public int Live { get; set; }

    /// <summary>Ranges in the request.</summary>
    [Params(1, 8, 16)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        rig = new BenchMachine();
        rig.Populate(Live);
        request = BenchMachine.NewRequest(Ranges, entryInside: true);
        refusedAtEntry = BenchMachine.NewRequest(Ranges, entryInside: false);
        CreateThenDestroy(); // fails loudly now rather than timing an error path
        if (RefusedAtLastCheck() != SliceError.EntryOutsideMemory)
        {
            throw new InvalidOperationException("the baseline request is not refused at its entry point");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();

    /// <summary>CreateSlice refused at its last check: the validation and the log entry alone.</summary>
    [Benchmark(Baseline = true)]
    public SliceError RefusedAtLastCheck()
    {
        rig.KeepLogRoom();
        return rig.Visor.CreateSlice(refusedAtEntry).Error;
    }

    /// <summary>CreateSlice (every check, apply, log) then DestroySlice (reset, park, IOMMU, scrub, release, log).</summary>
    [Benchmark]
    public int CreateThenDestroy()
    {
        rig.KeepLogRoom();
        SliceResult c = rig.Visor.CreateSlice(request);
        SliceResult d = rig.Visor.DestroySlice(c.Slot);
        if (!c.Ok || !d.Ok)
        {
            throw new InvalidOperationException($"{c.Error} {d.Error}");
        }
        return c.Slot;
    }
}
