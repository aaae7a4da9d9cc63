; =====================================================================
; CoreSlice formal model -- 40: slicevisor operations
; Each operation X has
;   X_pre (s, a)      what the arguments' ghost witnesses mean (always satisfiable)
;   X_err (s, a)      the SliceError returned: the FIRST failing check, in code order (LogFull first)
;   X (s, a, s2)      the transition: ite(log full, LogFull, append one entry and ite(checks pass, effect, nothing else))
;   X_target (s, a)   the slot whose cores the step may secure-reset (Owner.None: none), for
;                     T1_LockStability: judged against the target slot's cores, not the step's own resets
; =====================================================================

; ============================ CreateSlice ============================
; A request is lists with symbolic lengths (hostile: any length, any values).
; Ghost witnesses make "first failing item" and "in the request" quantifier-free:
;   slot = lowest Free slot (0 when none), kc/kr/kd = first failing core/range/device
;   item (= the count when none fails), cidx/didx/ridx = a request position holding
;   that core / device / covering that address.
(declare-datatypes ((CreateArgs 0)) ((
  (mk-create-args
    (c.nc Idx) (c.cores (Array Idx Core))
    (c.nr Idx) (c.base (Array Idx Addr)) (c.size (Array Idx Addr))
    (c.nd Idx) (c.devs (Array Idx Dev))
    (c.ways (_ BitVec 64)) (c.entry Addr)
    (c.slot Slot) (c.kc Idx) (c.kr Idx) (c.kd Idx)
    (c.cidx (Array Core Idx)) (c.didx (Array Dev Idx)) (c.ridx (Array Addr Idx))
    ; sharing: np permissions (0: every range RWX; otherwise one per range), nw windows with their
    ; permissions; kw = first failing window (= nw when none fails), widx = a window covering an address
    (c.np Idx) (c.perm (Array Idx Perm))
    (c.nw Idx) (c.wbase (Array Idx Addr)) (c.wsize (Array Idx Addr)) (c.wperm (Array Idx Perm))
    (c.kw Idx) (c.widx (Array Addr Idx))
    ; per-device DMA ranges: ndma rows (device, base, size, permission); kdma = first failing row
    ; (= ndma when none fails)
    (c.ndma Idx) (c.dmaDev (Array Idx Dev)) (c.dmaBase (Array Idx Addr)) (c.dmaSize (Array Idx Addr))
    (c.dmaPerm (Array Idx Perm)) (c.kdma Idx)
    ; cache domains (RequestValidator.Ways): c.ways is the request's Ways (domain 0's mask, bit w = way w);
    ; ndw DomainWays entries (domain dwDom, mask dwMask: bit w = that domain's way w). Ghost witnesses:
    ; kdw = first failing entry (= ndw when none); dwIdx = the FIRST entry naming a domain; dany = a domain
    ; holding requested ways (any, when one does); kdom = the lowest domain holding requested ways that fails
    ; a check (= nDoms when none); dcore = a request position holding a core of a domain; duse = a requested
    ; way of a domain held already (its index in the domain); kmiss = a request position whose core's domain
    ; holds no requested ways (= nc when none); cls = the classes of service in use per domain, the control
    ; slice's counted (the table's count, SliceTable.ClassesInUse: an environment choice, see spec/README.md)
    (c.ndw Idx) (c.dwDom (Array Idx Way)) (c.dwMask (Array Idx (_ BitVec 64))) (c.kdw Idx) (c.dwIdx (Array Way Idx))
    (c.dany Way) (c.kdom Way) (c.dcore (Array Way Idx)) (c.duse (Array Way Way)) (c.kmiss Idx) (c.cls (Array Way Way))))))

(define-fun reqHasCore ((a CreateArgs) (c Core)) Bool
  (and (bvult (select (c.cidx a) c) (c.nc a)) (= (select (c.cores a) (select (c.cidx a) c)) c)))
(define-fun reqHasDev ((a CreateArgs) (d Dev)) Bool
  (and (bvult (select (c.didx a) d) (c.nd a)) (= (select (c.devs a) (select (c.didx a) d)) d)))
(define-fun reqHasAddr ((a CreateArgs) (x Addr)) Bool
  (let ((k (select (c.ridx a) x)))
    (and (bvult k (c.nr a)) (inRange x (select (c.base a) k) (select (c.size a) k)))))
(define-fun reqHasWin ((a CreateArgs) (x Addr)) Bool
  (let ((k (select (c.widx a) x)))
    (and (bvult k (c.nw a)) (inRange x (select (c.wbase a) k) (select (c.wsize a) k)))))
