using System.Diagnostics;
using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// More witness states and a second witness machine, for the counterexample search
/// (<see cref="CounterexampleSearch"/>) and the sanity obligations (each proved to satisfy Inv).
/// </summary>
public static class WitnessSearch
{
    /// <summary>
    /// M2: the witness machine, but reserved memory also holds the top granule [2^64-4K, 2^64), and
    /// RAM coverage is left as loose as the spec leaves it (ramCovers true for every range: the spec's
    /// Machine_WellFormed does not constrain it).
    /// </summary>
    public const string MachineTop =
        "(assert (= nCores #x0004))(assert (= nSlots #x0003))(assert (= nDevs #x0002))\n" +
        Witnesses.Domains +
        "(assert (= nRR #x0002))(assert (= gran #x0000000000001000))\n" +
        "(assert (forall ((c Core)) (= (controlCore c) (= c #x0000))))\n" +
        "(assert (forall ((w Way)) (= (controlWay w) (or (= w #x0000) (= w #x0040)))))\n" +
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
    public static readonly string MoreStates = """
(define-fun w2.b () (Array Slot (Array Idx Addr)) (store w.tblB #x0002 (store w.r2b #x0001 #x0000000000002000)))
(define-fun w2.z () (Array Slot (Array Idx Addr)) (store w.tblZ #x0002 (store w.r1z #x0001 #x0000000000001000)))
(define-fun w4.co () (Array Core Slot) (store w.co #x0001 #xffff))
(define-fun w4.do () (Array Dev Slot) (store w.do #x0000 #xffff))
(define-fun w4.wo () (Array Way Slot) (store w.wo #x0001 #xffff))
(define-fun w4.mo () (Array Addr Slot) (lambda ((x Addr)) (ite (and (bvuge x #x0000000000002000) (bvult x #x0000000000003000)) #xffff (select w.mo x))))
(define-fun w4.n () (Array Slot Idx) (store w.tblN #x0001 #x0000))
(define-fun wT.mo () (Array Addr Slot) (lambda ((x Addr)) (ite (bvuge x #xfffffffffffff000) #xfffe (select w.mo x))))
""" + Witnesses.Define("w2", "w1", ("tblBase", "w2.b"), ("tblSize", "w2.z"), ("gBase", "w2.b"), ("gSize", "w2.z"))
    + Witnesses.Define("w3", "w0", ("st", "(store (st w0) #x0002 #b11)"), ("lastWriter", "(store (lastWriter w0) #x0000000000003000 #x0002)"))
    + Witnesses.Define("w4", "w1",
        ("st", "(store (st w1) #x0001 #b00)"), ("tblN", "w4.n"), ("meas", "((as const (Array Slot (_ BitVec 64))) #x0000000000000000)"),
        ("coreOwner", "w4.co"), ("devOwner", "w4.do"), ("wayOwner", "w4.wo"), ("memOwner", "w4.mo"),
        ("lastWriter", "((as const (Array Addr Slot)) #xfffd)"),
        ("mode", "(store (mode w1) #x0001 #b001)"), ("locked", "(store ((as const (Array Core Bool)) false) #x0000 true)"),
        ("rrBase", "((as const (Array Core (Array Idx Addr))) zeroAddrs)"), ("rrSize", "((as const (Array Core (Array Idx Addr))) zeroAddrs)"),
        ("rrPerm", "((as const (Array Core (Array Idx Perm))) zeroPerms)"), ("ipi", "((as const (Array Core (Array Core Bool))) noCores)"),
        ("wmask", "((as const (Array Core (Array Way Bool))) noWays)"), ("ipiIn", "w.noIpiIn"), ("iommu", "((as const (Array Dev Slot)) #xfffd)"),
        ("gN", "w4.n"), ("gCore", "w4.co"), ("gDev", "w4.do"), ("gWay", "w4.wo"), ("gMem", "w4.mo"))
    + Witnesses.Define("wT", "w0", ("memOwner", "wT.mo"), ("gMem", "wT.mo"));
}
