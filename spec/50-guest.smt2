; =====================================================================
; CoreSlice formal model -- 50: what guests (and the control slice) can do
; The hardware checks these; a refused action changes nothing.
; X_err is SliceError.None when the hardware allows the action, Refused otherwise.
; =====================================================================

; ---- GuestAccess: load/store/fetch by the guest on core c at address x,
; through range register i (any i: the hardware allows if SOME register does)
(declare-datatypes ((AccessArgs 0)) ((
  (mk-access-args (g.core Core) (g.reg Idx) (g.addr Addr) (g.perm Perm)))))
(define-fun GuestAccess_pre ((s State) (a AccessArgs)) Bool true)
(define-fun GuestAccess_err ((s State) (a AccessArgs)) Err
  (ite (and (= (select (mode s) (g.core a)) CoreMode.Guest)
            (rrAllows s (g.core a) (g.reg a) (g.addr a) (g.perm a)))
       SliceError.None Refused))
(define-fun GuestAccess ((s State) (a AccessArgs) (s2 State)) Bool
  (ite (and (= (GuestAccess_err s a) SliceError.None) (= (bvand (g.perm a) Permissions.Write) Permissions.Write))
       (and (= (lastWriter s2) (store (lastWriter s) (g.addr a) (select (coreOwner s) (g.core a))))
            (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2) (same-log s s2))
       (= s2 s)))
(define-fun GuestAccess_target ((s State) (a AccessArgs)) Slot Owner.None)

; ---- GuestDma: device d writes (or reads) address x, through IOMMU entry i (a write needs Write, a read Read)
(declare-datatypes ((DmaArgs 0)) ((
  (mk-dma-args (m.dev Dev) (m.reg Idx) (m.addr Addr) (m.write Bool)))))
(define-fun GuestDma_pre ((s State) (a DmaArgs)) Bool true)
(define-fun GuestDma_err ((s State) (a DmaArgs)) Err
  (ite (dmaAllows s (m.dev a) (m.reg a) (m.addr a) (ite (m.write a) Permissions.Write Permissions.Read)) SliceError.None Refused))
(define-fun GuestDma ((s State) (a DmaArgs) (s2 State)) Bool
  (ite (and (= (GuestDma_err s a) SliceError.None) (m.write a))
       (and (= (lastWriter s2) (store (lastWriter s) (m.addr a) (select (iommu s) (m.dev a))))
            (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2) (same-log s s2))
       (= s2 s)))
(define-fun GuestDma_target ((s State) (a DmaArgs)) Slot Owner.None)

; ---- GuestIpi: core `from` sends an IPI to core `to`: when the hardware allows it, `to`
; receives it (ipiIn: what the receiver observes); a refused IPI is delivered nowhere
(declare-datatypes ((IpiArgs 0)) (((mk-ipi-args (i.from Core) (i.to Core)))))
(define-fun GuestIpi_pre ((s State) (a IpiArgs)) Bool true)
(define-fun GuestIpi_err ((s State) (a IpiArgs)) Err
  (ite (and (= (select (mode s) (i.from a)) CoreMode.Guest) (select (select (ipi s) (i.from a)) (i.to a)))
       SliceError.None Refused))
(define-fun GuestIpi ((s State) (a IpiArgs) (s2 State)) Bool
  (ite (= (GuestIpi_err s a) SliceError.None)
       (and (= (ipiIn s2) (store (ipiIn s) (i.to a) (store (select (ipiIn s) (i.to a)) (i.from a) true)))
            (same-regs s s2) (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-iommu s s2)
            (same-memory s s2) (same-log s s2))
       (= s2 s)))
(define-fun GuestIpi_target ((s State) (a IpiArgs)) Slot Owner.None)