; range k's permissions: all three when the request lists none (the first wave's requests)
(define-fun Create.perm ((a CreateArgs) (k Idx)) Perm
  (ite (= (c.np a) #x0000) Permissions.ReadWriteExecute (select (c.perm a) k)))

; ---- per-item checks, in code order (RequestValidator)
(define-fun Create.coreErr ((s State) (a CreateArgs) (k Idx)) Err
  (let ((c (select (c.cores a) k)))
    (ite (bvuge c nCores) SliceError.CoreOutOfRange
    (ite (controlCore c) SliceError.CoreReservedForControl
    (ite (exists ((j Idx)) (and (bvult j k) (= (select (c.cores a) j) c))) SliceError.CoreDuplicated
    (ite (not (= (select (coreOwner s) c) Owner.Free)) SliceError.CoreInUse
         SliceError.None))))))
(define-fun Create.rangeErr ((s State) (a CreateArgs) (k Idx)) Err
  (let ((b (select (c.base a) k)) (z (select (c.size a) k)))
    (ite (= z #x0000000000000000) SliceError.RangeEmpty
    (ite (not (and (aligned b) (aligned z))) SliceError.RangeUnaligned
    (ite (not (representable b z)) SliceError.RangeWraps
    (ite (not (ramCovers b z)) SliceError.RangeOutsideRam
    (ite (exists ((x Addr)) (and (inRange x b z) (reservedMem x))) SliceError.RangeOverlapsReserved
    (ite (exists ((x Addr)) (and (inRange x b z) (controlMem x))) SliceError.RangeOverlapsControl
    ; an earlier range overlaps this one: some byte of it has a lower first covering range (c.ridx)
    (ite (exists ((x Addr)) (and (inRange x b z) (not (= (select (c.ridx a) x) k)))) SliceError.RangeOverlapsRequest
    (ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (memOwner s) x)))) SliceError.RangeInUse
    ; no permission, or Write without Read (reserved by RISC-V PMP: no port could program it)
    (ite (or (= (Create.perm a k) Permissions.None)
             (= (bvand (Create.perm a k) Permissions.ReadWrite) Permissions.Write)) SliceError.RangePermissionsInvalid
         SliceError.None)))))))))))
