using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using CoreSlice.Hardware;

namespace CoreSlice.Bench;

/// <summary>Where the checked address lies.</summary>
public enum Access
{
    /// <summary>Inside the LAST of the 16 programmed ranges: the worst hit for an early-exit scan.</summary>
    Hit,
    /// <summary>Outside every range: all 16 registers are checked.</summary>
    Miss,
}

/// <summary>
/// The simulated hardware's filter check for one guest access (a read) on a core whose 16
/// range registers are programmed and locked by the sliceloader. <see cref="Machine"/> is
/// SimulatedMachine.FilterAllows as shipped (bounds, mode and permission checks included);
/// the other four are the bare kernel over the same precomputed layout (per-register base
/// and clamped size, so "address - base &lt; size" alone decides), copied into this class:
/// scalar early-exit loop, branch-free loop, Vector256 and Vector512.
/// </summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private const int Registers = 16;
    private BenchMachine rig = null!;
    private readonly ulong[] bases = new ulong[Registers];
    private readonly ulong[] sizes = new ulong[Registers];
    private ulong address;
    private int core;

    [Params(Access.Hit, Access.Miss)]
    public Access Where { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        rig = new BenchMachine();
        SliceRequest request = BenchMachine.LiveRequest(0);
        SliceResult c = rig.Visor.CreateSlice(request);
        if (!c.Ok || !rig.Visor.StartSlice(c.Slot).Ok)
        {
            throw new InvalidOperationException("could not start the slice");
        }
        core = 1;
        ReadOnlySpan<RangeRegister> registers = rig.Machine.RangeRegistersOf(core);
        for (int i = 0; i < Registers; i++)
        {
            RangeRegister r = registers[i];
            ulong room = 0UL - r.Base;
            bases[i] = r.Base;
            sizes[i] = (r.Permissions & Permissions.Read) == 0 ? 0 : r.Base != 0 && r.Size > room ? room : r.Size;
        }
        MemoryRange last = request.Ranges.Span[Registers - 1];
        address = Where == Access.Hit ? last.Base + 100 : last.Limit + 100;
        bool expected = Where == Access.Hit;
        if (Machine() != expected || Scalar() != expected || BranchFree() != expected
            || (Vector256.IsHardwareAccelerated && Vector256Kernel() != expected)
            || (Vector512.IsHardwareAccelerated && Vector512Kernel() != expected))
        {
            throw new InvalidOperationException("the kernels disagree");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => rig.Dispose();

    [Benchmark(Baseline = true)]
    public bool Machine() => rig.Machine.FilterAllows(core, address, Permissions.Read);

    [Benchmark]
    public bool Scalar()
    {
        ulong a = address;
        ulong[] b = bases, s = sizes;
        for (int i = 0; i < b.Length && i < s.Length; i++)
        {
            if (a - b[i] < s[i])
            {
                return true;
            }
        }
        return false;
    }

    [Benchmark]
    public bool BranchFree()
    {
        ulong a = address;
        ref ulong b = ref MemoryMarshal.GetArrayDataReference(bases);
        ref ulong s = ref MemoryMarshal.GetArrayDataReference(sizes);
        int hit = 0;
        for (int i = 0; i < Registers; i++)
        {
            hit |= a - Unsafe.Add(ref b, i) < Unsafe.Add(ref s, i) ? 1 : 0;
        }
        return hit != 0;
    }

    [Benchmark]
    public bool Vector256Kernel()
    {
        ref ulong b = ref MemoryMarshal.GetArrayDataReference(bases);
        ref ulong s = ref MemoryMarshal.GetArrayDataReference(sizes);
        Vector256<ulong> a = Vector256.Create(address);
        for (int i = 0; i < Registers; i += 4)
        {
            if (Vector256.LessThanAny(a - Vector256.LoadUnsafe(ref b, (nuint)i), Vector256.LoadUnsafe(ref s, (nuint)i)))
            {
                return true;
            }
        }
        return false;
    }

    [Benchmark]
    public bool Vector512Kernel()
    {
        ref ulong b = ref MemoryMarshal.GetArrayDataReference(bases);
        ref ulong s = ref MemoryMarshal.GetArrayDataReference(sizes);
        Vector512<ulong> a = Vector512.Create(address);
        for (int i = 0; i < Registers; i += 8)
        {
            if (Vector512.LessThanAny(a - Vector512.LoadUnsafe(ref b, (nuint)i), Vector512.LoadUnsafe(ref s, (nuint)i)))
            {
                return true;
            }
        }
        return false;
    }
}
