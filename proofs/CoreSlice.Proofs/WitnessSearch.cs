using System.Diagnostics;
using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// A counterexample search that needs no model finding. For a step obligation <c>Op/clause</c>:
/// a concrete witness pre-state w (on a concrete machine), concrete arguments a (ghost witnesses
/// included) and a concrete point p of the clause's quantifier. Each claim is proved by refuting
/// its negation (unsat), all about ground terms:
/// <list type="number">
/// <item>the machine satisfies Machine_WellFormed; w satisfies Inv; a satisfies Op_pre(w, a);</item>
/// <item>a successor exists: the candidate s2* (built from the step's own definition by
///   <see cref="Successor"/>) satisfies Op(w, a, s2*);</item>
/// <item>s2* violates the clause at p: Point.clause(s2*, p) is false.</item>
/// </list>
/// Then Inv(w) ∧ Op_pre(w,a) ∧ Op(w,a,s2*) ∧ ¬clause(s2*) holds: a real counterexample to
/// "Op preserves clause". It is also checked (and reported) whether EVERY successor violates it.
/// </summary>
public static class WitnessSearch
{
    /// <summary>
    /// M2: the witness machine, but reserved memory also holds the top granule [2^64-4K, 2^64), and
    /// RAM coverage is left as loose as the spec leaves it (ramCovers true for every range: the spec's
    /// Machine_WellFormed does not constrain it).
    /// </summary>
    public const string MachineTop =
        "(assert (= nCores #x0004))(assert (= nSlots #x0003))(assert (= nDevs #x0002))(assert (= nWays #x0004))\n" +
        "(assert (= nRR #x0002))(assert (= gran #x0000000000001000))\n" +
        "(assert (forall ((c Core)) (= (controlCore c) (= c #x0000))))\n" +
        "(assert (forall ((w Way)) (= (controlWay w) (= w #x0000))))\n" +
        "(assert (forall ((x Addr)) (= (reservedMem x) (or (bvult x #x0000000000001000) (bvuge x #xfffffffffffff000)))))\n" +
        "(assert (forall ((x Addr)) (= (controlMem x) (and (bvuge x #x0000000000001000) (bvult x #x0000000000002000)))))\n" +
        "(assert (forall ((b Addr) (z Addr)) (= (ramCovers b z) true)))\n";

