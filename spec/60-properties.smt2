; =====================================================================
; CoreSlice formal model -- 60: security properties (docs/design.md)
; State properties S_i are proved as Inv(s) => S_i(s); transition
; properties T1/T2 are proved for every step from a state satisfying Inv.
; =====================================================================

; S1: no core, granule, device or way has two owners (by the maps), a guest-owned one is owned by
; a live slot, none beyond the machine is owned; and the slice table's ranges of two different live
; slots never share an address, nor reach reserved or control memory
(define-fun S1_ExclusiveResources ((s State)) Bool
  (and
    (forall ((c Core)) (and (=> (isGuest (select (coreOwner s) c)) (live s (select (coreOwner s) c)))
                            (=> (bvuge c nCores) (= (select (coreOwner s) c) Owner.Free))))
    (forall ((d Dev)) (and (=> (isGuest (select (devOwner s) d)) (live s (select (devOwner s) d)))
                           (=> (bvuge d nDevs) (= (select (devOwner s) d) Owner.Free))))
    (forall ((w Way)) (and (=> (isGuest (select (wayOwner s) w)) (live s (select (wayOwner s) w)))
                           (=> (not (isWay w)) (= (select (wayOwner s) w) Owner.Free))))
    (forall ((t Slot) (u Slot) (i Idx) (j Idx) (a Addr))
      (=> (and (live s t) (bvult i (select (tblN s) t))
               (inRange a (select (select (tblBase s) t) i) (select (select (tblSize s) t) i)))
          (and (not (reservedMem a)) (not (controlMem a))
               (=> (and (live s u) (bvult j (select (tblN s) u))
                        (inRange a (select (select (tblBase s) u) j) (select (select (tblSize s) u) j)))
                   (= t u)))))))
; S1 for windows: a window lies in control memory and is held by one slot only: another slot's window
; or private range never shares an address with it
(define-fun S1_ExclusiveResources.windows ((s State)) Bool
    (forall ((t Slot) (u Slot) (i Idx) (j Idx) (a Addr))
      (=> (and (live s t) (bvult i (select (tblWN s) t))
               (inRange a (select (select (tblWBase s) t) i) (select (select (tblWSize s) t) i)))
          (and (controlMem a) (not (reservedMem a))
               (=> (and (live s u) (bvult j (select (tblWN s) u))
                        (inRange a (select (select (tblWBase s) u) j) (select (select (tblWSize s) u) j)))
                   (= t u))
               (not (and (live s u) (bvult j (select (tblN s) u))
                         (inRange a (select (select (tblBase s) u) j) (select (select (tblSize s) u) j))))))))

; S2: a live slice (Created, Running or Destroying) holds exactly what it was created with:
; its ranges, and every core, device, way and address
(define-fun S2_StaticResources ((s State)) Bool
  (forall ((t Slot) (c Core) (d Dev) (w Way) (a Addr))
    (=> (live s t)
        (and (= (select (tblN s) t) (select (gN s) t))
             (= (select (tblBase s) t) (select (gBase s) t))
             (= (select (tblSize s) t) (select (gSize s) t))
             (= (= (select (coreOwner s) c) t) (= (select (gCore s) c) t))
             (= (= (select (devOwner s) d) t) (= (select (gDev s) d) t))
             (= (= (select (wayOwner s) w) t) (= (select (gWay s) w) t))
             (= (= (select (memOwner s) a) t) (= (select (gMem s) a) t))))))

; S3: a guest core reaches only its slot's memory and its slot's windows, with no more than the
; permission the slot holds there (never execute in a window); a device DMAs only to its slot's memory and
; windows, with no more than the slot's permission there
(define-fun S3_MemoryConfinement ((s State)) Bool
  (and (forall ((c Core) (i Idx) (a Addr) (p Perm))
         (=> (and (= (select (mode s) c) CoreMode.Guest) (rrAllows s c i a p))
             (and (isGuest (select (coreOwner s) c))
                  (or (= (select (memOwner s) a) (select (coreOwner s) c))
                      (and (= (select (winOwner s) a) (select (coreOwner s) c))
                           (= (bvand p Permissions.Execute) Permissions.None)))
                  (= (bvand p (select (addrPerm s) a)) p))))
       (forall ((d Dev) (i Idx) (a Addr) (p Perm))
         (=> (dmaAllows s d i a p)
             (and (isGuest (select (devOwner s) d))
                  (or (= (select (memOwner s) a) (select (devOwner s) d)) (= (select (winOwner s) a) (select (devOwner s) d)))
                  (= (bvand p (select (addrPerm s) a)) p))))))

