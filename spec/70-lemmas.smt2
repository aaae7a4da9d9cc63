; =====================================================================
; CoreSlice formal model -- 70: lemmas (friendlier consequences)
; Each lemma is its own proof obligation (lemma/<name>), proved from the
; hypotheses obligations.txt lists for it ("uses"); a step obligation that
; lists a lemma assumes it only because that obligation proved it.
; Their quantifiers carry explicit :patterns so E-matching finds the one
; instance a step proof needs (nested quantifiers under ite chains are not
; instantiated reliably otherwise).
; =====================================================================

;  ---- 64-bit arithmetic: what LoadImage relies on, in steps that each bit-blast in about a second.
; Each Bv.* lemma is proved for every argument (quantifier-free, its parameters free constants);
; Lemma_CoveredImageInsideRange is proved from instances of them (its .steps), which the verifier
; checks are nothing but calls of lemmas proved before it.
(define-fun Bv.AddBelow ((e Addr) (d Addr) (z Addr)) Bool
  (=> (and (bvult e (bvsub z d)) (bvule d z)) (bvult (bvadd e d) z)))
(define-fun Bv.SubChain ((a Addr) (x Addr) (b Addr)) Bool
  (= (bvsub a b) (bvadd (bvsub a x) (bvsub x b))))
(define-fun Bv.GeChain ((a Addr) (x Addr) (b Addr)) Bool
  (=> (and (bvuge a x) (bvuge x b)) (bvuge a b)))
(define-fun Bv.LtLe ((e Addr) (n Addr) (m Addr)) Bool
  (=> (and (bvult e n) (bvule n m)) (bvult e m)))
; an image that a range covers lies inside that range (MemoryRange.Covers => every byte Contains)
(define-fun Covered.at ((b Addr) (z Addr) (x Addr) (n Addr) (a Addr)) Bool
  (=> (and (covers b z x n) (inRange a x n)) (inRange a b z)))
(define-fun Lemma_CoveredImageInsideRange () Bool
  (forall ((b Addr) (z Addr) (x Addr) (n Addr) (a Addr)) (Covered.at b z x n a)))
(define-fun Lemma_CoveredImageInsideRange.steps ((b Addr) (z Addr) (x Addr) (n Addr) (a Addr)) Bool
  (and (Bv.AddBelow (bvsub a x) (bvsub x b) z) (Bv.SubChain a x b) (Bv.GeChain a x b)
       (Bv.LtLe (bvsub a x) n (bvsub z (bvsub x b)))))