    /// <summary>
    /// More witness states (on top of w0, w1 of <see cref="Witnesses.States"/>):
    /// w2: w1 (slot 2 Created) whose table row keeps a stale range register 1 = [8K, 12K) beyond its
    /// count (tblN = 1; the invariant says nothing about entries past the count; ghost copy alike).
    /// w3: w0 with slot 2 Destroying (a fault part-way through its destroy: it keeps everything).
    /// w4: only slot 2, Created (slot 1 destroyed: everything of it Free, memory scrubbed; no core in Guest mode).
    /// wT: w0 on machine M2 (the top granule reserved and owned Reserved).
    /// </summary>
    public const string MoreStates = """
(define-fun w2.b () (Array Slot (Array Idx Addr)) (store w.tblB #x0002 (store w.r2b #x0001 #x0000000000002000)))
(define-fun w2.z () (Array Slot (Array Idx Addr)) (store w.tblZ #x0002 (store w.r1z #x0001 #x0000000000001000)))
(define-fun w2 () State (mk-state
  (st w1) (tblN w1) w2.b w2.z (entry w1) (meas w1)
  (coreOwner w1) (devOwner w1) (wayOwner w1) (memOwner w1) (lastWriter w1)
  (mode w1) (locked w1) (rrBase w1) (rrSize w1) (rrPerm w1) (ipi w1) (wmask w1) (iommu w1)
  (gN w1) w2.b w2.z (gCore w1) (gDev w1) (gWay w1) (gMem w1)))
(define-fun w3 () State (mk-state
  (store (st w0) #x0002 #b11) (tblN w0) (tblBase w0) (tblSize w0) (entry w0) (meas w0)
  (coreOwner w0) (devOwner w0) (wayOwner w0) (memOwner w0) (store (lastWriter w0) #x0000000000003000 #x0002)
  (mode w0) (locked w0) (rrBase w0) (rrSize w0) (rrPerm w0) (ipi w0) (wmask w0) (iommu w0)
  (gN w0) (gBase w0) (gSize w0) (gCore w0) (gDev w0) (gWay w0) (gMem w0)))
(define-fun w4.co () (Array Core Slot) (store w.co #x0001 #xffff))
(define-fun w4.do () (Array Dev Slot) (store w.do #x0000 #xffff))
(define-fun w4.wo () (Array Way Slot) (store w.wo #x0001 #xffff))
(define-fun w4.mo () (Array Addr Slot) (lambda ((x Addr)) (ite (and (bvuge x #x0000000000002000) (bvult x #x0000000000003000)) #xffff (select w.mo x))))
(define-fun w4.n () (Array Slot Idx) (store w.tblN #x0001 #x0000))
(define-fun w4 () State (mk-state
  (store (st w1) #x0001 #b00) w4.n (tblBase w1) (tblSize w1) (entry w1) (meas w1)
  w4.co w4.do w4.wo w4.mo ((as const (Array Addr Slot)) #xfffd)
  (store (mode w1) #x0001 #b001) ((as const (Array Core Bool)) false)
  ((as const (Array Core (Array Idx Addr))) zeroAddrs) ((as const (Array Core (Array Idx Addr))) zeroAddrs)
  ((as const (Array Core (Array Idx Perm))) zeroPerms) ((as const (Array Core (Array Core Bool))) noCores)
  ((as const (Array Core (Array Way Bool))) noWays) ((as const (Array Dev Slot)) #xfffd)
  w4.n (gBase w1) (gSize w1) w4.co w4.do w4.wo w4.mo))
(define-fun wT.mo () (Array Addr Slot) (lambda ((x Addr)) (ite (bvuge x #xfffffffffffff000) #xfffe (select w.mo x))))
(define-fun wT () State (mk-state
  (st w0) (tblN w0) (tblBase w0) (tblSize w0) (entry w0) (meas w0)
  (coreOwner w0) (devOwner w0) (wayOwner w0) wT.mo (lastWriter w0)
  (mode w0) (locked w0) (rrBase w0) (rrSize w0) (rrPerm w0) (ipi w0) (wmask w0) (iommu w0)
  (gN w0) (gBase w0) (gSize w0) (gCore w0) (gDev w0) (gWay w0) wT.mo))
""";

    /// <summary>One candidate counterexample: witness, arguments, the point where the clause should break.</summary>
    /// <param name="Op">Operation.</param>
    /// <param name="Clause">Invariant clause (obligation <c>Op/Clause</c>).</param>
    /// <param name="Machine">The machine's assertions.</param>
    /// <param name="State">The witness pre-state's name.</param>
    /// <param name="Args">The arguments (a ground term of the operation's argument sort).</param>
    /// <param name="Call">The call, in words.</param>
    /// <param name="Point">The point's arguments for Point.&lt;Clause&gt; (after the state).</param>
    /// <param name="PointText">The point, in words.</param>
    /// <param name="Cells">Cells to show before/after: (label, term over the state named S).</param>
    public sealed record Probe(string Op, string Clause, string Machine, string State, string Args, string Call,
        string Point, string PointText, IReadOnlyList<(string Label, string Term)> Cells);

    private static string CreateArgs(string core, string rbase, string rsize, string kc, string kr) =>
        $"(mk-create-args #x0001 ((as const (Array Idx Core)) {core}) #x0001 ((as const (Array Idx Addr)) {rbase}) " +
        $"((as const (Array Idx Addr)) {rsize}) #x0000 ((as const (Array Idx Dev)) #x0000) (store noWays #x0003 true) " +
        $"{rbase} #x0003 {kc} {kr} #x0000 ((as const (Array Core Idx)) #x0000) ((as const (Array Dev Idx)) #x0000) ((as const (Array Addr Idx)) #x0000))";

    private const string NoDevs = "((as const (Array Dev Bool)) false)";
    private const string Destroy1 = "(mk-destroy-args #x0001 #x00 #x0000 #x0000 noCores " + NoDevs + ")";
    private const string Start2 = "(mk-start-args #x0002 #x00 #x0000 #x0000 noCores " + NoDevs + ")";

