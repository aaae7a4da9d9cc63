; =====================================================================
; CoreSlice formal model -- 10: the state
; Ownership maps (resource -> Slot) make "two owners at once" unwritable;
; the slice table's ranges must AGREE with the memory map (I1).
; Fields prefixed g are ghost (history) state, read only by I6.
; =====================================================================
(declare-datatypes ((State 0)) ((
  (mk-state
    ; slice table (per slot)
    (st (Array Slot SState))                 ; SliceState
    (tblN (Array Slot Idx))                  ; number of memory ranges
    (tblBase (Array Slot (Array Idx Addr)))  ; range i base
    (tblSize (Array Slot (Array Idx Addr)))  ; range i size
    (entry (Array Slot Addr))                ; entry point
    (meas (Array Slot (_ BitVec 64)))        ; measurement (abstract hash)
    ; ownership maps (the slice table's cores/devices/ways bit sets)
    (coreOwner (Array Core Slot))
    (devOwner (Array Dev Slot))
    (wayOwner (Array Way Slot))
    (memOwner (Array Addr Slot))
    ; memory: who last wrote each address (Owner.None after a scrub)
    (lastWriter (Array Addr Slot))
    ; per core: mode, lock bit, filter registers
    (mode (Array Core Mode))
    (locked (Array Core Bool))
    (rrBase (Array Core (Array Idx Addr)))
    (rrSize (Array Core (Array Idx Addr)))
    (rrPerm (Array Core (Array Idx Perm)))
    (ipi (Array Core (Array Core Bool)))     ; IPI destination mask
    (wmask (Array Core (Array Way Bool)))    ; cache-way mask
    ; per core: the interrupts delivered to it since its last secure reset, by sending core
    ; (what the receiver observes; a reset clears it)
    (ipiIn (Array Core (Array Core Bool)))
    ; per device: IOMMU window = the memory of this slot, or Owner.None (closed)
    (iommu (Array Dev Slot))
    ; the decision log (DecisionLog.cs): capacity (fixed at construction), entries held,
    ; sequence number of the newest entry ever appended, requests refused with LogFull since the last drain
    (logCap Cnt)
    (logN Cnt)
    (logSeq Cnt)
    (logRefused Cnt)
    ; ghost: the resources each slot was created with
    (gN (Array Slot Idx))
    (gBase (Array Slot (Array Idx Addr)))
    (gSize (Array Slot (Array Idx Addr)))
    (gCore (Array Core Slot))
    (gDev (Array Dev Slot))
    (gWay (Array Way Slot))
    (gMem (Array Addr Slot))
    ; ghost: decision-log entries handed to the manager by drains, ever
    (logOut Cnt)
    ; sharing (per-range permissions and windows). Each private range i of a slot carries its
    ; permissions; a window is control-slice memory shared between the control slice and this one
    ; guest, with permissions Read or Read|Write. A slot's range registers hold its private
    ; ranges, then its windows (progBase). winOwner: the guest holding a window on an address
    ; (Owner.Free: none); addrPerm: what the guest owning or holding an address may do there
    (tblPerm (Array Slot (Array Idx Perm)))
    (tblWN (Array Slot Idx))
    (tblWBase (Array Slot (Array Idx Addr)))
    (tblWSize (Array Slot (Array Idx Addr)))
    (tblWPerm (Array Slot (Array Idx Perm)))
    (winOwner (Array Addr Slot))
    (addrPerm (Array Addr Perm))
    ; per-device DMA ranges (SliceEntry.DmaRanges): row j of a slot lets device tblDDev reach
    ; [tblDBase, +tblDSize) with tblDPerm (a subset of Read|Write). A slot with no rows (tblDN = 0)
    ; lets each of its devices reach every private range with its Read/Write permissions
    (tblDN (Array Slot Idx))
    (tblDDev (Array Slot (Array Idx Dev)))
    (tblDBase (Array Slot (Array Idx Addr)))
    (tblDSize (Array Slot (Array Idx Addr)))
    (tblDPerm (Array Slot (Array Idx Perm)))))))

(define-fun zeroAddrs () (Array Idx Addr) ((as const (Array Idx Addr)) #x0000000000000000))
(define-fun zeroPerms () (Array Idx Perm) ((as const (Array Idx Perm)) #b000))
(define-fun zeroDevs () (Array Idx Dev) ((as const (Array Idx Dev)) #x0000))
(define-fun noCores () (Array Core Bool) ((as const (Array Core Bool)) false))
(define-fun noWays () (Array Way Bool) ((as const (Array Way Bool)) false))

(define-fun live ((s State) (t Slot)) Bool (and (isGuest t) (not (= (select (st s) t) SliceState.Free))))

; ---- frame groups: "this step leaves X alone"
; the slice table's rows: private ranges and windows, with their permissions
(define-fun same-rows ((s State) (s2 State)) Bool
  (and (= (tblN s2) (tblN s)) (= (tblBase s2) (tblBase s)) (= (tblSize s2) (tblSize s)) (= (tblPerm s2) (tblPerm s))
       (= (tblWN s2) (tblWN s)) (= (tblWBase s2) (tblWBase s)) (= (tblWSize s2) (tblWSize s)) (= (tblWPerm s2) (tblWPerm s))
       (= (tblDN s2) (tblDN s)) (= (tblDDev s2) (tblDDev s)) (= (tblDBase s2) (tblDBase s)) (= (tblDSize s2) (tblDSize s))
       (= (tblDPerm s2) (tblDPerm s))))
(define-fun same-table ((s State) (s2 State)) Bool
  (and (= (st s2) (st s)) (same-rows s s2) (= (entry s2) (entry s)) (= (meas s2) (meas s))))
(define-fun same-owners ((s State) (s2 State)) Bool
  (and (= (coreOwner s2) (coreOwner s)) (= (devOwner s2) (devOwner s))
       (= (wayOwner s2) (wayOwner s)) (= (memOwner s2) (memOwner s))
       (= (winOwner s2) (winOwner s)) (= (addrPerm s2) (addrPerm s))))
(define-fun same-ghost ((s State) (s2 State)) Bool
  (and (= (gN s2) (gN s)) (= (gBase s2) (gBase s)) (= (gSize s2) (gSize s))
       (= (gCore s2) (gCore s)) (= (gDev s2) (gDev s)) (= (gWay s2) (gWay s)) (= (gMem s2) (gMem s))))
(define-fun same-regs ((s State) (s2 State)) Bool
  (and (= (mode s2) (mode s)) (= (locked s2) (locked s)) (= (rrBase s2) (rrBase s))
       (= (rrSize s2) (rrSize s)) (= (rrPerm s2) (rrPerm s)) (= (ipi s2) (ipi s)) (= (wmask s2) (wmask s))))
(define-fun same-cores ((s State) (s2 State)) Bool (and (same-regs s s2) (= (ipiIn s2) (ipiIn s))))
(define-fun same-iommu ((s State) (s2 State)) Bool (= (iommu s2) (iommu s)))
(define-fun same-memory ((s State) (s2 State)) Bool (= (lastWriter s2) (lastWriter s)))
(define-fun same-log ((s State) (s2 State)) Bool
  (and (= (logCap s2) (logCap s)) (= (logN s2) (logN s)) (= (logSeq s2) (logSeq s))
       (= (logRefused s2) (logRefused s)) (= (logOut s2) (logOut s))))
; everything but the decision log
(define-fun same-but-log ((s State) (s2 State)) Bool
  (and (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2) (same-memory s s2)))

; ---- the decision log (DecisionLog.cs): one entry stays reserved for the drain's record, so a
; request other than DrainLog is refused, unexecuted, once count reaches capacity - 1 (AcceptsRequests)
(define-fun Log.full ((s State)) Bool (bvuge (logN s) (bvsub (logCap s) #x0000000000000001)))
; a decided request appends one entry: the count and the sequence move on, nothing else of the log
(define-fun Log.append ((s State) (s2 State)) Bool
  (and (= (logCap s2) (logCap s)) (= (logN s2) (bvadd (logN s) #x0000000000000001))
       (= (logSeq s2) (bvadd (logSeq s) #x0000000000000001))
       (= (logRefused s2) (logRefused s)) (= (logOut s2) (logOut s))))
; LogFull: a request the full log cannot record: not appended, counted; nothing but logRefused changes.
; It is the refusal of every request but the guest's mailbox call (RefuseLogFull: not executed), and the
; mailbox call answered unrecorded (45-attest-log: it is never refused). logRefused counts both since the
; last drain (the code's RefusedWhileFull + UnrecordedWhileFull; the next drain's record reports both).
; (An alias Log.unrecorded for the mailbox's case, one define-fun deeper, made Z3 4.8.12 through libz3 time
; out on lemma/Lemma_Create_DmaStep, 1.2 s before: measured 2026-12-07; so both use this one definition.)
(define-fun LogFull ((s State) (s2 State)) Bool
  (and (same-but-log s s2)
       (= (logCap s2) (logCap s)) (= (logN s2) (logN s)) (= (logSeq s2) (logSeq s)) (= (logOut s2) (logOut s))
       (= (logRefused s2) (bvadd (logRefused s) #x0000000000000001))))

; ---- one core's filter registers, unchanged / as the sliceloader programs them / cleared by reset
(define-fun core-regs-same ((s State) (s2 State) (c Core)) Bool
  (and (= (select (rrBase s2) c) (select (rrBase s) c)) (= (select (rrSize s2) c) (select (rrSize s) c))
       (= (select (rrPerm s2) c) (select (rrPerm s) c)) (= (select (ipi s2) c) (select (ipi s) c))
       (= (select (wmask s2) c) (select (wmask s) c))))
; range register i of a core of slot t, as the slice-table entry dictates (Sliceloader.cs): the
; private ranges first, then the windows (register tblN + k holds window k), the rest disabled
(define-fun winRow ((s State) (t Slot) (i Idx)) Bool
  (and (bvuge i (select (tblN s) t)) (bvult (bvsub i (select (tblN s) t)) (select (tblWN s) t))))
(define-fun progBase ((s State) (t Slot) (i Idx)) Addr
  (ite (bvult i (select (tblN s) t)) (select (select (tblBase s) t) i)
  (ite (winRow s t i) (select (select (tblWBase s) t) (bvsub i (select (tblN s) t))) #x0000000000000000)))
(define-fun progSize ((s State) (t Slot) (i Idx)) Addr
  (ite (bvult i (select (tblN s) t)) (select (select (tblSize s) t) i)
  (ite (winRow s t i) (select (select (tblWSize s) t) (bvsub i (select (tblN s) t))) #x0000000000000000)))
(define-fun progPerm ((s State) (t Slot) (i Idx)) Perm
  (ite (bvult i (select (tblN s) t)) (select (select (tblPerm s) t) i)
  (ite (winRow s t i) (select (select (tblWPerm s) t) (bvsub i (select (tblN s) t))) Permissions.None)))
; regs of core c in s2 are exactly what slot t's entry in s dictates
(define-fun core-regs-programmed ((s State) (s2 State) (c Core) (t Slot)) Bool
  (and (forall ((i Idx)) (and (= (select (select (rrBase s2) c) i) (progBase s t i))
                              (= (select (select (rrSize s2) c) i) (progSize s t i))
                              (= (select (select (rrPerm s2) c) i) (progPerm s t i))))
       (forall ((b Core)) (= (select (select (ipi s2) c) b) (= (select (coreOwner s) b) t)))
       ; the way mask: the slot's ways in the core's own cache domain (SliceEntry.WaysOfCore)
       (forall ((w Way)) (= (select (select (wmask s2) c) w) (and (= (select (wayOwner s) w) t) (wayInCoreDomain w c))))))
(define-fun core-regs-cleared ((s2 State) (c Core)) Bool
  (and (= (select (rrBase s2) c) zeroAddrs) (= (select (rrSize s2) c) zeroAddrs)
       (= (select (rrPerm s2) c) zeroPerms) (= (select (ipi s2) c) noCores) (= (select (wmask s2) c) noWays)))
; a secure reset also drops the interrupts delivered to the core
(define-fun core-ipi-cleared ((s2 State) (c Core)) Bool (= (select (ipiIn s2) c) noCores))

; ---- what a step does to one core (StartSlice / DestroySlice choose one per core)
(define-fun Act.Keep () (_ BitVec 3) #b000)      ; untouched
(define-fun Act.Program () (_ BitVec 3) #b001)   ; secure reset, sliceloader programs + locks, enters guest
(define-fun Act.Park () (_ BitVec 3) #b010)      ; secure reset, sliceloader parks it (Idle, cleared, unlocked)
(define-fun Act.ResetHalt () (_ BitVec 3) #b011) ; reset did not come back: Halted, cleared, unlocked
(define-fun Act.LoaderHalt () (_ BitVec 3) #b100); readback mismatch: Halted, registers/lock unknown
(define-fun core-step ((s State) (s2 State) (c Core) (act (_ BitVec 3)) (t Slot)) Bool
  (ite (= act Act.Keep)
       (and (= (select (mode s2) c) (select (mode s) c)) (= (select (locked s2) c) (select (locked s) c))
            (core-regs-same s s2 c) (= (select (ipiIn s2) c) (select (ipiIn s) c)))
  (ite (= act Act.Program)
       (and (= (select (mode s2) c) CoreMode.Guest) (select (locked s2) c) (core-regs-programmed s s2 c t) (core-ipi-cleared s2 c))
  (ite (= act Act.Park)
       (and (= (select (mode s2) c) CoreMode.Idle) (not (select (locked s2) c)) (core-regs-cleared s2 c) (core-ipi-cleared s2 c))
  (ite (= act Act.ResetHalt)
       (and (= (select (mode s2) c) CoreMode.Halted) (not (select (locked s2) c)) (core-regs-cleared s2 c) (core-ipi-cleared s2 c))
       (and (= (select (mode s2) c) CoreMode.Halted) (core-ipi-cleared s2 c)))))))

; ---- hardware checks (RangeRegister.Allows; IOMMU; IPI)
(define-fun rrAllows ((s State) (c Core) (i Idx) (a Addr) (p Perm)) Bool
  (and (bvult i nRR) (not (= p Permissions.None))
       (= (bvand (select (select (rrPerm s) c) i) p) p)
       (inRange a (select (select (rrBase s) c) i) (select (select (rrSize s) c) i))))
; device d may access a with p (Read for a DMA read, Write for a write) through IOMMU entry i of the
; slot its window names (StartSlice.IommuWindowOf): DMA row i when it names d, or, for a slot with
; no DMA rows, private range i with the Read/Write part of its permissions
(define-fun dmaAllows ((s State) (d Dev) (i Idx) (a Addr) (p Perm)) Bool
  (let ((w (select (iommu s) d)))
    (and (isGuest w) (not (= p Permissions.None)) (= (bvand p Permissions.ReadWrite) p)
         (ite (= (select (tblDN s) w) #x0000)
              (and (bvult i (select (tblN s) w)) (= (bvand (select (select (tblPerm s) w) i) p) p)
                   (inRange a (select (select (tblBase s) w) i) (select (select (tblSize s) w) i)))
              (and (bvult i (select (tblDN s) w)) (= (select (select (tblDDev s) w) i) d)
                   (= (bvand (select (select (tblDPerm s) w) i) p) p)
                   (inRange a (select (select (tblDBase s) w) i) (select (select (tblDSize s) w) i)))))))
