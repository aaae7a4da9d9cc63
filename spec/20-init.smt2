; =====================================================================
; CoreSlice formal model -- 20: the initial state (after boot)
; =====================================================================
(define-fun Init ((s State)) Bool
  (and (forall ((t Slot)) (and (= (select (st s) t) SliceState.Free) (= (select (tblN s) t) #x0000)
                               (= (select (gN s) t) #x0000)))
       (forall ((c Core)) (and (= (select (coreOwner s) c) (ite (controlCore c) Owner.Control Owner.Free))
                               (= (select (gCore s) c) (select (coreOwner s) c))
                               (= (select (mode s) c) (ite (controlCore c) CoreMode.Control CoreMode.Idle))
                               (not (select (locked s) c))
                               (core-regs-cleared s c)))
       (forall ((d Dev)) (and (= (select (devOwner s) d) Owner.Free) (= (select (gDev s) d) Owner.Free)
                              (= (select (iommu s) d) Owner.None)))
       (forall ((w Way)) (and (= (select (wayOwner s) w) (ite (controlWay w) Owner.Control Owner.Free))
                              (= (select (gWay s) w) (select (wayOwner s) w))))
       (forall ((a Addr)) (and (= (select (memOwner s) a)
                                  (ite (reservedMem a) Owner.Reserved (ite (controlMem a) Owner.Control Owner.Free)))
                               (= (select (gMem s) a) (select (memOwner s) a))
                               (= (select (lastWriter s) a) Owner.None)))))
