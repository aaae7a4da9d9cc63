; =====================================================================
; CoreSlice formal model -- 80: RISC-V PMP entries and the sliceloader's encoder
; (src/CoreSlice/Hardware/Pmp/PmpEncoder.cs; hardware rules as in
; src/CoreSlice.Simulation/Pmp/PmpRules.cs). Granularity G = 0 (PmpGeometry
; refuses any other: a coarser grain cannot fence one hart's 4-byte msip word).
; pmpaddr holds address bits 63..2 (a 64-bit physical address space).
; Nothing here is used by the obligations of 00..70; the PMP obligations are the
; lemmas Pmp_* of obligations.txt and pmp/* (proofs/CoreSlice.Proofs/PmpObligations.cs).
; =====================================================================
(define-sort Cfg () (_ BitVec 8))   ; one pmpcfg byte: L 0 0 A A X W R
(define-sort PAd () (_ BitVec 64))  ; a pmpaddr register (address >> 2)

(define-fun SliceError.PmpEntriesExceeded () Err #x2c)

(define-fun Pmp.A ((c Cfg)) (_ BitVec 2) ((_ extract 4 3) c))
(define-fun Pmp.locked ((c Cfg)) Bool (= ((_ extract 7 7) c) #b1))
(define-fun Pmp.rwx ((c Cfg)) Perm ((_ extract 2 0) c))
(define-fun Pmp.permits ((c Cfg) (k Perm)) Bool (= (bvand (Pmp.rwx c) k) k))
(define-fun Pmp.word ((a Addr)) PAd (bvlshr a #x0000000000000002))
; NAPOT: the trailing ones of pmpaddr and the zero above them are the offset bits
(define-fun Pmp.napotMask ((y PAd)) PAd (bvxor y (bvadd y #x0000000000000001)))
; entry (c, y) whose predecessor's pmpaddr is yp (0 for entry 0) matches byte address a
(define-fun Pmp.match ((c Cfg) (y PAd) (yp PAd) (a Addr)) Bool
  (let ((w (Pmp.word a)) (m (Pmp.A c)))
    (or (and (= m #b01) (bvule yp w) (bvult w y))
        (and (= m #b10) (= w y))
        (and (= m #b11) (= (bvand w (bvnot (Pmp.napotMask y))) (bvand y (bvnot (Pmp.napotMask y))))))))
; NAPOT decoding: the region an entry names
(define-fun Pmp.napotBase ((y PAd)) Addr (bvshl (bvand y (bvnot (Pmp.napotMask y))) #x0000000000000002))
(define-fun Pmp.napotSize ((y PAd)) Addr (bvshl (bvadd (Pmp.napotMask y) #x0000000000000001) #x0000000000000002))

;; ---- Software writes (privileged spec): L freezes the entry; a locked TOR entry freezes the pmpaddr below it
(define-fun Pmp.addrBits () PAd #x3fffffffffffffff)
(define-fun Pmp.legalize ((c Cfg)) Cfg
  (let ((c1 (bvand c #x9f)))
    (ite (and (= ((_ extract 1 1) c1) #b1) (= ((_ extract 0 0) c1) #b0)) (bvand c1 #xfc) c1)))
(define-fun Pmp.writeCfg ((old Cfg) (new Cfg)) Cfg (ite (Pmp.locked old) old (Pmp.legalize new)))
(define-fun Pmp.writeAddr ((c Cfg) (cNext Cfg) (old PAd) (new PAd)) PAd
  (ite (or (Pmp.locked c) (and (Pmp.locked cNext) (= (Pmp.A cNext) #b01))) old (bvand new Pmp.addrBits)))

;; ---- The encoder, one region at a time (PmpEncoder.Emitter.Place, line for line)
; region [b, b+z) with permissions p; tv/t: the previous entry's pmpaddr is a TOR top t (entry 0: t = 0)
(define-fun Pmp.isNa4 ((b Addr) (z Addr)) Bool (= z #x0000000000000004))
(define-fun Pmp.isNapot ((b Addr) (z Addr)) Bool
  (and (bvuge z #x0000000000000008) (= (bvand z (bvsub z #x0000000000000001)) #x0000000000000000)
       (= (bvand b (bvsub z #x0000000000000001)) #x0000000000000000)))
(define-fun Pmp.isTor ((b Addr) (z Addr)) Bool (and (not (Pmp.isNa4 b z)) (not (Pmp.isNapot b z))))
(define-fun Pmp.reuses ((b Addr) (tv Bool) (t Addr)) Bool (and tv (= t b)))
(define-fun Pmp.count ((b Addr) (z Addr) (tv Bool) (t Addr)) Idx
  (ite (and (Pmp.isTor b z) (not (Pmp.reuses b tv t))) #x0002 #x0001))
(define-fun Pmp.napotAddr ((b Addr) (z Addr)) PAd
  (bvor (bvlshr b #x0000000000000002) (bvsub (bvlshr z #x0000000000000003) #x0000000000000001)))
(define-fun Pmp.lockBit () Cfg #x80)
; the region's deciding entry (its last)
(define-fun Pmp.lastCfg ((b Addr) (z Addr) (p Perm)) Cfg
  (bvor Pmp.lockBit ((_ zero_extend 5) p) (ite (Pmp.isNa4 b z) #x10 (ite (Pmp.isNapot b z) #x18 #x08))))
(define-fun Pmp.lastAddr ((b Addr) (z Addr)) PAd
  (ite (Pmp.isNa4 b z) (bvlshr b #x0000000000000002)
       (ite (Pmp.isNapot b z) (Pmp.napotAddr b z) (bvlshr (bvadd b z) #x0000000000000002))))
; a TOR region that does not start at the previous top: a locked OFF entry holding the bottom first
(define-fun Pmp.bottomCfg () Cfg #x80)
(define-fun Pmp.bottomAddr ((b Addr)) PAd (bvlshr b #x0000000000000002))
; the hart's last entry, and the locked OFF entries between the regions and it
(define-fun Pmp.denyCfg () Cfg #x98)
(define-fun Pmp.denyAddr () PAd #x3fffffffffffffff)
(define-fun Pmp.fillCfg () Cfg #x80)
; what the encoder takes: a non-empty, 4-aligned region that does not wrap, never W without R
(define-fun Pmp.regionOk ((b Addr) (z Addr) (p Perm)) Bool
  (and (not (= z #x0000000000000000)) (representable b z)
       (= (bvand b #x0000000000000003) #x0000000000000000) (= (bvand z #x0000000000000003) #x0000000000000000)
       (=> (= ((_ extract 1 1) p) #b1) (= ((_ extract 0 0) p) #b1))))
(define-fun Pmp.oneKind ((k Perm)) Bool (or (= k Permissions.Read) (= k Permissions.Write) (= k Permissions.Execute)))

;; ---- Closed lemmas (proved by bit-blasting; obligations lemma/Pmp_*)
; NAPOT encode/decode is exact: the entry names exactly [b, b+z), and decodes back to b and z
(define-fun Pmp_NapotExact () Bool
  (forall ((b Addr) (z Addr) (yp PAd) (a Addr))
    (=> (and (Pmp.isNapot b z) (representable b z))
        (and (= (Pmp.napotBase (Pmp.napotAddr b z)) b) (= (Pmp.napotSize (Pmp.napotAddr b z)) z)
             (= (Pmp.match #x18 (Pmp.napotAddr b z) yp a) (inRange a b z))))))
; one region's entries match exactly the region, and its deciding entry is locked with exactly p.
; yp: the pmpaddr before the region's first entry; when tv, it is the TOR top t (or 0 before entry 0).
(define-fun Pmp_RegionExact () Bool
  (forall ((b Addr) (z Addr) (p Perm) (tv Bool) (t Addr) (yp PAd) (a Addr))
    (=> (and (Pmp.regionOk b z p) (=> tv (= yp (bvlshr t #x0000000000000002)))
             (=> tv (= (bvand t #x0000000000000003) #x0000000000000000)))
        (let ((two (= (Pmp.count b z tv t) #x0002)))
          (and (= (or (and two (Pmp.match Pmp.bottomCfg (Pmp.bottomAddr b) yp a))
                      (Pmp.match (Pmp.lastCfg b z p) (Pmp.lastAddr b z) (ite two (Pmp.bottomAddr b) yp) a))
                  (inRange a b z))
               (not (Pmp.match Pmp.bottomCfg (Pmp.bottomAddr b) yp a))
               (Pmp.locked (Pmp.lastCfg b z p)) (Pmp.locked Pmp.bottomCfg)
               (= (Pmp.rwx (Pmp.lastCfg b z p)) p))))))
; the last entry denies every access to every address, and binds M-mode
(define-fun Pmp_DenyAll () Bool
  (forall ((a Addr) (yp PAd) (k Perm))
    (and (Pmp.match Pmp.denyCfg Pmp.denyAddr yp a) (Pmp.locked Pmp.denyCfg)
         (=> (Pmp.oneKind k) (not (Pmp.permits Pmp.denyCfg k)))
         (not (Pmp.match Pmp.fillCfg #x0000000000000000 yp a)) (Pmp.locked Pmp.fillCfg))))
; no software write to entry i-1 or i changes what a locked entry i matches or permits
; (for TOR that needs pmpaddr[i-1] frozen too: the rule Pmp.writeAddr states)
(define-fun Pmp_LockedEntryStable () Bool
  (forall ((cp Cfg) (yp PAd) (c Cfg) (y PAd) (cn Cfg) (n1 Cfg) (v1 PAd) (n2 Cfg) (v2 PAd) (ypp PAd) (a Addr) (k Perm))
    (=> (Pmp.locked c)
        (let ((cp2 (Pmp.writeCfg cp n1)) (yp2 (Pmp.writeAddr cp c yp v1)) (c2 (Pmp.writeCfg c n2)) (y2 (Pmp.writeAddr c cn y v2)))
          (and (= c2 c) (= y2 y)
               (= (Pmp.match c2 y2 yp2 a) (Pmp.match c y yp a)))))))

;; ---- The whole table (obligation pmp/Exact): all regions, all sizes that fit
; prevAddr: the pmpaddr a TOR entry i takes as its bottom
(define-fun PmpT.prev ((pa (Array Idx PAd)) (i Idx)) PAd (ite (= i #x0000) #x0000000000000000 (select pa (bvsub i #x0001))))
(define-fun PmpT.match ((cfg (Array Idx Cfg)) (pa (Array Idx PAd)) (i Idx) (a Addr)) Bool
  (Pmp.match (select cfg i) (select pa i) (PmpT.prev pa i) a))
; inputs: 2..64 entries; m regions, each one the encoder takes, pairwise disjoint
(define-fun PmpT.regionsOk ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm))) Bool
  (forall ((r Idx)) (! (=> (bvult r m) (Pmp.regionOk (select rb r) (select rz r) (select rp r))) :pattern ((select rb r)))))
(define-fun PmpT.disjoint ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr))) Bool
  (forall ((r1 Idx) (r2 Idx)) (! (=> (and (bvult r1 m) (bvult r2 m) (not (= r1 r2)))
                                     (not (overlaps (select rb r1) (select rz r1) (select rb r2) (select rz r2))))
                                 :pattern ((select rb r1) (select rb r2)))))
(define-fun PmpT.inputs ((m Idx) (n Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm))) Bool
  (and (bvule #x0002 n) (bvule n #x0040) (bvule m #x0040) (PmpT.regionsOk m rb rz rp) (PmpT.disjoint m rb rz)))
; the encoder's output: pos r = the first entry of region r's entries, tv/tt the emitter's TOR-top state before r
(define-fun PmpT.cnt ((rb (Array Idx Addr)) (rz (Array Idx Addr)) (tv (Array Idx Bool)) (tt (Array Idx Addr)) (r Idx)) Idx
  (Pmp.count (select rb r) (select rz r) (select tv r) (select tt r)))
(define-fun PmpT.firstRegionEntry () Idx #x0000)
(define-fun PmpT.denyIndex ((n Idx)) Idx (bvsub n #x0001))
(define-fun PmpT.regionLimit ((n Idx)) Idx (bvsub n #x0001))   ; the regions' entries end by here
; what the encoder writes for region r (below m): its entries at pos r, and the emitter's state after it
(define-fun PmpT.encodeAt ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm))
                           (cfg (Array Idx Cfg)) (pa (Array Idx PAd)) (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr)) (r Idx)) Bool
  (=> (bvult r m)
      (let ((b (select rb r)) (z (select rz r)) (p (select rp r)) (at (select pos r)) (c (PmpT.cnt rb rz tv tt r)))
        (and (= (select pos (bvadd r #x0001)) (bvadd at c))
             (= (select tv (bvadd r #x0001)) (Pmp.isTor b z))
             (= (select tt (bvadd r #x0001)) (bvadd b z))
             (=> (= c #x0002) (and (= (select cfg at) Pmp.bottomCfg) (= (select pa at) (Pmp.bottomAddr b))))
             (= (select cfg (bvsub (bvadd at c) #x0001)) (Pmp.lastCfg b z p))
             (= (select pa (bvsub (bvadd at c) #x0001)) (Pmp.lastAddr b z))))))
; the emitter's start (entry 0's TOR bottom is address 0), and that it fits: regions, locked OFF, the deny-all last
(define-fun PmpT.encodeBase ((m Idx) (n Idx) (cfg (Array Idx Cfg)) (pa (Array Idx PAd)) (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr))) Bool
  (and (= (select pos #x0000) PmpT.firstRegionEntry) (select tv #x0000) (= (select tt #x0000) #x0000000000000000)
       (bvule (select pos m) (PmpT.regionLimit n))
       (= (select cfg (PmpT.denyIndex n)) Pmp.denyCfg) (= (select pa (PmpT.denyIndex n)) Pmp.denyAddr)))
(define-fun PmpT.fillAt ((m Idx) (n Idx) (cfg (Array Idx Cfg)) (pa (Array Idx PAd)) (pos (Array Idx Idx)) (i Idx)) Bool
  (=> (and (bvule (select pos m) i) (bvult i n) (not (= i (PmpT.denyIndex n))))
      (and (= (select cfg i) Pmp.fillCfg) (= (select pa i) #x0000000000000000))))
(define-fun PmpT.encode ((m Idx) (n Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm))
                         (cfg (Array Idx Cfg)) (pa (Array Idx PAd)) (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr))) Bool
  (and (PmpT.encodeBase m n cfg pa pos tv tt)
       (forall ((r Idx)) (! (PmpT.encodeAt m rb rz rp cfg pa pos tv tt r) :pattern ((select pos r))))
       (forall ((i Idx)) (! (PmpT.fillAt m n cfg pa pos i) :pattern ((select cfg i))))))
; The table-level argument over which entries match one address a (mt i: entry i matches a),
; what pmp/Link.* prove of mt = (lambda i. PmpT.match cfg pa i a) from the encoder:
; region r's last entry matches exactly its addresses, is locked, carries its permissions; its bottom never matches
(define-fun PmpT.regionFactsAt ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm)) (cfg (Array Idx Cfg))
                                (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr)) (mt (Array Idx Bool)) (hd (Array Idx Bool)) (r Idx)) Bool
  (=> (bvult r m)
      (let ((at (select pos r)) (c (PmpT.cnt rb rz tv tt r)))
        (let ((j (bvsub (bvadd at c) #x0001)))
          (and (= (select mt j) (select hd r))
               (Pmp.locked (select cfg j)) (= (Pmp.rwx (select cfg j)) (select rp r))
               (=> (= c #x0002) (not (select mt at))))))))
; the entries outside the regions' (the locked OFF ones; none below pos 0) match nothing; the deny-all matches a, is locked and permits nothing
(define-fun PmpT.tailFactsAt ((m Idx) (n Idx) (cfg (Array Idx Cfg)) (pos (Array Idx Idx)) (mt (Array Idx Bool)) (i Idx)) Bool
  (and (=> (and (or (bvule (select pos m) i) (bvult i (select pos #x0000))) (bvult i n) (not (= i (PmpT.denyIndex n)))) (not (select mt i)))
       (select mt (PmpT.denyIndex n)) (= (select cfg (PmpT.denyIndex n)) Pmp.denyCfg)))
(define-fun PmpT.facts ((m Idx) (n Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm)) (cfg (Array Idx Cfg))
                        (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr)) (mt (Array Idx Bool)) (hd (Array Idx Bool))) Bool
  (and (bvule (select pos m) (PmpT.regionLimit n)) (= (select pos #x0000) PmpT.firstRegionEntry)
       (forall ((r1 Idx) (r2 Idx)) (! (=> (and (bvult r1 m) (bvult r2 m) (not (= r1 r2))) (not (and (select hd r1) (select hd r2))))
                                      :pattern ((select hd r1) (select hd r2))))
       (forall ((r Idx)) (! (PmpT.regionFactsAt m rb rz rp cfg pos tv tt mt hd r) :pattern ((select pos r))))
       (forall ((i Idx)) (! (PmpT.tailFactsAt m n cfg pos mt i) :pattern ((select mt i))))))
(define-fun PmpT.matches ((cfg (Array Idx Cfg)) (pa (Array Idx PAd)) (a Addr)) (Array Idx Bool)
  (lambda ((i Idx)) (PmpT.match cfg pa i a)))
; hd r: region r holds a
(define-fun PmpT.holds ((rb (Array Idx Addr)) (rz (Array Idx Addr)) (a Addr)) (Array Idx Bool)
  (lambda ((r Idx)) (inRange a (select rb r) (select rz r))))
; GHOST (assumed, not proved: each is the partition of a finite list, which needs induction):
; region r's entries [pos r, pos r + cnt r) end by pos m, and every entry from pos 0 to pos m lies in the entries of its region grp i
(define-fun PmpT.spanAt ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr)) (r Idx)) Bool
  (=> (bvult r m) (and (bvult (select pos r) (bvadd (select pos r) (PmpT.cnt rb rz tv tt r)))
                       (bvule (bvadd (select pos r) (PmpT.cnt rb rz tv tt r)) (select pos m)))))
(define-fun PmpT.groups ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (pos (Array Idx Idx)) (tv (Array Idx Bool)) (tt (Array Idx Addr)) (grp (Array Idx Idx))) Bool
  (and (forall ((i Idx)) (! (=> (and (bvule (select pos #x0000) i) (bvult i (select pos m)))
                                (and (bvult (select grp i) m) (bvule (select pos (select grp i)) i)
                                     (bvult i (bvadd (select pos (select grp i)) (PmpT.cnt rb rz tv tt (select grp i))))))
                            :pattern ((select grp i))))
       (forall ((r Idx)) (! (PmpT.spanAt m rb rz pos tv tt r) :pattern ((select pos r))))))
;; GHOST: f is the lowest-numbered entry matching (mt) whenever one does; no entry below f matches
(define-fun PmpT.first ((n Idx) (mt (Array Idx Bool)) (f Idx)) Bool
  (and (forall ((i Idx)) (! (=> (and (bvult i n) (select mt i)) (and (bvult f n) (select mt f) (bvule f i))) :pattern ((select mt i))))
       (forall ((j Idx)) (! (=> (bvult j f) (not (select mt j))) :pattern ((select mt j))))))
; M-mode (the guest's mode): the lowest matching entry decides when it is locked; no match, or an unlocked one, allows
(define-fun PmpT.allowsM ((n Idx) (cfg (Array Idx Cfg)) (mt (Array Idx Bool)) (f Idx) (k Perm)) Bool
  (not (and (bvult f n) (select mt f) (Pmp.locked (select cfg f)) (not (Pmp.permits (select cfg f) k)))))
; S/U-mode: the lowest matching entry decides; no match denies
(define-fun PmpT.allowsSU ((n Idx) (cfg (Array Idx Cfg)) (mt (Array Idx Bool)) (f Idx) (k Perm)) Bool
  (and (bvult f n) (select mt f) (Pmp.permits (select cfg f) k)))
; the same over which regions hold a (hd = PmpT.holds rb rz a)
(define-fun PmpT.inRegionsH ((m Idx) (hd (Array Idx Bool)) (rp (Array Idx Perm)) (k Perm)) Bool
  (exists ((r Idx)) (and (bvult r m) (select hd r) (= (bvand (select rp r) k) k))))
; what the slice may do: a region holds a, with k among its permissions
(define-fun PmpT.inRegions ((m Idx) (rb (Array Idx Addr)) (rz (Array Idx Addr)) (rp (Array Idx Perm)) (a Addr) (k Perm)) Bool
  (exists ((r Idx)) (and (bvult r m) (inRange a (select rb r) (select rz r)) (= (bvand (select rp r) k) k))))
