; =====================================================================
; CoreSlice formal model -- 30: invariants I1..I6 (docs/design.md)
; Each invariant is a conjunction of named clauses; a proof obligation is
; stated per invariant, and its counterexample names the clause.
; =====================================================================

; ---------------- I1: disjointness (-> S1, S9) ----------------
; cores: control cores are Control; the rest Free or a live slot; none beyond the machine
(define-fun I1_Disjointness.cores ((s State)) Bool
  (forall ((c Core)) (let ((o (select (coreOwner s) c)))
    (and (= (= o Owner.Control) (controlCore c))
         (or (= o Owner.Free) (= o Owner.Control) (live s o))
         (=> (bvuge c nCores) (= o Owner.Free))))))
(define-fun I1_Disjointness.devices ((s State)) Bool
  (forall ((d Dev)) (let ((o (select (devOwner s) d)))
    (and (or (= o Owner.Free) (live s o))
         (=> (bvuge d nDevs) (= o Owner.Free))))))
(define-fun I1_Disjointness.ways ((s State)) Bool
  (forall ((w Way)) (let ((o (select (wayOwner s) w)))
    (and (= (= o Owner.Control) (controlWay w))
         (or (= o Owner.Free) (= o Owner.Control) (live s o))
         (=> (not (isWay w)) (= o Owner.Free))))))
; cache domains: a guest's ways lie in domains where it holds a core (no way a core of its could never
; use; RequestValidator.Ways WaysForeignDomain)
(define-fun I1_Disjointness.wayDomains ((s State)) Bool
  (forall ((w Way)) (let ((o (select (wayOwner s) w)))
    (=> (isGuest o) (exists ((c Core)) (and (= (select (coreOwner s) c) o) (= (coreDom c) (wDom w))))))))
; memory: reserved is Reserved, control memory is Control, the rest Free or a live slot
(define-fun I1_Disjointness.memory ((s State)) Bool
  (forall ((a Addr)) (let ((o (select (memOwner s) a)))
    (and (= (= o Owner.Reserved) (reservedMem a))
         (= (= o Owner.Control) (controlMem a))
         (or (= o Owner.Free) (= o Owner.Reserved) (= o Owner.Control) (live s o))))))
; the slice table's private ranges agree with the memory map (so two slots' ranges never overlap),
; and each carries the permission its slot holds there; ranges and windows fit the range registers
(define-fun I1_Disjointness.table ((s State)) Bool
  (and (forall ((t Slot)) (=> (live s t) (and (bvule (select (tblN s) t) nRR)
                                              (bvule (select (tblWN s) t) (bvsub nRR (select (tblN s) t))))))
       (forall ((t Slot) (i Idx) (a Addr))
         (! (=> (and (live s t) (bvult i (select (tblN s) t))
                     (inRange a (select (select (tblBase s) t) i) (select (select (tblSize s) t) i)))
                (and (= (select (memOwner s) a) t) (= (select (addrPerm s) a) (select (select (tblPerm s) t) i))))
            :pattern ((select (select (tblBase s) t) i) (select (memOwner s) a))
            :pattern ((select (select (tblBase s) t) i) (select (addrPerm s) a))))))
; a window is held by one live guest at most (winOwner is a map), lies in control memory, and never
; lets its guest execute: the control slice and exactly one guest share it, no second guest ever
(define-fun I1_Disjointness.windows ((s State)) Bool
  (forall ((a Addr)) (let ((w (select (winOwner s) a)))
    (or (= w Owner.Free)
        (and (live s w) (controlMem a)
             (= (bvand (select (addrPerm s) a) Permissions.Execute) Permissions.None))))))
; the slice table's windows agree with the window map, with the permission their guest holds there
(define-fun I1_Disjointness.windowTable ((s State)) Bool
  (forall ((t Slot) (i Idx) (a Addr))
    (! (=> (and (live s t) (bvult i (select (tblWN s) t))
                (inRange a (select (select (tblWBase s) t) i) (select (select (tblWSize s) t) i)))
           (and (= (select (winOwner s) a) t) (= (select (addrPerm s) a) (select (select (tblWPerm s) t) i))))
       :pattern ((select (select (tblWBase s) t) i) (select (winOwner s) a))
       :pattern ((select (select (tblWBase s) t) i) (select (addrPerm s) a)))))
