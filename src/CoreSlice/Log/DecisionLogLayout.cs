namespace CoreSlice.Log;

/// <summary>
/// The canonical bytes of one decision-log entry, format 3 (little-endian), which are both
/// what is hashed and what is exported (documented in docs/attestation.md): 56 bytes of fields,
/// no hash of their own. The chain is one running SHA-256 per segment:
/// <c>head = SHA-256(anchor ‖ entry ‖ entry ‖ …)</c> over the segment's entries so far, where
/// the first segment's anchor is the log's genesis and every <see cref="DecisionOperation.DrainLog"/>
/// entry starts a new segment whose anchor is the head just before it. Each entry is absorbed
/// once; a SHA-256 is finalized only when the head is read (an attestation, a drain, an export).
/// The fields end with 32 argument bytes: the decoded arguments themselves when they fit
/// (<see cref="ArgumentsInline"/>), else their SHA-256 (<see cref="ArgumentsDigested"/>).
/// The genesis is SHA-256 of <see cref="GenesisLabel"/> ‖ the slicevisor's measurement (48) ‖
/// the sliceloader's measurement (48) ‖ the platform's boot count (u64), so a log verifies from
/// its start and belongs to one boot of one platform.
/// </summary>
public static class DecisionLogLayout
{
    /// <summary>The format number, written into log files.</summary>
    public const ushort FormatVersion = 3;

    /// <summary>Size of a SHA-256 hash (the genesis, an anchor, the head).</summary>
    public const int HashSize = 32;

    /// <summary>Offset of the sequence number (u64): 1 for the first request this slicevisor ever received, then +1 per entry.</summary>
    public const int Sequence = 0;

    /// <summary>Offset of the <see cref="DecisionOperation"/> (u8).</summary>
    public const int Operation = 8;

    /// <summary>Offset of the argument form (u8): <see cref="ArgumentsInline"/> or <see cref="ArgumentsDigested"/>.</summary>
    public const int ArgumentForm = 9;

    /// <summary>Offset of the <see cref="SliceError"/> (u16); 0 = accepted.</summary>
    public const int Error = 10;

    /// <summary>Offset of the slot (i32) of the result.</summary>
    public const int Slot = 12;

    /// <summary>Offset of the result's subject (i32).</summary>
    public const int Subject = 16;

    /// <summary>Offset of the result's holder (i32).</summary>
    public const int Holder = 20;

    /// <summary>Offset of the 32 argument bytes (see docs/attestation.md for each operation's argument encoding).</summary>
    public const int Arguments = 24;

    /// <summary>Size of the argument field.</summary>
    public const int ArgumentsSize = 32;

    /// <summary>Size of one entry: every byte of it is absorbed into the chain.</summary>
    public const int EntrySize = 56;

    /// <summary>Argument form 0: the decoded argument bytes, zero-padded to 32.</summary>
    public const byte ArgumentsInline = 0;

    /// <summary>Argument form 1: SHA-256 of the decoded argument bytes.</summary>
    public const byte ArgumentsDigested = 1;

    /// <summary>Domain separation of the genesis hash (the format number in it: a format-2 genesis is never a format-3 one).</summary>
    public static ReadOnlySpan<byte> GenesisLabel => "CoreSlice decision log v3 genesis"u8;

    /// <summary>True when an entry of <paramref name="operation"/> starts a segment (its anchor is the head before it).</summary>
    public static bool StartsSegment(DecisionOperation operation) => operation == DecisionOperation.DrainLog;
}
