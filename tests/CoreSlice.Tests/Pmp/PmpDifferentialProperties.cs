using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// The PMP port against the abstract port: the same random slices created and started on
/// both (the PolarFire-SoC-like board, 16 entries per hart), then every hart's load, store
/// and fetch at and around every boundary — base-1, base, base+size-1, base+size, the
/// NAPOT edges (base-size, base+size/2, base+2*size-1) and the first granule's edge — of
/// every slice's ranges, the control memory and the reserved regions, single bytes and
/// 8-byte accesses that straddle them, plus every IPI: the AccessOutcome must be the same.
/// </summary>
public sealed class PmpDifferentialProperties(ITestOutputHelper output)
{
    private const ulong Granule = 4 * KiB;

    /// <summary>Windows of free RAM on the board (clear of firmware, slicevisor, slice table, control memory).</summary>
    private static readonly MemoryRange[] Windows = [new(0x8400_0000, 960 * MiB), new(0x10_0000_0000, 1024 * MiB)];

    private static readonly Gen<ulong> Size = Gen.Frequency(
        (3, Gen.Choose(12, 24).Select(log => 1UL << log)),                     // powers of two: NAPOT when aligned
        (3, Gen.Choose(1, 4096).Select(pages => (ulong)pages * Granule)),        // anything else: TOR
        (1, Gen.Elements(Granule, 3 * Granule, 2 * MiB + Granule)));

    /// <summary>One range: in a window, at an offset aligned to its size (NAPOT) or to a granule (TOR), or adjacent to the previous range.</summary>
    private static Gen<MemoryRange> RangeAfter(MemoryRange? previous) =>
        from size in Size
        from window in Gen.Elements(Windows)
        from aligned in Gen.Elements(true, false)
        from slots in Gen.Choose(0, int.MaxValue)
        from adjacent in Gen.Frequency((1, Gen.Constant(true)), (2, Gen.Constant(false)))
        select adjacent && previous is { } p
            ? new MemoryRange(p.Base + p.Size, size)
            : Place(window, size, aligned, (ulong)slots);

    private static MemoryRange Place(MemoryRange window, ulong size, bool aligned, ulong pick)
    {
        ulong step = aligned && System.Numerics.BitOperations.IsPow2(size) ? Math.Max(size, Granule) : Granule;
        ulong room = window.Size > size ? (window.Size - size) / step : 0;
        ulong offset = room == 0 ? 0 : (pick % room) * step;
        ulong baseAddress = ((window.Base + step - 1) / step * step) + offset;
        return new MemoryRange(baseAddress, size);
    }

    private static Gen<MemoryRange[]> Ranges(int count) =>
        count == 0
            ? Gen.Constant(Array.Empty<MemoryRange>())
            : Ranges(count - 1).SelectMany(earlier => RangeAfter(earlier.Length > 0 ? earlier[^1] : null).Select(r => (MemoryRange[])[.. earlier, r]));

    /// <summary>Up to three slices over harts 1..4 (disjoint), each with 1..4 ranges and one or two ways.</summary>
    private static readonly Gen<SliceRequest[]> Slices =
        from order in Gen.Shuffle(new[] { 1, 2, 3, 4 })
        from cuts in Gen.Choose(1, 3)
        from rangeCounts in Gen.ArrayOf(Gen.Choose(1, 4), 3)
        from r0 in Ranges(rangeCounts[0])
        from r1 in Ranges(rangeCounts[1])
        from r2 in Ranges(rangeCounts[2])
        select Build(order, cuts, [r0, r1, r2]);

    private static SliceRequest[] Build(int[] harts, int slices, MemoryRange[][] ranges)
    {
        var list = new List<SliceRequest>();
        int per = Math.Max(1, harts.Length / slices);
        for (int s = 0; s < slices; s++)
        {
            int[] cores = s == slices - 1 ? harts[(s * per)..] : harts[(s * per)..((s + 1) * per)];
            if (cores.Length == 0)
            {
                continue;
            }
            list.Add(Request(cores, ranges[s], 1UL << (2 + s)));
        }
        return [.. list];
    }

