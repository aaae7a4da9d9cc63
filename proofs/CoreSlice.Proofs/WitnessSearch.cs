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
}
