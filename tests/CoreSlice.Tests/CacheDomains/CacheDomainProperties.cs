using System.Numerics;
using CoreSlice;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;

namespace CoreSlice.Tests.CacheDomains;

/// <summary>
/// Random runs on the two-socket machine: creates with random cores and random ways per
/// domain, starts and destroys. After every step the audit holds (per-domain I1, I2, I3, I6),
/// and every create's verdict on its ways is what a second, set-based statement of the rules
/// predicts (written here from SliceError's documentation, sharing nothing with the validator).
/// </summary>
public sealed class CacheDomainProperties
{
    private sealed record Op(int Kind, int[] Cores, ulong Way0, ulong Way1, int Slot);

    private static readonly Gen<ulong> Mask =
        Gen.Frequency((3, Gen.Constant(0UL)), (6, Gen.Choose(0, 7).Select(lo => 0b11UL << lo & 0xFF)), (2, Gen.Choose(0, 255).Select(m => (ulong)m)));

    // Socket 1 (CAT): mostly the three free aligned pairs, so its classes of service run out.
    private static readonly Gen<ulong> Socket1Mask =
        Gen.Frequency((2, Gen.Constant(0UL)), (8, Gen.Elements(0b1100UL, 0b11_0000UL, 0b1100_0000UL)), (3, Gen.Choose(0, 255).Select(m => (ulong)m)));

    private static readonly Gen<Op> Step =
        Gen.Frequency(
            (5, from cores in Gen.SubListOf(Enumerable.Range(1, 7).ToArray()).Where(c => c.Count > 0)
                from w0 in Mask
                from w1 in Socket1Mask
                select new Op(0, cores.ToArray(), w0, w1, 0)),
            // One core of socket 1 asking for socket 1's ways only: fills its classes of service.
            (4, from core in Gen.Choose(4, 7)
                from w1 in Socket1Mask
                select new Op(0, [core], 0, w1, 0)),
            (2, Gen.Choose(1, 8).Select(s => new Op(1, [], 0, 0, s))),
            (2, Gen.Choose(1, 8).Select(s => new Op(2, [], 0, 0, s))));

    /// <summary>The rules, stated over sets: which way error (if any) a create with free, valid cores must get.</summary>
    private static SliceError Expected(Rig rig, int[] cores, ulong[] masks)
    {
        var coreDomains = cores.Select(c => c / 4).ToHashSet();
        if (masks.All(m => m == 0))
        {
            return SliceError.WaysEmpty;
        }
        CacheDomain[] domains = [Socket0, Socket1];
        for (int d = 0; d < 2; d++)
        {
            ulong m = masks[d];
            if (m == 0)
            {
                continue;
            }
            if (m >> domains[d].Ways != 0)
            {
                return SliceError.WaysOutOfRange;
            }
            if (!coreDomains.Contains(d))
            {
                return SliceError.WaysForeignDomain;
            }
            if (Enumerable.Range(0, 64).Any(w => (m >> w & 1) != 0 && rig.Table.WayOwner(d, w) != Owner.Free))
            {
                return SliceError.WaysInUse;
            }
            string bits = Convert.ToString((long)m, 2).Trim('0');
            if (domains[d].ContiguousMasks && bits.Contains('0', StringComparison.Ordinal))
            {
                return SliceError.WaysNotContiguous;
            }
            if (BitOperations.PopCount(m) < domains[d].MinMaskWidth)
            {
                return SliceError.WaysTooNarrow;
            }
            int holders = Enumerable.Range(1, rig.Table.Capacity).Count(s => rig.Table[s].State != SliceState.Free && rig.Table[s].WaysIn(d) != 0);
            if (domains[d].MaxClassesOfService != 0 && holders + (domains[d].ControlWays != 0 ? 1 : 0) >= domains[d].MaxClassesOfService)
            {
                return SliceError.ClassesOfServiceExhausted;
            }
        }
        return coreDomains.FirstOrDefault(d => masks[d] == 0, -1) >= 0 ? SliceError.WaysMissingInDomain : SliceError.None;
    }

    [Fact]
    public void Random_runs_on_two_sockets_keep_the_audit_and_the_way_rules()
    {
        var seen = new HashSet<SliceError>();
        Prop.ForAll(Gen.ListOf(Step).Select(l => l.Take(30).ToArray()).ToArbitrary(), ops =>
        {
            using var rig = new Rig(Config());
            var audit = new InvariantAudit(rig.Visor, rig.Machine);
            foreach (Op op in ops)
            {
                SliceResult result;
                if (op.Kind == 0)
                {
                    bool coresFree = op.Cores.All(c => rig.Table.CoreOwner(c) == Owner.Free);
                    SliceError expected = coresFree ? Expected(rig, op.Cores, [op.Way0, op.Way1]) : SliceError.CoreInUse;
                    // Memory keyed by the first core: a free core's range is free (its last holder is gone).
                    ulong at = (2UL << 30) + ((ulong)op.Cores[0] << 20);
                    result = rig.Visor.CreateSlice(new SliceRequest
                    {
                        Cores = op.Cores, Ranges = new[] { new MemoryRange(at, 64 << 10) }, EntryPoint = at,
                        Ways = op.Way0, DomainWays = op.Way1 == 0 ? Array.Empty<DomainWays>() : [new DomainWays(1, op.Way1)],
                    });
                    seen.Add(result.Error);
                    if (result.Error != expected)
                    {
                        return false.Label($"create {string.Join(",", op.Cores)} 0x{op.Way0:x}/0x{op.Way1:x}: {result.Error}, expected {expected}");
                    }
                }
                else
                {
                    result = op.Kind == 1 ? rig.Visor.StartSlice(op.Slot) : rig.Visor.DestroySlice(op.Slot);
                }
                IReadOnlyList<Violation> violations = audit.CheckAll();
                if (violations.Count != 0)
                {
                    return false.Label($"after {op}: {violations[0]}");
                }
                rig.KeepLogRoom();
            }
            return true.ToProperty();
        }).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(200));
        // Not vacuous: successes and every way rule were exercised.
        SliceError[] rules =
        [
            SliceError.None, SliceError.WaysEmpty, SliceError.WaysInUse, SliceError.WaysForeignDomain, SliceError.WaysMissingInDomain,
            SliceError.WaysNotContiguous, SliceError.WaysTooNarrow, SliceError.ClassesOfServiceExhausted,
        ];
        Assert.Empty(rules.Except(seen));
    }
}
