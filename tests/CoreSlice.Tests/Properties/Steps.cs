using CoreSlice;
using CoreSlice.Harness.Steps;
using CoreSlice.Manager;
using FsCheck;
using FsCheck.Fluent;

namespace CoreSlice.Tests.Properties;

/// <summary>A step of a random run, as data: it prints in a failure report and shrinks.</summary>
public abstract record Step;

/// <summary>The manager plans a slice of this shape (first fit) and, unless How is None, breaks one field (hostile mode).</summary>
public sealed record CreateStep(int Cores, int Granules, int Devices, int Ways, Perturbation How, int Seed) : Step;

/// <summary>LoadImage into <paramref name="Slot"/> at an address chosen by <paramref name="Where"/>.</summary>
public sealed record LoadStep(SlotRef Slot, Target Where, int Pick, ulong Offset, int Length) : Step;

public sealed record StartStep(SlotRef Slot) : Step;

public sealed record DestroyStep(SlotRef Slot) : Step;

/// <summary>A guest (core or device <paramref name="Actor"/>) attempts <paramref name="Action"/> at an address chosen by <paramref name="Where"/>.</summary>
public sealed record GuestStep(GuestAction Action, int Actor, Target Where, int Pick, ulong Offset, int Length) : Step;

/// <summary>Injects a hardware fault on core or device <paramref name="Index"/>.</summary>
public sealed record FaultStep(FaultKind Kind, int Index, int Count) : Step;

public enum GuestAction { Load, Store, Fetch, DmaRead, DmaWrite, Ipi, WriteRangeRegister, WriteIpiMask, WriteWayMask, RequestReset }


public static class StepGen
{
    /// <summary>Steps for a machine with <paramref name="cores"/> cores, <paramref name="devices"/> devices and <paramref name="slots"/> slots.</summary>
    public static Gen<Step> For(int cores, int devices, int slots, int ways)
    {
        Gen<SlotRef> slot = Gen.Frequency(
            (7, Gen.Choose(0, 63).Select(n => new SlotRef(n, true))),
            (2, Gen.Choose(1, slots).Select(n => new SlotRef(n, false))),
            (1, Gen.Elements(0, -1, slots + 1, int.MaxValue, int.MinValue).Select(n => new SlotRef(n, false))));
        Gen<Target> target = Gen.Frequency(
            (4, Gen.Constant(Target.Own)), (2, Gen.Constant(Target.OtherSlice)), (1, Gen.Constant(Target.Control)),
            (1, Gen.Constant(Target.Reserved)), (1, Gen.Constant(Target.FreeRam)), (1, Gen.Constant(Target.BeyondRam)), (1, Gen.Constant(Target.Raw)));
        Gen<ulong> offset = Gen.Frequency(
            (6, Gen.Choose(0, 1 << 20).Select(i => (ulong)i)),
            (1, Gen.Elements(0UL, 4095UL, 4096UL, ulong.MaxValue, ulong.MaxValue - 3, 1UL << 63)));
        Gen<int> length = Gen.Frequency((8, Gen.Choose(0, 64)), (1, Gen.Choose(4000, 9000)));

        Gen<Step> create =
            from c in Gen.Choose(0, Math.Min(cores, 4))
            from g in Gen.Frequency((8, Gen.Choose(1, 64)), (1, Gen.Choose(65, 4096)))
            from d in Gen.Choose(0, Math.Min(devices, 3))
            from w in Gen.Choose(0, Math.Min(ways, 3))
            from how in Gen.Frequency((6, Gen.Constant(Perturbation.None)), (4, Gen.Elements(HostileRequests.All.ToArray())))
            from seed in Gen.Choose(0, 1000)
            select (Step)new CreateStep(c, g, d, w, how, seed);
        Gen<Step> load =
            from s in slot
            from t in target
            from p in Gen.Choose(0, 7)
            from o in offset
            from n in length
            select (Step)new LoadStep(s, t, p, o, n);
        Gen<Step> start = slot.Select(s => (Step)new StartStep(s));
        Gen<Step> destroy = slot.Select(s => (Step)new DestroyStep(s));
        Gen<Step> guest =
            from a in Gen.Elements(Enum.GetValues<GuestAction>())
            from actor in Gen.Frequency((12, Gen.Choose(0, Math.Max(cores, devices) - 1)), (1, Gen.Elements(-1, cores + devices, int.MaxValue)))
            from t in target
            from p in Gen.Choose(0, 7)
            from o in offset
            from n in length
            select (Step)new GuestStep(a, actor, t, p, o, n);
        Gen<Step> fault =
            from k in Gen.Elements(FaultKind.ResetFails, FaultKind.IommuFails, FaultKind.CorruptRegister)
            from i in Gen.Choose(0, Math.Max(cores, devices) - 1)
            from n in Gen.Choose(1, 2)
            select (Step)new FaultStep(k, i, n);
        return Gen.Frequency((5, create), (3, load), (4, start), (3, destroy), (8, guest), (1, fault));
    }

    /// <summary>Runs of 1..<paramref name="maxSteps"/> steps.</summary>
    public static Arbitrary<Step[]> Runs(int cores, int devices, int slots, int ways, int maxSteps) =>
        Arb.From(Gen.Choose(1, maxSteps).SelectMany(n => Gen.ArrayOf(For(cores, devices, slots, ways), n)), Shrink);

    /// <summary>Shrinks a run: halves, then drops one step at a time.</summary>
    public static IEnumerable<Step[]> Shrink(Step[] run)
    {
        if (run.Length > 1)
        {
            yield return run[..(run.Length / 2)];
            yield return run[(run.Length / 2)..];
        }
        for (int i = 0; i < run.Length; i++)
        {
            yield return [.. run[..i], .. run[(i + 1)..]];
        }
    }
}
