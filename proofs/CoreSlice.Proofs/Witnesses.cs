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
    /// The witness machines' cache domains: domain 0 holds cores 0-2 and 4 ways (way 0 control), no CAT rules;
    /// domain 1 holds core 3 and 4 ways (64-67; 64 control) with CAT rules: contiguous masks, at least 2 ways,
    /// at most 4 classes of service (CreateSlice's domain checks; every branch has a successor witness here). The
    /// negatives of I1.ways and I2.ways name a way of domain 1.
    /// </summary>
    public const string Domains =
        "(assert (= nDoms #x0002))(assert (forall ((d Way)) (= (domWays d) #x0004)))(assert (forall ((c Core)) (= (coreDom c) (ite (= c #x0003) #x0001 #x0000))))\n" +
        "(assert (forall ((d Way)) (= (domContig d) (= d #x0001))))(assert (forall ((d Way)) (= (domMaxCls d) (ite (= d #x0001) #x0004 #x0000))))\n" +
        "(assert (forall ((d Way)) (= (domMinWidth d) (ite (= d #x0001) #x0002 #x0000))))\n";

    /// <summary>
    /// The machine: 4 cores (core 0 control), 3 slots, 2 devices, two cache domains (<see cref="Domains"/>), 3 range
    /// registers (one range and two windows fit), 4 KiB granule, reserved [0, 4K), control memory [4K, 8K), RAM [0, 64K).
    /// Its predicates are fixed by definitional foralls (Z3 reads them as macros).
    /// </summary>
    public const string Machine =
        "(assert (= nCores #x0004))(assert (= nSlots #x0003))(assert (= nDevs #x0002))\n" +
        Domains +
        "(assert (= nRR #x0003))(assert (= gran #x0000000000001000))\n" +
        "(assert (forall ((c Core)) (= (controlCore c) (= c #x0000))))\n" +
        "(assert (forall ((w Way)) (= (controlWay w) (or (= w #x0000) (= w #x0040)))))\n" +
        "(assert (forall ((x Addr)) (= (reservedMem x) (bvult x #x0000000000001000))))\n" +
        "(assert (forall ((x Addr)) (= (controlMem x) (and (bvuge x #x0000000000001000) (bvult x #x0000000000002000)))))\n" +
        "(assert (forall ((b Addr) (z Addr)) (= (ramCovers b z) (and (bvule b #x0000000000010000) (bvule z (bvsub #x0000000000010000 b))))))\n";

    /// <summary>
    /// The State datatype's fields in constructor order. Every witness state is built from this one list
    /// (<see cref="Define"/>), so a new field of the spec's State is a change here and in the states that
    /// give it a value; <see cref="SpecChecks"/> fails verify when the list and the spec disagree.
    /// </summary>
    public static readonly IReadOnlyList<string> StateFields =
    [
        "st", "tblN", "tblBase", "tblSize", "entry", "meas", "coreOwner", "devOwner", "wayOwner", "memOwner",
        "lastWriter", "mode", "locked", "rrBase", "rrSize", "rrPerm", "ipi", "wmask", "ipiIn", "iommu",
        "logCap", "logN", "logSeq", "logRefused",
        "gN", "gBase", "gSize", "gCore", "gDev", "gWay", "gMem", "logOut",
        "tblPerm", "tblWN", "tblWBase", "tblWSize", "tblWPerm", "winOwner", "addrPerm",
        "tblDN", "tblDDev", "tblDBase", "tblDSize", "tblDPerm",
    ];

    /// <summary>
    /// <c>(define-fun name () State (mk-state ...))</c>: each field is the value given, else the field of
    /// <paramref name="from"/> (with no <paramref name="from"/> every field must be given).
    /// </summary>
    public static string Define(string name, string? from, params (string Field, string Value)[] values)
    {
        var given = values.ToDictionary(v => v.Field, v => v.Value, StringComparer.Ordinal);
        foreach (string f in given.Keys.Where(f => !StateFields.Contains(f)))
        {
            throw new ArgumentException($"witness {name}: the State has no field {f}", nameof(values));
        }
        var sb = new System.Text.StringBuilder($"(define-fun {name} () State (mk-state");
        foreach (string f in StateFields)
        {
            sb.Append("\n  ").Append(given.TryGetValue(f, out string? v) ? v
                : from is not null ? $"({f} {from})" : throw new ArgumentException($"witness {name}: no value for {f}", nameof(values)));
        }
        return sb.Append("))\n").ToString();
    }

    /// <summary>A decision-log count as a Cnt literal.</summary>
    public static string Cnt(int n) => "#x" + n.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// w0: slots 1 and 2 Running (slot 1: core 1, [8K,12K), device 0, way 1; slot 2: core 2,
    /// [12K,16K), device 1, way 2), their cores in Guest mode, locked and programmed, windows open;
    /// slot 3 Free; core 3 Idle; address 8K last written by slot 1; core 1 has received an IPI from
    /// itself; slot 1 measured; the log (capacity 16) holds 3 entries of 5 appended, 2 drained.
    /// w1: w0 with slot 2 only Created (core 2 Idle, unlocked, cleared; device 1's window closed).
    /// </summary>
    public static readonly string States = """
(define-fun w.r1b () (Array Idx Addr) (store zeroAddrs #x0000 #x0000000000002000))
(define-fun w.r1z () (Array Idx Addr) (store zeroAddrs #x0000 #x0000000000001000))
(define-fun w.r2b () (Array Idx Addr) (store zeroAddrs #x0000 #x0000000000003000))
(define-fun w.p1 () (Array Idx Perm) (store zeroPerms #x0000 #b111))
(define-fun w.co () (Array Core Slot) (store (store (store ((as const (Array Core Slot)) #xffff) #x0000 #x0000) #x0001 #x0001) #x0002 #x0002))
(define-fun w.wo () (Array Way Slot) (store (store (store (store ((as const (Array Way Slot)) #xffff) #x0000 #x0000) #x0040 #x0000) #x0001 #x0001) #x0002 #x0002))
(define-fun w.do () (Array Dev Slot) (store (store ((as const (Array Dev Slot)) #xffff) #x0000 #x0001) #x0001 #x0002))
(define-fun w.mo () (Array Addr Slot) (lambda ((x Addr)) (ite (bvult x #x0000000000001000) #xfffe (ite (bvult x #x0000000000002000) #x0000
  (ite (bvult x #x0000000000003000) #x0001 (ite (bvult x #x0000000000004000) #x0002 #xffff))))))
(define-fun w.tblN () (Array Slot Idx) (store (store ((as const (Array Slot Idx)) #x0000) #x0001 #x0001) #x0002 #x0001))
(define-fun w.tblB () (Array Slot (Array Idx Addr)) (store (store ((as const (Array Slot (Array Idx Addr))) zeroAddrs) #x0001 w.r1b) #x0002 w.r2b))
(define-fun w.tblZ () (Array Slot (Array Idx Addr)) (store (store ((as const (Array Slot (Array Idx Addr))) zeroAddrs) #x0001 w.r1z) #x0002 w.r1z))
(define-fun w.noIpiIn () (Array Core (Array Core Bool)) ((as const (Array Core (Array Core Bool))) noCores))
(define-fun w.tblP () (Array Slot (Array Idx Perm)) (store (store ((as const (Array Slot (Array Idx Perm))) zeroPerms) #x0001 w.p1) #x0002 w.p1))
(define-fun w.ap () (Array Addr Perm) (lambda ((x Addr)) (ite (and (bvuge x #x0000000000002000) (bvult x #x0000000000004000)) #b111 #b000)))
""" + Define("w0", null,
        ("st", "(store (store ((as const (Array Slot SState)) #b00) #x0001 #b10) #x0002 #b10)"),
        ("tblN", "w.tblN"), ("tblBase", "w.tblB"), ("tblSize", "w.tblZ"),
        ("entry", "(store (store ((as const (Array Slot Addr)) #x0000000000000000) #x0001 #x0000000000002000) #x0002 #x0000000000003000)"),
        ("meas", "(store ((as const (Array Slot (_ BitVec 64))) #x0000000000000000) #x0001 #x00000000000a11ce)"),
        ("coreOwner", "w.co"), ("devOwner", "w.do"), ("wayOwner", "w.wo"), ("memOwner", "w.mo"),
        ("lastWriter", "(store ((as const (Array Addr Slot)) #xfffd) #x0000000000002000 #x0001)"),
        ("mode", "(store (store (store ((as const (Array Core Mode)) #b001) #x0000 #b000) #x0001 #b011) #x0002 #b011)"),
        ("locked", "(store (store (store ((as const (Array Core Bool)) false) #x0000 true) #x0001 true) #x0002 true)"),
        ("rrBase", "(store (store ((as const (Array Core (Array Idx Addr))) zeroAddrs) #x0001 w.r1b) #x0002 w.r2b)"),
        ("rrSize", "(store (store ((as const (Array Core (Array Idx Addr))) zeroAddrs) #x0001 w.r1z) #x0002 w.r1z)"),
        ("rrPerm", "(store (store ((as const (Array Core (Array Idx Perm))) zeroPerms) #x0001 w.p1) #x0002 w.p1)"),
        ("ipi", "(store (store ((as const (Array Core (Array Core Bool))) noCores) #x0001 (store noCores #x0001 true)) #x0002 (store noCores #x0002 true))"),
        ("wmask", "(store (store ((as const (Array Core (Array Way Bool))) noWays) #x0001 (store noWays #x0001 true)) #x0002 (store noWays #x0002 true))"),
        ("ipiIn", "(store w.noIpiIn #x0001 (store noCores #x0001 true))"),
        ("iommu", "(store (store ((as const (Array Dev Slot)) #xfffd) #x0000 #x0001) #x0001 #x0002)"),
        ("logCap", Cnt(16)), ("logN", Cnt(3)), ("logSeq", Cnt(5)), ("logRefused", Cnt(0)),
        ("gN", "w.tblN"), ("gBase", "w.tblB"), ("gSize", "w.tblZ"), ("gCore", "w.co"), ("gDev", "w.do"), ("gWay", "w.wo"), ("gMem", "w.mo"),
        ("logOut", Cnt(2)),
        ("tblPerm", "w.tblP"), ("tblWN", "((as const (Array Slot Idx)) #x0000)"),
        ("tblWBase", "((as const (Array Slot (Array Idx Addr))) zeroAddrs)"), ("tblWSize", "((as const (Array Slot (Array Idx Addr))) zeroAddrs)"),
        ("tblWPerm", "((as const (Array Slot (Array Idx Perm))) zeroPerms)"), ("winOwner", "((as const (Array Addr Slot)) #xffff)"),
        ("addrPerm", "w.ap"),
        ("tblDN", "((as const (Array Slot Idx)) #x0000)"), ("tblDDev", "((as const (Array Slot (Array Idx Dev))) zeroDevs)"),
        ("tblDBase", "((as const (Array Slot (Array Idx Addr))) zeroAddrs)"), ("tblDSize", "((as const (Array Slot (Array Idx Addr))) zeroAddrs)"),
        ("tblDPerm", "((as const (Array Slot (Array Idx Perm))) zeroPerms)"))
    + Define("w1", "w0",
        ("st", "(store (st w0) #x0002 #b01)"), ("mode", "(store (mode w0) #x0002 #b001)"), ("locked", "(store (locked w0) #x0002 false)"),
        ("rrBase", "(store (rrBase w0) #x0002 zeroAddrs)"), ("rrSize", "(store (rrSize w0) #x0002 zeroAddrs)"), ("rrPerm", "(store (rrPerm w0) #x0002 zeroPerms)"),
        ("ipi", "(store (ipi w0) #x0002 noCores)"), ("wmask", "(store (wmask w0) #x0002 noWays)"), ("iommu", "(store (iommu w0) #x0001 #xfffd)"))
    + Define("wW", "w0",
        ("tblWN", "(store (tblWN w0) #x0001 #x0001)"),
        ("tblWBase", "(store (tblWBase w0) #x0001 (store zeroAddrs #x0000 #x0000000000001000))"),
        ("tblWSize", "(store (tblWSize w0) #x0001 (store zeroAddrs #x0000 #x0000000000001000))"),
        ("tblWPerm", "(store (tblWPerm w0) #x0001 (store zeroPerms #x0000 #b001))"),
        ("winOwner", "(lambda ((x Addr)) (ite (and (bvuge x #x0000000000001000) (bvult x #x0000000000002000)) #x0001 #xffff))"),
        ("addrPerm", "(lambda ((x Addr)) (ite (and (bvuge x #x0000000000001000) (bvult x #x0000000000002000)) #b001 (select (addrPerm w0) x)))"),
        ("rrBase", "(store (rrBase w0) #x0001 (store w.r1b #x0001 #x0000000000001000))"),
        ("rrSize", "(store (rrSize w0) #x0001 (store w.r1z #x0001 #x0000000000001000))"),
        ("rrPerm", "(store (rrPerm w0) #x0001 (store w.p1 #x0001 #b001))"),
        ("lastWriter", "(store (lastWriter w0) #x0000000000001008 #x0000)"))
    + Define("wD", "wW",
        ("tblDN", "(store (tblDN wW) #x0001 #x0002)"),
        ("tblDDev", "(store (tblDDev wW) #x0001 zeroDevs)"),
        ("tblDBase", "(store (tblDBase wW) #x0001 (store (store zeroAddrs #x0000 #x0000000000001000) #x0001 #x0000000000002000))"),
        ("tblDSize", "(store (tblDSize wW) #x0001 (store (store zeroAddrs #x0000 #x0000000000001000) #x0001 #x0000000000001000))"),
        ("tblDPerm", "(store (tblDPerm wW) #x0001 (store (store zeroPerms #x0000 #b001) #x0001 #b011))"))
    // wW one step earlier: slot 1 Created with its window, not yet started (what StartSlice programs from)
    + Define("wWC", "wW",
        ("st", "(store (st wW) #x0001 #b01)"), ("mode", "(store (mode wW) #x0001 #b001)"), ("locked", "(store (locked wW) #x0001 false)"),
        ("rrBase", "(store (rrBase wW) #x0001 zeroAddrs)"), ("rrSize", "(store (rrSize wW) #x0001 zeroAddrs)"), ("rrPerm", "(store (rrPerm wW) #x0001 zeroPerms)"),
        ("ipi", "(store (ipi wW) #x0001 noCores)"), ("wmask", "(store (wmask wW) #x0001 noWays)"), ("ipiIn", "(store (ipiIn wW) #x0001 noCores)"),
        ("iommu", "(store (iommu wW) #x0000 #xfffd)"));

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
            ("wW", Machine, "w0 with slot 1 holding the read-only window [4K, 8K) on its core's register 1, written by the control slice"),
            ("wD", Machine, "wW with slot 1's device 0 given two DMA ranges: its read-only window [4K, 8K) to read, its memory [8K, 12K) to read and write"),
            ("wWC", Machine, "wW with slot 1 only Created: its window in the table, its core Idle, unlocked and cleared"),
            ("wF", Machine, "w0 with slot 3 Created and empty: the table is full"),
            ("wL", Machine, "w0 with the log full: 15 entries held of capacity 16 (one reserved for the drain's record)"),
            ("wLL", Machine, "w0 with the log at capacity: the drain's reserved entry used too"),
        })
        {
            yield return new Obligation
            {
                Name = $"sanity/Inv_witness_{w}",
                Expect = Expect.Unsat,
                Query = machine + States + WitnessSearch.MoreStates + Branches.MoreStates + $"(assert (not (Inv {w})))\n",
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
    }
}
