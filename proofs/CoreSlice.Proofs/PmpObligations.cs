namespace CoreSlice.Proofs;

/// <summary>
/// The whole-table PMP obligations (spec/80-pmp.smt2), for every slice that fits a hart's
/// entries — any number of regions, up to 64 entries, every 64-bit base and size:
/// <list type="bullet">
/// <item>pmp/Link.region: for every region r and address a, the entries the encoder writes
/// for r (given the emitter's state, so TOR-top reuse included) satisfy PmpT.regionFactsAt:
/// r's last entry matches a exactly when a is in r, is locked and carries r's permissions;
/// r's bottom entry (if any) never matches.</item>
/// <item>pmp/Link.accepted: every range and window CreateSlice accepts is a region the encoder takes.</item>
/// <item>pmp/Link.tail: the locked OFF entries match nothing; the deny-all matches every
/// address, is locked, permits nothing; the regions' entries end before it.</item>
/// <item>pmp/Exact.M, pmp/Exact.SU: from those facts about which entries match a (an
/// arbitrary set mt, so the facts are all the argument uses), the lowest matching entry
/// decides exactly as "some region holds a with that permission", in M-mode (the guest's)
/// and in S/U-mode. With mt = the entries that match a, this is the exactness theorem.</item>
/// <item>pmp/witness: the hypotheses hold on a concrete slice and its encoded table (not vacuous).</item>
/// </list>
/// Two ghost facts are assumed, not proved (spec/README.md, PMP): the lowest matching entry
/// exists, and the regions' entries partition the used prefix. Generated only when the spec
/// defines <c>PmpT.encode</c>.
/// </summary>
public static class PmpObligations
{
    private const string Bounds = "(assert (bvule #x0002 n))\n(assert (bvule n #x0040))\n(assert (bvule m #x0040))\n";

    private const string Tables =
        "(declare-const m Idx)\n(declare-const n Idx)\n" +
        "(declare-const rb (Array Idx Addr))\n(declare-const rz (Array Idx Addr))\n(declare-const rp (Array Idx Perm))\n" +
        "(declare-const cfg (Array Idx Cfg))\n(declare-const pa (Array Idx PAd))\n(declare-const pos (Array Idx Idx))\n" +
        "(declare-const tv (Array Idx Bool))\n(declare-const tt (Array Idx Addr))\n(declare-const a Addr)\n";

    /// <summary>The obligations, or none when the spec has no PMP table model.</summary>
    public static IEnumerable<Obligation> For(Spec spec)
    {
        if (!spec.Text.Contains("(define-fun PmpT.encode", StringComparison.Ordinal))
        {
            yield break;
        }
        yield return LinkRegion();
        yield return LinkTail();
        yield return LinkExclusive();
        yield return LinkAccepted();
        yield return Exact("M");
        yield return Exact("SU");
        yield return Witness();
    }

    /// <summary>Region r's entries, from the encoder's step at r and (for the TOR bottom it may reuse) at r - 1.</summary>
    public static Obligation LinkRegion()
    {
        const string prevR = "(bvsub r #x0001)";
        string inputsAt(string r) => $"(assert (=> (bvult {r} m) (Pmp.regionOk (select rb {r}) (select rz {r}) (select rp {r}))))\n";
        string encodeAt(string r) => $"(assert (PmpT.encodeAt m rb rz rp cfg pa pos tv tt {r}))\n";
        const string j = "(bvsub (bvadd (select pos r) (PmpT.cnt rb rz tv tt r)) #x0001)";
        return new Obligation
        {
            Name = "pmp/Link.region",
            SliceSpec = true,
            Expect = Expect.Unsat,
            Query = Tables + "(declare-const r Idx)\n" + Bounds +
                // instances of PmpT.inputs and PmpT.encode (each implied by the quantified hypothesis)
                inputsAt("r") + inputsAt(prevR) + "(assert (PmpT.encodeBase m n cfg pa pos tv tt))\n" +
                encodeAt("r") + $"(assert (=> (not (= r #x0000)) (PmpT.encodeAt m rb rz rp cfg pa pos tv tt {prevR})))\n" +
                // instances of the ghost PmpT.groups: r's entries (and r-1's) end by pos m
                "(assert (PmpT.spanAt m rb rz pos tv tt r))\n" + $"(assert (PmpT.spanAt m rb rz pos tv tt {prevR}))\n" +
                "(assert (not (PmpT.regionFactsAt m rb rz rp cfg pos tv tt (PmpT.matches cfg pa a) (PmpT.holds rb rz a) r)))\n",
            Meaning = "for every region r and address a, r's last entry matches a exactly when a is in r, is locked and carries r's permissions, and r's bottom entry never matches",
            Explain =
            [
                ("address a", "a"),
                ("region r: index / base / size / permissions", "r\t(select rb r)\t(select rz r)\t(select rp r)"),
                ("a inside region r", "(inRange a (select rb r) (select rz r))"),
                ("r's entries start at / count", "(select pos r)\t(PmpT.cnt rb rz tv tt r)"),
                ("r's deciding entry j: index / pmpcfg / pmpaddr / pmpaddr below", $"{j}\t(select cfg {j})\t(select pa {j})\t(PmpT.prev pa {j})"),
                ("entry j matches a / is locked", $"(PmpT.match cfg pa {j} a)\t(Pmp.locked (select cfg {j}))"),
                ("emitter before r: previous entry is a TOR top / that top", "(select tv r)\t(select tt r)"),
                ("region r-1 base / size", $"(select rb {prevR})\t(select rz {prevR})"),
            ],
        };
    }