; a slot that is not live (Free, the control slot, an index past the machine) holds no table row:
; a destroy clears the row (SliceEntry.Clear), so nothing of a freed slice lingers in the table
(define-fun I1_Disjointness.freeRows ((s State)) Bool
  (forall ((t Slot)) (=> (not (live s t)) (and (= (select (tblN s) t) #x0000) (= (select (tblWN s) t) #x0000)
                                              (= (select (tblDN s) t) #x0000)))))
(define-fun I1_Disjointness ((s State)) Bool
  (and (I1_Disjointness.cores s) (I1_Disjointness.devices s) (I1_Disjointness.ways s) (I1_Disjointness.wayDomains s)
       (I1_Disjointness.memory s) (I1_Disjointness.table s) (I1_Disjointness.windows s)
       (I1_Disjointness.windowTable s) (I1_Disjointness.freeRows s)))

; ---------------- I2: filter soundness (-> S3, S4) ----------------
; a core running guest code: its range registers reach only its slot's memory and its slot's
; windows, granting no more than the slot holds there; its IPI mask only its slot's cores, its way
; mask only its slot's ways, and only in its own cache domain (a core's register is over its domain's ways)
(define-fun I2_FilterSoundness.ranges ((s State)) Bool
  (forall ((c Core) (i Idx) (a Addr))
    (=> (and (= (select (mode s) c) CoreMode.Guest)
             (bvult i nRR) (not (= (select (select (rrPerm s) c) i) Permissions.None))
             (inRange a (select (select (rrBase s) c) i) (select (select (rrSize s) c) i)))
        (and (or (= (select (memOwner s) a) (select (coreOwner s) c)) (= (select (winOwner s) a) (select (coreOwner s) c)))
             (= (bvand (select (select (rrPerm s) c) i) (bvnot (select (addrPerm s) a))) Permissions.None)))))
(define-fun I2_FilterSoundness.ipi ((s State)) Bool
  (forall ((c Core) (b Core))
    (=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (ipi s) c) b))
        (= (select (coreOwner s) b) (select (coreOwner s) c)))))
(define-fun I2_FilterSoundness.ways ((s State)) Bool
  (forall ((c Core) (w Way))
    (=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (wmask s) c) w))
        (and (= (select (wayOwner s) w) (select (coreOwner s) c)) (wayInCoreDomain w c)))))
; every interrupt a core has received (since its last reset) came from a core of its own guest slot
(define-fun I2_FilterSoundness.delivered ((s State)) Bool
  (forall ((c Core) (b Core))
    (=> (select (select (ipiIn s) c) b)
        (and (isGuest (select (coreOwner s) c)) (= (select (coreOwner s) b) (select (coreOwner s) c))))))
(define-fun I2_FilterSoundness ((s State)) Bool
  (and (I2_FilterSoundness.ranges s) (I2_FilterSoundness.ipi s) (I2_FilterSoundness.ways s)
       (I2_FilterSoundness.delivered s)))

; ---------------- I3: locked guest (-> S5) ----------------
; a core in Guest mode belongs to a Running/Destroying slot, is locked, and its
; registers are exactly what its slot's table entry dictates
(define-fun I3_LockedGuest.guest ((s State)) Bool
  (forall ((c Core)) (let ((o (select (coreOwner s) c)))
    (=> (= (select (mode s) c) CoreMode.Guest)
        (and (isGuest o)
             (or (= (select (st s) o) SliceState.Running) (= (select (st s) o) SliceState.Destroying))
             (select (locked s) c)
             (core-regs-programmed s s c o))))))
; and a core that is Idle or in the sliceloader is unlocked (a reset clears the lock), and an Idle
; core's registers are what the reset left: cleared
(define-fun I3_LockedGuest.unlockedIdle ((s State)) Bool
  (forall ((c Core)) (and (=> (or (= (select (mode s) c) CoreMode.Idle) (= (select (mode s) c) CoreMode.Loader))
                              (not (select (locked s) c)))
                          (=> (= (select (mode s) c) CoreMode.Idle) (core-regs-cleared s c)))))
; the control slice's cores, and only they, are in Control mode, and they stay locked (by the firmware)
(define-fun I3_LockedGuest.control ((s State)) Bool
  (forall ((c Core)) (and (= (= (select (mode s) c) CoreMode.Control) (controlCore c))
                          (=> (controlCore c) (select (locked s) c)))))

; an index past the machine names no core: it stays as Init leaves it (Idle, unlocked, cleared, no
; interrupt received), so no step can halt, lock or program a core the machine does not have
(define-fun I3_LockedGuest.absentCores ((s State)) Bool
  (forall ((c Core)) (=> (bvuge c nCores)
                         (and (= (select (mode s) c) CoreMode.Idle) (not (select (locked s) c))
                              (core-regs-cleared s c) (core-ipi-cleared s c)))))

