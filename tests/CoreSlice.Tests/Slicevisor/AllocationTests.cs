using CoreSlice;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// DESIGN §5: the TCB allocates nothing after construction. Measured with
/// GC.GetAllocatedBytesForCurrentThread around many cycles, after a warm-up, reusing
/// request arrays. The simulation's sparse memory allocates a page on the first write
/// of a granule; scrubbed pages go to a pool, so after the warm-up LoadImage's page is reused.
/// </summary>
public sealed class AllocationTests
{
    private const int Cycles = 2000;

    private static long Measure(Action body) => Allocations.Least(body, Cycles);

    [Fact]
    public void Create_Start_Destroy_allocate_zero_bytes_once_warm()
    {
        using Rig rig = Make();
        SliceRequest request = Request([4, 5, 6], [new MemoryRange(FreeBase, 1 * MiB), new MemoryRange(FreeBase + (4 * MiB), 64 * KiB)], [2, 3], (1UL << 4) | (1UL << 5));
        long bytes = Measure(() =>
        {
            rig.KeepLogRoom();
            SliceResult c = rig.Visor.CreateSlice(request);
            SliceResult s = rig.Visor.StartSlice(c.Slot);
            SliceResult d = rig.Visor.DestroySlice(c.Slot);
            if (!c.Ok || !s.Ok || !d.Ok)
            {
                throw new InvalidOperationException($"{c.Error} {s.Error} {d.Error}");
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void LoadImage_allocates_zero_bytes_once_pages_exist()
    {
        using Rig rig = Make();
        byte[] image = new byte[3 * 4096];
        image.AsSpan().Fill(0x5A);
        SliceRequest request = Request([4], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4);
        int slot = rig.Create(request);
        long bytes = Measure(() =>
        {
            // Up to 8 rounds of 2,000 loads are 16,200 log entries: more than the log holds.
            rig.KeepLogRoom();
            if (!rig.Visor.LoadImage(slot, FreeBase + 100, image).Ok)
            {
                throw new InvalidOperationException("load failed");
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Full_lifecycle_with_LoadImage_allocates_zero_bytes_once_warm()
    {
        using Rig rig = Make();
        byte[] image = new byte[2 * 4096];
        SliceRequest request = Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4);
        long bytes = Measure(() =>
        {
            rig.KeepLogRoom();
            SliceResult c = rig.Visor.CreateSlice(request);
            SliceResult l = rig.Visor.LoadImage(c.Slot, FreeBase, image);
            SliceResult s = rig.Visor.StartSlice(c.Slot);
            SliceResult d = rig.Visor.DestroySlice(c.Slot);
            if (!c.Ok || !l.Ok || !s.Ok || !d.Ok)
            {
                throw new InvalidOperationException("lifecycle failed");
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Rejected_calls_allocate_zero_bytes()
    {
        using Rig rig = Make();
        SliceRequest[] bad =
        [
            Valid() with { Cores = new[] { 3 } },
            Valid() with { Ranges = new[] { new MemoryRange(ulong.MaxValue - 4095, 8192) } },
            Valid() with { Ranges = new[] { new MemoryRange(Slot1Base, Granule) } },
            Valid() with { Ranges = new[] { new MemoryRange(16 * MiB, 4 * MiB) } },
            Valid() with { Devices = new[] { 1 } },
            Valid() with { Ways = 1UL << 40 },
            Valid() with { EntryPoint = 0 },
            Valid() with { Cores = Array.Empty<int>() },
        ];
        byte[] image = [1, 2, 3];
        long bytes = Measure(() =>
        {
            // Rejections are logged too: keep room, or the run would drift into the LogFull path mid-measurement.
            rig.KeepLogRoom();
            foreach (SliceRequest r in bad)
            {
                SliceResult result = rig.Visor.CreateSlice(r);
                if (result.Ok || result.Error == SliceError.LogFull)
                {
                    throw new InvalidOperationException("accepted a bad request");
                }
            }
            if (rig.Visor.LoadImage(1, Slot1Base, image).Ok || rig.Visor.LoadImage(2, ulong.MaxValue, image).Ok
                || rig.Visor.LoadImage(-7, 0, image).Ok || rig.Visor.StartSlice(1).Ok || rig.Visor.StartSlice(99).Ok
                || rig.Visor.DestroySlice(3).Ok || rig.Visor.DestroySlice(0).Ok)
            {
                throw new InvalidOperationException("accepted a bad call");
            }
        });
        Assert.Equal(0, bytes);
    }
}