; a window: control memory only, Read or Read|Write (never execute), not another guest's window
(define-fun Create.winErr ((s State) (a CreateArgs) (k Idx)) Err
  (let ((b (select (c.wbase a) k)) (z (select (c.wsize a) k)) (p (select (c.wperm a) k)))
    (ite (= z #x0000000000000000) SliceError.WindowEmpty
    (ite (not (and (aligned b) (aligned z))) SliceError.WindowUnaligned
    (ite (not (representable b z)) SliceError.WindowWraps
    (ite (not (or (= p Permissions.Read) (= p (bvor Permissions.Read Permissions.Write)))) SliceError.WindowPermissionsInvalid
    (ite (exists ((x Addr)) (and (inRange x b z) (not (controlMem x)))) SliceError.WindowOutsideControl
    (ite (exists ((x Addr)) (and (inRange x b z) (not (= (select (c.widx a) x) k)))) SliceError.WindowOverlapsRequest
    (ite (exists ((x Addr)) (and (inRange x b z) (isGuest (select (winOwner s) x)))) SliceError.WindowInUse
         SliceError.None)))))))))
(define-fun Create.devErr ((s State) (a CreateArgs) (k Idx)) Err
  (let ((d (select (c.devs a) k)))
    (ite (bvuge d nDevs) SliceError.DeviceOutOfRange
    (ite (exists ((j Idx)) (and (bvult j k) (= (select (c.devs a) j) d))) SliceError.DeviceDuplicated
    (ite (not (= (select (devOwner s) d) Owner.Free)) SliceError.DeviceInUse
         SliceError.None)))))

; a DMA row [b, b+z) lies inside ONE private range or ONE window of the request (RequestValidator.Dma.cs
; HoldingRegion): the one holding its first byte (ranges, and windows, are pairwise disjoint by the time
; this check is reached), private ranges first; Create.dmaHeld is what the guest holds there
(define-fun Create.dmaInside ((a CreateArgs) (b Addr) (z Addr)) Bool
  (or (and (reqHasAddr a b) (covers (select (c.base a) (select (c.ridx a) b)) (select (c.size a) (select (c.ridx a) b)) b z))
      (and (reqHasWin a b) (covers (select (c.wbase a) (select (c.widx a) b)) (select (c.wsize a) (select (c.widx a) b)) b z))))
(define-fun Create.dmaHeld ((a CreateArgs) (b Addr) (z Addr)) Perm
  (ite (and (reqHasAddr a b) (covers (select (c.base a) (select (c.ridx a) b)) (select (c.size a) (select (c.ridx a) b)) b z))
       (Create.perm a (select (c.ridx a) b)) (select (c.wperm a) (select (c.widx a) b))))
(define-fun Create.dmaErr ((s State) (a CreateArgs) (k Idx)) Err
  (let ((d (select (c.dmaDev a) k)) (b (select (c.dmaBase a) k)) (z (select (c.dmaSize a) k)) (p (select (c.dmaPerm a) k)))
    (ite (not (reqHasDev a d)) SliceError.DmaDeviceNotInRequest
    (ite (= z #x0000000000000000) SliceError.DmaRangeEmpty
    (ite (not (and (aligned b) (aligned z))) SliceError.DmaRangeUnaligned
    (ite (not (representable b z)) SliceError.DmaRangeWraps
    (ite (or (= p Permissions.None) (not (= (bvand p Permissions.ReadWrite) p))) SliceError.DmaPermissionsInvalid
    (ite (not (Create.dmaInside a b z)) SliceError.DmaRangeOutsideSlice
    (ite (not (= (bvand p (Create.dmaHeld a b z)) p)) SliceError.DmaPermissionsExceedRange
         SliceError.None)))))))))

;; ---- cache domains (RequestValidator.Ways.cs), quantifier-free through the witnesses above
; bit i of a 64-bit mask
(define-fun bit64 ((m (_ BitVec 64)) (i Way)) Bool (= ((_ extract 0 0) (bvlshr m ((_ zero_extend 48) i))) #b1))
; an entry names domain d (dwIdx: the first that does)
(define-fun Create.given ((a CreateArgs) (d Way)) Bool
  (and (bvult (select (c.dwIdx a) d) (c.ndw a)) (= (select (c.dwDom a) (select (c.dwIdx a) d)) d)))
; the request's mask in domain d (wayMasks[d]): its entry's, else Ways for domain 0
(define-fun Create.mask ((a CreateArgs) (d Way)) (_ BitVec 64)
  (ite (Create.given a d) (select (c.dwMask a) (select (c.dwIdx a) d)) (ite (= d #x0000) (c.ways a) #x0000000000000000)))
; the request asks for way w (64d + i)
(define-fun Create.way ((a CreateArgs) (w Way)) Bool (bit64 (Create.mask a (wDom w)) (wIdx w)))
; each DomainWays entry: a domain of the machine, given once (domain 0 also by a non-zero Ways)
(define-fun Create.dwErr ((a CreateArgs) (k Idx)) Err
  (let ((d (select (c.dwDom a) k)))
    (ite (bvuge d nDoms) SliceError.WaysDomainOutOfRange
    (ite (or (not (= (select (c.dwIdx a) d) k)) (and (= d #x0000) (not (= (c.ways a) #x0000000000000000))))
         SliceError.WaysDomainDuplicated
         SliceError.None))))
; some domain holds requested ways (dany names one when one does)
(define-fun Create.anyWays ((a CreateArgs)) Bool
  (and (bvult (c.dany a) nDoms) (not (= (Create.mask a (c.dany a)) #x0000000000000000))))
; domain d's ways as a mask (Rules.AllWays; 64 ways: every bit)
(define-fun allWays ((d Way)) (_ BitVec 64)
  (bvsub (bvshl #x0000000000000001 ((_ zero_extend 48) (domWays d))) #x0000000000000001))
; a core of the request lies in domain d
(define-fun Create.hasCoreIn ((a CreateArgs) (d Way)) Bool
  (and (bvult (select (c.dcore a) d) (c.nc a)) (= (coreDom (select (c.cores a) (select (c.dcore a) d))) d)))
; a requested way of domain d is held (by a guest or the control slice)
(define-fun Create.inUse ((s State) (a CreateArgs) (d Way)) Bool
  (let ((i (select (c.duse a) d)))
    (and (bvult i #x0040) (bit64 (Create.mask a d) i)
         (not (= (select (wayOwner s) (bvor (bvshl d #x0006) i)) Owner.Free)))))
; FrozenDomains.Contiguous: adding the lowest set bit clears a single run
(define-fun contiguous ((m (_ BitVec 64))) Bool
  (= (bvand (bvadd m (bvand m (bvneg m))) m) #x0000000000000000))
; BitOperations.PopCount (adds of shifted halves; no multiplier to bit-blast)
(define-fun popcount ((m (_ BitVec 64))) (_ BitVec 64)
  (let ((x1 (bvsub m (bvand (bvlshr m #x0000000000000001) #x5555555555555555))))
  (let ((x2 (bvadd (bvand x1 #x3333333333333333) (bvand (bvlshr x1 #x0000000000000002) #x3333333333333333))))
  (let ((x3 (bvand (bvadd x2 (bvlshr x2 #x0000000000000004)) #x0f0f0f0f0f0f0f0f)))
  (let ((x4 (bvadd x3 (bvlshr x3 #x0000000000000008))))
  (let ((x5 (bvadd x4 (bvlshr x4 #x0000000000000010))))
    (bvand (bvadd x5 (bvlshr x5 #x0000000000000020)) #x000000000000007f)))))))
; the checks of one domain holding requested ways, in code order (CheckDomainWays); None for a domain without
(define-fun Create.domErr ((s State) (a CreateArgs) (d Way)) Err
  (let ((m (Create.mask a d)))
    (ite (= m #x0000000000000000) SliceError.None
    (ite (not (= (bvand m (bvnot (allWays d))) #x0000000000000000)) SliceError.WaysOutOfRange
    (ite (not (Create.hasCoreIn a d)) SliceError.WaysForeignDomain
    (ite (Create.inUse s a d) SliceError.WaysInUse
    (ite (and (domContig d) (not (contiguous m))) SliceError.WaysNotContiguous
    (ite (bvult (popcount m) ((_ zero_extend 48) (domMinWidth d))) SliceError.WaysTooNarrow
    (ite (and (not (= (domMaxCls d) #x0000)) (bvuge (select (c.cls a) d) (domMaxCls d))) SliceError.ClassesOfServiceExhausted
         SliceError.None)))))))))

; the same checks as one condition: domain d passes (Lemma_DomOk: exactly domErr = None). The witnesses' meaning
; below is stated with it: with (= (Create.domErr ...) SliceError.None) there, Z3 4.8.12 took 1 s more to read
; CreateSlice_pre, which every one-shot obligation's script pays (spec/README.md "Cache domains")
(define-fun Create.domOk ((s State) (a CreateArgs) (d Way)) Bool
  (let ((m (Create.mask a d)))
    (or (= m #x0000000000000000)
        (and (= (bvand m (bvnot (allWays d))) #x0000000000000000)
             (Create.hasCoreIn a d)
             (not (Create.inUse s a d))
             (not (and (domContig d) (not (contiguous m))))
             (not (bvult (popcount m) ((_ zero_extend 48) (domMinWidth d))))
             (not (and (not (= (domMaxCls d) #x0000)) (bvuge (select (c.cls a) d) (domMaxCls d))))))))

;; the cache-domain witnesses of a create request (a part of CreateSlice_pre of its own, so that the step
;; obligations that never look at ways can hold it opaque: obligations.txt "opaque")
; kdw the first failing entry; dwIdx the first entry naming a domain; dany a domain with requested ways when
; one has; kdom the lowest failing domain; dcore, duse, kmiss found whenever one exists
(define-fun Create.waysPre ((s State) (a CreateArgs)) Bool
  (and
    (or (and (bvult (c.kdw a) (c.ndw a)) (not (= (Create.dwErr a (c.kdw a)) SliceError.None))
             (forall ((j Idx)) (=> (bvult j (c.kdw a)) (= (Create.dwErr a j) SliceError.None))))
        (and (= (c.kdw a) (c.ndw a))
             (forall ((j Idx)) (=> (bvult j (c.ndw a)) (= (Create.dwErr a j) SliceError.None)))))
    (forall ((k Idx)) (=> (bvult k (c.ndw a))
                          (and (Create.given a (select (c.dwDom a) k)) (bvule (select (c.dwIdx a) (select (c.dwDom a) k)) k))))
    (or (Create.anyWays a)
        (forall ((d Way)) (=> (bvult d nDoms) (= (Create.mask a d) #x0000000000000000))))
    (or (and (bvult (c.kdom a) nDoms) (not (Create.domOk s a (c.kdom a)))
             (forall ((d Way)) (=> (bvult d (c.kdom a)) (Create.domOk s a d))))
        (and (= (c.kdom a) nDoms)
             (forall ((d Way)) (=> (bvult d nDoms) (Create.domOk s a d)))))
    (forall ((k Idx)) (=> (bvult k (c.nc a)) (Create.hasCoreIn a (coreDom (select (c.cores a) k)))))
    (forall ((w Way)) (=> (and (Create.way a w) (not (= (select (wayOwner s) w) Owner.Free))) (Create.inUse s a (wDom w))))
    (or (and (bvult (c.kmiss a) (c.nc a)) (= (Create.mask a (coreDom (select (c.cores a) (c.kmiss a)))) #x0000000000000000))
        (and (= (c.kmiss a) (c.nc a))
             (forall ((k Idx)) (=> (bvult k (c.nc a)) (not (= (Create.mask a (coreDom (select (c.cores a) k))) #x0000000000000000))))))))

(define-fun CreateSlice_pre ((s State) (a CreateArgs)) Bool
  (and
    ; slot: the lowest Free slot, or 0 when the table is full
    (or (and (isGuest (c.slot a)) (= (select (st s) (c.slot a)) SliceState.Free)
             (forall ((t Slot)) (=> (and (isGuest t) (bvult t (c.slot a))) (not (= (select (st s) t) SliceState.Free)))))
        (and (= (c.slot a) #x0000)
             (forall ((t Slot)) (=> (isGuest t) (not (= (select (st s) t) SliceState.Free))))))
    ; kc/kr/kd: first failing item, or the count when every item passes
    (or (and (bvult (c.kc a) (c.nc a)) (not (= (Create.coreErr s a (c.kc a)) SliceError.None))
             (forall ((j Idx)) (=> (bvult j (c.kc a)) (= (Create.coreErr s a j) SliceError.None))))
        (and (= (c.kc a) (c.nc a))
             (forall ((j Idx)) (=> (bvult j (c.nc a)) (= (Create.coreErr s a j) SliceError.None)))))
    (or (and (bvult (c.kr a) (c.nr a)) (not (= (Create.rangeErr s a (c.kr a)) SliceError.None))
             (forall ((j Idx)) (=> (bvult j (c.kr a)) (= (Create.rangeErr s a j) SliceError.None))))
        (and (= (c.kr a) (c.nr a))
             (forall ((j Idx)) (=> (bvult j (c.nr a)) (= (Create.rangeErr s a j) SliceError.None)))))
    (or (and (bvult (c.kw a) (c.nw a)) (not (= (Create.winErr s a (c.kw a)) SliceError.None))
             (forall ((j Idx)) (=> (bvult j (c.kw a)) (= (Create.winErr s a j) SliceError.None))))
        (and (= (c.kw a) (c.nw a))
             (forall ((j Idx)) (=> (bvult j (c.nw a)) (= (Create.winErr s a j) SliceError.None)))))
    (or (and (bvult (c.kd a) (c.nd a)) (not (= (Create.devErr s a (c.kd a)) SliceError.None))
             (forall ((j Idx)) (=> (bvult j (c.kd a)) (= (Create.devErr s a j) SliceError.None))))
        (and (= (c.kd a) (c.nd a))
             (forall ((j Idx)) (=> (bvult j (c.nd a)) (= (Create.devErr s a j) SliceError.None)))))
    (or (and (bvult (c.kdma a) (c.ndma a)) (not (= (Create.dmaErr s a (c.kdma a)) SliceError.None))
             (forall ((j Idx)) (=> (bvult j (c.kdma a)) (= (Create.dmaErr s a j) SliceError.None))))
        (and (= (c.kdma a) (c.ndma a))
             (forall ((j Idx)) (=> (bvult j (c.ndma a)) (= (Create.dmaErr s a j) SliceError.None)))))
    ; cache domains: what the ways witnesses mean (Create.waysPre, below)
    (Create.waysPre s a)
    ; membership witnesses: every listed core/device/covered address is found
    (forall ((k Idx)) (=> (bvult k (c.nc a)) (reqHasCore a (select (c.cores a) k))))
    (forall ((k Idx)) (=> (bvult k (c.nd a)) (reqHasDev a (select (c.devs a) k))))
    ; ridx / widx: the FIRST range (window) of the request covering the address
    (forall ((k Idx) (x Addr)) (=> (and (bvult k (c.nr a)) (inRange x (select (c.base a) k) (select (c.size a) k)))
                                   (and (reqHasAddr a x) (bvule (select (c.ridx a) x) k))))
    (forall ((k Idx) (x Addr)) (=> (and (bvult k (c.nw a)) (inRange x (select (c.wbase a) k) (select (c.wsize a) k)))
                                   (and (reqHasWin a x) (bvule (select (c.widx a) x) k))))))

;; the ways checks after the items' (RequestValidator.CheckWays, in its order): the DomainWays entries, some
;; way asked for, each domain holding asked ways (lowest first), each core's domain holding some. A function
;; of its own so that the step obligations that never look at ways can hold it opaque (obligations.txt)
(define-fun Create.waysErr ((s State) (a CreateArgs)) Err
  (ite (bvult (c.kdw a) (c.ndw a)) (Create.dwErr a (c.kdw a))
  (ite (not (Create.anyWays a)) SliceError.WaysEmpty
  (ite (bvult (c.kdom a) nDoms) (Create.domErr s a (c.kdom a))
  (ite (bvult (c.kmiss a) (c.nc a)) SliceError.WaysMissingInDomain
       SliceError.None)))))

(define-fun CreateSlice_err ((s State) (a CreateArgs)) Err
  (ite (Log.full s) SliceError.LogFull
  (ite (= (c.slot a) #x0000) SliceError.TableFull
  (ite (= (c.nc a) #x0000) SliceError.NoCores
  (ite (bvugt (c.nc a) nCores) SliceError.TooManyCores
  (ite (= (c.nr a) #x0000) SliceError.NoMemory
  ; every private range and every window takes one range register (no 16-bit wrap: nr first)
  (ite (or (bvugt (c.nr a) nRR) (bvugt (c.nw a) (bvsub nRR (c.nr a)))) SliceError.TooManyRanges
  (ite (and (not (= (c.np a) #x0000)) (not (= (c.np a) (c.nr a)))) SliceError.PermissionsCountMismatch
  (ite (bvugt (c.nd a) nDevs) SliceError.TooManyDevices
  (ite (bvugt (c.ndma a) maxDma) SliceError.TooManyDmaRanges
  (ite (bvugt (c.ndw a) nDoms) SliceError.TooManyWayDomains
  (ite (bvult (c.kc a) (c.nc a)) (Create.coreErr s a (c.kc a))
  (ite (bvult (c.kr a) (c.nr a)) (Create.rangeErr s a (c.kr a))
  (ite (bvult (c.kw a) (c.nw a)) (Create.winErr s a (c.kw a))
  (ite (bvult (c.kd a) (c.nd a)) (Create.devErr s a (c.kd a))
  (ite (bvult (c.kdma a) (c.ndma a)) (Create.dmaErr s a (c.kdma a))
  (ite (not (= (Create.waysErr s a) SliceError.None)) (Create.waysErr s a)
  (ite (not (reqHasAddr a (c.entry a))) SliceError.EntryOutsideMemory
  (ite (= (bvand (Create.perm a (select (c.ridx a) (c.entry a))) Permissions.Execute) Permissions.None)
       SliceError.EntryNotExecutable
       SliceError.None)))))))))))))))))))

(define-fun CreateSlice_effect ((s State) (a CreateArgs) (s2 State)) Bool
  (let ((t (c.slot a)))
    (and (= (st s2) (store (st s) t SliceState.Created))
         (= (tblN s2) (store (tblN s) t (c.nr a)))
         (= (tblBase s2) (store (tblBase s) t (c.base a)))
         (= (tblSize s2) (store (tblSize s) t (c.size a)))
         ; the entry keeps each range's effective permissions, None past the ranges
         (= (tblPerm s2) (store (tblPerm s) t (lambda ((i Idx)) (ite (bvult i (c.nr a)) (Create.perm a i) Permissions.None))))
         (= (tblWN s2) (store (tblWN s) t (c.nw a)))
         (= (tblWBase s2) (store (tblWBase s) t (c.wbase a)))
         (= (tblWSize s2) (store (tblWSize s) t (c.wsize a)))
         (= (tblWPerm s2) (store (tblWPerm s) t (c.wperm a)))
         (= (tblDN s2) (store (tblDN s) t (c.ndma a)))
         (= (tblDDev s2) (store (tblDDev s) t (c.dmaDev a)))
         (= (tblDBase s2) (store (tblDBase s) t (c.dmaBase a)))
         (= (tblDSize s2) (store (tblDSize s) t (c.dmaSize a)))
         (= (tblDPerm s2) (store (tblDPerm s) t (c.dmaPerm a)))
         (= (entry s2) (store (entry s) t (c.entry a)))
         (= (meas s2) (store (meas s) t #x0000000000000000))
         (forall ((c Core)) (= (select (coreOwner s2) c) (ite (reqHasCore a c) t (select (coreOwner s) c))))
         (forall ((d Dev)) (= (select (devOwner s2) d) (ite (reqHasDev a d) t (select (devOwner s) d))))
         (forall ((w Way)) (= (select (wayOwner s2) w) (ite (Create.way a w) t (select (wayOwner s) w))))
         (forall ((x Addr)) (= (select (memOwner s2) x) (ite (reqHasAddr a x) t (select (memOwner s) x))))
         (forall ((x Addr)) (= (select (winOwner s2) x) (ite (reqHasWin a x) t (select (winOwner s) x))))
         (forall ((x Addr)) (= (select (addrPerm s2) x)
                               (ite (reqHasAddr a x) (Create.perm a (select (c.ridx a) x))
                               (ite (reqHasWin a x) (select (c.wperm a) (select (c.widx a) x)) (select (addrPerm s) x)))))
         ; ghost: remember what the slot was created with
         (= (gN s2) (store (gN s) t (c.nr a)))
         (= (gBase s2) (store (gBase s) t (c.base a)))
         (= (gSize s2) (store (gSize s) t (c.size a)))
         (forall ((c Core)) (= (select (gCore s2) c) (ite (reqHasCore a c) t (select (gCore s) c))))
         (forall ((d Dev)) (= (select (gDev s2) d) (ite (reqHasDev a d) t (select (gDev s) d))))
         (forall ((w Way)) (= (select (gWay s2) w) (ite (Create.way a w) t (select (gWay s) w))))
         (forall ((x Addr)) (= (select (gMem s2) x) (ite (reqHasAddr a x) t (select (gMem s) x))))
         (same-cores s s2) (same-iommu s s2) (same-memory s s2))))

; every slicevisor call: refused unexecuted while the log is full; otherwise decided and appended
(define-fun CreateSlice ((s State) (a CreateArgs) (s2 State)) Bool
  (ite (Log.full s) (LogFull s s2)
       (and (Log.append s s2)
            (ite (= (CreateSlice_err s a) SliceError.None) (CreateSlice_effect s a s2) (same-but-log s s2)))))
(define-fun CreateSlice_target ((s State) (a CreateArgs)) Slot Owner.None)

; ============================ LoadImage ============================
; l.k: ghost witness = a range of the slice covering the image, when one does
(declare-datatypes ((LoadArgs 0)) ((
  (mk-load-args (l.slot Slot) (l.addr Addr) (l.len Addr) (l.k Idx)))))
(define-fun Load.fits ((s State) (a LoadArgs) (k Idx)) Bool
  (and (bvult k (select (tblN s) (l.slot a)))
       (covers (select (select (tblBase s) (l.slot a)) k) (select (select (tblSize s) (l.slot a)) k) (l.addr a) (l.len a))))
(define-fun LoadImage_pre ((s State) (a LoadArgs)) Bool
  (or (Load.fits s a (l.k a)) (forall ((k Idx)) (not (Load.fits s a k)))))
(define-fun LoadImage_err ((s State) (a LoadArgs)) Err
  (ite (Log.full s) SliceError.LogFull
  (ite (not (isGuest (l.slot a))) SliceError.SlotOutOfRange
  (ite (not (= (select (st s) (l.slot a)) SliceState.Created)) SliceError.WrongState
  (ite (not (Load.fits s a (l.k a))) SliceError.ImageOutsideMemory
       SliceError.None)))))
; writes the whole image [addr, addr+len); that it lands in the slot's memory is what the bounds
; check (Load.fits) buys, through Lemma_CoveredImageInsideRange (Lemma_Load_Inside)
(define-fun Load.writes ((s State) (a LoadArgs) (x Addr)) Bool (inRange x (l.addr a) (l.len a)))
(define-fun LoadImage_effect ((s State) (a LoadArgs) (s2 State)) Bool
  (and (forall ((x Addr)) (= (select (lastWriter s2) x)
                             (ite (Load.writes s a x) (l.slot a) (select (lastWriter s) x))))
       (= (meas s2) (store (meas s) (l.slot a) (measureExtend (select (meas s) (l.slot a)) (l.addr a) (l.len a))))
       (= (st s2) (st s)) (same-rows s s2) (= (entry s2) (entry s))
       (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2)))
(define-fun LoadImage ((s State) (a LoadArgs) (s2 State)) Bool
  (ite (Log.full s) (LogFull s s2)
       (and (Log.append s s2)
            (ite (= (LoadImage_err s a) SliceError.None) (LoadImage_effect s a s2) (same-but-log s s2)))))
(define-fun LoadImage_target ((s State) (a LoadArgs)) Slot Owner.None)

; ============================ StartSlice ============================
; The environment chooses a hardware fault (or none): the device/core it hits,
; and which devices/cores were done before it (any subset: over-approximates order).
(declare-datatypes ((StartArgs 0)) ((
  (mk-start-args (p.slot Slot) (p.fault Err) (p.fcore Core) (p.fdev Dev)
                 (p.doneCore (Array Core Bool)) (p.doneDev (Array Dev Bool))))))
(define-fun StartSlice_pre ((s State) (a StartArgs)) Bool
  (and (or (= (p.fault a) SliceError.None) (= (p.fault a) SliceError.IommuFault)
           (= (p.fault a) SliceError.CoreResetFault) (= (p.fault a) SliceError.LoaderFault))
       (=> (= (p.fault a) SliceError.IommuFault)
           (and (= (select (devOwner s) (p.fdev a)) (p.slot a)) (not (select (p.doneDev a) (p.fdev a)))))
       (=> (or (= (p.fault a) SliceError.CoreResetFault) (= (p.fault a) SliceError.LoaderFault))
           (and (= (select (coreOwner s) (p.fcore a)) (p.slot a)) (not (select (p.doneCore a) (p.fcore a)))))))
(define-fun StartSlice_check ((s State) (a StartArgs)) Err
  (ite (not (isGuest (p.slot a))) SliceError.SlotOutOfRange
  (ite (not (= (select (st s) (p.slot a)) SliceState.Created)) SliceError.WrongState
       SliceError.None)))
(define-fun StartSlice_err ((s State) (a StartArgs)) Err
  (ite (Log.full s) SliceError.LogFull
       (ite (= (StartSlice_check s a) SliceError.None) (p.fault a) (StartSlice_check s a))))
(define-fun Start.coreAct ((s State) (a StartArgs) (c Core)) (_ BitVec 3)
  (let ((f (p.fault a)))
    (ite (not (= (select (coreOwner s) c) (p.slot a))) Act.Keep
    (ite (= f SliceError.None) Act.Program
    (ite (= f SliceError.IommuFault) Act.Keep
    (ite (select (p.doneCore a) c) Act.Program
    (ite (not (= c (p.fcore a))) Act.Keep
    (ite (= f SliceError.CoreResetFault) Act.ResetHalt Act.LoaderHalt))))))))
(define-fun StartSlice_effect ((s State) (a StartArgs) (s2 State)) Bool
  (let ((t (p.slot a)) (f (p.fault a)))
    (and (= (st s2) (store (st s) t (ite (= f SliceError.None) SliceState.Running SliceState.Destroying)))
         (same-rows s s2) (= (entry s2) (entry s)) (= (meas s2) (meas s))
         ; the IOMMU windows come first: all of them, or those done before the faulting device
         (forall ((d Dev)) (= (select (iommu s2) d)
                              (ite (and (= (select (devOwner s) d) t)
                                        (or (not (= f SliceError.IommuFault)) (select (p.doneDev a) d)))
                                   t (select (iommu s) d))))
         ; then each core: secure reset, sliceloader programs + locks + enters guest
         (forall ((c Core)) (core-step s s2 c (Start.coreAct s a c) t))
         (same-owners s s2) (same-ghost s s2) (same-memory s s2))))
(define-fun StartSlice ((s State) (a StartArgs) (s2 State)) Bool
  (ite (Log.full s) (LogFull s s2)
       (and (Log.append s s2)
            (ite (= (StartSlice_check s a) SliceError.None) (StartSlice_effect s a s2) (same-but-log s s2)))))
(define-fun StartSlice_target ((s State) (a StartArgs)) Slot
  (ite (and (not (Log.full s)) (= (StartSlice_check s a) SliceError.None)) (p.slot a) Owner.None))

; ============================ DestroySlice ============================
(declare-datatypes ((DestroyArgs 0)) ((
  (mk-destroy-args (x.slot Slot) (x.fault Err) (x.fcore Core) (x.fdev Dev)
                   (x.doneCore (Array Core Bool)) (x.doneDev (Array Dev Bool))))))
(define-fun DestroySlice_pre ((s State) (a DestroyArgs)) Bool
  (and (or (= (x.fault a) SliceError.None) (= (x.fault a) SliceError.CoreResetFault)
           (= (x.fault a) SliceError.IommuFault))
       (=> (= (x.fault a) SliceError.IommuFault)
           (and (= (select (devOwner s) (x.fdev a)) (x.slot a)) (not (select (x.doneDev a) (x.fdev a)))))
       (=> (= (x.fault a) SliceError.CoreResetFault)
           (and (= (select (coreOwner s) (x.fcore a)) (x.slot a)) (not (select (x.doneCore a) (x.fcore a)))))))
(define-fun DestroySlice_check ((s State) (a DestroyArgs)) Err
  (ite (not (isGuest (x.slot a))) SliceError.SlotOutOfRange
  (ite (= (select (st s) (x.slot a)) SliceState.Free) SliceError.WrongState
       SliceError.None)))
(define-fun DestroySlice_err ((s State) (a DestroyArgs)) Err
  (ite (Log.full s) SliceError.LogFull
       (ite (= (DestroySlice_check s a) SliceError.None) (x.fault a) (DestroySlice_check s a))))
(define-fun Destroy.coreAct ((s State) (a DestroyArgs) (c Core)) (_ BitVec 3)
  (ite (not (= (select (coreOwner s) c) (x.slot a))) Act.Keep
  (ite (not (= (x.fault a) SliceError.CoreResetFault)) Act.Park
  (ite (select (x.doneCore a) c) Act.Park
  (ite (= c (x.fcore a)) Act.ResetHalt Act.Keep)))))
(define-fun free-if ((o Slot) (t Slot)) Slot (ite (= o t) Owner.Free o))
(define-fun DestroySlice_effect ((s State) (a DestroyArgs) (s2 State)) Bool
  (let ((t (x.slot a)) (f (x.fault a)))
    (and
      ; 1. reset every core of the slot (the sliceloader parks it)
      (forall ((c Core)) (core-step s s2 c (Destroy.coreAct s a c) t))
      ; 2. close every device's window (not reached after a core fault)
      (forall ((d Dev)) (= (select (iommu s2) d)
                           (ite (and (= (select (devOwner s) d) t) (not (= f SliceError.CoreResetFault))
                                     (or (= f SliceError.None) (select (x.doneDev a) d)))
                                Owner.None (select (iommu s) d))))
      (ite (= f SliceError.None)
           ; 3. scrub every address of the slot and of its windows, 4. free everything
           (and (forall ((x Addr)) (= (select (lastWriter s2) x)
                                      (ite (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))
                                           Owner.None (select (lastWriter s) x))))
                (= (st s2) (store (st s) t SliceState.Free))
                ; the freed entry is cleared (SliceEntry.Clear)
                (= (tblN s2) (store (tblN s) t #x0000))
                (= (tblBase s2) (store (tblBase s) t zeroAddrs)) (= (tblSize s2) (store (tblSize s) t zeroAddrs))
                (= (tblPerm s2) (store (tblPerm s) t zeroPerms)) (= (tblWN s2) (store (tblWN s) t #x0000))
                (= (tblWBase s2) (store (tblWBase s) t zeroAddrs)) (= (tblWSize s2) (store (tblWSize s) t zeroAddrs))
                (= (tblWPerm s2) (store (tblWPerm s) t zeroPerms))
                (= (tblDN s2) (store (tblDN s) t #x0000)) (= (tblDDev s2) (store (tblDDev s) t zeroDevs))
                (= (tblDBase s2) (store (tblDBase s) t zeroAddrs)) (= (tblDSize s2) (store (tblDSize s) t zeroAddrs))
                (= (tblDPerm s2) (store (tblDPerm s) t zeroPerms))
                (= (entry s2) (store (entry s) t #x0000000000000000))
                (= (meas s2) (store (meas s) t #x0000000000000000))
                (forall ((c Core)) (and (= (select (coreOwner s2) c) (free-if (select (coreOwner s) c) t))
                                        (= (select (gCore s2) c) (free-if (select (gCore s) c) t))))
                (forall ((d Dev)) (and (= (select (devOwner s2) d) (free-if (select (devOwner s) d) t))
                                       (= (select (gDev s2) d) (free-if (select (gDev s) d) t))))
                (forall ((w Way)) (and (= (select (wayOwner s2) w) (free-if (select (wayOwner s) w) t))
                                       (= (select (gWay s2) w) (free-if (select (gWay s) w) t))))
                (forall ((x Addr)) (and (= (select (memOwner s2) x) (free-if (select (memOwner s) x) t))
                                        (= (select (gMem s2) x) (free-if (select (gMem s) x) t))
                                        (= (select (winOwner s2) x) (free-if (select (winOwner s) x) t))
                                        (= (select (addrPerm s2) x)
                                           (ite (or (= (select (memOwner s) x) t) (= (select (winOwner s) x) t))
                                                Permissions.None (select (addrPerm s) x)))))
                (= (gN s2) (store (gN s) t #x0000))
                (= (gBase s2) (store (gBase s) t zeroAddrs)) (= (gSize s2) (store (gSize s) t zeroAddrs)))
           ; a fault part-way: quarantined in Destroying, holding every resource, nothing scrubbed
           (and (= (st s2) (store (st s) t SliceState.Destroying))
                (same-rows s s2) (= (entry s2) (entry s)) (= (meas s2) (meas s))
                (same-owners s s2) (same-ghost s s2) (same-memory s s2))))))
(define-fun DestroySlice ((s State) (a DestroyArgs) (s2 State)) Bool
  (ite (Log.full s) (LogFull s s2)
       (and (Log.append s s2)
            (ite (= (DestroySlice_check s a) SliceError.None) (DestroySlice_effect s a s2) (same-but-log s s2)))))
(define-fun DestroySlice_target ((s State) (a DestroyArgs)) Slot
  (ite (and (not (Log.full s)) (= (DestroySlice_check s a) SliceError.None)) (x.slot a) Owner.None))