; DrainLog's counts: k entries handed out, the rest held, plus the drain's own record (modular, as the code's
; ulong/int). Stated over the very atoms the step and I7 contain, so the step obligation needs no 64-bit reasoning
; (the same sum over State fields is a 64-bit adder miter for the solver: 50-90 s)
(define-fun Drain.count ((o Cnt) (n Cnt) (k Cnt) (o2 Cnt) (n2 Cnt) (q Cnt) (q2 Cnt)) Bool
  (=> (and (= (bvadd o n) q) (= o2 (bvadd o k)) (= n2 (bvadd (bvsub n k) #x0000000000000001)) (= q2 (bvadd q #x0000000000000001)))
      (= (bvadd o2 n2) q2)))
(define-fun Lemma_DrainSum () Bool
  (forall ((o Cnt) (n Cnt) (k Cnt) (o2 Cnt) (n2 Cnt) (q Cnt) (q2 Cnt)) (Drain.count o n k o2 n2 q q2)))
; its instance at the drain a step takes
(define-fun Lemma_Drain_Count ((s State) (a DrainArgs) (s2 State)) Bool
  (Drain.count (logOut s) (logN s) (Drain.k s a) (logOut s2) (logN s2) (logSeq s) (logSeq s2)))

; a core in Guest mode belongs to a started guest slot and is locked (from I3_LockedGuest.guest)
(define-fun Lemma_GuestCoreOwned ((s State)) Bool
  (forall ((c Core)) (! (=> (= (select (mode s) c) CoreMode.Guest)
                            (and (isGuest (select (coreOwner s) c))
                                 (or (= (select (st s) (select (coreOwner s) c)) SliceState.Running)
                                     (= (select (st s) (select (coreOwner s) c)) SliceState.Destroying))
                                 (select (locked s) c)))
                        :pattern ((select (mode s) c)))))

; the witnesses' meaning (Create.waysPre) states "domain d passes" as Create.domOk: exactly the code's checks
; (Create.domErr, which CreateSlice_err returns) finding nothing, for every state, request and domain
(define-fun Lemma_DomOk ((s State) (a CreateArgs) (d Way)) Bool
  (= (Create.domOk s a d) (= (Create.domErr s a d) SliceError.None)))

;  What a successful CreateSlice checked, flattened out of Create.rangeErr / Create.coreErr
;  (whose existentials sit inside ite chains under forall j in CreateSlice_pre):
; every address a request range covers is found by the request (c.ridx); the slot was Free; at most nRR ranges
(define-fun Lemma_CreateOk_NewTable ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (and (isGuest (c.slot a)) (= (select (st s) (c.slot a)) SliceState.Free) (bvule (c.nr a) nRR)
           (bvule (c.nw a) (bvsub nRR (c.nr a)))
           (forall ((k Idx) (x Addr)) (! (=> (and (bvult k (c.nr a)) (inRange x (select (c.base a) k) (select (c.size a) k)))
                                             (and (reqHasAddr a x) (= (select (c.ridx a) x) k)))
                                         :pattern ((select (c.base a) k) (select (memOwner s2) x))))
           (forall ((k Idx) (x Addr)) (! (=> (and (bvult k (c.nw a)) (inRange x (select (c.wbase a) k) (select (c.wsize a) k)))
                                             (and (reqHasWin a x) (= (select (c.widx a) x) k)))
                                         :pattern ((select (c.wbase a) k) (select (winOwner s2) x)))))))
; a successful create's DMA rows each passed their checks: the row lies in the private range (or the
; window) holding its first byte, granting no more than the guest holds there (flattened out of
; Create.dmaErr under forall j in CreateSlice_pre)
(define-fun Lemma_CreateOk_DmaRows ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((j Idx)) (! (=> (bvult j (c.ndma a))
                               (let ((b (select (c.dmaBase a) j)) (z (select (c.dmaSize a) j)) (p (select (c.dmaPerm a) j)))
                                 (or (and (reqHasAddr a b) (covers (select (c.base a) (select (c.ridx a) b)) (select (c.size a) (select (c.ridx a) b)) b z)
                                          (= (bvand p (Create.perm a (select (c.ridx a) b))) p))
                                     (and (reqHasWin a b) (covers (select (c.wbase a) (select (c.widx a) b)) (select (c.wsize a) (select (c.widx a) b)) b z)
                                          (= (bvand p (select (c.wperm a) (select (c.widx a) b))) p)))))
                           :pattern ((select (c.dmaBase a) j))))))
; Lemma_CoveredImageInsideRange at a DMA row and the range (window) holding its first byte, for every byte
; (instances of the proved closed lemma: checked, no solver)
(define-fun Lemma_Create_DmaInRange ((s State) (a CreateArgs) (s2 State)) Bool
  (forall ((j Idx) (x Addr))
    (! (Covered.at (select (c.base a) (select (c.ridx a) (select (c.dmaBase a) j))) (select (c.size a) (select (c.ridx a) (select (c.dmaBase a) j)))
                   (select (c.dmaBase a) j) (select (c.dmaSize a) j) x)
       :pattern ((select (c.dmaBase a) j) (select (memOwner s2) x)))))
(define-fun Lemma_Create_DmaInWindow ((s State) (a CreateArgs) (s2 State)) Bool
  (forall ((j Idx) (x Addr))
    (! (Covered.at (select (c.wbase a) (select (c.widx a) (select (c.dmaBase a) j))) (select (c.wsize a) (select (c.widx a) (select (c.dmaBase a) j)))
                   (select (c.dmaBase a) j) (select (c.dmaSize a) j) x)
       :pattern ((select (c.dmaBase a) j) (select (memOwner s2) x)))))
