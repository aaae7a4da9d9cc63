; =====================================================================
; CoreSlice formal model -- 45: attestation and the decision log as operations
; (Slicevisor.cs Attest, GuestAttest, DrainLog; Log/DecisionLog.cs). Attest and GuestAttest
; change nothing but the log; DrainLog changes only the log. What a report signs is not modelled
; (S8); whether the hardware gives a usable key is the environment's choice, like a fault.
; =====================================================================

; ============================ Attest (the manager's request) ============================
; at.nonceOk: the nonce is exactly 64 bytes; at.roomOk: the report buffer holds a report;
; at.keyOk: the hardware key derivation gave a usable key and signing worked
(declare-datatypes ((AttestArgs 0)) ((
  (mk-attest-args (at.slot Slot) (at.nonceOk Bool) (at.roomOk Bool) (at.keyOk Bool)))))
(define-fun Attest_pre ((s State) (a AttestArgs)) Bool true)
(define-fun Attest_err ((s State) (a AttestArgs)) Err
  (ite (Log.full s) SliceError.LogFull
  (ite (not (isGuest (at.slot a))) SliceError.SlotOutOfRange
  (ite (not (or (= (select (st s) (at.slot a)) SliceState.Created) (= (select (st s) (at.slot a)) SliceState.Running)))
       SliceError.WrongState
  (ite (not (at.nonceOk a)) SliceError.NonceLength
  (ite (not (at.roomOk a)) SliceError.BufferTooSmall
  (ite (not (at.keyOk a)) SliceError.AttestationKeyFault
       SliceError.None)))))))
; a report is written or not; either way the request is logged and nothing else changes
(define-fun Attest ((s State) (a AttestArgs) (s2 State)) Bool
  (ite (Log.full s) (LogFull s s2) (and (Log.append s s2) (same-but-log s s2))))
(define-fun Attest_target ((s State) (a AttestArgs)) Slot Owner.None)

; ============================ GuestAttest (the guest's mailbox) ============================
; ga.core: the calling core as the mailbox hardware identifies it (a guest cannot name another slot).
; Never refused with LogFull: every guest's calls fill the one log, so a refusal would tell the caller
; what other guests did (S11, 90-noninterference). With the log full the call is answered and not
; appended, only counted (the LogFull transition, with the call's own answer; the next drain's record
; reports the count).
(declare-datatypes ((GuestAttestArgs 0)) ((
  (mk-guest-attest-args (ga.core Core) (ga.nonceOk Bool) (ga.roomOk Bool) (ga.keyOk Bool)))))
(define-fun GuestAttest_pre ((s State) (a GuestAttestArgs)) Bool true)
(define-fun GuestAttest_err ((s State) (a GuestAttestArgs)) Err
  (let ((o (select (coreOwner s) (ga.core a))))
    (ite (not (and (isGuest o) (= (select (st s) o) SliceState.Running))) SliceError.NotGuestCore
    (ite (not (ga.nonceOk a)) SliceError.NonceLength
    (ite (not (ga.roomOk a)) SliceError.BufferTooSmall
    (ite (not (ga.keyOk a)) SliceError.AttestationKeyFault
         SliceError.None))))))
(define-fun GuestAttest ((s State) (a GuestAttestArgs) (s2 State)) Bool
  (ite (Log.full s) (LogFull s s2) (and (Log.append s s2) (same-but-log s s2))))
(define-fun GuestAttest_target ((s State) (a GuestAttestArgs)) Slot Owner.None)

; ============================ DrainLog ============================
; dl.room: whole entries the manager's destination holds. The oldest min(count, room) entries
; leave the log (handed out), then the drain records itself with the refusal count, which restarts.
(declare-datatypes ((DrainArgs 0)) (((mk-drain-args (dl.room Cnt)))))
(define-fun Drain.k ((s State) (a DrainArgs)) Cnt (ite (bvult (dl.room a) (logN s)) (dl.room a) (logN s)))
; entries are held and not one fits
(define-fun Drain.tooSmall ((s State) (a DrainArgs)) Bool
  (and (not (= (logN s) #x0000000000000000)) (= (dl.room a) #x0000000000000000)))
(define-fun DrainLog_pre ((s State) (a DrainArgs)) Bool true)
(define-fun DrainLog_err ((s State) (a DrainArgs)) Err
  (ite (Drain.tooSmall s a) SliceError.BufferTooSmall SliceError.None))
(define-fun DrainLog ((s State) (a DrainArgs) (s2 State)) Bool
  (and (same-but-log s s2) (= (logCap s2) (logCap s))
       (ite (Drain.tooSmall s a)
            (ite (= (logN s) (logCap s))
                 ; not even room for the drain's record: refused like any request on a full log
                 (and (= (logN s2) (logN s)) (= (logSeq s2) (logSeq s)) (= (logOut s2) (logOut s))
                      (= (logRefused s2) (bvadd (logRefused s) #x0000000000000001)))
                 ; the refusal is recorded
                 (and (= (logN s2) (bvadd (logN s) #x0000000000000001)) (= (logSeq s2) (bvadd (logSeq s) #x0000000000000001))
                      (= (logOut s2) (logOut s)) (= (logRefused s2) #x0000000000000000)))
            (and (= (logN s2) (bvadd (bvsub (logN s) (Drain.k s a)) #x0000000000000001))
                 (= (logSeq s2) (bvadd (logSeq s) #x0000000000000001))
                 (= (logOut s2) (bvadd (logOut s) (Drain.k s a)))
                 (= (logRefused s2) #x0000000000000000)))))
(define-fun DrainLog_target ((s State) (a DrainArgs)) Slot Owner.None)
