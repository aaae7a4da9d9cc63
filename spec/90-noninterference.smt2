; =====================================================================
; CoreSlice formal model -- 90: noninterference (S11, DESIGN.md section 8)
; Domains: the control slice (Owner.Control: the manager, on the slicevisor's API) and each guest
; slot 1..nSlots. What a domain observes is its VIEW; two states are u-equivalent (NI.eqv s t u)
; when u's views of them are equal. The POLICY (NI.mayAffect) says which actions may change which
; view; the unwinding conditions NI1..NI3 (generated per operation and per view component from the
; manifest's `noninterference` lines, spec/README.md "Noninterference") are proved over it.
; Out of scope, stated: timing and microarchitectural channels (the contents of a cache way, its
; eviction timing, bus contention); memory contents are modelled by their last writer (as in
; 10-state: the model has no values), so a view holds who wrote each byte it can reach.
; =====================================================================

; ---- domains and the policy
(define-fun NI.domain ((u Slot)) Bool (or (= u Owner.Control) (isGuest u)))
; An action of domain `dom` that is about guest `about` (a slicevisor call on that slot, a control
; store into that guest's window; Owner.None when about none) may change u's view only when
;   u is the actor (a domain influences itself),
;   u is the control slice (a guest influences the control slice: its windows are control memory,
;   and its mailbox calls are logged), or
;   the control slice acts on u (create, load, start, destroy, attest of u; a store into u's window).
; Nothing else: no guest-to-guest flow, and no flow from the control slice's calls on one slot into
; another. The domain-level policy it refines: g ~> g, g ~> control, control ~> g; never g ~> h.
(define-fun NI.mayAffect ((dom Slot) (about Slot) (u Slot)) Bool
  (or (= dom u) (= u Owner.Control) (and (= dom Owner.Control) (= about u))))

; ---- views
; the owners whose resources u observes: a guest its own; the control slice its own and the free
; pool (free memory, cores and devices are the manager's to hand out: anything left in them reaches
; the next owner through the control slice, so a destroy must leave nothing of a guest there)
(define-fun NI.ownsView ((u Slot) (o Slot)) Bool
  (ite (= u Owner.Control) (or (= o Owner.Control) (= o Owner.Free)) (= o u)))
; the memory u can reach: its own (and, for the control slice, the free pool), and a guest's windows
(define-fun NI.sees ((s State) (u Slot) (x Addr)) Bool
  (or (NI.ownsView u (select (memOwner s) x))
      (and (isGuest u) (= (select (winOwner s) x) u))))

; what the slicevisor has recorded about u (a guest: its own row, state, entry, measurement, as the
; mailbox attest call reports it); the control slice: the whole table (its calls' answers depend on it)
(define-fun NI.eq.table ((s State) (t State) (u Slot)) Bool
  (ite (= u Owner.Control)
       (same-table s t)
       (and (= (select (st s) u) (select (st t) u)) (= (select (entry s) u) (select (entry t) u))
            (= (select (meas s) u) (select (meas t) u))
            (= (select (tblN s) u) (select (tblN t) u)) (= (select (tblBase s) u) (select (tblBase t) u))
            (= (select (tblSize s) u) (select (tblSize t) u)) (= (select (tblPerm s) u) (select (tblPerm t) u))
            (= (select (tblWN s) u) (select (tblWN t) u)) (= (select (tblWBase s) u) (select (tblWBase t) u))
            (= (select (tblWSize s) u) (select (tblWSize t) u)) (= (select (tblWPerm s) u) (select (tblWPerm t) u))
            (= (select (tblDN s) u) (select (tblDN t) u)) (= (select (tblDDev s) u) (select (tblDDev t) u))
            (= (select (tblDBase s) u) (select (tblDBase t) u)) (= (select (tblDSize s) u) (select (tblDSize t) u))
            (= (select (tblDPerm s) u) (select (tblDPerm t) u)))))
; which cores, devices and cache ways u holds (the control slice: every owner, as the API's answers name them)
(define-fun NI.eq.owners ((s State) (t State) (u Slot)) Bool
  (ite (= u Owner.Control)
       (same-owners s t)
       (and (forall ((c Core)) (= (= (select (coreOwner s) c) u) (= (select (coreOwner t) c) u)))
            (forall ((d Dev)) (= (= (select (devOwner s) d) u) (= (select (devOwner t) d) u)))
            (forall ((w Way)) (= (= (select (wayOwner s) w) u) (= (select (wayOwner t) w) u))))))
; its cores: mode, and for a core that runs or can run (not Halted) its lock bit, range registers, IPI and
; way masks and the interrupts it has received. A Halted core runs nothing until a secure reset clears it
; (and a loader fault leaves its registers unknown: the model does not say what the sliceloader wrote)
(define-fun NI.eq.cores ((s State) (t State) (u Slot)) Bool
  (forall ((c Core))
    (=> (NI.ownsView u (select (coreOwner s) c))
        (and (= (select (mode s) c) (select (mode t) c))
             (=> (not (= (select (mode s) c) CoreMode.Halted))
                 (and (= (select (locked s) c) (select (locked t) c))
                      (core-regs-same s t c) (= (select (ipiIn s) c) (select (ipiIn t) c))))))))
; the memory it can reach: which bytes, with what permission, and their contents (last writer)
(define-fun NI.eq.mem ((s State) (t State) (u Slot)) Bool
  (forall ((x Addr))
    (and (= (NI.sees s u x) (NI.sees t u x))
         (=> (NI.sees s u x) (and (= (select (lastWriter s) x) (select (lastWriter t) x))
                                  (= (select (addrPerm s) x) (select (addrPerm t) x)))))))
; the DMA rows a slot's devices go through (dmaAllows reads exactly these)
(define-fun NI.dmaRow ((s State) (t State) (w Slot)) Bool
  (and (= (select (tblN s) w) (select (tblN t) w)) (= (select (tblBase s) w) (select (tblBase t) w))
       (= (select (tblSize s) w) (select (tblSize t) w)) (= (select (tblPerm s) w) (select (tblPerm t) w))
       (= (select (tblDN s) w) (select (tblDN t) w)) (= (select (tblDDev s) w) (select (tblDDev t) w))
       (= (select (tblDBase s) w) (select (tblDBase t) w)) (= (select (tblDSize s) w) (select (tblDSize t) w))
       (= (select (tblDPerm s) w) (select (tblDPerm t) w))))
; its devices' DMA reach: each one's IOMMU window, and the rows of the slot the window names
(define-fun NI.eq.dma ((s State) (t State) (u Slot)) Bool
  (forall ((d Dev)) (=> (NI.ownsView u (select (devOwner s) d))
                        (and (= (select (iommu s) d) (select (iommu t) d)) (NI.dmaRow s t (select (iommu s) d))))))
; the decision log is the control slice's (it drains it)
(define-fun NI.eq.log ((s State) (t State) (u Slot)) Bool (=> (= u Owner.Control) (same-log s t)))
(define-fun NI.eqv ((s State) (t State) (u Slot)) Bool
  (and (NI.eq.table s t u) (NI.eq.owners s t u) (NI.eq.cores s t u) (NI.eq.mem s t u) (NI.eq.dma s t u) (NI.eq.log s t u)))

; ---- outputs: what an action tells the domain that performs it
; err: the SliceError (Refused for a hardware refusal); data: the last writer of the byte a load or a
; DMA read returns (Owner.None when nothing is read); report: the attestation report (0 when none)
(declare-datatypes ((Out 0)) (((mk-out (out.err Err) (out.data Slot) (out.report (_ BitVec 64))))))
(define-fun Out.err ((e Err)) Out (mk-out e Owner.None #x0000000000000000))
; the fields an attestation report of slot t carries (what the code signs: its measurement, entry and
; state; the nonce and platform fields are the caller's and the machine's)
(define-fun Report.state ((x SState)) (_ BitVec 64)
  (ite (= x SliceState.Free) #x0000000000000000 (ite (= x SliceState.Created) #x0000000000000001
  (ite (= x SliceState.Running) #x0000000000000002 #x0000000000000003))))
(define-fun Report.of ((s State) (t Slot)) (_ BitVec 64)
  (measureExtend (select (meas s) t) (select (entry s) t) (Report.state (select (st s) t))))
(define-fun Out.report ((e Err) (r (_ BitVec 64))) Out
  (mk-out e Owner.None (ite (= e SliceError.None) r #x0000000000000000)))

; ---- per operation: the acting domain (NI.dom.X), the guest a control action is about (NI.about.X),
; and the output (NI.out.X). A guest action's domain is the owner of the core (device) that acts.
(define-fun NI.dom.CreateSlice ((s State) (a CreateArgs)) Slot Owner.Control)
(define-fun NI.about.CreateSlice ((s State) (a CreateArgs)) Slot (c.slot a))
(define-fun NI.out.CreateSlice ((s State) (a CreateArgs)) Out (Out.err (CreateSlice_err s a)))
(define-fun NI.dom.LoadImage ((s State) (a LoadArgs)) Slot Owner.Control)
(define-fun NI.about.LoadImage ((s State) (a LoadArgs)) Slot (l.slot a))
(define-fun NI.out.LoadImage ((s State) (a LoadArgs)) Out (Out.err (LoadImage_err s a)))
(define-fun NI.dom.StartSlice ((s State) (a StartArgs)) Slot Owner.Control)
(define-fun NI.about.StartSlice ((s State) (a StartArgs)) Slot (p.slot a))
(define-fun NI.out.StartSlice ((s State) (a StartArgs)) Out (Out.err (StartSlice_err s a)))
(define-fun NI.dom.DestroySlice ((s State) (a DestroyArgs)) Slot Owner.Control)
(define-fun NI.about.DestroySlice ((s State) (a DestroyArgs)) Slot (x.slot a))
(define-fun NI.out.DestroySlice ((s State) (a DestroyArgs)) Out (Out.err (DestroySlice_err s a)))
(define-fun NI.dom.Attest ((s State) (a AttestArgs)) Slot Owner.Control)
(define-fun NI.about.Attest ((s State) (a AttestArgs)) Slot (at.slot a))
(define-fun NI.out.Attest ((s State) (a AttestArgs)) Out (Out.report (Attest_err s a) (Report.of s (at.slot a))))
(define-fun NI.dom.GuestAttest ((s State) (a GuestAttestArgs)) Slot (select (coreOwner s) (ga.core a)))
(define-fun NI.about.GuestAttest ((s State) (a GuestAttestArgs)) Slot Owner.None)
(define-fun NI.out.GuestAttest ((s State) (a GuestAttestArgs)) Out
  (Out.report (GuestAttest_err s a) (Report.of s (select (coreOwner s) (ga.core a)))))
; No declassification: the mailbox call used to be refused with LogFull while the decision log was
; full, which every guest's calls decide, a one-bit channel between guests; it is now answered whatever
; the log holds (45-attest-log). A report's log head, sequence and boot counter, which every domain's
; requests move, are not in Report.of: a guest's report carries the values of its own StartSlice
; (Attestor.RecordStart), an output of the control slice's call on that guest (spec/README.md).
(define-fun NI.dom.DrainLog ((s State) (a DrainArgs)) Slot Owner.Control)
(define-fun NI.about.DrainLog ((s State) (a DrainArgs)) Slot Owner.None)
(define-fun NI.out.DrainLog ((s State) (a DrainArgs)) Out (Out.err (DrainLog_err s a)))
(define-fun NI.dom.GuestAccess ((s State) (a AccessArgs)) Slot (select (coreOwner s) (g.core a)))
(define-fun NI.about.GuestAccess ((s State) (a AccessArgs)) Slot Owner.None)
(define-fun NI.out.GuestAccess ((s State) (a AccessArgs)) Out
  (mk-out (GuestAccess_err s a)
          (ite (and (= (GuestAccess_err s a) SliceError.None) (= (bvand (g.perm a) Permissions.Read) Permissions.Read))
               (select (lastWriter s) (g.addr a)) Owner.None)
          #x0000000000000000))
(define-fun NI.dom.GuestDma ((s State) (a DmaArgs)) Slot (select (devOwner s) (m.dev a)))
(define-fun NI.about.GuestDma ((s State) (a DmaArgs)) Slot Owner.None)
(define-fun NI.out.GuestDma ((s State) (a DmaArgs)) Out
  (mk-out (GuestDma_err s a)
          (ite (and (= (GuestDma_err s a) SliceError.None) (not (m.write a))) (select (lastWriter s) (m.addr a)) Owner.None)
          #x0000000000000000))
(define-fun NI.dom.GuestIpi ((s State) (a IpiArgs)) Slot (select (coreOwner s) (i.from a)))
(define-fun NI.about.GuestIpi ((s State) (a IpiArgs)) Slot Owner.None)
(define-fun NI.out.GuestIpi ((s State) (a IpiArgs)) Out (Out.err (GuestIpi_err s a)))
(define-fun NI.dom.GuestWriteFilter ((s State) (a FilterArgs)) Slot (select (coreOwner s) (f.core a)))
(define-fun NI.about.GuestWriteFilter ((s State) (a FilterArgs)) Slot Owner.None)
(define-fun NI.out.GuestWriteFilter ((s State) (a FilterArgs)) Out (Out.err (GuestWriteFilter_err s a)))
(define-fun NI.dom.GuestResetRequest ((s State) (a ResetArgs)) Slot (select (coreOwner s) (r.core a)))
(define-fun NI.about.GuestResetRequest ((s State) (a ResetArgs)) Slot Owner.None)
(define-fun NI.out.GuestResetRequest ((s State) (a ResetArgs)) Out (Out.err (GuestResetRequest_err s a)))
; the manager's store: it acts on the guest whose window holds the byte, if any
(define-fun NI.dom.ControlStore ((s State) (a ControlArgs)) Slot Owner.Control)
(define-fun NI.about.ControlStore ((s State) (a ControlArgs)) Slot (select (winOwner s) (k.addr a)))
(define-fun NI.out.ControlStore ((s State) (a ControlArgs)) Out (Out.err (ControlStore_err s a)))

; ---- relational lemmas (scaffolding; each a closed lemma proved for every argument, without the machine's
; hypotheses, then instantiated at an obligation's two pre-states and its action: `prove … uses <lemma>`)
; a DMA access is decided by the device's IOMMU window and the rows of the slot it names (with the
; machine's hypotheses in the query, Z3 4.8.12 took 11-17 s over the 64-bit range checks; alone 0.3 s)
(define-fun NI.Lemma_GuestDmaErr ((s State) (t State) (a DmaArgs)) Bool
  (=> (and (= (select (iommu s) (m.dev a)) (select (iommu t) (m.dev a))) (NI.dmaRow s t (select (iommu s) (m.dev a))))
      (= (GuestDma_err s a) (GuestDma_err t a))))
; CreateSlice's decision reads only what the control slice sees (its table, the owners, the log): two
; states the control slice cannot tell apart decide a request alike. Proved once with the decision's body;
; the step obligations that only pass the decision on then hide the body (`opaque`), which keeps their
; search independent of how the checks are written (with the body in the query, CreateSlice/NI3.owners
; took 2-66 s as unrelated definitions were added to the spec)
(define-fun NI.Lemma_CreateSliceErr ((s State) (t State) (a CreateArgs)) Bool
  (=> (and (same-table s t) (same-owners s t) (same-log s t))
      (= (CreateSlice_err s a) (CreateSlice_err t a))))
; a core's access is decided by its mode and its registers
(define-fun NI.Lemma_GuestAccessErr ((s State) (t State) (a AccessArgs)) Bool
  (=> (and (= (select (mode s) (g.core a)) (select (mode t) (g.core a))) (core-regs-same s t (g.core a)))
      (= (GuestAccess_err s a) (GuestAccess_err t a))))
