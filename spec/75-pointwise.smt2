; =====================================================================
; CoreSlice formal model -- 35: pointwise instances of invariant clauses
; Point.<clause> (s, p...) is the body of <clause>'s forall at one point p.
; Used only to NAME a concrete culprit in a counterexample (coreslice verify
; searches counterexamples on witness states, proofs/CoreSlice.Proofs/WitnessSearch.cs).
; Each is proved implied by its clause (obligation point/<clause>):
;   clause(s) => Point.<clause>(s, p)  for every s, p.
; =====================================================================
(define-fun Point.I1_Disjointness.memory ((s State) (a Addr)) Bool
  (let ((o (select (memOwner s) a)))
    (and (= (= o Owner.Reserved) (reservedMem a))
         (= (= o Owner.Control) (controlMem a))
         (or (= o Owner.Free) (= o Owner.Reserved) (= o Owner.Control) (live s o)))))
(define-fun Point.I1_Disjointness.table ((s State) (t Slot) (i Idx) (a Addr)) Bool
  (=> (and (live s t) (bvult i (select (tblN s) t))
           (inRange a (select (select (tblBase s) t) i) (select (select (tblSize s) t) i)))
      (and (= (select (memOwner s) a) t) (= (select (addrPerm s) a) (select (select (tblPerm s) t) i)))))
(define-fun Point.I2_FilterSoundness.ipi ((s State) (c Core) (b Core)) Bool
  (=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (ipi s) c) b))
      (= (select (coreOwner s) b) (select (coreOwner s) c))))
(define-fun Point.I3_LockedGuest.guest ((s State) (c Core)) Bool
  (let ((o (select (coreOwner s) c)))
    (=> (= (select (mode s) c) CoreMode.Guest)
        (and (isGuest o)
             (or (= (select (st s) o) SliceState.Running) (= (select (st s) o) SliceState.Destroying))
             (select (locked s) c)
             (core-regs-programmed s s c o)))))
(define-fun Point.I3_LockedGuest.unlockedIdle ((s State) (c Core)) Bool
  (and (=> (or (= (select (mode s) c) CoreMode.Idle) (= (select (mode s) c) CoreMode.Loader))
           (not (select (locked s) c)))
       (=> (= (select (mode s) c) CoreMode.Idle) (core-regs-cleared s c))))
(define-fun Point.I2_FilterSoundness.delivered ((s State) (c Core) (b Core)) Bool
  (=> (select (select (ipiIn s) c) b)
      (and (isGuest (select (coreOwner s) c)) (= (select (coreOwner s) b) (select (coreOwner s) c)))))
(define-fun Point.I4_DmaConfinement.iommu ((s State) (d Dev)) Bool
  (let ((w (select (iommu s) d)))
    (or (= w Owner.None)
        (and (= w (select (devOwner s) d)) (isGuest w)
             (or (= (select (st s) w) SliceState.Running) (= (select (st s) w) SliceState.Destroying))))))
(define-fun Point.I5_NoResidue ((s State) (a Addr)) Bool
  (let ((w (select (lastWriter s) a)) (o (select (memOwner s) a)))
    (or (= w Owner.None)
        (and (= w o) (not (= o Owner.Free)) (not (= o Owner.Reserved)))
        (and (isGuest w) (= w (select (winOwner s) a))))))
