using CoreSlice.Attestation;
using CoreSlice.Log;

namespace CoreSlice;

/// <summary>
/// The slicevisor's decision log and attestation state, and the attestation decision.
/// The entry points that use them are in the call table of Slicevisor.cs.
/// </summary>
public sealed partial class Slicevisor<THardware>
{
    private readonly DecisionLog log;
    private readonly Attestor attestor;

    /// <summary>The decision log (read-only view): entries, chain head, sequence, genesis.</summary>
    public DecisionLog Log => log;

    /// <summary>
    /// The attestation key's public half, as DER SubjectPublicKeyInfo (ECDSA P-384);
    /// empty if the hardware gives no usable key. Derived on first use (here or in a report).
    /// </summary>
    public ReadOnlySpan<byte> AttestationPublicKey
    {
        get
        {
            lock (gate)
            {
                _ = attestor.EnsureKey(ref hardware);
                return attestor.PublicKey;
            }
        }
    }

    /// <summary>Successful CreateSlice calls so far on this machine; each slice is named by the value it was given.</summary>
    public ulong BootCounter
    {
        get
        {
            lock (gate)
            {
                return attestor.BootCounter;
            }
        }
    }

    /// <summary>The slice number the boot counter gave <paramref name="slot"/>'s current slice (0 if never created).</summary>
    public ulong SliceBootId(int slot)
    {
        lock (gate)
        {
            return Table.IsSlot(slot) ? attestor.BootId(slot) : 0;
        }
    }

    /// <summary>
    /// Attest and GuestAttest on a valid slot: checks, then builds and signs the report in
    /// the slicevisor's own buffer and copies it out once (so a caller rewriting its buffer
    /// cannot change what is signed). The nonce is the decoded copy. The caller holds the lock.
    /// A guest's report carries the log point of its start (<see cref="Attestor.RecordStart"/>), so the
    /// current head is neither read nor finalized for it.
    /// </summary>
    private SliceResult DecideAttest(int slot, int nonceLength, Span<byte> report, byte requester, int core)
    {
        Invariant.Holds(gate.IsHeldByCurrentThread, "DecideAttest without the slicevisor's lock");
        SliceState state = Table.Entry(slot).State;
        if (requester == 1 && state != SliceState.Running)
        {
            return SliceResult.Fail(SliceError.NotGuestCore, slot, core);
        }
        if (state != SliceState.Created && state != SliceState.Running)
        {
            return SliceResult.Fail(SliceError.WrongState, slot, (int)state);
        }
        if (nonceLength != ReportLayout.NonceSize)
        {
            return SliceResult.Fail(SliceError.NonceLength, slot, nonceLength);
        }
        if (report.Length < ReportLayout.ReportSize)
        {
            return SliceResult.Fail(SliceError.BufferTooSmall, slot, ReportLayout.ReportSize);
        }
        if (!attestor.EnsureKey(ref hardware) || !attestor.Write(Table.Entry(slot), requester, nonceBuffer, log.Sequence, requester == 0 ? log.Head : default, log.Identity.BootCount))
        {
            return SliceResult.Fail(SliceError.AttestationKeyFault, slot, -1);
        }
        attestor.Report.CopyTo(report);
        return SliceResult.Success(slot);
    }

    /// <summary>Full-log policy: refuse before executing, and count it (reported by the next drain record).</summary>
    private SliceResult RefuseLogFull(int slot)
    {
        log.CountRefusal();
        return SliceResult.Fail(SliceError.LogFull, slot, log.Capacity);
    }
}
