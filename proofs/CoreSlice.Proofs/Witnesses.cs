namespace CoreSlice.Proofs;

/// <summary>
/// Sanity without model finding: explicit WITNESS states and arguments, written as SMT terms
/// (arrays as const arrays + store chains, the memory map as an interval lambda) on a concrete
/// small machine. "The invariant is satisfiable", "X can succeed", "X can fail" are then each
/// proved as the unsatisfiability of their negation about these ground terms: after negation
/// the invariant's foralls become one skolem witness each, so the queries are quantifier-free
/// in effect and fast. Reachability of the witnesses from Init is NOT shown.
/// </summary>
public static class Witnesses
{
    /// <summary>
    /// The machine: 4 cores (core 0 control), 3 slots, 2 devices, 4 ways (way 0 control), 2 range
    /// registers, 4 KiB granule, reserved [0, 4K), control memory [4K, 8K), RAM [0, 64K).
    /// Its predicates are fixed by definitional foralls (Z3 reads them as macros).
    /// </summary>
    public const string Machine =
        "(assert (= nCores #x0004))(assert (= nSlots #x0003))(assert (= nDevs #x0002))(assert (= nWays #x0004))\n" +
        "(assert (= nRR #x0002))(assert (= gran #x0000000000001000))\n" +
        "(assert (forall ((c Core)) (= (controlCore c) (= c #x0000))))\n" +
        "(assert (forall ((w Way)) (= (controlWay w) (= w #x0000))))\n" +
        "(assert (forall ((x Addr)) (= (reservedMem x) (bvult x #x0000000000001000))))\n" +
        "(assert (forall ((x Addr)) (= (controlMem x) (and (bvuge x #x0000000000001000) (bvult x #x0000000000002000)))))\n" +
        "(assert (forall ((b Addr) (z Addr)) (= (ramCovers b z) (and (bvule b #x0000000000010000) (bvule z (bvsub #x0000000000010000 b))))))\n";

    /// <summary>
    /// w0: slots 1 and 2 Running (slot 1: core 1, [8K,12K), device 0, way 1; slot 2: core 2,
    /// [12K,16K), device 1, way 2), their cores in Guest mode, locked and programmed, windows open;
    /// slot 3 Free; core 3 Idle; address 8K last written by slot 1.
    /// w1: w0 with slot 2 only Created (core 2 Idle, unlocked, cleared; device 1's window closed).
    /// </summary>
    public const string States = """
(define-fun w.r1b () (Array Idx Addr) (store zeroAddrs #x0000 #x0000000000002000))
(define-fun w.r1z () (Array Idx Addr) (store zeroAddrs #x0000 #x0000000000001000))
(define-fun w.r2b () (Array Idx Addr) (store zeroAddrs #x0000 #x0000000000003000))
(define-fun w.p1 () (Array Idx Perm) (store zeroPerms #x0000 #b111))
(define-fun w.co () (Array Core Slot) (store (store (store ((as const (Array Core Slot)) #xffff) #x0000 #x0000) #x0001 #x0001) #x0002 #x0002))
(define-fun w.wo () (Array Way Slot) (store (store (store ((as const (Array Way Slot)) #xffff) #x0000 #x0000) #x0001 #x0001) #x0002 #x0002))
(define-fun w.do () (Array Dev Slot) (store (store ((as const (Array Dev Slot)) #xffff) #x0000 #x0001) #x0001 #x0002))
(define-fun w.mo () (Array Addr Slot) (lambda ((x Addr)) (ite (bvult x #x0000000000001000) #xfffe (ite (bvult x #x0000000000002000) #x0000
  (ite (bvult x #x0000000000003000) #x0001 (ite (bvult x #x0000000000004000) #x0002 #xffff))))))
(define-fun w.tblN () (Array Slot Idx) (store (store ((as const (Array Slot Idx)) #x0000) #x0001 #x0001) #x0002 #x0001))
(define-fun w.tblB () (Array Slot (Array Idx Addr)) (store (store ((as const (Array Slot (Array Idx Addr))) zeroAddrs) #x0001 w.r1b) #x0002 w.r2b))
(define-fun w.tblZ () (Array Slot (Array Idx Addr)) (store (store ((as const (Array Slot (Array Idx Addr))) zeroAddrs) #x0001 w.r1z) #x0002 w.r1z))
(define-fun w0 () State (mk-state
  (store (store ((as const (Array Slot SState)) #b00) #x0001 #b10) #x0002 #b10)
  w.tblN w.tblB w.tblZ
  (store (store ((as const (Array Slot Addr)) #x0000000000000000) #x0001 #x0000000000002000) #x0002 #x0000000000003000)
  ((as const (Array Slot (_ BitVec 64))) #x0000000000000000)
  w.co w.do w.wo w.mo
  (store ((as const (Array Addr Slot)) #xfffd) #x0000000000002000 #x0001)
  (store (store (store ((as const (Array Core Mode)) #b001) #x0000 #b000) #x0001 #b011) #x0002 #b011)
  (store (store ((as const (Array Core Bool)) false) #x0001 true) #x0002 true)
  (store (store ((as const (Array Core (Array Idx Addr))) zeroAddrs) #x0001 w.r1b) #x0002 w.r2b)
  (store (store ((as const (Array Core (Array Idx Addr))) zeroAddrs) #x0001 w.r1z) #x0002 w.r1z)
  (store (store ((as const (Array Core (Array Idx Perm))) zeroPerms) #x0001 w.p1) #x0002 w.p1)
  (store (store ((as const (Array Core (Array Core Bool))) noCores) #x0001 (store noCores #x0001 true)) #x0002 (store noCores #x0002 true))
  (store (store ((as const (Array Core (Array Way Bool))) noWays) #x0001 (store noWays #x0001 true)) #x0002 (store noWays #x0002 true))
  (store (store ((as const (Array Dev Slot)) #xfffd) #x0000 #x0001) #x0001 #x0002)
  w.tblN w.tblB w.tblZ w.co w.do w.wo w.mo))
(define-fun w1 () State (mk-state
  (store (st w0) #x0002 #b01) (tblN w0) (tblBase w0) (tblSize w0) (entry w0) (meas w0)
  (coreOwner w0) (devOwner w0) (wayOwner w0) (memOwner w0) (lastWriter w0)
  (store (mode w0) #x0002 #b001) (store (locked w0) #x0002 false)
  (store (rrBase w0) #x0002 zeroAddrs) (store (rrSize w0) #x0002 zeroAddrs) (store (rrPerm w0) #x0002 zeroPerms)
  (store (ipi w0) #x0002 noCores) (store (wmask w0) #x0002 noWays)
  (store (iommu w0) #x0001 #xfffd)
  (gN w0) (gBase w0) (gSize w0) (gCore w0) (gDev w0) (gWay w0) (gMem w0)))
""";

