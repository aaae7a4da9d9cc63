; =====================================================================
; CoreSlice formal model -- 00: vocabulary and the (symbolic) machine
; Names match src/CoreSlice: SliceError.cs, Owner.cs, SliceState.cs,
; Hardware/CoreMode.cs, Hardware/Permissions.cs.
; Every machine parameter is a free constant: a proof holds for every
; machine that satisfies Machine_WellFormed (4 cores or 1024 alike).
; =====================================================================

; ---- sorts: indices are 16-bit (every maximum is 1024), addresses 64-bit
(define-sort Core () (_ BitVec 16))   ; core index
(define-sort Dev  () (_ BitVec 16))   ; device (SR-IOV VF) index
(define-sort Way  () (_ BitVec 16))   ; cache way 64*d + w (domain d's way w, as SliceError subjects name it); also a domain number
(define-sort Slot () (_ BitVec 16))   ; owner: guest slot 1..capacity or a sentinel
(define-sort Idx  () (_ BitVec 16))   ; position in a request list / range register
(define-sort Addr () (_ BitVec 64))   ; physical address (wraps like ulong)
(define-sort SState () (_ BitVec 2))  ; SliceState
(define-sort Mode () (_ BitVec 3))    ; CoreMode
(define-sort Perm () (_ BitVec 3))    ; Permissions
(define-sort Err () (_ BitVec 8))     ; SliceError
(define-sort Cnt () (_ BitVec 64))    ; decision-log counts and sequence numbers (ulong; wrap like the code's)

; ---- Owner.cs (two's complement in 16 bits)
(define-fun Owner.Free () Slot #xffff)      ; -1
(define-fun Owner.Control () Slot #x0000)   ;  0
(define-fun Owner.Reserved () Slot #xfffe)  ; -2
(define-fun Owner.None () Slot #xfffd)      ; -3: "no one" (last writer after scrub, closed IOMMU window)

; ---- SliceState.cs
(define-fun SliceState.Free () SState #b00)
(define-fun SliceState.Created () SState #b01)
(define-fun SliceState.Running () SState #b10)
(define-fun SliceState.Destroying () SState #b11)

; ---- CoreMode.cs
(define-fun CoreMode.Control () Mode #b000)
(define-fun CoreMode.Idle () Mode #b001)
(define-fun CoreMode.Loader () Mode #b010)
(define-fun CoreMode.Guest () Mode #b011)
(define-fun CoreMode.Halted () Mode #b100)

; ---- Permissions.cs
(define-fun Permissions.None () Perm #b000)
(define-fun Permissions.Read () Perm #b001)
(define-fun Permissions.Write () Perm #b010)
(define-fun Permissions.Execute () Perm #b100)
(define-fun Permissions.ReadWrite () Perm #b011)
(define-fun Permissions.ReadWriteExecute () Perm #b111)

; ---- SliceError.cs (same numbers)
(define-fun SliceError.None () Err #x00)
(define-fun SliceError.TableFull () Err #x01)
(define-fun SliceError.NoCores () Err #x02)
(define-fun SliceError.TooManyCores () Err #x03)
(define-fun SliceError.NoMemory () Err #x04)
(define-fun SliceError.TooManyRanges () Err #x05)
(define-fun SliceError.TooManyDevices () Err #x06)
(define-fun SliceError.PermissionsCountMismatch () Err #x07)
(define-fun SliceError.TooManyDmaRanges () Err #x08)
(define-fun SliceError.CoreOutOfRange () Err #x0a)
(define-fun SliceError.CoreReservedForControl () Err #x0b)
(define-fun SliceError.CoreDuplicated () Err #x0c)
(define-fun SliceError.CoreInUse () Err #x0d)
(define-fun SliceError.RangeEmpty () Err #x14)
(define-fun SliceError.RangeUnaligned () Err #x15)
(define-fun SliceError.RangeWraps () Err #x16)
(define-fun SliceError.RangeOutsideRam () Err #x17)
(define-fun SliceError.RangeOverlapsReserved () Err #x18)
(define-fun SliceError.RangeOverlapsControl () Err #x19)
(define-fun SliceError.RangeOverlapsRequest () Err #x1a)
(define-fun SliceError.RangeInUse () Err #x1b)
(define-fun SliceError.RangePermissionsInvalid () Err #x1c)
(define-fun SliceError.DeviceOutOfRange () Err #x1e)
(define-fun SliceError.DeviceDuplicated () Err #x1f)
(define-fun SliceError.DeviceInUse () Err #x20)
(define-fun SliceError.WaysEmpty () Err #x28)
(define-fun SliceError.WaysOutOfRange () Err #x29)
(define-fun SliceError.WaysInUse () Err #x2a)
(define-fun SliceError.TooManyWayDomains () Err #x09)
(define-fun SliceError.WaysDomainOutOfRange () Err #x64)
(define-fun SliceError.WaysDomainDuplicated () Err #x65)
(define-fun SliceError.WaysForeignDomain () Err #x66)
(define-fun SliceError.WaysMissingInDomain () Err #x67)
(define-fun SliceError.WaysNotContiguous () Err #x68)
(define-fun SliceError.WaysTooNarrow () Err #x69)
(define-fun SliceError.ClassesOfServiceExhausted () Err #x6a)
(define-fun SliceError.EntryOutsideMemory () Err #x2b)
(define-fun SliceError.EntryNotExecutable () Err #x2d)
(define-fun SliceError.SlotOutOfRange () Err #x32)
(define-fun SliceError.WrongState () Err #x33)
(define-fun SliceError.ImageOutsideMemory () Err #x34)
(define-fun SliceError.CoreResetFault () Err #x3c)
(define-fun SliceError.IommuFault () Err #x3d)
(define-fun SliceError.LoaderFault () Err #x3e)
(define-fun SliceError.AttestationKeyFault () Err #x3f)
(define-fun SliceError.LogFull () Err #x46)
(define-fun SliceError.NonceLength () Err #x47)
(define-fun SliceError.BufferTooSmall () Err #x48)
(define-fun SliceError.NotGuestCore () Err #x49)
(define-fun SliceError.WindowEmpty () Err #x50)
(define-fun SliceError.WindowUnaligned () Err #x51)
(define-fun SliceError.WindowWraps () Err #x52)
(define-fun SliceError.WindowPermissionsInvalid () Err #x53)
(define-fun SliceError.WindowOutsideControl () Err #x54)
(define-fun SliceError.WindowOverlapsRequest () Err #x55)
(define-fun SliceError.WindowInUse () Err #x56)
(define-fun SliceError.DmaDeviceNotInRequest () Err #x5a)
(define-fun SliceError.DmaRangeEmpty () Err #x5b)
(define-fun SliceError.DmaRangeUnaligned () Err #x5c)
(define-fun SliceError.DmaRangeWraps () Err #x5d)
(define-fun SliceError.DmaPermissionsInvalid () Err #x5e)
(define-fun SliceError.DmaRangeOutsideSlice () Err #x5f)
(define-fun SliceError.DmaPermissionsExceedRange () Err #x60)
; Limits.MaxDmaRanges
(define-fun maxDma () Idx #x0040)
; not a SliceError: the hardware refused a guest action (no state change)
(define-fun Refused () Err #xff)

; ---- the machine (MachineConfig.cs): free constants and predicates
(declare-const nCores Core)          ; CoreCount
(declare-const nSlots Slot)          ; SlotCapacity (slots are 1..nSlots)
(declare-const nDevs Dev)            ; DeviceCount
(declare-const nDoms Way)            ; cache domains (CacheDomains.Count; 1 without the list)
(declare-fun domWays (Way) Way)      ; CacheDomain.Ways of domain d: its ways are 64d .. 64d + domWays(d) - 1
(declare-const nRR Idx)              ; RangeRegistersPerCore
(declare-const gran Addr)            ; GranuleSize
(declare-fun controlCore (Core) Bool)     ; ControlCores
(declare-fun controlWay (Way) Bool)       ; ControlWays of every domain (way 64d + w)
(declare-fun coreDom (Core) Way)          ; the domain holding a core (FrozenDomains.DomainOf)
(declare-fun domContig (Way) Bool)        ; CAT rule of domain d: masks contiguous (ContiguousMasks)
(declare-fun domMaxCls (Way) Way)         ; CAT rule: most classes of service, the control slice's counted (0: no limit)
(declare-fun domMinWidth (Way) Way)       ; CAT rule: least ways in a mask (MinMaskWidth)
(declare-fun controlMem (Addr) Bool)      ; ControlMemory (union of its ranges)
(declare-fun reservedMem (Addr) Bool)     ; ReservedRegions (union)
(declare-fun ramCovers (Addr Addr) Bool)  ; [base, base+size) lies inside ONE RamRegion
(declare-fun measureExtend ((_ BitVec 64) Addr Addr) (_ BitVec 64)) ; measurement hash (abstract)

; ---- cache domains: the spec's way index is 64*d + w, so a way's domain and its index in the domain
; are arithmetic (no uninterpreted map); a machine of one domain of n ways has exactly the ways 0..n-1
(define-fun wDom ((w Way)) Way (bvlshr w #x0006))
(define-fun wIdx ((w Way)) Way (bvand w #x003f))
; way w is in core c's cache domain (the ways a core's way-mask register can name)
(define-fun wayInCoreDomain ((w Way) (c Core)) Bool (= (wDom w) (coreDom c)))
(define-fun isWay ((w Way)) Bool (and (bvult (wDom w) nDoms) (bvult (wIdx w) (domWays (wDom w)))))

; What MachineConfig.Problems() guarantees (the slicevisor refuses any other machine).
(define-fun Machine_WellFormed () Bool
  (and (bvule #x0001 nCores) (bvule nCores #x0400)
       (bvule #x0001 nSlots) (bvule nSlots #x0400)
       (bvule nDevs #x0400)
       (bvule #x0001 nDoms) (bvule nDoms #x0008)
       (bvule #x0001 nRR) (bvule nRR #x0040)
       (bvuge gran #x0000000000001000) (= (bvand gran (bvsub gran #x0000000000000001)) #x0000000000000000)
       (forall ((c Core)) (=> (controlCore c) (bvult c nCores)))
       (forall ((d Way)) (=> (bvult d nDoms) (and (bvule #x0001 (domWays d)) (bvule (domWays d) #x0040))))
       (forall ((c Core)) (=> (bvult c nCores) (bvult (coreDom c) nDoms)))
       (forall ((w Way)) (=> (controlWay w) (isWay w)))
       (forall ((a Addr)) (not (and (controlMem a) (reservedMem a))))))

; ---- helpers shared by the code and the spec (MemoryRange.cs)
(define-fun isGuest ((o Slot)) Bool (and (bvuge o #x0001) (bvule o nSlots)))
;; The code's overflow-safe 64-bit forms, exactly (MemoryRange.cs).
; MemoryRange.Contains: a in [b, b+z)
(define-fun inRange ((a Addr) (b Addr) (z Addr)) Bool (and (bvuge a b) (bvult (bvsub a b) z)))
; MemoryRange.Covers: [x, x+n) inside [b, b+z)
(define-fun covers ((b Addr) (z Addr) (x Addr) (n Addr)) Bool
  (and (bvuge x b) (bvule (bvsub x b) z) (bvule n (bvsub z (bvsub x b)))))
; MemoryRange.IsRepresentable: z <= 2^64-1-b
(define-fun representable ((b Addr) (z Addr)) Bool (bvule z (bvnot b)))
; MemoryRange.Overlaps (both representable)
(define-fun overlaps ((b1 Addr) (z1 Addr) (b2 Addr) (z2 Addr)) Bool
  (and (not (= z1 #x0000000000000000)) (not (= z2 #x0000000000000000))
       (bvult b1 (bvadd b2 z2)) (bvult b2 (bvadd b1 z1))))
(define-fun aligned ((x Addr)) Bool (= (bvand x (bvsub gran #x0000000000000001)) #x0000000000000000))