; every address a request window covers is control memory held by no guest's window, and the window
; grants Read or Read|Write
(define-fun Lemma_CreateOk_WindowsFree ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((x Addr)) (! (=> (reqHasWin a x)
                                (and (controlMem x) (not (isGuest (select (winOwner s) x)))
                                     (= (bvand (select (c.wperm a) (select (c.widx a) x)) Permissions.Execute) Permissions.None)))
                            :pattern ((select (c.widx a) x))))))
; every address the request covers was neither reserved, control, nor any guest's
(define-fun Lemma_CreateOk_RangesFree ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((x Addr)) (! (=> (reqHasAddr a x)
                                (and (not (reservedMem x)) (not (controlMem x)) (not (isGuest (select (memOwner s) x)))))
                            :pattern ((select (c.ridx a) x))))))
; every core the request names was in range, not a control core, and Free
(define-fun Lemma_CreateOk_CoresFree ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((c Core)) (! (=> (reqHasCore a c)
                                (and (bvult c nCores) (not (controlCore c)) (= (select (coreOwner s) c) Owner.Free)))
                            :pattern ((select (c.cidx a) c))))))
; every device the request names was Free
(define-fun Lemma_CreateOk_DevsFree ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((d Dev)) (! (=> (reqHasDev a d) (= (select (devOwner s) d) Owner.Free))
                           :pattern ((select (c.didx a) d))))))
; every way the request names was Free
(define-fun Lemma_CreateOk_WaysFree ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((w Way)) (! (=> (Create.way a w) (= (select (wayOwner s) w) Owner.Free))
                            :pattern ((select (wayOwner s) w))))))
; every way a passing request names is a way of the machine, in a cache domain where the request has a core:
; the core c.dcore names (RequestValidator.Ways: WaysOutOfRange, WaysDomainOutOfRange, WaysForeignDomain)
(define-fun Lemma_CreateOk_WayDomains ((s State) (a CreateArgs) (s2 State)) Bool
  (=> (= (CreateSlice_err s a) SliceError.None)
      (forall ((w Way)) (! (=> (Create.way a w)
                               (let ((k (select (c.dcore a) (wDom w))))
                                 (and (isWay w) (bvult k (c.nc a)) (= (coreDom (select (c.cores a) k)) (wDom w))
                                      (reqHasCore a (select (c.cores a) k)))))
                            :pattern ((select (wayOwner s) w))))))
; so CreateSlice either changes nothing, or applies its effect with all of the above
; (the err term no longer appears: the step obligations need not unfold the check chain)
(define-fun Lemma_Create_Step ((s State) (a CreateArgs) (s2 State)) Bool
  (or (same-but-log s s2)
      (and (CreateSlice_effect s a s2)
           (isGuest (c.slot a)) (= (select (st s) (c.slot a)) SliceState.Free) (bvule (c.nr a) nRR)
           (bvule (c.nw a) (bvsub nRR (c.nr a)))
           (forall ((k Idx) (x Addr))
             (! (=> (and (bvult k (c.nr a)) (inRange x (select (c.base a) k) (select (c.size a) k)))
                    (and (reqHasAddr a x) (= (select (c.ridx a) x) k)))
                :pattern ((select (c.base a) k) (select (memOwner s2) x))))
           (forall ((k Idx) (x Addr))
             (! (=> (and (bvult k (c.nw a)) (inRange x (select (c.wbase a) k) (select (c.wsize a) k)))
                    (and (reqHasWin a x) (= (select (c.widx a) x) k)))
                :pattern ((select (c.wbase a) k) (select (winOwner s2) x))))
           (forall ((x Addr))
             (! (=> (reqHasWin a x)
                    (and (controlMem x) (not (isGuest (select (winOwner s) x)))
                         (= (bvand (select (c.wperm a) (select (c.widx a) x)) Permissions.Execute) Permissions.None)))
                :pattern ((select (c.widx a) x))))
           (forall ((x Addr))
             (! (=> (reqHasAddr a x)
                    (and (not (reservedMem x)) (not (controlMem x)) (not (isGuest (select (memOwner s) x)))))
                :pattern ((select (c.ridx a) x))))
           (forall ((c Core))
             (! (=> (reqHasCore a c)
                    (and (bvult c nCores) (not (controlCore c)) (= (select (coreOwner s) c) Owner.Free)))
                :pattern ((select (c.cidx a) c)))))))
