using BenchmarkDotNet.Attributes;
using CoreSlice.Simulation;

namespace CoreSlice.Bench;

/// <summary>
/// Scrubbing 1 GiB of slice memory, every granule written first (all pages present).
/// <list type="bullet">
/// <item><see cref="SpanClear"/> (baseline): Span&lt;byte&gt;.Clear over a 1 GiB byte[] — the bandwidth bound.</item>
/// <item><see cref="DestroySlice_SparseMemory"/>: DestroySlice of a slice owning one 1 GiB range on the
/// simulation's sparse memory (PhysicalMemory: a page per written 4 KiB granule), whose scrub drops
/// the 262,144 pages — it writes no zeros; the zeroing is deferred to page reuse or the GC.</item>
/// <item><see cref="Scrub_DenseModel"/>: what a dense backing store (one byte[] per RAM region, a
/// writer tag per granule) would do: Span.Clear of the range plus the range's writer tags.</item>
/// </list>
/// Each iteration is one scrub; its setup (not timed) rewrites the 1 GiB.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(8)]
[InvocationCount(1, 1)]
public class ScrubBenchmarks
{
    private const int Size = 1 << 30;
    private const int Granule = 4096;
    private byte[] store = null!;
    private int[] writers = null!;
    private BenchMachine rig = null!;
    private SliceRequest request;
    private int slot;
    private readonly byte[] chunk = new byte[1 << 20];

    [GlobalSetup(Targets = [nameof(SpanClear), nameof(Scrub_DenseModel)])]
    public void DenseSetup()
    {
        store = GC.AllocateUninitializedArray<byte>(Size, pinned: true);
        writers = new int[Size / Granule];
    }

    [IterationSetup(Targets = [nameof(SpanClear), nameof(Scrub_DenseModel)])]
    public void DenseFill()
    {
        store.AsSpan().Fill(0xA5);
        writers.AsSpan().Fill(1);
    }

    [Benchmark(Baseline = true)]
    public void SpanClear() => store.AsSpan().Clear();

    [Benchmark]
    public void Scrub_DenseModel()
    {
        // ScrubMemory(range) on a dense store: the range's bytes and the range's writer tags.
        const int first = 0, count = Size;
        store.AsSpan(first, count).Clear();
        writers.AsSpan(first / Granule, count / Granule).Fill(MemoryWriter.Nobody);
    }

    [GlobalSetup(Target = nameof(DestroySlice_SparseMemory))]
    public void SparseSetup()
    {
        rig = new BenchMachine();
        chunk.AsSpan().Fill(0xA5);
        request = new SliceRequest
        {
            Cores = new[] { 1 }, Ranges = new[] { new MemoryRange(BenchMachine.SliceArea, Size) }, Devices = new[] { 0 },
            Ways = 1UL << 1, EntryPoint = BenchMachine.SliceArea,
        };
    }

    [IterationSetup(Target = nameof(DestroySlice_SparseMemory))]
    public void SparseFill()
    {
        rig.KeepLogRoom();
        SliceResult c = rig.Visor.CreateSlice(request);
        if (!c.Ok)
        {
            throw new InvalidOperationException(c.Error.ToString());
        }
        slot = c.Slot;
        for (ulong at = 0; at < Size; at += (ulong)chunk.Length)
        {
            rig.Machine.Memory.Write(BenchMachine.SliceArea + at, chunk, slot);
        }
        if (rig.Machine.Memory.PresentPages != Size / Granule)
        {
            throw new InvalidOperationException("not every page is present");
        }
    }

    [Benchmark]
    public void DestroySlice_SparseMemory()
    {
        if (!rig.Visor.DestroySlice(slot).Ok || rig.Machine.Memory.PresentPages != 0)
        {
            throw new InvalidOperationException("scrub failed");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();
}