    private static (string, string)[] CoreCells(string c) =>
    [
        ($"core {c}: owner", $"(select (coreOwner S) #x000{c})"), ($"core {c}: mode", $"(select (mode S) #x000{c})"),
        ($"core {c}: locked", $"(select (locked S) #x000{c})"),
        ($"core {c}: owner's state", $"(select (st S) (select (coreOwner S) #x000{c}))"),
        ($"core {c}: range register 0 base/size/perm", $"(select (select (rrBase S) #x000{c}) #x0000)\t(select (select (rrSize S) #x000{c}) #x0000)\t(select (select (rrPerm S) #x000{c}) #x0000)"),
    ];

    private static (string, string)[] AddrCells(string a, string text) =>
    [
        ($"address {text}: owner", $"(select (memOwner S) {a})"), ($"address {text}: last writer", $"(select (lastWriter S) {a})"),
        ($"address {text}: reserved", $"(reservedMem {a})"),
    ];

    private static readonly (string, string)[] IpiCells =
        [.. CoreCells("2"), ("core 2: IPI mask bit for core 0", "(select (select (ipi S) #x0002) #x0000)"), ("core 0: owner", "(select (coreOwner S) #x0000)")];

    /// <summary>The candidates, per obligation.</summary>
    public static readonly IReadOnlyList<Probe> Probes =
    [
        new("CreateSlice", "I1_Disjointness.table", Witnesses.Machine, "w0",
            CreateArgs("#x0003", "#x0000000000002000", "#x0000000000001000", "#x0001", "#x0001"),
            "CreateSlice(slot 3, core 3, memory [8K, 12K) -- slot 1's range --, way 3, entry 8K)",
            "#x0001 #x0000 #x0000000000002000", "slot 1's range 0 at address 8K",
            [("slot 1: state", "(select (st S) #x0001)"), .. AddrCells("#x0000000000002000", "8K")]),
        new("CreateSlice", "I1_Disjointness.memory", MachineTop, "wT",
            CreateArgs("#x0003", "#xfffffffffffff000", "#x0000000000002000", "#x0001", "#x0001"),
            "CreateSlice(slot 3, core 3, memory [2^64-4K, +8K) -- wraps past 2^64 --, way 3), on a machine whose top granule is reserved",
            "#xfffffffffffff000", "address 2^64-4K (reserved)",
            AddrCells("#xfffffffffffff000", "2^64-4K")),
        new("CreateSlice", "I3_LockedGuest.guest", Witnesses.Machine, "w0",
            CreateArgs("#x0001", "#x0000000000004000", "#x0000000000001000", "#x0001", "#x0001"),
            "CreateSlice(slot 3, core 1 -- slot 1's running, locked core --, memory [16K, 20K), way 3)",
            "#x0001", "core 1", CoreCells("1")),
        new("LoadImage", "I5_NoResidue", Witnesses.Machine, "w2",
            "(mk-load-args #x0002 #x0000000000002000 #x0000000000000100 #x0001)",
            "LoadImage(slot 2, address 8K, 256 bytes) -- 8K is slot 1's memory; slot 2's table row has a stale range 1 = [8K, 12K) past its count",
            "#x0000000000002000", "address 8K", AddrCells("#x0000000000002000", "8K")),
        new("StartSlice", "I2_FilterSoundness.ipi", Witnesses.Machine, "w1", Start2, "StartSlice(slot 2), no fault",
            "#x0002 #x0000", "core 2's IPI mask bit for core 0", IpiCells),
        // the same from a state with no core in Guest mode (a bug in core-regs-programmed also changes
        // what I3 demands of running cores, so a state with running guests may not satisfy that Inv)
        new("StartSlice", "I2_FilterSoundness.ipi", Witnesses.Machine, "w4", Start2, "StartSlice(slot 2), no fault",
            "#x0002 #x0000", "core 2's IPI mask bit for core 0", IpiCells),
        new("StartSlice", "I3_LockedGuest.guest", Witnesses.Machine, "w1", Start2, "StartSlice(slot 2), no fault",
            "#x0002", "core 2", CoreCells("2")),
        new("DestroySlice", "I3_LockedGuest.unlockedIdle", Witnesses.Machine, "w0", Destroy1, "DestroySlice(slot 1), no fault",
            "#x0001", "core 1", CoreCells("1")),
        new("DestroySlice", "I5_NoResidue", Witnesses.Machine, "w0", Destroy1, "DestroySlice(slot 1), no fault",
            "#x0000000000002000", "address 8K (written by slot 1)", AddrCells("#x0000000000002000", "8K")),
        new("DestroySlice", "I5_NoResidue", Witnesses.Machine, "w3", "(mk-destroy-args #x0002 #x00 #x0000 #x0000 noCores " + NoDevs + ")",
            "DestroySlice(slot 2, Destroying after an earlier fault), no fault",
            "#x0000000000003000", "address 12K (written by slot 2)", AddrCells("#x0000000000003000", "12K")),
        new("DestroySlice", "I4_DmaConfinement", Witnesses.Machine, "w0", Destroy1, "DestroySlice(slot 1), no fault",
            "#x0000", "device 0 (slot 1's, window open)",
            [("device 0: owner", "(select (devOwner S) #x0000)"), ("device 0: IOMMU window", "(select (iommu S) #x0000)"), ("slot 1: state", "(select (st S) #x0001)")]),
        new("GuestWriteFilter", "I3_LockedGuest.guest", Witnesses.Machine, "w0",
            "(mk-filter-args #x0001 #b00 #x0000 #x0000000000000000 #x0000000000001000 #b111 noCores noWays)",
            "GuestWriteFilter(core 1 -- locked, running slot 1 --: range register 0 := [0, 4K) rwx)",
            "#x0001", "core 1", CoreCells("1")),
    ];

