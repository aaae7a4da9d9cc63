using CoreSlice.Proofs;

namespace CoreSlice.Tests.Proofs;

/// <summary>A broken spec: text edits on the real spec, and the obligation that must catch it.</summary>
/// <param name="Why">The bug, in words.</param>
/// <param name="Obligation">The exact obligation name that must fail.</param>
/// <param name="Edits">(original text, broken text) pairs; each original occurs exactly once.</param>
public sealed record BrokenSpec(string Why, string Obligation, IReadOnlyList<(string From, string To)> Edits);

/// <summary>The broken-spec suite (issue 3: "the prover must be shown to have teeth").</summary>
public static class BrokenSpecs
{
    public static readonly IReadOnlyDictionary<string, BrokenSpec> All = new Dictionary<string, BrokenSpec>
    {
        ["create-without-overlap-check"] = new(
            "CreateSlice forgets RangeInUse: a new slice may take memory another slice owns",
            "CreateSlice/I1_Disjointness.table",
            [("(ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (memOwner s) x)))) SliceError.RangeInUse",
              "(ite false SliceError.RangeInUse")]),
        ["overflow-unsafe-range-arithmetic"] = new(
            "CreateSlice skips RangeWraps and tests reserved overlap with a wrapping base+size",
            "CreateSlice/I1_Disjointness.memory",
            [("(ite (not (representable b z)) SliceError.RangeWraps", "(ite false SliceError.RangeWraps"),
             ("(ite (exists ((x Addr)) (and (inRange x b z) (reservedMem x))) SliceError.RangeOverlapsReserved",
              "(ite (exists ((x Addr)) (and (bvule b x) (bvult x (bvadd b z)) (reservedMem x))) SliceError.RangeOverlapsReserved")]),
        ["reset-leaves-lock-set"] = new(
            "the secure reset in DestroySlice parks the core but leaves its lock bit set",
            "DestroySlice/I3_LockedGuest.unlockedIdle",
            [("(and (= (select (mode s2) c) CoreMode.Idle) (not (select (locked s2) c)) (core-regs-cleared s2 c))",
              "(and (= (select (mode s2) c) CoreMode.Idle) (= (select (locked s2) c) (select (locked s) c)) (core-regs-cleared s2 c))")]),
        ["destroy-without-scrub"] = new(
            "DestroySlice frees the memory without scrubbing it",
            "DestroySlice/I5_NoResidue",
            [("(ite (= (select (memOwner s) x) t) Owner.None (select (lastWriter s) x))", "(select (lastWriter s) x)")]),
        ["ipi-mask-includes-foreign-core"] = new(
            "the sliceloader's IPI mask also lets the guest interrupt core 0 (the control slice's)",
            "StartSlice/I2_FilterSoundness.ipi",
            [("(forall ((b Core)) (= (select (select (ipi s2) c) b) (= (select (coreOwner s) b) t)))",
              "(forall ((b Core)) (= (select (select (ipi s2) c) b) (or (= b #x0000) (= (select (coreOwner s) b) t))))")]),
        ["window-left-open-after-destroy"] = new(
            "DestroySlice never closes the slice's devices' IOMMU windows",
            "DestroySlice/I4_DmaConfinement",
            [("(forall ((d Dev)) (= (select (iommu s2) d)\n                           (ite (and (= (select (devOwner s) d) t) (not (= f SliceError.CoreResetFault))",
              "(forall ((d Dev)) (= (select (iommu s2) d)\n                           (ite (and false (= (select (devOwner s) d) t) (not (= f SliceError.CoreResetFault))")]),
        ["locked-register-writable"] = new(
            "the hardware lets software write a locked core's filter registers",
            "GuestWriteFilter/I3_LockedGuest.guest",
            [("(ite (select (locked s) (f.core a)) Refused SliceError.None)", "SliceError.None")]),
        ["start-skips-locking"] = new(
            "the sliceloader enters the guest without setting the lock bit",
            "StartSlice/I3_LockedGuest.guest",
            [("(and (= (select (mode s2) c) CoreMode.Guest) (select (locked s2) c) (core-regs-programmed s s2 c t))",
              "(and (= (select (mode s2) c) CoreMode.Guest) (core-regs-programmed s s2 c t))")]),
        ["create-without-core-in-use-check"] = new(
            "CreateSlice forgets CoreInUse: a core of a live slice is given to the new one",
            "CreateSlice/I3_LockedGuest.guest",
            [("(ite (not (= (select (coreOwner s) c) Owner.Free)) SliceError.CoreInUse", "(ite false SliceError.CoreInUse")]),
        ["load-without-bounds-check"] = new(
            "LoadImage forgets ImageOutsideMemory: an image may land in memory the slice does not own",
            "LoadImage/I5_NoResidue",
            [("(ite (not (Load.fits s a (l.k a))) SliceError.ImageOutsideMemory", "(ite false SliceError.ImageOutsideMemory")]),
    };

    /// <summary>The spec with the mutant's edits applied (each must match exactly once).</summary>
    public static Spec Apply(Spec spec, BrokenSpec m)
    {
        string text = spec.Text;
        foreach ((string from, string to) in m.Edits)
        {
            int at = text.IndexOf(from, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(from, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"mutation text does not occur exactly once: {from}");
            }
            text = string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
        }
        return new Spec
        {
            Text = text, Source = spec.Source + " (broken)", Invariants = spec.Invariants, Operations = spec.Operations,
            Properties = spec.Properties, Lemmas = spec.Lemmas, StepLemmas = spec.StepLemmas, Uses = spec.Uses,
        };
    }
}

/// <summary>Finds the repository's spec/ from the test's output directory.</summary>
public static class SpecLocator
{
    public static Spec RepositorySpec()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "spec", "obligations.txt")) && File.Exists(Path.Combine(d.FullName, "CoreSlice.sln")))
            {
                return Spec.FromDirectory(Path.Combine(d.FullName, "spec"));
            }
        }
        return Spec.BuiltIn();
    }
}