    /// <summary>The locked OFF entries, the deny-all, and that the regions' entries end before the deny-all.</summary>
    public static Obligation LinkTail() => new()
    {
        Name = "pmp/Link.tail",
        SliceSpec = true,
        Expect = Expect.Unsat,
        Query = Tables + "(declare-const i Idx)\n" + Bounds +
            "(assert (PmpT.encodeBase m n cfg pa pos tv tt))\n(assert (PmpT.fillAt m n cfg pa pos i))\n" +
            "(assert (not (and (bvule (select pos m) (PmpT.regionLimit n)) (= (select pos #x0000) PmpT.firstRegionEntry)\n" +
            "                 (PmpT.tailFactsAt m n cfg pos (PmpT.matches cfg pa a) i))))\n",
        Meaning = "the locked OFF entries after the regions match nothing, and the last entry matches every address, is locked and permits nothing",
        Explain =
        [
            ("address a", "a"), ("entry i: index / pmpcfg / pmpaddr", "i\t(select cfg i)\t(select pa i)"),
            ("entry i matches a", "(PmpT.match cfg pa i a)"),
            ("deny-all: index / pmpcfg / pmpaddr / matches a", "(PmpT.denyIndex n)\t(select cfg (PmpT.denyIndex n))\t(select pa (PmpT.denyIndex n))\t(PmpT.match cfg pa (PmpT.denyIndex n) a)"),
        ],
    };

    /// <summary>Two different regions of a slice never both hold an address (from PmpT.inputs: valid, pairwise disjoint).</summary>
    public static Obligation LinkExclusive() => new()
    {
        Name = "pmp/Link.exclusive",
        SliceSpec = true,
        Expect = Expect.Unsat,
        Query = Tables + "(declare-const r1 Idx)\n(declare-const r2 Idx)\n" + Bounds +
            "(assert (=> (bvult r1 m) (Pmp.regionOk (select rb r1) (select rz r1) (select rp r1))))\n" +
            "(assert (=> (bvult r2 m) (Pmp.regionOk (select rb r2) (select rz r2) (select rp r2))))\n" +
            "(assert (=> (and (bvult r1 m) (bvult r2 m) (not (= r1 r2))) (not (overlaps (select rb r1) (select rz r1) (select rb r2) (select rz r2)))))\n" +
            "(assert (not (=> (and (bvult r1 m) (bvult r2 m) (not (= r1 r2))) (not (and (select (PmpT.holds rb rz a) r1) (select (PmpT.holds rb rz a) r2))))))\n",
        Meaning = "no address lies in two regions of a slice",
        Explain = [("address a", "a"), ("regions r1, r2", "r1\tr2")],
    };