    /// <summary>Time limit of the optional "every successor" query.</summary>
    public const int EveryMs = 3_000;

    /// <summary>True when some candidate exists for the obligation.</summary>
    public static bool Has(string obligation) => Probes.Any(p => $"{p.Op}/{p.Clause}" == obligation);

    /// <summary>
    /// Tries each candidate of the obligation; returns the counterexample text of the first that is
    /// established, or null (with the reasons the candidates were not established in <paramref name="notes"/>).
    /// </summary>
    public static string? Search(Spec spec, ISolver solver, string obligation, string meaning, string argsSort, int timeoutMs, List<string> notes)
    {
        var succ = new Successor(spec.Text);
        foreach (Probe p in Probes.Where(p => $"{p.Op}/{p.Clause}" == obligation))
        {
            var sw = Stopwatch.StartNew();
            string? s2 = succ.Candidate(p.Op, p.State, "w.args");
            if (s2 is null)
            {
                notes.Add($"{p.Call}: no candidate successor (the spec's State/{p.Op} could not be read)");
                continue;
            }
            string prelude = spec.Text + "\n" + p.Machine + Witnesses.States + MoreStates +
                $"(define-fun w.args () {argsSort} {p.Args})\n(define-fun s2* () State {s2})\n(declare-const s2 State)\n";
            var sb = new StringBuilder();
            sb.Append("(set-option :timeout ").Append(timeoutMs).Append(")\n").Append(prelude);
            string[] checks =
            [
                "(not Machine_WellFormed)",
                $"(not (Inv {p.State}))",
                $"(not ({p.Op}_pre {p.State} w.args))",
                $"(not ({p.Op} {p.State} w.args s2*))",
                $"(Point.{p.Clause} s2* {p.Point})",
                $"(not (= ({p.Op}_err {p.State} w.args) SliceError.None))",
            ];
            foreach (string c in checks)
            {
                sb.Append("(push)(assert ").Append(c).Append(")(check-sat)(pop)\n");
            }
            // the cells' values, evaluated in a model of the machine's definitions (all ground terms)
            sb.Append("(check-sat)\n");
            var cells = new List<(string Label, int Count)>();
            foreach ((string label, string term) in p.Cells)
            {
                string[] parts = term.Split('\t');
                foreach (string who in new[] { p.State, "s2*" })
                {
                    foreach (string part in parts)
                    {
                        sb.Append("(eval ").Append(part.Replace("S)", who + ")", StringComparison.Ordinal)).Append(")\n");
                    }
                }
                cells.Add((label, parts.Length));
            }
            List<string> answers;
            try
            {
                answers = SExpr.SplitTop(solver.Run(sb.ToString(), timeoutMs));
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                notes.Add($"{p.Call}: solver error {e.Message}");
                continue;
            }
            string A(int i) => i < answers.Count ? answers[i] : "(no answer)";
            string[] what =
            [
                "the witness machine satisfies Machine_WellFormed", $"the witness {p.State} satisfies Inv",
                $"the arguments satisfy {p.Op}_pre", $"the candidate successor satisfies {p.Op}", $"the successor violates {p.Clause} at {p.PointText}",
            ];
            int failedAt = -1;
            for (int i = 0; i < what.Length; i++)
            {
                if (A(i) != "unsat")
                {
                    failedAt = i;
                    break;
                }
            }
            if (failedAt >= 0)
            {
                notes.Add($"from {p.State}, {p.Call}: not established that {what[failedAt]} (solver: {A(failedAt)})");
                continue;
            }
            // Stronger, when it answers quickly: EVERY successor violates the clause there.
            bool every = SExpr.SplitTop(solver.Run($"(set-option :timeout {EveryMs})\n" + prelude +
                $"(assert ({p.Op} {p.State} w.args s2))(assert (Point.{p.Clause} s2 {p.Point}))(check-sat)\n", EveryMs)) is [ "unsat", .. ];
            var text = new StringBuilder();
            text.Append("COUNTEREXAMPLE to ").Append(obligation).Append(": it is NOT true that ").Append(meaning).Append('.')
                .Append("\n    found on a witness state, every fact below proved by refuting its negation (").Append(sw.ElapsedMilliseconds).Append(" ms):")
                .Append("\n    machine: ").Append(p.Machine == MachineTop ? "the witness machine M2 (4 cores, 3 slots, 2 devices, 4 ways, 2 range registers; reserved [0,4K) and [2^64-4K,2^64), control [4K,8K); ramCovers unconstrained, as in the spec)" : "the witness machine (4 cores, core 0 control; 3 slots; 2 devices; 4 ways; 2 range registers; reserved [0,4K), control [4K,8K), RAM [0,64K))")
                .Append("\n    pre-state: witness ").Append(p.State).Append(" -- satisfies Inv (proved)")
                .Append("\n    call: ").Append(p.Call).Append(" -- arguments satisfy ").Append(p.Op).Append("_pre (proved)")
                .Append("\n    returns: ").Append(A(5) == "unsat" ? "SliceError.None: the step succeeds (proved)" : "(not shown whether the step succeeds)")
                .Append("\n    post-state: a successor exists (the candidate built from ").Append(p.Op).Append("'s definition satisfies ").Append(p.Op).Append(", proved)")
                .Append("\n    broken: ").Append(p.Clause).Append(" at ").Append(p.PointText).Append(" (Point.").Append(p.Clause).Append(" false in that successor, proved)")
                .Append(every ? "; moreover EVERY successor of this step violates it there (proved)" : $"; (whether EVERY successor violates it was not shown within {EveryMs} ms: the step may leave a choice open)");
            int k = checks.Length + 1;
            bool model = A(checks.Length) == "sat";
            foreach ((string label, int count) in cells)
            {
                string before = model ? string.Join(" / ", Enumerable.Range(k, count).Select(i => Show(label, A(i)))) : "?";
                string after = model ? string.Join(" / ", Enumerable.Range(k + count, count).Select(i => Show(label, A(i)))) : "?";
                k += 2 * count;
                text.Append("\n    ").Append(label).Append(": before ").Append(before).Append(", after ").Append(after);
            }
            return text.ToString();
        }
        return null;
    }

    private static string Show(string label, string v)
    {
        v = v.Trim();
        if (label.EndsWith("state", StringComparison.Ordinal))
        {
            return v switch { "#b00" => "Free", "#b01" => "Created", "#b10" => "Running", "#b11" => "Destroying", _ => v };
        }
        if (label.EndsWith("mode", StringComparison.Ordinal))
        {
            return v switch { "#b000" => "Control", "#b001" => "Idle", "#b010" => "Loader", "#b011" => "Guest", "#b100" => "Halted", _ => v };
        }
        if (v.Length > 80)
        {
            return v[..80] + "…";
        }
        string d = Counterexample.Decimal(v);
        return d switch
        {
            "65535" => "Free(-1)",
            "65534" => "Reserved(-2)",
            "65533" => "None(-3)",
            _ => d,
        };
    }
}