; ---- GuestWriteFilter: the guest on core c writes one of its filter registers
; (kind 0: range register i := (base, size, perm); 1: IPI mask; 2: way mask).
; Lock semantics as RISC-V PMP: a locked core keeps the old value.
(declare-datatypes ((FilterArgs 0)) ((
  (mk-filter-args (f.core Core) (f.kind (_ BitVec 2)) (f.reg Idx) (f.base Addr) (f.size Addr) (f.perm Perm)
                  (f.ipi (Array Core Bool)) (f.ways (Array Way Bool))))))
; software running on core c (a guest, or the manager on a control core) writes c's own registers;
; a core that runs no software (Idle, Halted) writes nothing, and a locked core keeps the old value
(define-fun GuestWriteFilter_pre ((s State) (a FilterArgs)) Bool true)
(define-fun GuestWriteFilter_err ((s State) (a FilterArgs)) Err
  (ite (and (or (= (select (mode s) (f.core a)) CoreMode.Guest) (= (select (mode s) (f.core a)) CoreMode.Control))
            (not (select (locked s) (f.core a))))
       SliceError.None Refused))
(define-fun GuestWriteFilter ((s State) (a FilterArgs) (s2 State)) Bool
  (let ((c (f.core a)))
    (ite (= (GuestWriteFilter_err s a) SliceError.None)
         (and (= (rrBase s2) (ite (= (f.kind a) #b00)
                                  (store (rrBase s) c (store (select (rrBase s) c) (f.reg a) (f.base a))) (rrBase s)))
              (= (rrSize s2) (ite (= (f.kind a) #b00)
                                  (store (rrSize s) c (store (select (rrSize s) c) (f.reg a) (f.size a))) (rrSize s)))
              (= (rrPerm s2) (ite (= (f.kind a) #b00)
                                  (store (rrPerm s) c (store (select (rrPerm s) c) (f.reg a) (f.perm a))) (rrPerm s)))
              (= (ipi s2) (ite (= (f.kind a) #b01) (store (ipi s) c (f.ipi a)) (ipi s)))
              (= (wmask s2) (ite (= (f.kind a) #b10) (store (wmask s) c (f.ways a)) (wmask s)))
              (= (mode s2) (mode s)) (= (locked s2) (locked s)) (= (ipiIn s2) (ipiIn s))
              (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-iommu s s2) (same-memory s s2) (same-log s s2))
         (= s2 s))))
(define-fun GuestWriteFilter_target ((s State) (a FilterArgs)) Slot Owner.None)

; ---- GuestResetRequest: a guest asks to reset core `target`: always refused
; (only the slicevisor triggers a secure reset).
(declare-datatypes ((ResetArgs 0)) (((mk-reset-args (r.core Core) (r.target Core)))))
(define-fun GuestResetRequest_pre ((s State) (a ResetArgs)) Bool true)
(define-fun GuestResetRequest_err ((s State) (a ResetArgs)) Err Refused)
(define-fun GuestResetRequest ((s State) (a ResetArgs) (s2 State)) Bool (= s2 s))
(define-fun GuestResetRequest_target ((s State) (a ResetArgs)) Slot Owner.None)

; ---- ControlStore: the control slice (manager) stores to address x:
; allowed only in control memory (its cores' filters are set at boot; not modelled as registers)
(declare-datatypes ((ControlArgs 0)) (((mk-control-args (k.addr Addr)))))
(define-fun ControlStore_pre ((s State) (a ControlArgs)) Bool true)
(define-fun ControlStore_err ((s State) (a ControlArgs)) Err
  (ite (controlMem (k.addr a)) SliceError.None Refused))
(define-fun ControlStore ((s State) (a ControlArgs) (s2 State)) Bool
  (ite (= (ControlStore_err s a) SliceError.None)
       (and (= (lastWriter s2) (store (lastWriter s) (k.addr a) Owner.Control))
            (same-table s s2) (same-owners s s2) (same-ghost s s2) (same-cores s s2) (same-iommu s s2) (same-log s s2))
       (= s2 s)))
(define-fun ControlStore_target ((s State) (a ControlArgs)) Slot Owner.None)