; the ways a successful create hands out, apart from Lemma_Create_Step (only the obligations about ways and
; the filters read them; with this forall in Lemma_Create_Step, CreateSlice/I2_FilterSoundness.ranges went from
; 0.2 to 6.8 s): each was Free, is a way of the machine, in a domain where the request has a core
(define-fun Lemma_Create_WaysStep ((s State) (a CreateArgs) (s2 State)) Bool
  (or (same-but-log s s2)
      (and (CreateSlice_effect s a s2)
           (forall ((w Way))
             (! (=> (Create.way a w)
                    (let ((k (select (c.dcore a) (wDom w))))
                      (and (= (select (wayOwner s) w) Owner.Free) (isWay w) (bvult k (c.nc a))
                           (= (coreDom (select (c.cores a) k)) (wDom w)) (reqHasCore a (select (c.cores a) k)))))
                :pattern ((select (wayOwner s) w)))))))
; the devices a successful create hands out, apart from Lemma_Create_Step (only the IOMMU obligation reads them):
; each device was Free
(define-fun Lemma_Create_DevStep ((s State) (a CreateArgs) (s2 State)) Bool
  (or (same-but-log s s2)
      (and (CreateSlice_effect s a s2)
           (forall ((d Dev)) (! (=> (reqHasDev a d) (= (select (devOwner s) d) Owner.Free))
                                :pattern ((select (devOwner s2) d)))))))
; the DMA rows of a successful create, apart from Lemma_Create_Step (only I4.table reads them: the other
; step obligations of CreateSlice need not instantiate them)
(define-fun Lemma_Create_DmaStep ((s State) (a CreateArgs) (s2 State)) Bool
  (or (same-but-log s s2)
      (and (CreateSlice_effect s a s2)
           (forall ((j Idx)) (! (=> (bvult j (c.ndma a))
                                    (let ((b (select (c.dmaBase a) j)) (z (select (c.dmaSize a) j)) (p (select (c.dmaPerm a) j)))
                                      (or (and (reqHasAddr a b) (covers (select (c.base a) (select (c.ridx a) b)) (select (c.size a) (select (c.ridx a) b)) b z)
                                               (= (bvand p (Create.perm a (select (c.ridx a) b))) p))
                                          (and (reqHasWin a b) (covers (select (c.wbase a) (select (c.widx a) b)) (select (c.wsize a) (select (c.widx a) b)) b z)
                                               (= (bvand p (select (c.wperm a) (select (c.widx a) b))) p)))))
                                :pattern ((select (c.dmaBase a) j)))))))

; Lemma_CoveredImageInsideRange at the range LoadImage's bounds check found (l.k) and the image, for every
; byte: an INSTANCE of the proved closed lemma (manifest "instance": checked to be nothing else, no solver)
(define-fun Lemma_Load_Inside ((s State) (a LoadArgs) (s2 State)) Bool
  (forall ((x Addr)) (! (Covered.at (select (select (tblBase s) (l.slot a)) (l.k a)) (select (select (tblSize s) (l.slot a)) (l.k a))
                                    (l.addr a) (l.len a) x)
                        :pattern ((select (memOwner s) x)))))
; LoadImage writes only memory of the loading slot: the bounds check's range holds every byte of the
; image (Lemma_Load_Inside), and I1_Disjointness.table (whose :pattern finds the instance) gives it to the slot
(define-fun Lemma_LoadOk_WritesOwned ((s State) (a LoadArgs) (s2 State)) Bool
  (=> (= (LoadImage_err s a) SliceError.None)
      (forall ((x Addr)) (! (=> (Load.writes s a x) (= (select (memOwner s) x) (l.slot a)))
                            :pattern ((select (lastWriter s2) x))))))