    /// <summary>A request for core c, range [16K, 20K), no device, way 3, entry 16K, slot 3, with its ghost witnesses.</summary>
    private static string Create(string core, string kc) =>
        $"(mk-create-args #x0001 ((as const (Array Idx Core)) {core}) #x0001 ((as const (Array Idx Addr)) #x0000000000004000) " +
        "((as const (Array Idx Addr)) #x0000000000001000) #x0000 ((as const (Array Idx Dev)) #x0000) (store noWays #x0003 true) " +
        $"#x0000000000004000 #x0003 {kc} #x0001 #x0000 ((as const (Array Core Idx)) #x0000) ((as const (Array Dev Idx)) #x0000) ((as const (Array Addr Idx)) #x0000))";

    private const string NoDevs = "((as const (Array Dev Bool)) false)";

    /// <summary>(operation, outcome, state, arguments, what it shows) -- outcome "success" or "failure".</summary>
    public static readonly IReadOnlyList<(string Op, string Outcome, string State, string Args, string Why)> Steps =
    [
        ("CreateSlice", "success", "w0", Create("#x0003", "#x0001"), "slot 3 takes the free core 3, [16K,20K) and way 3"),
        ("CreateSlice", "failure", "w0", Create("#x0001", "#x0000"), "core 1 is in use (CoreInUse)"),
        ("LoadImage", "success", "w1", "(mk-load-args #x0002 #x0000000000003000 #x0000000000000100 #x0000)", "256 bytes into the Created slot 2"),
        ("LoadImage", "failure", "w0", "(mk-load-args #x0001 #x0000000000002000 #x0000000000000100 #x0000)", "slot 1 is Running (WrongState)"),
        ("StartSlice", "success", "w1", $"(mk-start-args #x0002 #x00 #x0000 #x0000 noCores {NoDevs})", "slot 2 starts"),
        ("StartSlice", "failure", "w1", $"(mk-start-args #x0002 #x3d #x0000 #x0001 noCores {NoDevs})", "device 1's IOMMU programming faults"),
        ("DestroySlice", "success", "w0", $"(mk-destroy-args #x0001 #x00 #x0000 #x0000 noCores {NoDevs})", "slot 1 is destroyed"),
        ("DestroySlice", "failure", "w0", $"(mk-destroy-args #x0003 #x00 #x0000 #x0000 noCores {NoDevs})", "slot 3 is Free (WrongState)"),
        ("GuestAccess", "success", "w0", "(mk-access-args #x0001 #x0000 #x0000000000002000 #b010)", "core 1 stores to its own memory"),
        ("GuestAccess", "failure", "w0", "(mk-access-args #x0001 #x0000 #x0000000000003000 #b001)", "core 1 loads from slot 2's memory"),
        ("GuestDma", "success", "w0", "(mk-dma-args #x0000 #x0000 #x0000000000002008 true)", "device 0 writes its slot's memory"),
        ("GuestDma", "failure", "w0", "(mk-dma-args #x0000 #x0000 #x0000000000001000 true)", "device 0 writes control memory"),
        ("GuestIpi", "success", "w0", "(mk-ipi-args #x0001 #x0001)", "core 1 interrupts itself"),
        ("GuestIpi", "failure", "w0", "(mk-ipi-args #x0001 #x0002)", "core 1 interrupts slot 2's core"),
        ("GuestWriteFilter", "success", "w0", "(mk-filter-args #x0003 #b00 #x0000 #x0000000000000000 #x0000000000001000 #b111 noCores noWays)", "the idle, unlocked core 3 writes a range register"),
        ("GuestWriteFilter", "failure", "w0", "(mk-filter-args #x0001 #b00 #x0000 #x0000000000000000 #x0000000000001000 #b111 noCores noWays)", "the locked core 1 writes a range register"),
        ("GuestResetRequest", "failure", "w0", "(mk-reset-args #x0001 #x0002)", "core 1 asks to reset core 2"),
        ("ControlStore", "success", "w0", "(mk-control-args #x0000000000001008)", "the manager stores to control memory"),
        ("ControlStore", "failure", "w0", "(mk-control-args #x0000000000002000)", "the manager stores to slot 1's memory"),
    ];