    /// <summary>
    /// The bridge from the slicevisor to the encoder: every range and window a CreateSlice accepts (its precondition,
    /// error None) is a region the encoder takes (Pmp.regionOk: non-empty, 4-aligned, not wrapping, never W without R).
    /// Without it pmp/Link.* and pmp/Exact.* would be about regions the slicevisor may never hand over; before the validator
    /// refused write-without-read ranges this obligation failed (a WX range, accepted, that PMP cannot encode).
    /// </summary>
    public static Obligation LinkAccepted() => new()
    {
        Name = "pmp/Link.accepted",
        SliceSpec = true,
        Expect = Expect.Unsat,
        Query = "(declare-const s State)\n(declare-const ca CreateArgs)\n(declare-const k Idx)\n(assert Machine_WellFormed)\n" +
            // CreateSlice_pre with error None gives, for every k below nr (nw), Create.rangeErr (winErr) None at k:
            // asked in that form, so that a spec that lets a bad region through is answered sat at once.
            "(assert (or (and (bvult k (c.nr ca)) (= (Create.rangeErr s ca k) SliceError.None)\n" +
            "                 (not (Pmp.regionOk (select (c.base ca) k) (select (c.size ca) k) (Create.perm ca k))))\n" +
            "            (and (bvult k (c.nw ca)) (= (Create.winErr s ca k) SliceError.None)\n" +
            "                 (not (Pmp.regionOk (select (c.wbase ca) k) (select (c.wsize ca) k) (select (c.wperm ca) k))))))\n",
        Meaning = "every private range and window that passes CreateSlice's checks is a region the PMP encoder takes (non-empty, 4-aligned, not wrapping, never write without read)",
        Explain =
        [
            ("index k / ranges / windows", "k\t(c.nr ca)\t(c.nw ca)"),
            ("range k: base / size / permission", "(select (c.base ca) k)\t(select (c.size ca) k)\t(Create.perm ca k)"),
            ("window k: base / size / permission", "(select (c.wbase ca) k)\t(select (c.wsize ca) k)\t(select (c.wperm ca) k)"),
        ],
    };

    /// <summary>The table-level argument: lowest match wins, over the facts the links prove.</summary>
    public static Obligation Exact(string mode) => new()
    {
        Name = $"pmp/Exact.{mode}",
        SliceSpec = true,
        Expect = Expect.Unsat,
        // Z3 4.8.12's default strategy through libz3 left pmp/Exact.SU unknown at 120 s once CreateArgs gained the cache-domain
        // fields (the query names a CreateArgs; 0.5 s before), where this one answers unsat in 1 s (2026-12-07): the default
        // search depends on the order terms are created in. The z3 binary answers both ways in under 2 s.
        CheckCommand = Runner.SecondCheck,
        // Over which entries match a (mt) and which regions hold it (hd): no address arithmetic left.
        Query = Tables + "(declare-const grp (Array Idx Idx))\n(declare-const mt (Array Idx Bool))\n(declare-const hd (Array Idx Bool))\n" +
            "(declare-const k Perm)\n(declare-const f Idx)\n" + Bounds +
            "(assert (PmpT.facts m n rb rz rp cfg pos tv tt mt hd))\n" +
            "(assert (PmpT.groups m rb rz pos tv tt grp))\n(assert (PmpT.first n mt f))\n(assert (Pmp.oneKind k))\n" +
            $"(assert (not (= (PmpT.allows{mode} n cfg mt f k) (PmpT.inRegionsH m hd rp k))))\n",
        Meaning = $"the encoded table allows ({(mode == "M" ? "in M-mode, the guest's" : "in S/U-mode")}) exactly the union of the slice's regions with their permissions, for every slice that fits",
        Explain =
        [
            ("address a", "a"),
            ("access kind k (1 read, 2 write, 4 execute)", "k"),
            ($"the entries allow it ({mode})", $"(PmpT.allows{mode} n cfg mt f k)"),
            ("deciding entry (lowest matching; n when none matches)", "(ite (and (bvult f n) (select mt f)) f n)"),
            ("its pmpcfg", "(select cfg f)"),
            ("entries n / regions m", "n\tm"),
            ("regions 0, 1 hold a / their permissions", "(select hd #x0000)\t(select hd #x0001)\t(select rp #x0000)\t(select rp #x0001)"),
            ("entries 0, 1, 2 match a", "(select mt #x0000)\t(select mt #x0001)\t(select mt #x0002)"),
            ("entries 0, 1, 2 pmpcfg", "(select cfg #x0000)\t(select cfg #x0001)\t(select cfg #x0002)"),
        ],
    };