(define-fun I3_LockedGuest ((s State)) Bool
  (and (I3_LockedGuest.guest s) (I3_LockedGuest.unlockedIdle s) (I3_LockedGuest.control s)
       (I3_LockedGuest.absentCores s)))

; ---------------- I4: DMA confinement (-> S3) ----------------
; an open IOMMU window is the device's owning slot's, and that slot has started
(define-fun I4_DmaConfinement.iommu ((s State)) Bool
  (forall ((d Dev)) (let ((w (select (iommu s) d)))
    (or (= w Owner.None)
        (and (= w (select (devOwner s) d)) (isGuest w)
             (or (= (select (st s) w) SliceState.Running) (= (select (st s) w) SliceState.Destroying)))))))
; every DMA row of a live slot lies in the slot's own private memory or its windows, granting no
; more than the slot holds there (a device reaches exactly its DMA ranges: dmaAllows)
(define-fun I4_DmaConfinement.table ((s State)) Bool
  (forall ((t Slot) (j Idx) (x Addr))
    (! (=> (and (live s t) (bvult j (select (tblDN s) t))
                (inRange x (select (select (tblDBase s) t) j) (select (select (tblDSize s) t) j)))
           (and (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))
                (= (bvand (select (select (tblDPerm s) t) j) (select (addrPerm s) x)) (select (select (tblDPerm s) t) j))))
       :pattern ((select (select (tblDBase s) t) j) (select (memOwner s) x))
       :pattern ((select (select (tblDBase s) t) j) (select (addrPerm s) x)))))
(define-fun I4_DmaConfinement ((s State)) Bool (and (I4_DmaConfinement.iommu s) (I4_DmaConfinement.table s)))

; ---------------- I5: no residue (-> S7) ----------------
; every address was last written by no one (scrubbed), by its current owner, or by the guest that
; holds a window on it now: a window is scrubbed before another guest can hold it
(define-fun I5_NoResidue ((s State)) Bool
  (forall ((a Addr)) (let ((w (select (lastWriter s) a)) (o (select (memOwner s) a)))
    (or (= w Owner.None)
        (and (= w o) (not (= o Owner.Free)) (not (= o Owner.Reserved)))
        (and (isGuest w) (= w (select (winOwner s) a)))))))

; ---------------- I6: static resources (-> S2) ----------------
; a live slot's resources equal those it was created with (ghost copy)
(define-fun I6_StaticResources ((s State)) Bool
  (and (forall ((t Slot)) (=> (live s t)
         (and (= (select (tblN s) t) (select (gN s) t))
              (= (select (tblBase s) t) (select (gBase s) t))
              (= (select (tblSize s) t) (select (gSize s) t)))))
       (forall ((c Core)) (=> (or (isGuest (select (coreOwner s) c)) (isGuest (select (gCore s) c)))
                              (= (select (coreOwner s) c) (select (gCore s) c))))
       (forall ((d Dev)) (=> (or (isGuest (select (devOwner s) d)) (isGuest (select (gDev s) d)))
                             (= (select (devOwner s) d) (select (gDev s) d))))
       (forall ((w Way)) (=> (or (isGuest (select (wayOwner s) w)) (isGuest (select (gWay s) w)))
                             (= (select (wayOwner s) w) (select (gWay s) w))))
       (forall ((a Addr)) (=> (or (isGuest (select (memOwner s) a)) (isGuest (select (gMem s) a)))
                              (= (select (memOwner s) a) (select (gMem s) a))))))

;---------------- I7: the decision log (DecisionLog.cs) ----------------
; the capacity is the constructor's (2 .. 2^20) and the log never holds more than it
(define-fun I7_LogIntegrity.bounds ((s State)) Bool
  (and (bvule #x0000000000000002 (logCap s)) (bvule (logCap s) #x0000000000100000) (bvule (logN s) (logCap s))))
; nothing is ever dropped: every entry appended is still held or was handed out by a drain
(define-fun I7_LogIntegrity.complete ((s State)) Bool
  (= (bvadd (logOut s) (logN s)) (logSeq s)))
(define-fun I7_LogIntegrity ((s State)) Bool (and (I7_LogIntegrity.bounds s) (I7_LogIntegrity.complete s)))

(define-fun Inv ((s State)) Bool
  (and (I1_Disjointness s) (I2_FilterSoundness s) (I3_LockedGuest s)
       (I4_DmaConfinement s) (I5_NoResidue s) (I6_StaticResources s) (I7_LogIntegrity s)))