    private static IEnumerable<ulong> Probes(MemoryRange r)
    {
        ulong b = r.Base;
        ulong s = r.Size;
        return [b - 1, b, b + s - 1, b + s, b - s, b + (s / 2), b + (2 * s) - 1, b + Granule - 1, b + Granule, b + s - 4];
    }

    [Fact]
    public void The_PMP_port_and_the_abstract_port_give_the_same_outcome_at_every_boundary()
    {
        int compared = 0;
        int napotSeen = 0;
        int torReuseSeen = 0;
        int started = 0;
        int overBudget = 0;
        Prop.ForAll(Arb.From(Slices), requests =>
        {
            MachineConfig config = Board();
            var abstractMachine = new SimulatedMachine(config);
            using var abstractVisor = new Slicevisor<SimulatedHardwarePort>(config, abstractMachine.OpenPrivilegedPort());
            using PmpRig pmp = PolarFire();
            var probes = new List<MemoryRange>(config.ControlMemory);
            probes.AddRange(config.ReservedRegions.Select(r => r.Range));
            foreach (SliceRequest request in requests)
            {
                SliceResult a = abstractVisor.CreateSlice(request);
                SliceResult p = pmp.Visor.CreateSlice(request);
                if (p.Error == SliceError.PmpEntriesExceeded)
                {
                    Assert.True(a.Ok); // every other check is shared: only the entry budget is PMP's own
                    Assert.True(abstractVisor.DestroySlice(a.Slot).Ok);
                    overBudget++;
                    continue;
                }
                Assert.Equal(a, p);
                if (!a.Ok)
                {
                    continue;
                }
                Assert.Equal(abstractVisor.StartSlice(a.Slot), pmp.Visor.StartSlice(p.Slot));
                started++;
                probes.AddRange(request.Ranges.Span);
            }
            foreach (MemoryRange r in probes)
            {
                napotSeen += System.Numerics.BitOperations.IsPow2(r.Size) && r.Base % r.Size == 0 ? 1 : 0;
            }
            for (int core = 0; core < config.CoreCount; core++)
            {
                torReuseSeen += CountReuse(pmp.Machine, core);
                foreach (MemoryRange r in probes)
                {
                    foreach (ulong address in Probes(r))
                    {
                        foreach (int length in new[] { 1, 8 })
                        {
                            byte[] one = new byte[length];
                            byte[] two = new byte[length];
                            Assert.Equal(abstractMachine.GuestLoad(core, address, one), pmp.Machine.GuestLoad(core, address, two));
                            Assert.Equal(abstractMachine.GuestStore(core, address, one), pmp.Machine.GuestStore(core, address, two));
                        }
                        Assert.Equal(abstractMachine.GuestFetch(core, address), pmp.Machine.GuestFetch(core, address));
                        compared += 5;
                    }
                }
                for (int to = 0; to < config.CoreCount; to++)
                {
                    Assert.Equal(abstractMachine.GuestSendIpi(core, to), pmp.Machine.GuestSendIpi(core, to));
                    compared++;
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
        output.WriteLine($"{compared} outcomes compared; {started} slices started on both ports; {overBudget} over the PMP budget; {napotSeen} NAPOT-shaped ranges; {torReuseSeen} reused TOR bottoms");
        // Not vacuous: NAPOT ranges and TOR entries reusing a previous top both occurred.
        Assert.True(napotSeen > 50, $"only {napotSeen} NAPOT-shaped ranges");
        Assert.True(torReuseSeen > 10, $"only {torReuseSeen} reused TOR bottoms");
        Assert.True(compared > 100_000, $"only {compared} comparisons");
    }

    /// <summary>TOR entries whose predecessor is itself a TOR entry: a reused bottom.</summary>
    private static int CountReuse(PmpMachine machine, int core)
    {
        ReadOnlySpan<CoreSlice.Hardware.Pmp.PmpEntry> e = machine.EntriesOf(core);
        int n = 0;
        for (int i = 1; i < e.Length; i++)
        {
            n += e[i].Mode == CoreSlice.Hardware.Pmp.PmpCfg.Tor && e[i - 1].Mode == CoreSlice.Hardware.Pmp.PmpCfg.Tor ? 1 : 0;
        }
        return n;
    }
}
