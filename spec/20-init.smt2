; =====================================================================
; CoreSlice formal model -- 20: the initial state (after boot)
; The firmware has programmed and locked the control slice's cores (their range registers
; reach only control memory, their IPI mask only control cores, their way mask only control
; ways); every other core is Idle, unlocked and cleared. The log is empty.
; =====================================================================
(define-fun Init.controlCore ((s State) (c Core)) Bool
  (and (= (select (mode s) c) CoreMode.Control) (select (locked s) c)
       (forall ((i Idx) (a Addr))
         (=> (and (bvult i nRR) (not (= (select (select (rrPerm s) c) i) Permissions.None))
                  (inRange a (select (select (rrBase s) c) i) (select (select (rrSize s) c) i)))
             (controlMem a)))
       (forall ((b Core)) (=> (select (select (ipi s) c) b) (controlCore b)))
       (forall ((w Way)) (=> (select (select (wmask s) c) w) (controlWay w)))))
(define-fun Init ((s State)) Bool
  (and (forall ((t Slot)) (and (= (select (st s) t) SliceState.Free) (= (select (tblN s) t) #x0000)
                               (= (select (tblWN s) t) #x0000) (= (select (tblDN s) t) #x0000) (= (select (gN s) t) #x0000)))
       (forall ((c Core)) (and (= (select (coreOwner s) c) (ite (controlCore c) Owner.Control Owner.Free))
                               (= (select (gCore s) c) (select (coreOwner s) c))
                               (ite (controlCore c)
                                    (Init.controlCore s c)
                                    (and (= (select (mode s) c) CoreMode.Idle) (not (select (locked s) c))
                                         (core-regs-cleared s c)))
                               (core-ipi-cleared s c)))
       (forall ((d Dev)) (and (= (select (devOwner s) d) Owner.Free) (= (select (gDev s) d) Owner.Free)
                              (= (select (iommu s) d) Owner.None)))
       (forall ((w Way)) (and (= (select (wayOwner s) w) (ite (controlWay w) Owner.Control Owner.Free))
                              (= (select (gWay s) w) (select (wayOwner s) w))))
       (forall ((a Addr)) (and (= (select (memOwner s) a)
                                  (ite (reservedMem a) Owner.Reserved (ite (controlMem a) Owner.Control Owner.Free)))
                               (= (select (gMem s) a) (select (memOwner s) a))
                               (= (select (lastWriter s) a) Owner.None)
                               (= (select (winOwner s) a) Owner.Free) (= (select (addrPerm s) a) Permissions.None)))
       ; DecisionLog: MinCapacity 2 .. MaxCapacity 2^20, empty, nothing refused or drained yet
       (bvule #x0000000000000002 (logCap s)) (bvule (logCap s) #x0000000000100000)
       (= (logN s) #x0000000000000000) (= (logSeq s) #x0000000000000000)
       (= (logRefused s) #x0000000000000000) (= (logOut s) #x0000000000000000)))
