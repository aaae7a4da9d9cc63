namespace CoreSlice.Log;

/// <summary>
/// Which request a decision-log entry records. The numbers are stable: they are
/// written into the log's canonical bytes (see docs/attestation.md).
/// </summary>
public enum DecisionOperation : byte
{
    /// <summary>Not an operation (never appended).</summary>
    None = 0,
    /// <summary>Manager: CreateSlice.</summary>
    CreateSlice = 1,
    /// <summary>Manager: LoadImage.</summary>
    LoadImage = 2,
    /// <summary>Manager: StartSlice.</summary>
    StartSlice = 3,
    /// <summary>Manager: DestroySlice.</summary>
    DestroySlice = 4,
    /// <summary>Manager: Attest.</summary>
    Attest = 5,
    /// <summary>Guest, through its mailbox: Attest for its own slot. Slot = the guest's slot; the digest covers the calling core.</summary>
    GuestAttest = 6,
    /// <summary>Manager: DrainLog. Subject = entries drained; Holder = requests refused with LogFull since the last drain.</summary>
    DrainLog = 7,
}
