using BenchmarkDotNet.Attributes;
using CoreSlice.Validation;

namespace CoreSlice.Bench;

/// <summary>
/// Validation alone: a request rejected by the LAST check (EntryOutsideMemory), so every
/// other check runs and passes and nothing changes. <see cref="Validator"/> is the
/// slicevisor's own RequestValidator (unlogged, reading the live table);
/// <see cref="Linq"/> is the same checks in the same order written the obvious way —
/// LINQ over every slot and every range — as the baseline. Setup asserts both give the
/// same verdict on this request and on the accepted variant.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private BenchMachine rig = null!;
    private RequestValidator validator = null!;
    private SliceRequest rejected;

    [Params(1, 16, 62)]
    public int Live { get; set; }

    [Params(1, 8, 16)]
    public int Ranges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        rig = new BenchMachine();
        rig.Populate(Live);
        validator = new RequestValidator(FrozenMachine.Freeze(rig.Config, []), rig.Visor.Table);
        rejected = BenchMachine.NewRequest(Ranges, entryInside: false);
        SliceRequest accepted = BenchMachine.NewRequest(Ranges, entryInside: true);
        Agree(rejected, SliceError.EntryOutsideMemory);
        Agree(accepted, SliceError.None);
        // A few conflicts too, so the baseline is known to be the same function, not just the same on two inputs.
        Agree(accepted with { Cores = new[] { 1 } }, Live >= 1 ? SliceError.CoreInUse : SliceError.None);
        Agree(accepted with { Ranges = new[] { new MemoryRange(BenchMachine.SliceArea, 4096) } }, SliceError.RangeInUse);
        Agree(accepted with { Ranges = new[] { new MemoryRange(40 * BenchMachine.MiB, 4096) } }, SliceError.RangeOverlapsControl);
        Agree(accepted with { Ways = 1UL << 1 }, SliceError.WaysInUse);
        Agree(accepted with { Devices = new[] { 0 } }, SliceError.DeviceInUse);
    }

    private void Agree(SliceRequest r, SliceError expected)
    {
        SliceError real = Validate(r);
        SliceError obvious = LinqValidator.Validate(rig.Config, rig.Visor.Table, r);
        if (real != expected || obvious != expected)
        {
            throw new InvalidOperationException($"verdicts differ: validator {real}, LINQ {obvious}, expected {expected}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();

    [Benchmark(Baseline = true)]
    public SliceError Linq() => LinqValidator.Validate(rig.Config, rig.Visor.Table, rejected);

    [Benchmark]
    public SliceError Validator() => Validate(rejected);

    /// <summary>Decode (bounded copy) then every check, as CreateSlice runs them.</summary>
    private SliceError Validate(in SliceRequest r)
    {
        validator.Decode(new RequestSpans(r), r.Ways, r.EntryPoint);
        return validator.Validate().Error;
    }
}