    /// <summary>The sanity obligations.</summary>
    public static IEnumerable<Obligation> Obligations(Spec spec)
    {
        string prelude = Machine + States;
        yield return new Obligation
        {
            Name = "sanity/machine_well_formed",
            Expect = Expect.Unsat,
            Query = Machine + "(assert (not Machine_WellFormed))\n",
            Meaning = "the witness machine satisfies Machine_WellFormed",
        };
        yield return new Obligation
        {
            Name = "sanity/Inv_two_running",
            Expect = Expect.Unsat,
            Query = prelude + "(assert (not (and (Inv w0) (= (select (st w0) #x0001) SliceState.Running) (= (select (st w0) #x0002) SliceState.Running)\n" +
                    "  (= (select (mode w0) #x0001) CoreMode.Guest) (= (select (mode w0) #x0002) CoreMode.Guest))))\n",
            Meaning = "the witness state w0, with two running slices whose cores run guest code, satisfies the invariant (it is not vacuous)",
        };
        yield return new Obligation
        {
            Name = "sanity/Inv_witness_w1",
            Expect = Expect.Unsat,
            Query = prelude + "(assert (not (Inv w1)))\n",
            Meaning = "the witness state w1 (slot 2 Created, not started) satisfies the invariant",
        };
        foreach ((string w, string machine, string what) in new[]
        {
            ("w2", Machine, "slot 2 Created with a stale range register past its count"),
            ("w3", Machine, "slot 2 Destroying, its memory written by it"),
            ("w4", Machine, "only slot 2, Created; no core in Guest mode"),
            ("wT", WitnessSearch.MachineTop, "w0 on machine M2, whose top granule is reserved"),
        })
        {
            yield return new Obligation
            {
                Name = $"sanity/Inv_witness_{w}",
                Expect = Expect.Unsat,
                Query = machine + States + WitnessSearch.MoreStates + $"(assert (not (Inv {w})))\n",
                Meaning = $"the witness state {w} ({what}; used by the counterexample search) satisfies the invariant",
            };
        }
        yield return new Obligation
        {
            Name = "sanity/machine_M2_well_formed",
            Expect = Expect.Unsat,
            Query = WitnessSearch.MachineTop + "(assert (not Machine_WellFormed))\n",
            Meaning = "the witness machine M2 satisfies Machine_WellFormed",
        };
        foreach (SpecOperation op in spec.Operations)
        {
            foreach ((string o, string outcome, string w, string args, string why) in Steps)
            {
                if (o != op.Name)
                {
                    continue;
                }
                string cmp = outcome == "success" ? "=" : "distinct";
                yield return new Obligation
                {
                    Name = $"sanity/{op.Name}/{outcome}",
                    Expect = Expect.Unsat,
                    Query = prelude + $"(define-fun w.args () {op.ArgsSort} {args})\n" +
                            $"(assert (not (and ({op.Name}_pre {w} w.args) ({cmp} ({op.Name}_err {w} w.args) SliceError.None))))\n",
                    Meaning = $"{op.Name} {(outcome == "success" ? "succeeds" : "fails")} from the invariant-satisfying witness {w} ({why}), its arguments meeting {op.Name}_pre",
                };
            }
        }
    }
}