    /// <summary>
    /// Non-vacuity: a concrete slice (the three ranges of the "linux" slice of
    /// examples/layouts/polarfire-soc-valid.json: a NAPOT range, a TOR range, and an adjacent
    /// one reusing its top) with the table the encoder writes for it satisfies every hypothesis
    /// of pmp/Link.* and pmp/Exact.* at an address in the reused-bottom range, which is allowed,
    /// and the one past it is denied by the deny-all. Proved by refuting the negation.
    /// </summary>
    public static Obligation Witness()
    {
        static string Arr(string sort, string zero, params (string Index, string Value)[] items)
        {
            string s = $"((as const (Array Idx {sort})) {zero})";
            foreach ((string i, string v) in items)
            {
                s = $"(store {s} {i} {v})";
            }
            return s;
        }
        const string Z = "#x0000000000000000";
        string rb = Arr("Addr", Z, ("#x0000", "#x0000000090000000"), ("#x0001", "#x0000001000000000"), ("#x0002", "#x0000001003000000"));
        string rz = Arr("Addr", Z, ("#x0000", "#x0000000010000000"), ("#x0001", "#x0000000003000000"), ("#x0002", "#x0000000005000000"));
        string rp = Arr("Perm", "#b000", ("#x0000", "#b111"), ("#x0001", "#b111"), ("#x0002", "#b111"));
        string cfg = Arr("Cfg", "#x80", ("#x0000", "#x9f"), ("#x0001", "#x80"), ("#x0002", "#x8f"), ("#x0003", "#x8f"), ("#x000f", "#x98"));
        string pa = Arr("PAd", Z, ("#x0000", "#x0000000025ffffff"), ("#x0001", "#x0000000400000000"), ("#x0002", "#x0000000400c00000"),
            ("#x0003", "#x0000000402000000"), ("#x000f", "#x3fffffffffffffff"));
        string pos = Arr("Idx", "#x0004", ("#x0000", "#x0000"), ("#x0001", "#x0001"), ("#x0002", "#x0003"), ("#x0003", "#x0004"));
        string tv = Arr("Bool", "false", ("#x0000", "true"), ("#x0002", "true"), ("#x0003", "true"));
        string tt = Arr("Addr", Z, ("#x0001", "#x00000000a0000000"), ("#x0002", "#x0000001003000000"), ("#x0003", "#x0000001008000000"));
        string grp = Arr("Idx", "#x0000", ("#x0001", "#x0001"), ("#x0002", "#x0001"), ("#x0003", "#x0002"));
        const string A = "#x0000001004000000";
        const string Past = "#x0000001008000000";
        string mt = $"(PmpT.matches {cfg} {pa} {A})";
        string mtPast = $"(PmpT.matches {cfg} {pa} {Past})";
        return new Obligation
        {
            Name = "pmp/witness",
            SliceSpec = true,
            Expect = Expect.Unsat,
            Query =
                $"(assert (not (and (PmpT.inputs #x0003 #x0010 {rb} {rz} {rp}) (PmpT.encode #x0003 #x0010 {rb} {rz} {rp} {cfg} {pa} {pos} {tv} {tt})\n" +
                $"  (PmpT.groups #x0003 {rb} {rz} {pos} {tv} {tt} {grp})\n" +
                $"  (PmpT.facts #x0003 #x0010 {rb} {rz} {rp} {cfg} {pos} {tv} {tt} {mt} (PmpT.holds {rb} {rz} {A})) (PmpT.first #x0010 {mt} #x0003)\n" +
                $"  (PmpT.allowsM #x0010 {cfg} {mt} #x0003 #b100) (PmpT.inRegions #x0003 {rb} {rz} {rp} {A} #b100) (PmpT.inRegionsH #x0003 (PmpT.holds {rb} {rz} {A}) {rp} #b100)\n" +
                $"  (PmpT.first #x0010 {mtPast} #x000f) (not (PmpT.allowsM #x0010 {cfg} {mtPast} #x000f #b001)))))\n",
            Meaning = "a concrete three-region slice and its encoded table satisfy every hypothesis of pmp/Link.* and pmp/Exact.* (they are not vacuous)",
        };
    }
}