; after StartSlice, a core in Guest mode either was in Guest mode with the same range
; registers, or is a core of the started slot programmed from its table entry
; (flattened out of core-regs-programmed's forall i inside core-step inside forall c);
; and the ownership maps are unchanged
(define-fun Lemma_Start_GuestRegs ((s State) (a StartArgs) (s2 State)) Bool
  (and (same-owners s s2)
       (forall ((c Core) (i Idx)) (! (=> (= (select (mode s2) c) CoreMode.Guest)
           (or (and (= (select (mode s) c) CoreMode.Guest)
                    (= (select (select (rrBase s2) c) i) (select (select (rrBase s) c) i))
                    (= (select (select (rrSize s2) c) i) (select (select (rrSize s) c) i))
                    (= (select (select (rrPerm s2) c) i) (select (select (rrPerm s) c) i)))
               (and (= (StartSlice_check s a) SliceError.None) (= (select (coreOwner s) c) (p.slot a))
                    (= (select (select (rrBase s2) c) i) (progBase s (p.slot a) i))
                    (= (select (select (rrSize s2) c) i) (progSize s (p.slot a) i))
                    (= (select (select (rrPerm s2) c) i) (progPerm s (p.slot a) i)))))
         :pattern ((select (select (rrPerm s2) c) i))))))

;  ---- Frames: what a step leaves alone, in both of its branches (LogFull, refused, done).
; Each is proved from the step alone (lemma/Lemma_<Op>_Frame, obligations.txt). A clause that reads only
; fields a frame keeps is then proved from the clause and the frame (prove ... uses), not from the whole
; step: the solver no longer splits the step's guard (64-bit range checks) to see that both branches keep
; the table (measured: GuestDma/I1_Disjointness.table 2.4 s of CPU -> 0.05 s).
; Attest, GuestAttest, DrainLog: everything but the decision log
(define-fun Lemma_Attest_Frame ((s State) (a AttestArgs) (s2 State)) Bool (same-but-log s s2))
(define-fun Lemma_GuestAttest_Frame ((s State) (a GuestAttestArgs) (s2 State)) Bool (same-but-log s s2))
(define-fun Lemma_DrainLog_Frame ((s State) (a DrainArgs) (s2 State)) Bool (same-but-log s s2))
; a store (guest, DMA, control slice): everything but who last wrote memory, and the log
(define-fun Frame.store ((s State) (s2 State)) Bool
  (and (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2)))
(define-fun Lemma_GuestAccess_Frame ((s State) (a AccessArgs) (s2 State)) Bool (Frame.store s s2))
(define-fun Lemma_GuestDma_Frame ((s State) (a DmaArgs) (s2 State)) Bool (Frame.store s s2))
(define-fun Lemma_ControlStore_Frame ((s State) (a ControlArgs) (s2 State)) Bool (Frame.store s s2))
; an IPI: everything but the receiver's delivered interrupts, and the log
(define-fun Lemma_GuestIpi_Frame ((s State) (a IpiArgs) (s2 State)) Bool
  (and (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-regs s s2) (same-iommu s s2) (same-memory s s2)))
; a filter write: everything but the filter registers (mode and lock included), and the log
(define-fun Lemma_GuestWriteFilter_Frame ((s State) (a FilterArgs) (s2 State)) Bool
  (and (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-iommu s s2) (same-memory s s2)
       (= (mode s2) (mode s)) (= (locked s2) (locked s)) (= (ipiIn s2) (ipiIn s))))
; LoadImage: the table but the measurement, the owners, the ghost, the cores, the windows
(define-fun Lemma_LoadImage_Frame ((s State) (a LoadArgs) (s2 State)) Bool
  (and (= (st s2) (st s)) (same-rows s s2)
       (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2)))

; DestroySlice and the table: a slot live after the step was live before with the same entry, and an
; address changes owner only away from a slot that is no longer live (proved from the step; the
; I1.table obligation then needs neither the core resets nor the fault cases: 6.1 s of CPU -> 1.2 s)
(define-fun Lemma_DestroySlice_Table ((s State) (a DestroyArgs) (s2 State)) Bool
  (and (forall ((t Slot)) (! (=> (live s2 t)
                                 (and (live s t) (= (select (tblN s2) t) (select (tblN s) t))
                                      (= (select (tblBase s2) t) (select (tblBase s) t)) (= (select (tblSize s2) t) (select (tblSize s) t))
                                      (= (select (tblPerm s2) t) (select (tblPerm s) t)) (= (select (tblWN s2) t) (select (tblWN s) t))
                                      (= (select (tblWBase s2) t) (select (tblWBase s) t)) (= (select (tblWSize s2) t) (select (tblWSize s) t))
                                      (= (select (tblWPerm s2) t) (select (tblWPerm s) t))))
                             :pattern ((select (st s2) t))))
       (forall ((x Addr)) (! (or (= (select (memOwner s2) x) (select (memOwner s) x)) (not (live s2 (select (memOwner s) x))))
                             :pattern ((select (memOwner s2) x))))
       (forall ((x Addr)) (! (or (= (select (winOwner s2) x) (select (winOwner s) x)) (not (live s2 (select (winOwner s) x))))
                             :pattern ((select (winOwner s2) x))))
       ; a permission changes only at the destroyed slot's own memory (no window on it) or at its windows
       ; (control memory), and only when the slot is gone
       (forall ((x Addr)) (! (or (= (select (addrPerm s2) x) (select (addrPerm s) x))
                                 (and (not (live s2 (x.slot a)))
                                      (or (and (= (select (memOwner s) x) (x.slot a)) (= (select (winOwner s) x) Owner.Free))
                                          (and (= (select (winOwner s) x) (x.slot a)) (= (select (memOwner s) x) Owner.Control)))))
                             :pattern ((select (addrPerm s2) x))))))

; DestroySlice and the filters: a core in Guest mode after the step was in Guest mode with the same owner and
; range registers, and is not the slot's or the step kept every owner (a fault); an address changes owner only
; away from the slot (proved from the step; DestroySlice/I2.ranges: 1.75 s of CPU -> 0.65 s)
(define-fun Lemma_DestroySlice_GuestRegs ((s State) (a DestroyArgs) (s2 State)) Bool
  (and (forall ((c Core) (i Idx)) (! (=> (= (select (mode s2) c) CoreMode.Guest)
          (and (= (select (mode s) c) CoreMode.Guest) (= (select (coreOwner s2) c) (select (coreOwner s) c))
               (or (not (= (select (coreOwner s) c) (x.slot a))) (same-owners s s2))
               (= (select (select (rrBase s2) c) i) (select (select (rrBase s) c) i))
               (= (select (select (rrSize s2) c) i) (select (select (rrSize s) c) i))
               (= (select (select (rrPerm s2) c) i) (select (select (rrPerm s) c) i))))
        :pattern ((select (select (rrPerm s2) c) i))))
       (forall ((x Addr)) (! (or (= (select (memOwner s2) x) (select (memOwner s) x)) (= (select (memOwner s) x) (x.slot a)))
                             :pattern ((select (memOwner s2) x))))
       (forall ((x Addr)) (! (or (= (select (winOwner s2) x) (select (winOwner s) x)) (= (select (winOwner s) x) (x.slot a)))
                             :pattern ((select (winOwner s2) x))))
       ; a permission changes only at the destroyed slot's own memory (no window on it) or at its windows
       ; (control memory), and only when the slot is gone
       (forall ((x Addr)) (! (or (= (select (addrPerm s2) x) (select (addrPerm s) x))
                                 (and (not (live s2 (x.slot a)))
                                      (or (and (= (select (memOwner s) x) (x.slot a)) (= (select (winOwner s) x) Owner.Free))
                                          (and (= (select (winOwner s) x) (x.slot a)) (= (select (memOwner s) x) Owner.Control)))))
                             :pattern ((select (addrPerm s2) x))))))

; StartSlice: the table's ranges, the owners and the ghost stay, and a slot is live after exactly when
; before (Created becomes Running or Destroying), proved from the step; I1 and I6 then follow without the
; per-core programming
(define-fun Lemma_StartSlice_Frame ((s State) (a StartArgs) (s2 State)) Bool
  (and (same-rows s s2)
       (same-owners s s2) (same-ghost s s2)
       (forall ((t Slot)) (! (= (live s2 t) (live s t)) :pattern ((select (st s2) t))))))
