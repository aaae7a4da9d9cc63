using CoreSlice.Proofs;

namespace CoreSlice.Tests.Proofs;

/// <summary>A broken spec: text edits on the real spec (and its manifest), and the obligation that must catch it.</summary>
/// <param name="Why">The bug, in words.</param>
/// <param name="Obligation">The obligation that must fail (a result whose name is this, or this followed by #n).</param>
/// <param name="Edits">(original text, broken text) pairs; each original occurs exactly once. An empty original appends.</param>
/// <param name="ManifestEdits">The same, on obligations.txt.</param>
/// <param name="NotEstablished">
/// The searches do not establish a counterexample for it within their budgets on this machine (measured, see
/// spec/README.md, "How counterexamples are found"): the suite then holds verify to the weaker promise, that the
/// broken obligation is not proved (unknown or failed) and verify exits non-zero.
/// </param>
public sealed record BrokenSpec(string Why, string Obligation, IReadOnlyList<(string From, string To)> Edits,
    IReadOnlyList<(string From, string To)>? ManifestEdits = null, bool NotEstablished = false);

/// <summary>The broken-spec suite: the prover must be shown to have teeth.</summary>
public static class BrokenSpecs
{
    public static readonly IReadOnlyDictionary<string, BrokenSpec> All = new Dictionary<string, BrokenSpec>
    {
        ["create-without-overlap-check"] = new(
            "CreateSlice forgets RangeInUse: a new slice may take memory another slice owns (the lemma CreateSlice/I1.table relies on fails)",
            "lemma/Lemma_CreateOk_RangesFree",
            [("(ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (memOwner s) x)))) SliceError.RangeInUse",
              "(ite false SliceError.RangeInUse")]),
        ["overflow-unsafe-range-arithmetic"] = new(
            "CreateSlice skips RangeWraps and tests reserved overlap with a wrapping base+size (a range over the top of memory " +
            "takes reserved bytes; CreateSlice/I1_Disjointness.memory assumes the lemma this breaks, through Lemma_Create_Step)",
            "lemma/Lemma_CreateOk_RangesFree",
            [("(ite (not (representable b z)) SliceError.RangeWraps", "(ite false SliceError.RangeWraps"),
             ("(ite (exists ((x Addr)) (and (inRange x b z) (reservedMem x))) SliceError.RangeOverlapsReserved",
              "(ite (exists ((x Addr)) (and (bvule b x) (bvult x (bvadd b z)) (reservedMem x))) SliceError.RangeOverlapsReserved")]),
        ["reset-leaves-lock-set"] = new(
            "the secure reset in DestroySlice parks the core but leaves its lock bit set",
            "DestroySlice/I3_LockedGuest.unlockedIdle",
            [("(and (= (select (mode s2) c) CoreMode.Idle) (not (select (locked s2) c)) (core-regs-cleared s2 c) (core-ipi-cleared s2 c))",
              "(and (= (select (mode s2) c) CoreMode.Idle) (= (select (locked s2) c) (select (locked s) c)) (core-regs-cleared s2 c) (core-ipi-cleared s2 c))")]),
        ["destroy-without-scrub"] = new(
            "DestroySlice frees the memory without scrubbing it",
            "DestroySlice/I5_NoResidue",
            [("(ite (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))\n                                           Owner.None (select (lastWriter s) x))", "(select (lastWriter s) x)")]),
        ["ipi-mask-includes-foreign-core"] = new(
            "the sliceloader's IPI mask also lets the guest interrupt core 0 (the control slice's)",
            "StartSlice/I2_FilterSoundness.ipi",
            [("(forall ((b Core)) (= (select (select (ipi s2) c) b) (= (select (coreOwner s) b) t)))",
              "(forall ((b Core)) (= (select (select (ipi s2) c) b) (or (= b #x0000) (= (select (coreOwner s) b) t))))")]),
        ["window-left-open-after-destroy"] = new(
            "DestroySlice never closes the slice's devices' IOMMU windows",
            "DestroySlice/I4_DmaConfinement.iommu",
            [("(forall ((d Dev)) (= (select (iommu s2) d)\n                           (ite (and (= (select (devOwner s) d) t) (not (= f SliceError.CoreResetFault))",
              "(forall ((d Dev)) (= (select (iommu s2) d)\n                           (ite (and false (= (select (devOwner s) d) t) (not (= f SliceError.CoreResetFault))")]),
        ["locked-register-writable"] = new(
            "the hardware lets software write a locked core's filter registers",
            "GuestWriteFilter/I3_LockedGuest.guest",
            [("            (not (select (locked s) (f.core a))))\n       SliceError.None Refused))", "            true)\n       SliceError.None Refused))")]),
        ["start-skips-locking"] = new(
            "the sliceloader enters the guest without setting the lock bit",
            "StartSlice/I3_LockedGuest.guest",
            [("(and (= (select (mode s2) c) CoreMode.Guest) (select (locked s2) c) (core-regs-programmed s s2 c t) (core-ipi-cleared s2 c))",
              "(and (= (select (mode s2) c) CoreMode.Guest) (core-regs-programmed s s2 c t) (core-ipi-cleared s2 c))")]),
        ["create-without-core-in-use-check"] = new(
            "CreateSlice forgets CoreInUse: a core of a live slice is given to the new one (CreateSlice/I3.guest assumes the step lemma this breaks)",
            "lemma/Lemma_CreateOk_CoresFree",
            [("(ite (not (= (select (coreOwner s) c) Owner.Free)) SliceError.CoreInUse", "(ite false SliceError.CoreInUse")]),
        ["create-without-way-in-use-check"] = new(
            "CreateSlice forgets WaysInUse: a way another slice holds is given to the new one as well",
            "lemma/Lemma_CreateOk_WaysFree",
            [("(ite (Create.inUse s a d) SliceError.WaysInUse", "(ite false SliceError.WaysInUse")]),
        ["reserved-memory-ownable"] = new(
            "I1.memory lets a slot own reserved memory (it only says a Reserved-owned byte is reserved): the slicevisor's own memory may sit in a slot's table",
            "Inv/S9_TcbProtection",
            [("  (forall ((a Addr)) (let ((o (select (memOwner s) a)))\n    (and (= (= o Owner.Reserved) (reservedMem a))",
              "  (forall ((a Addr)) (let ((o (select (memOwner s) a)))\n    (and (=> (= o Owner.Reserved) (reservedMem a))")]),
        ["load-without-bounds-check"] = new(
            "LoadImage forgets ImageOutsideMemory: an image may land in memory the slice does not own",
            "lemma/Lemma_LoadOk_WritesOwned",
            [("(ite (not (Load.fits s a (l.k a))) SliceError.ImageOutsideMemory", "(ite false SliceError.ImageOutsideMemory")]),
        // ---- the spec says something at top level
        ["top-level-assert-false"] = new("a spec file ends with (assert false): every query would be unsat", "spec/language",
            [(string.Empty, "\n(assert false)\n")]),
        ["stray-closing-parenthesis"] = new("a spec file ends with a ')' that closes nothing (the reader once looped on it until memory ran out)", "spec/language",
            [(string.Empty, "\n)\n")]),
        ["machine-size-defined"] = new("nCores written as a definition: the proof would be about 4-core machines only", "spec/language",
            [("(declare-const nCores Core)", "(define-fun nCores () Core #x0004)")]),
        ["hidden-size-in-wellformed"] = new("Machine_WellFormed fixes nCores = 4: the proof would be about 4-core machines only",
            "prelude/Machine_WellFormed/1core-1slot",
            [("(and (bvule #x0001 nCores) (bvule nCores #x0400)", "(and (= nCores #x0004)")]),
        ["unbalanced-parentheses"] = new("a definition loses its closing parenthesis (the rest of the file is swallowed)", "spec/language",
            [("(define-fun free-if ((o Slot) (t Slot)) Slot (ite (= o t) Owner.Free o))", "(define-fun free-if ((o Slot) (t Slot)) Slot (ite (= o t) Owner.Free o)")]),
        ["push-in-spec"] = new("a spec file opens a solver scope", "spec/language", [(string.Empty, "\n(push 1)\n")]),
        ["redeclared-owner-free"] = new("a later file redefines Owner.Free as 0 (the control slice)", "spec/language",
            [(string.Empty, "\n(define-fun Owner.Free () Slot #x0000)\n")]),
        ["semantic-set-option"] = new("a spec file switches off model-based quantifier instantiation", "spec/language",
            [(string.Empty, "\n(set-option :smt.mbqi false)\n")]),
        ["lemma-steps-not-instances"] = new("a stepped lemma assumes a fact that is not an instance of a proved lemma",
            "lemma/Lemma_CoveredImageInsideRange", [("(Bv.GeChain a x b)", "(bvuge a b)")]),
        // ---- the manifest leaves something out
        ["manifest-omits-clause"] = new("obligations.txt forgets the ways clause of I1", "manifest/I1_Disjointness", [],
            [("invariant I1_Disjointness I1_Disjointness.cores I1_Disjointness.devices I1_Disjointness.ways ", "invariant I1_Disjointness I1_Disjointness.cores I1_Disjointness.devices "),
             // and the selections that name it, which would otherwise be refused as naming no clause
             ("prove Inv/S1_ExclusiveResources uses I1_Disjointness.cores I1_Disjointness.devices I1_Disjointness.ways ", "prove Inv/S1_ExclusiveResources uses I1_Disjointness.cores I1_Disjointness.devices "),
             ("S10_NoGuestToGuest.ways uses I1_Disjointness.ways ", "S10_NoGuestToGuest.ways uses "),
             ("prove CreateSlice/I1_Disjointness.ways uses I1_Disjointness.ways Lemma_Create_Step Lemma_Create_WaysStep\n", string.Empty),
             ("owners uses I1_Disjointness.cores I1_Disjointness.devices I1_Disjointness.ways pre", "owners uses I1_Disjointness.cores I1_Disjointness.devices pre")]),
        ["manifest-omits-invariant"] = new("obligations.txt forgets I4 (and the selections that name it, which would otherwise be refused as naming no clause)",
            "manifest/Inv", [], [("invariant I4_DmaConfinement I4_DmaConfinement.iommu I4_DmaConfinement.table\n", string.Empty), (" I4_DmaConfinement I5_NoResidue\n", " I5_NoResidue\n"),
             (" I3_LockedGuest.guest I4_DmaConfinement\n", " I3_LockedGuest.guest\n"), (" I4_DmaConfinement I3_LockedGuest.guest\n", " I3_LockedGuest.guest\n"),
             (" I4_DmaConfinement I2_FilterSoundness.ranges I3_LockedGuest.guest\n", " I2_FilterSoundness.ranges I3_LockedGuest.guest\n"),
             ("prove CreateSlice/I4_DmaConfinement.iommu uses I4_DmaConfinement.iommu Lemma_Create_Step Lemma_Create_DevStep\n", string.Empty),
             ("prove CreateSlice/I4_DmaConfinement.table uses I1_Disjointness.memory I1_Disjointness.windows I4_DmaConfinement.table Lemma_Create_Step Lemma_Create_DmaStep Lemma_Create_DmaInRange Lemma_Create_DmaInWindow\n", string.Empty),
             ("prove GuestDma/NI1_OutputConsistency uses I1_Disjointness.table I4_DmaConfinement.iommu I4_DmaConfinement.table NI.Lemma_GuestDmaErr\n", string.Empty)]),
        ["manifest-omits-property"] = new("obligations.txt forgets S4", "manifest/coverage/S4_InterruptConfinement", [],
            [("property S4_InterruptConfinement\n", string.Empty)]),
        ["manifest-selection-typo"] = new("a hypothesis selection names a property that does not exist (it would select nothing)",
            "manifest/uses/Inv/S7_NoResidu", [], [("prove Inv/S7_NoResidue uses", "prove Inv/S7_NoResidu uses")]),
        // ---- contradictory effects
        ["start-frame-contradiction"] = new("StartSlice also says every core register stays the same (contradicts programming)",
            "successor/StartSlice/None",
            [("(forall ((c Core)) (core-step s s2 c (Start.coreAct s a c) t))", "(forall ((c Core)) (core-step s s2 c (Start.coreAct s a c) t)) (same-cores s s2)")]),
        ["destroy-scrub-contradiction"] = new("DestroySlice frees the slot and also keeps memory unchanged (contradicts the scrub)",
            "successor/DestroySlice/None",
            [("(= (st s2) (store (st s) t SliceState.Free))", "(= (st s2) (store (st s) t SliceState.Free)) (same-memory s s2)")]),
        ["guest-write-contradiction"] = new("a guest store also keeps memory unchanged", "successor/GuestAccess/None",
            [("(and (= (lastWriter s2) (store (lastWriter s) (g.addr a) (select (coreOwner s) (g.core a))))",
              "(and (= (lastWriter s2) (store (lastWriter s) (g.addr a) (select (coreOwner s) (g.core a)))) (same-memory s s2)")]),
        ["create-state-contradiction"] = new("CreateSlice marks the slot Created and also leaves the slot table unchanged",
            "successor/CreateSlice/None",
            [("(= (st s2) (store (st s) t SliceState.Created))", "(= (st s2) (store (st s) t SliceState.Created)) (= (st s2) (st s))")]),
        ["create-in-use-misses-last-byte"] = new("CreateSlice's RangeInUse check stops one byte short of the range's end",
            "lemma/Lemma_CreateOk_RangesFree",
            [("(ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (memOwner s) x)))) SliceError.RangeInUse",
              "(ite (exists ((x Addr)) (and (inRange x b (bvsub z #x0000000000000001)) (isGuest (select (memOwner s) x)))) SliceError.RangeInUse")],
            NotEstablished: true),
        ["destroy-keeps-table-row"] = new("DestroySlice frees the slot but leaves its range count in the table row",
            "DestroySlice/I1_Disjointness.freeRows",
            [("(= (tblN s2) (store (tblN s) t #x0000))", "(= (tblN s2) (tblN s))")]),
        ["reset-fault-halts-any-core"] = new("a reset fault in DestroySlice halts the core the fault names, and nothing says that core is the slot's",
            "DestroySlice/I3_LockedGuest.absentCores",
            [("(and (= (select (coreOwner s) (x.fcore a)) (x.slot a)) (not (select (x.doneCore a) (x.fcore a))))",
              "(not (select (x.doneCore a) (x.fcore a)))"),
             ("(ite (not (= (select (coreOwner s) c) (x.slot a))) Act.Keep\n  (ite (not (= (x.fault a) SliceError.CoreResetFault)) Act.Park",
              "(ite (and (= (x.fault a) SliceError.CoreResetFault) (= c (x.fcore a))) Act.ResetHalt\n  (ite (not (= (select (coreOwner s) c) (x.slot a))) Act.Keep\n  (ite (not (= (x.fault a) SliceError.CoreResetFault)) Act.Park"),
             ("(ite (= c (x.fcore a)) Act.ResetHalt Act.Keep)))))", "(ite (= c (x.fcore a)) Act.ResetHalt Act.Keep))))))")]),
        // ---- sharing (issue 13): windows and permissions
        ["window-shared-by-two-guests"] = new("CreateSlice forgets WindowInUse: a window another guest holds is lent to a second guest",
            "lemma/Lemma_CreateOk_WindowsFree",
            [("(ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (winOwner s) x)))) SliceError.WindowInUse", "(ite false SliceError.WindowInUse")]),
        ["window-outside-control"] = new("CreateSlice forgets WindowOutsideControl: a window may lie in free or another guest's memory",
            "lemma/Lemma_CreateOk_WindowsFree",
            [("(ite (exists ((x Addr)) (and (inRange x b z) (not (controlMem x)))) SliceError.WindowOutsideControl", "(ite false SliceError.WindowOutsideControl")]),
        ["window-executable"] = new("CreateSlice accepts any non-empty window permission, execute included",
            "lemma/Lemma_CreateOk_WindowsFree",
            [("(ite (not (or (= p Permissions.Read) (= p (bvor Permissions.Read Permissions.Write)))) SliceError.WindowPermissionsInvalid",
              "(ite (= p Permissions.None) SliceError.WindowPermissionsInvalid")]),
        ["read-only-window-programmed-writable"] = new("the sliceloader programs every window register writable, a read-only window included",
            "StartSlice/I2_FilterSoundness.ranges",
            [("(ite (winRow s t i) (select (select (tblWPerm s) t) (bvsub i (select (tblN s) t))) Permissions.None)))",
              "(ite (winRow s t i) (bvor Permissions.Write (select (select (tblWPerm s) t) (bvsub i (select (tblN s) t)))) Permissions.None)))")]),
        ["start-widens-window-rows"] = new("StartSlice rewrites the slot's window rows read-write as it starts it: the table no longer says what create checked",
            "StartSlice/T5_StaticRows",
            [("(same-rows s s2) (= (entry s2) (entry s)) (= (meas s2) (meas s))\n         ; the IOMMU windows come first",
              "(= (tblN s2) (tblN s)) (= (tblBase s2) (tblBase s)) (= (tblSize s2) (tblSize s)) (= (tblPerm s2) (tblPerm s))\n" +
              "         (= (tblWN s2) (tblWN s)) (= (tblWBase s2) (tblWBase s)) (= (tblWSize s2) (tblWSize s))\n" +
              "         (= (tblWPerm s2) (store (tblWPerm s) t ((as const (Array Idx Perm)) Permissions.ReadWrite)))\n" +
              "         (= (tblDN s2) (tblDN s)) (= (tblDDev s2) (tblDDev s)) (= (tblDBase s2) (tblDBase s)) (= (tblDSize s2) (tblDSize s))\n" +
              "         (= (tblDPerm s2) (tblDPerm s)) (= (entry s2) (entry s)) (= (meas s2) (meas s))\n         ; the IOMMU windows come first")]),
        ["window-not-scrubbed-on-reuse"] = new("DestroySlice scrubs the slot's own memory but not its windows: the next guest given the window reads the old one's data",
            "DestroySlice/I5_NoResidue",
            [("(ite (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))\n                                           Owner.None (select (lastWriter s) x))",
              "(ite (= (select (memOwner s) x) t)\n                                           Owner.None (select (lastWriter s) x))")]),
        ["dma-range-outside-slice"] = new("CreateSlice accepts a DMA range that lies outside the slice's private ranges and windows (CreateSlice/I4.table assumes the step lemma this breaks, so the bug is named at the lemma)",
            "lemma/Lemma_CreateOk_DmaRows",
            [("(ite (not (Create.dmaInside a b z)) SliceError.DmaRangeOutsideSlice", "(ite false SliceError.DmaRangeOutsideSlice")]),
        ["weak-dma-table"] = new("I4.table forgets the permissions: a DMA row need only lie in the slot's memory or windows", "negative/I4_DmaConfinement.table",
            [("           (and (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))\n                (= (bvand (select (select (tblDPerm s) t) j) (select (addrPerm s) x)) (select (select (tblDPerm s) t) j))))",
              "           (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t)))")]),
        ["weak-windows"] = new("I1.windows forgets that a window lies in control memory", "negative/I1_Disjointness.windows",
            [("(and (live s w) (controlMem a)\n", "(and (live s w)\n")]),
        // ---- weakened clauses
        ["weak-no-residue"] = new("I5 accepts any guest as last writer", "negative/I5_NoResidue",
            [("(or (= w Owner.None)\n        (and (= w o) (not (= o Owner.Free)) (not (= o Owner.Reserved)))\n        (and (isGuest w) (= w (select (winOwner s) a)))))))",
              "(or (= w Owner.None) (isGuest w)\n        (and (= w o) (not (= o Owner.Free)) (not (= o Owner.Reserved)))\n        (and (isGuest w) (= w (select (winOwner s) a)))))))")]),
        ["weak-table-count"] = new("I1.table forgets that a live slot has at most nRR ranges", "negative/I1_Disjointness.table",
            [("(and (forall ((t Slot)) (=> (live s t) (and (bvule (select (tblN s) t) nRR)", "(and (forall ((t Slot)) (=> (live s t) (and true")]),
        ["weak-free-rows"] = new("I1.freeRows speaks only of guest slots past the machine (a Free slot may keep its row)",
            "negative/I1_Disjointness.freeRows",
            [("(forall ((t Slot)) (=> (not (live s t)) (and (= (select (tblN s) t) #x0000) (= (select (tblWN s) t) #x0000)",
              "(forall ((t Slot)) (=> (and (not (live s t)) (bvugt t nSlots)) (and (= (select (tblN s) t) #x0000) (= (select (tblWN s) t) #x0000)")]),
        ["weak-absent-cores"] = new("I3.absentCores checks the mode of a core past the machine but not its lock",
            "negative/I3_LockedGuest.absentCores",
            [("(and (= (select (mode s) c) CoreMode.Idle) (not (select (locked s) c))\n                              (core-regs-cleared s c) (core-ipi-cleared s c)))))",
              "(and (= (select (mode s) c) CoreMode.Idle)\n                              (core-regs-cleared s c) (core-ipi-cleared s c)))))")]),
        ["weak-unlocked-idle"] = new("I3.unlockedIdle covers only Loader-mode cores", "negative/I3_LockedGuest.unlockedIdle",
            [("(forall ((c Core)) (and (=> (or (= (select (mode s) c) CoreMode.Idle)", "(forall ((c Core)) (and (=> (or false")]),
        ["weak-way-filter"] = new("I2.ways accepts any way not reserved", "negative/I2_FilterSoundness.ways",
            [("(and (= (select (wayOwner s) w) (select (coreOwner s) c)) (wayInCoreDomain w c)))))", "(not (= (select (wayOwner s) w) Owner.Reserved)))))")]),
        ["permission-typo-in-I2"] = new("I2.ranges constrains only read-write-execute registers (a read-only one escapes)",
            "negative/I2_FilterSoundness.ranges",
            [("CoreMode.Guest)\n             (bvult i nRR) (not (= (select (select (rrPerm s) c) i) Permissions.None))",
              "CoreMode.Guest)\n             (bvult i nRR) (= (select (select (rrPerm s) c) i) Permissions.ReadWriteExecute)")]),
        // ---- wrong index in a mask, off-by-one at an interval end
        ["way-mask-every-owned-way"] = new("the sliceloader's way mask takes every owned way, not the slot's", "StartSlice/I2_FilterSoundness.ways",
            [("(forall ((w Way)) (= (select (select (wmask s2) c) w) (and (= (select (wayOwner s) w) t) (wayInCoreDomain w c))))",
              "(forall ((w Way)) (= (select (select (wmask s2) c) w) (not (= (select (wayOwner s) w) Owner.Free))))")]),
        ["covers-off-by-one"] = new("MemoryRange.Covers lets an image run one byte past the range's end", "lemma/Lemma_CoveredImageInsideRange",
            [("(bvule n (bvsub z (bvsub x b)))", "(bvule n (bvadd (bvsub z (bvsub x b)) #x0000000000000001))")]),
        ["core-bound-off-by-one"] = new("I1.cores lets core nCores (one past the machine) be owned", "negative/I1_Disjointness.cores",
            [("(=> (bvuge c nCores) (= o Owner.Free))", "(=> (bvugt c nCores) (= o Owner.Free))")]),
        // ---- reset of foreign cores, load/start while running, a guest reset honoured
        ["destroy-clears-every-window"] = new(
            "DestroySlice clears the whole window map, not only its slot's windows: a live guest's table rows name windows it no longer holds (DestroySlice/I1.windowTable assumes the step lemma this breaks)",
            "lemma/Lemma_DestroySlice_Table",
            [("(= (select (winOwner s2) x) (free-if (select (winOwner s) x) t))",
              "(= (select (winOwner s2) x) Owner.Free)")]),
        ["destroy-resets-foreign-cores"] = new("DestroySlice resets every owned core, not only the slot's", "DestroySlice/T1_LockStability",
            [("(ite (not (= (select (coreOwner s) c) (x.slot a))) Act.Keep", "(ite (= (select (coreOwner s) c) Owner.Free) Act.Keep")]),
        ["load-while-running"] = new("LoadImage accepts any non-Free slot (a Running one too)", "successor/LoadImage/WrongState",
            [("(ite (not (= (select (st s) (l.slot a)) SliceState.Created)) SliceError.WrongState", "(ite (= (select (st s) (l.slot a)) SliceState.Free) SliceError.WrongState")]),
        ["start-while-running"] = new("StartSlice accepts a Running slot again", "successor/StartSlice/WrongState",
            [("(ite (not (= (select (st s) (p.slot a)) SliceState.Created)) SliceError.WrongState", "(ite (= (select (st s) (p.slot a)) SliceState.Free) SliceError.WrongState")]),
        ["guest-reset-honoured"] = new("a guest's reset request is no longer refused", "successor/GuestResetRequest/None",
            [("(define-fun GuestResetRequest_err ((s State) (a ResetArgs)) Err Refused)", "(define-fun GuestResetRequest_err ((s State) (a ResetArgs)) Err SliceError.None)")]),
        // ---- the decision log, attestation and IPI delivery as state; reset authority over every transition
        ["ipi-delivered-without-mask"] = new("the hardware delivers a guest's IPI to any core, whatever its IPI mask says",
            "GuestIpi/I2_FilterSoundness.delivered",
            [("(ite (and (= (select (mode s) (i.from a)) CoreMode.Guest) (select (select (ipi s) (i.from a)) (i.to a)))",
              "(ite (= (select (mode s) (i.from a)) CoreMode.Guest)")]),
        ["reset-keeps-delivered-interrupts"] = new("the secure reset that parks a core keeps the interrupts it had received",
            "DestroySlice/I2_FilterSoundness.delivered",
            [("(and (= (select (mode s2) c) CoreMode.Idle) (not (select (locked s2) c)) (core-regs-cleared s2 c) (core-ipi-cleared s2 c))",
              "(and (= (select (mode s2) c) CoreMode.Idle) (not (select (locked s2) c)) (core-regs-cleared s2 c))")]),
        ["start-resets-foreign-cores"] = new("StartSlice secure-resets and programs every core that is not the control slice's, not only the slot's",
            "StartSlice/T2_ResetAuthority",
            [("(ite (not (= (select (coreOwner s) c) (p.slot a))) Act.Keep", "(ite (= (select (coreOwner s) c) Owner.Control) Act.Keep")]),
        ["attest-changes-state"] = new("Attest clears the measurement it reports (an attestation that changes the state)", "Attest/T4_LogOnly",
            [("(ite (Log.full s) (LogFull s s2) (and (Log.append s s2) (same-but-log s s2))))\n(define-fun Attest_target",
              "(ite (Log.full s) (LogFull s s2) (and (Log.append s s2) (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2) (same-memory s s2)\n" +
              "       (= (st s2) (st s)) (= (tblN s2) (tblN s)) (= (tblBase s2) (tblBase s)) (= (tblSize s2) (tblSize s)) (= (entry s2) (entry s))\n" +
              "       (= (meas s2) (store (meas s) (at.slot a) #x0000000000000000)))))\n(define-fun Attest_target")]),
        ["drain-drops-entries"] = new("DrainLog discards the entries it takes instead of handing them out", "DrainLog/I7_LogIntegrity.complete",
            [("(= (logOut s2) (bvadd (logOut s) (Drain.k s a)))", "(= (logOut s2) (logOut s))")]),
        ["drain-forgets-its-record"] = new("DrainLog counts the entries it took but not its own record (the record overwrites an entry)",
            "DrainLog/I7_LogIntegrity.complete",
            [("(and (= (logN s2) (bvadd (bvsub (logN s) (Drain.k s a)) #x0000000000000001))", "(and (= (logN s2) (bvsub (logN s) (Drain.k s a)))")]),
        ["filter-write-from-idle-core"] = new("the hardware lets software write the registers of any unlocked core, an Idle one included",
            "GuestWriteFilter/I3_LockedGuest.unlockedIdle",
            [("(ite (and (or (= (select (mode s) (f.core a)) CoreMode.Guest) (= (select (mode s) (f.core a)) CoreMode.Control))\n            (not (select (locked s) (f.core a))))",
              "(ite (not (select (locked s) (f.core a)))")]),
        ["weak-S4-mask-only"] = new("S4 speaks of IPI masks again, not of the interrupts delivered", "negative/S4_InterruptConfinement",
            [("(=> (select (select (ipiIn s) c) b)\n        (and (isGuest (select (coreOwner s) b)) (= (select (coreOwner s) b) (select (coreOwner s) c))))))",
              "(=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (ipi s) c) b))\n        (= (select (coreOwner s) b) (select (coreOwner s) c)))))")]),
        ["weak-T2-locked-only"] = new("T2 protects only locked cores (an unlocked core may be reconfigured by any step)", "negative/T2_ResetAuthority",
            [("(=> (not mayReset)\n      (and (= (select (mode s2) c) (select (mode s) c))", "(=> (and (not mayReset) (select (locked s) c))\n      (and (= (select (mode s2) c) (select (mode s) c))")]),
        ["weak-log-bound"] = new("I7 forgets that the log holds at most its capacity", "negative/I7_LogIntegrity.bounds",
            [("(bvule (logCap s) #x0000000000100000) (bvule (logN s) (logCap s))))", "(bvule (logCap s) #x0000000000100000)))")]),
        // ---- written for the SMT search over free states (tests/.../SmtSearchTests): bugs the witness library was not
        // written for; each must be found by that search alone, on free states of the search machine
        ["access-reaches-one-past-range-end"] = new("the hardware's range check lets a core reach the byte one past its range register's end",
            "GuestAccess/I5_NoResidue",
            [("(= (bvand (select (select (rrPerm s) c) i) p) p)\n       (inRange a (select (select (rrBase s) c) i) (select (select (rrSize s) c) i))))",
              "(= (bvand (select (select (rrPerm s) c) i) p) p)\n       (bvule (bvsub a (select (select (rrBase s) c) i)) (select (select (rrSize s) c) i))))")]),
        ["guest-reset-request-fires"] = new("a guest's reset request is refused, but the reset line still fires on the target core",
            "GuestResetRequest/T2_ResetAuthority",
            [("(define-fun GuestResetRequest ((s State) (a ResetArgs) (s2 State)) Bool (= s2 s))",
              "(define-fun GuestResetRequest ((s State) (a ResetArgs) (s2 State)) Bool\n" +
              "  (and (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-iommu s s2) (same-memory s s2) (same-log s s2)\n" +
              "       (forall ((c Core)) (core-step s s2 c (ite (= c (r.target a)) Act.Park Act.Keep) Owner.None))))")]),
        ["start-window-wrong-index"] = new("StartSlice opens every device's IOMMU window when the faulting device's owner is the slot (d mistyped as p.fdev)",
            "StartSlice/I4_DmaConfinement.iommu",
            [("(forall ((d Dev)) (= (select (iommu s2) d)\n                              (ite (and (= (select (devOwner s) d) t)",
              "(forall ((d Dev)) (= (select (iommu s2) d)\n                              (ite (and (= (select (devOwner s) (p.fdev a)) t)")]),
        ["weak-delivered-any-owner"] = new("I2.delivered forgets that the receiving core is a guest's (control cores may interrupt each other)",
            "Inv/S4_InterruptConfinement",
            [("(and (isGuest (select (coreOwner s) c)) (= (select (coreOwner s) b) (select (coreOwner s) c))))))\n(define-fun I2_FilterSoundness ((s State))",
              "(= (select (coreOwner s) b) (select (coreOwner s) c)))))\n(define-fun I2_FilterSoundness ((s State))")]),
        ["ipi-forgets-iommu-frame"] = new("a delivered IPI's step forgets that IOMMU windows stay as they are",
            "GuestIpi/I4_DmaConfinement.iommu",
            [("(same-regs s s2) (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-iommu s s2)\n            (same-memory s s2) (same-log s s2))",
              "(same-regs s s2) (same-table s s2) (same-owners s s2) (same-ghost s s2)\n            (same-memory s s2) (same-log s s2))")]),
        ["write-only-range-accepted"] = new("CreateSlice accepts a private range with write but not read permission, which RISC-V PMP reserves (the encoder cannot program it)",
            "pmp/Link.accepted",
            [("(ite (or (= (Create.perm a k) Permissions.None)\n             (= (bvand (Create.perm a k) Permissions.ReadWrite) Permissions.Write)) SliceError.RangePermissionsInvalid",
              "(ite (= (Create.perm a k) Permissions.None) SliceError.RangePermissionsInvalid")]),
        ["dma-row-in-any-window"] = new("I4.table lets a slot's DMA row lie in any guest's window, not only its own (its device then reads another guest's data)",
            "Inv/S7_NoResidue",
            [("           (and (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))",
              "           (and (or (= (select (memOwner s) x) t) (isGuest (select (winOwner s) x)))")]),
        ["iommu-window-any-guest"] = new("I4.iommu lets a device's IOMMU window be any live guest's, not its owner's (a device then reaches another slice's memory)",
            "Inv/S10_NoGuestToGuest.coreDma",
            [("  (forall ((d Dev)) (let ((w (select (iommu s) d)))\n    (or (= w Owner.None)\n        (and (= w (select (devOwner s) d)) (isGuest w)",
              "  (forall ((d Dev)) (let ((w (select (iommu s) d)))\n    (or (= w Owner.None)\n        (and (isGuest w)")]),
        ["dma-write-contradiction"] = new("a device's write also keeps the written address's last writer (contradicts the write whenever it is new)",
            "successor/GuestDma/None",
            [("(and (= (lastWriter s2) (store (lastWriter s) (m.addr a) (select (iommu s) (m.dev a))))",
              "(and (= (lastWriter s2) (store (lastWriter s) (m.addr a) (select (iommu s) (m.dev a))))\n            (= (select (lastWriter s2) (m.addr a)) (select (lastWriter s) (m.addr a)))")]),
        // ---- leaks (S11, spec/90-noninterference.smt2): each rejected by an unwinding condition, with two equivalent
        // states and the action that tells them apart, found by the general search over free values
        ["leak-destroy-without-scrub"] = new(
            "DestroySlice frees a slot's memory without scrubbing it: the free pool (the control slice's to hand out) holds the old data",
            "DestroySlice/NI3_WeakStepConsistency.mem",
            [("(ite (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))\n                                           Owner.None (select (lastWriter s) x))", "(select (lastWriter s) x)")]),
        ["leak-create-decision-reads-guest-memory"] = new(
            "CreateSlice refuses a request whose entry byte a guest (the requested slot's last tenant) wrote last: the control slice learns a guest's memory through the answer",
            "lemma/NI.Lemma_CreateSliceErr",
            [("(ite (Log.full s) SliceError.LogFull\n  (ite (= (c.slot a) #x0000) SliceError.TableFull",
              "(ite (or (Log.full s) (= (select (lastWriter s) (c.entry a)) (c.slot a))) SliceError.LogFull\n  (ite (= (c.slot a) #x0000) SliceError.TableFull")]),
        ["leak-shared-cache-way"] = new(
            "CreateSlice's WaysInUse check reads the way its witness names, and nothing makes the witness name a held way: a new " +
            "slice is given a cache way another slice holds (CreateSlice/NI2_LocalRespect.owners assumes the lemma this breaks)",
            "lemma/Lemma_CreateOk_WaysFree",
            [("    (forall ((w Way)) (=> (and (Create.way a w) (not (= (select (wayOwner s) w) Owner.Free))) (Create.inUse s a (wDom w))))\n", "")],
            // not established: the library's WaysInUse call names the held way in its witness (c.duse), and no search moves
            // that witness to a free way of the mask, which is what a counterexample needs
            NotEstablished: true),
        ["leak-ipi-mask-foreign-core"] = new(
            "the sliceloader's IPI mask names every guest core, and I2 is weakened to match: a guest interrupts another guest's core",
            "GuestIpi/NI2_LocalRespect.cores",
            [("(forall ((b Core)) (= (select (select (ipi s2) c) b) (= (select (coreOwner s) b) t)))",
              "(forall ((b Core)) (= (select (select (ipi s2) c) b) (or (= (select (coreOwner s) b) t) (isGuest (select (coreOwner s) b)))))"),
             ("(define-fun I2_FilterSoundness.ipi ((s State)) Bool\n  (forall ((c Core) (b Core))\n    (=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (ipi s) c) b))\n        (= (select (coreOwner s) b) (select (coreOwner s) c)))))",
              "(define-fun I2_FilterSoundness.ipi ((s State)) Bool\n  (forall ((c Core) (b Core))\n    (=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (ipi s) c) b))\n        (or (isGuest (select (coreOwner s) b)) (= (select (coreOwner s) b) (select (coreOwner s) c))))))")]),
        ["leak-error-reveals-other-slot"] = new(
            "the mailbox attest call reports a bad nonce as NonceLength or BufferTooSmall depending on whether slot 1 is free",
            "GuestAttest/NI1_OutputConsistency",
            [("(ite (not (ga.nonceOk a)) SliceError.NonceLength",
              "(ite (not (ga.nonceOk a)) (ite (= (select (st s) #x0001) SliceState.Free) SliceError.NonceLength SliceError.BufferTooSmall)")]),
        ["leak-window-second-guest"] = new(
            "CreateSlice forgets WindowInUse: a second guest is lent a window another guest holds",
            "CreateSlice/NI2_LocalRespect.mem",
            [("(ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (winOwner s) x)))) SliceError.WindowInUse",
              "(ite false SliceError.WindowInUse")]),
        // written after the relational search, to check it on leaks it was not run on while it was built (one per
        // search: a one-run obligation, a two-run one)
        ["leak-control-store-anywhere"] = new(
            "the manager's store is allowed anywhere outside reserved memory: it writes into a guest's memory outside its windows",
            "ControlStore/NI2_LocalRespect.mem",
            [("(ite (controlMem (k.addr a)) SliceError.None Refused))", "(ite (not (reservedMem (k.addr a))) SliceError.None Refused))")]),
        ["leak-ipi-depends-on-other-memory"] = new(
            "an IPI is delivered only while byte 12K was last written by nobody: whether a guest's own IPI arrives tells it about another guest's memory",
            "GuestIpi/NI3_WeakStepConsistency.cores",
            [("(define-fun GuestIpi ((s State) (a IpiArgs) (s2 State)) Bool\n  (ite (= (GuestIpi_err s a) SliceError.None)",
              "(define-fun GuestIpi ((s State) (a IpiArgs) (s2 State)) Bool\n  (ite (and (= (GuestIpi_err s a) SliceError.None) (= (select (lastWriter s) #x0000000000003000) Owner.None))")],
            // two free runs of a guest action whose domain is read from the state: 31,328 instances, unknown at the
            // search's 90 s (2026-12-07, load ~15; spec/README.md)
            NotEstablished: true),
        ["leak-attest-report-other-slice"] = new(
            "an attestation report carries the entry point of the next slot instead of its own",
            "GuestAttest/NI1_OutputConsistency",
            [("(measureExtend (select (meas s) t) (select (entry s) t) (Report.state (select (st s) t))))",
              "(measureExtend (select (meas s) t) (select (entry s) (bvadd t #x0001)) (Report.state (select (st s) t))))")]),
        ["create-perm-map-read-write"] = new(
            "CreateSlice records read/write for every byte of the new ranges, whatever permission the request gives the range (the table row keeps the request's)",
            "CreateSlice/I1_Disjointness.table",
            [("                               (ite (reqHasAddr a x) (Create.perm a (select (c.ridx a) x))",
              "                               (ite (reqHasAddr a x) Permissions.ReadWrite")]),
        ["leak-mailbox-refused-on-full-log"] = new(
            "the guest's mailbox call is refused with LogFull while the decision log is full (the log every guest's calls fill: one bit from guest to guest)",
            "GuestAttest/NI1_OutputConsistency",
            [("    (ite (not (and (isGuest o) (= (select (st s) o) SliceState.Running))) SliceError.NotGuestCore",
              "    (ite (Log.full s) SliceError.LogFull\n    (ite (not (and (isGuest o) (= (select (st s) o) SliceState.Running))) SliceError.NotGuestCore"),
             ("         SliceError.None))))))\n(define-fun GuestAttest ", "         SliceError.None)))))))\n(define-fun GuestAttest ")]),
        // ---- cache domains (issue 14 item 6)
        ["create-ways-foreign-domain"] = new(
            "CreateSlice forgets WaysForeignDomain: a slice is given ways in a cache domain where it has no core " +
            "(CreateSlice/I1_Disjointness.wayDomains assumes the lemma this breaks)",
            "lemma/Lemma_CreateOk_WayDomains",
            [("(ite (not (Create.hasCoreIn a d)) SliceError.WaysForeignDomain", "(ite false SliceError.WaysForeignDomain")]),
        ["create-without-missing-domain-check"] = new(
            "CreateSlice forgets WaysMissingInDomain: a slice may have a core in a cache domain where it holds no way " +
            "(no invariant states that a slice holds a way in each domain of its cores: the branch's witness names it)",
            "successor/CreateSlice/WaysMissingInDomain",
            [("(ite (bvult (c.kmiss a) (c.nc a)) SliceError.WaysMissingInDomain", "(ite false SliceError.WaysMissingInDomain")]),
        ["dom-ok-forgets-narrow-masks"] = new(
            "the witnesses' meaning states a domain passes without the minimum mask width (Create.domOk drifts from the checks): " +
            "a request CreateSlice refuses with WaysTooNarrow reads as one whose domains all pass",
            "lemma/Lemma_DomOk",
            [("             (not (bvult (popcount m) ((_ zero_extend 48) (domMinWidth d))))\n", "")]),
        ["start-mask-other-domain"] = new(
            "the sliceloader writes a core the slice's ways of every cache domain, not only its own domain's",
            "StartSlice/I2_FilterSoundness.ways",
            [("(forall ((w Way)) (= (select (select (wmask s2) c) w) (and (= (select (wayOwner s) w) t) (wayInCoreDomain w c))))",
              "(forall ((w Way)) (= (select (select (wmask s2) c) w) (= (select (wayOwner s) w) t)))")],
            NotEstablished: true),
        ["weak-way-domains"] = new("I1.wayDomains asks only that a guest holding a way holds some core, in any domain",
            "negative/I1_Disjointness.wayDomains",
            [("(exists ((c Core)) (and (= (select (coreOwner s) c) o) (= (coreDom c) (wDom w))))", "(exists ((c Core)) (= (select (coreOwner s) c) o))")]),
        ["weak-way-filter-domain"] = new("I2.ways forgets that a core's mask is over its own domain's ways",
            "negative/I2_FilterSoundness.ways",
            [("(and (= (select (wayOwner s) w) (select (coreOwner s) c)) (wayInCoreDomain w c)))))", "(= (select (wayOwner s) w) (select (coreOwner s) c)))))")]),
        ["way-bound-ignores-domains"] = new("I1.ways bounds ways by domain 0's count alone (a way past another domain's ways may be owned)",
            "negative/I1_Disjointness.ways",
            [("(=> (not (isWay w)) (= o Owner.Free))))))", "(=> (and (= (wDom w) #x0000) (bvuge (wIdx w) (domWays #x0000))) (= o Owner.Free))))))")]),
    };

    /// <summary>The spec with the mutant's edits applied (each must match exactly once; an empty original appends).</summary>
    public static Spec Apply(Spec spec, BrokenSpec m) =>
        Spec.Parse(Edit(spec.Text, m.Edits), Edit(spec.Manifest, m.ManifestEdits ?? []), spec.Source + " (broken)");

    /// <summary>Applies (from, to) edits to a text.</summary>
    public static string Edit(string text, IReadOnlyList<(string From, string To)> edits)
    {
        foreach ((string from, string to) in edits)
        {
            if (from.Length == 0)
            {
                text += to;
                continue;
            }
            int at = text.IndexOf(from, StringComparison.Ordinal);
            if (at < 0 || text.IndexOf(from, at + 1, StringComparison.Ordinal) >= 0)
            {
                throw new InvalidOperationException($"mutation text does not occur exactly once: {from}");
            }
            text = string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
        }
        return text;
    }
}

/// <summary>Finds the repository's spec/ from the test's output directory.</summary>
public static class SpecLocator
{
    public static Spec RepositorySpec() =>
        SpecDiscovery.Find(AppContext.BaseDirectory) is string dir ? Spec.FromDirectory(dir) : Spec.BuiltIn();
}
