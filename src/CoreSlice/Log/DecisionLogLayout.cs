namespace CoreSlice.Log;

/// <summary>
/// The canonical bytes of one decision-log entry, format 2 (little-endian), which are both
/// what is hashed and what is exported (documented in docs/attestation.md):
/// <c>previous hash (32) ‖ fields (56) ‖ hash (32)</c>, where
/// <c>hash = SHA-256(previous hash ‖ fields)</c>, one hash over 88 bytes. The fields end
/// with 32 argument bytes: the decoded arguments themselves when they fit
/// (<see cref="ArgumentsInline"/>), else their SHA-256 (<see cref="ArgumentsDigested"/>).
/// The first entry's previous hash is the log's genesis: SHA-256 of <see cref="GenesisLabel"/>
/// ‖ the slicevisor's measurement (48) ‖ the sliceloader's measurement (48) ‖ the platform's
/// boot count (u64), so a log verifies from its start and belongs to one boot of one platform.
/// </summary>
public static class DecisionLogLayout
{
    /// <summary>The format number, written into log files.</summary>
    public const ushort FormatVersion = 2;

    /// <summary>Size of a SHA-256 hash.</summary>
    public const int HashSize = 32;

    /// <summary>Offset of the previous entry's hash (the chain link).</summary>
    public const int PreviousHash = 0;

    /// <summary>Offset of the sequence number (u64): 1 for the first request this slicevisor ever received, then +1 per entry.</summary>
    public const int Sequence = 32;

    /// <summary>Offset of the <see cref="DecisionOperation"/> (u8).</summary>
    public const int Operation = 40;

    /// <summary>Offset of the argument form (u8): <see cref="ArgumentsInline"/> or <see cref="ArgumentsDigested"/>.</summary>
    public const int ArgumentForm = 41;

    /// <summary>Offset of the <see cref="SliceError"/> (u16); 0 = accepted.</summary>
    public const int Error = 42;

    /// <summary>Offset of the slot (i32) of the result.</summary>
    public const int Slot = 44;

    /// <summary>Offset of the result's subject (i32).</summary>
    public const int Subject = 48;

    /// <summary>Offset of the result's holder (i32).</summary>
    public const int Holder = 52;

    /// <summary>Offset of the 32 argument bytes (see docs/attestation.md for each operation's argument encoding).</summary>
    public const int Arguments = 56;

    /// <summary>Offset of this entry's hash: SHA-256 over bytes [0, <see cref="Hash"/>).</summary>
    public const int Hash = 88;

    /// <summary>Size of one entry.</summary>
    public const int EntrySize = 120;

    /// <summary>Size of the argument field.</summary>
    public const int ArgumentsSize = 32;

    /// <summary>Argument form 0: the decoded argument bytes, zero-padded to 32.</summary>
    public const byte ArgumentsInline = 0;

    /// <summary>Argument form 1: SHA-256 of the decoded argument bytes.</summary>
    public const byte ArgumentsDigested = 1;

    /// <summary>Domain separation of the genesis hash.</summary>
    public static ReadOnlySpan<byte> GenesisLabel => "CoreSlice decision log v2 genesis"u8;
}