; S4: about deliveries: every interrupt a core has received came from a core of its own slice,
; and that slice is a guest's (no IPI path between two slices, nor from or to the control slice)
(define-fun S4_InterruptConfinement ((s State)) Bool
  (forall ((c Core) (b Core))
    (=> (select (select (ipiIn s) c) b)
        (and (isGuest (select (coreOwner s) b)) (= (select (coreOwner s) b) (select (coreOwner s) c))))))

; S5 (state half): guest code never runs on an unlocked core or one whose
; registers differ from its slice-table entry (transition half: T1)
(define-fun S5_LockStability ((s State)) Bool
  (forall ((c Core))
    (=> (= (select (mode s) c) CoreMode.Guest)
        (and (select (locked s) c) (core-regs-programmed s s c (select (coreOwner s) c))))))

; S7: whatever a guest core can read, write or fetch, and whatever a device can reach, was last
; written by its own slot or by no one, or (in one of its windows) by the control slice
(define-fun S7_NoResidue ((s State)) Bool
  (and (forall ((c Core) (i Idx) (a Addr) (p Perm))
         (=> (and (= (select (mode s) c) CoreMode.Guest) (rrAllows s c i a p))
             (or (= (select (lastWriter s) a) Owner.None) (= (select (lastWriter s) a) (select (coreOwner s) c))
                 (and (= (select (lastWriter s) a) Owner.Control) (= (select (winOwner s) a) (select (coreOwner s) c))))))
       (forall ((d Dev) (i Idx) (a Addr) (p Perm))
         (=> (dmaAllows s d i a p)
             (or (= (select (lastWriter s) a) Owner.None) (= (select (lastWriter s) a) (select (devOwner s) d))
                 (and (= (select (lastWriter s) a) Owner.Control) (= (select (winOwner s) a) (select (devOwner s) d))))))))

; S9: reserved memory (slicevisor, slice table) is in no slot's table, and no
; guest core, device or control store can reach it
(define-fun S9_TcbProtection ((s State)) Bool
  (and (forall ((c Core) (i Idx) (a Addr) (p Perm))
         (=> (and (= (select (mode s) c) CoreMode.Guest) (rrAllows s c i a p)) (not (reservedMem a))))
       (forall ((d Dev) (i Idx) (a Addr) (p Perm)) (=> (dmaAllows s d i a p) (not (reservedMem a))))
       (forall ((a Addr)) (=> (controlMem a) (not (reservedMem a))))
       (forall ((t Slot) (i Idx) (a Addr))
         (=> (and (live s t) (bvult i (select (tblN s) t))
                  (inRange a (select (select (tblBase s) t) i) (select (select (tblSize s) t) i)))
             (not (reservedMem a))))))

;  S10: no guest-to-guest channel, one obligation per path. No address is reachable by guest cores
; of two different slices (windows included), nor by a guest core and a device of another slice (two
; devices of different slices never share one: S3 gives each reachable address to the device's own slice,
; and memOwner is a map); a guest core's IPI mask and way mask name only its own slice's cores and
; ways, so no interrupt path and no cache way is shared by two guests
(define-fun S10_NoGuestToGuest.memory ((s State)) Bool
  (forall ((c Core) (e Core) (i Idx) (j Idx) (a Addr) (p Perm) (q Perm))
    (=> (and (= (select (mode s) c) CoreMode.Guest) (= (select (mode s) e) CoreMode.Guest)
             (rrAllows s c i a p) (rrAllows s e j a q))
        (= (select (coreOwner s) c) (select (coreOwner s) e)))))
