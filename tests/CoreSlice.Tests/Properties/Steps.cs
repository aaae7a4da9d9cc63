using CoreSlice;
using CoreSlice.Harness.Steps;
using CoreSlice.Manager;
using FsCheck;
using FsCheck.Fluent;
using CoreSlice.Tests.ModelBased;

namespace CoreSlice.Tests.Properties;

/// <summary>
/// The manager plans a slice of this shape (first fit) and, unless How is None, breaks one field
/// (hostile mode): resolved against the real state, so the request is what a manager would send.
/// </summary>
public sealed record PlannedCreateIntent(int Cores, int Granules, int Devices, int Ways, Perturbation How, int Seed) : Intent;

/// <summary>LoadImage into <paramref name="Slot"/> at an address chosen by <paramref name="Where"/>.</summary>
public sealed record LoadAtIntent(SlotRef Slot, Target Where, int Pick, ulong Offset, int Length) : Intent;

/// <summary>Random runs of intents for the property tests (the harness's step vocabulary underneath).</summary>
public static class StepGen
{
    /// <summary>The guest and device actions these runs try (the mailbox's GuestAttest is the model-based tests').</summary>
    public static readonly StepKind[] GuestActions =
    [
        StepKind.GuestLoad, StepKind.GuestStore, StepKind.GuestFetch, StepKind.DmaRead, StepKind.DmaWrite, StepKind.SendIpi,
        StepKind.WriteRangeRegister, StepKind.WriteIpiMask, StepKind.WriteWayMask, StepKind.RequestReset,
    ];

    /// <summary>Steps for a machine with <paramref name="cores"/> cores, <paramref name="devices"/> devices and <paramref name="slots"/> slots.</summary>
    public static Gen<Intent> For(int cores, int devices, int slots, int ways)
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

        Gen<Intent> create =
            from c in Gen.Choose(0, Math.Min(cores, 4))
            from g in Gen.Frequency((8, Gen.Choose(1, 64)), (1, Gen.Choose(65, 4096)))
            from d in Gen.Choose(0, Math.Min(devices, 3))
            from w in Gen.Choose(0, Math.Min(ways, 3))
            from how in Gen.Frequency((6, Gen.Constant(Perturbation.None)), (4, Gen.Elements(HostileRequests.All.ToArray())))
            from seed in Gen.Choose(0, 1000)
            select (Intent)new PlannedCreateIntent(c, g, d, w, how, seed);
        Gen<Intent> load =
            from s in slot
            from t in target
            from p in Gen.Choose(0, 7)
            from o in offset
            from n in length
            select (Intent)new LoadAtIntent(s, t, p, o, n);
        Gen<Intent> start = slot.Select(s => (Intent)new StartIntent(s));
        Gen<Intent> destroy = slot.Select(s => (Intent)new DestroyIntent(s));
        Gen<Intent> guest =
            from a in Gen.Elements(GuestActions)
            from actor in Gen.Frequency((12, Gen.Choose(0, Math.Max(cores, devices) - 1)), (1, Gen.Elements(-1, cores + devices, int.MaxValue)))
            from t in target
            from p in Gen.Choose(0, 7)
            from o in offset
            from n in length
            select (Intent)new GuestIntent(a, actor, t, p, o, n);
        Gen<Intent> fault =
            from k in Gen.Elements(FaultKind.ResetFails, FaultKind.IommuFails, FaultKind.CorruptRegister)
            from i in Gen.Choose(0, Math.Max(cores, devices) - 1)
            from n in Gen.Choose(1, 2)
            select (Intent)new FaultIntent(k, i, n);
        return Gen.Frequency((5, create), (3, load), (4, start), (3, destroy), (8, guest), (1, fault));
    }

    /// <summary>Runs of 1..<paramref name="maxSteps"/> steps.</summary>
    public static Arbitrary<Intent[]> Runs(int cores, int devices, int slots, int ways, int maxSteps) =>
        Arb.From(Gen.Choose(1, maxSteps).SelectMany(n => Gen.ArrayOf(For(cores, devices, slots, ways), n)), Shrink);

    /// <summary>Shrinks a run: halves, then drops one step at a time.</summary>
    public static IEnumerable<Intent[]> Shrink(Intent[] run)
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