(define-fun S10_NoGuestToGuest.coreDma ((s State)) Bool
  (forall ((c Core) (d Dev) (i Idx) (j Idx) (a Addr) (p Perm) (q Perm))
    (=> (and (= (select (mode s) c) CoreMode.Guest) (rrAllows s c i a p) (dmaAllows s d j a q))
        (= (select (coreOwner s) c) (select (devOwner s) d)))))
(define-fun S10_NoGuestToGuest.ipi ((s State)) Bool
  (forall ((c Core) (b Core))
    (=> (and (= (select (mode s) c) CoreMode.Guest) (select (select (ipi s) c) b))
        (= (select (coreOwner s) b) (select (coreOwner s) c)))))
(define-fun S10_NoGuestToGuest.ways ((s State)) Bool
  (forall ((c Core) (e Core) (w Way))
    (=> (and (= (select (mode s) c) CoreMode.Guest) (= (select (mode s) e) CoreMode.Guest)
             (select (select (wmask s) c) w) (select (select (wmask s) e) w))
        (= (select (coreOwner s) c) (select (coreOwner s) e)))))

; T1 (S5, transition half): a locked core that this step may not secure-reset (not of its target slot)
; stays locked with every filter register unchanged
(define-fun T1_LockStability ((s State) (s2 State) (c Core) (wasReset Bool)) Bool
  (=> (and (select (locked s) c) (not wasReset))
      (and (select (locked s2) c) (core-regs-same s s2 c))))

; T2 (S6), for EVERY transition: a core's mode, lock bit and filter registers change only when the
; step is a slicevisor operation that secure-resets cores of the slot it targets (X_target) and the
; core is one of that slot's; every other core, locked or not, is left exactly as it was
(define-fun T2_ResetAuthority ((s State) (s2 State) (c Core) (mayReset Bool)) Bool
  (=> (not mayReset)
      (and (= (select (mode s2) c) (select (mode s) c)) (= (select (locked s2) c) (select (locked s) c))
           (core-regs-same s s2 c))))

; T3 (S6): a guest action (hardware-checked) destroys no slice, reassigns no resource, opens or
; closes no IOMMU window and writes nothing into the slicevisor's log
(define-fun T3_GuestConfined ((s State) (s2 State)) Bool
  (and (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-iommu s s2) (same-log s s2)))

; T4: an observer call (Attest, GuestAttest, DrainLog) changes nothing but the decision log
(define-fun T4_LogOnly ((s State) (s2 State)) Bool (same-but-log s s2))

; T5 (S2 for the rows the ghost copy does not hold), for EVERY transition: a slot that is live before
; and after the step keeps its whole slice-table row: its private ranges with their permissions, its
; windows with theirs and its DMA rows. Only CreateSlice (of a Free slot) and a successful DestroySlice
; (back to Free) change a row, so what the slicevisor checked at create is what it programs at start
; and what attest reports for the slot's whole life.
(define-fun T5_StaticRows ((s State) (s2 State)) Bool
  (forall ((t Slot))
    (=> (and (live s t) (live s2 t))
        (and (= (select (tblN s2) t) (select (tblN s) t)) (= (select (tblBase s2) t) (select (tblBase s) t))
             (= (select (tblSize s2) t) (select (tblSize s) t)) (= (select (tblPerm s2) t) (select (tblPerm s) t))
             (= (select (tblWN s2) t) (select (tblWN s) t)) (= (select (tblWBase s2) t) (select (tblWBase s) t))
             (= (select (tblWSize s2) t) (select (tblWSize s) t)) (= (select (tblWPerm s2) t) (select (tblWPerm s) t))
             (= (select (tblDN s2) t) (select (tblDN s) t)) (= (select (tblDDev s2) t) (select (tblDDev s) t))
             (= (select (tblDBase s2) t) (select (tblDBase s) t)) (= (select (tblDSize s2) t) (select (tblDSize s) t))
             (= (select (tblDPerm s2) t) (select (tblDPerm s) t))))))
