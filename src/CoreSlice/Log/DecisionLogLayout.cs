namespace CoreSlice.Log;

/// <summary>
/// The canonical bytes of one decision-log entry (little-endian), which are both
/// what is hashed and what is exported. An entry is
/// <c>previous hash (48) ‖ fields (72) ‖ hash (48)</c>, where
/// <c>hash = SHA-384(previous hash ‖ fields)</c>; the first entry's previous hash is
/// <see cref="GenesisHash"/> (48 zero bytes). Documented in docs/attestation.md.
/// </summary>
public static class DecisionLogLayout
{
    /// <summary>Size of a SHA-384 hash.</summary>
    public const int HashSize = 48;

    /// <summary>Offset of the previous entry's hash (the chain link).</summary>
    public const int PreviousHash = 0;

    /// <summary>Offset of the sequence number (u64): 1 for the first request this slicevisor ever received, then +1 per entry.</summary>
    public const int Sequence = 48;

    /// <summary>Offset of the <see cref="DecisionOperation"/> (u8).</summary>
    public const int Operation = 56;

    /// <summary>Offset of a reserved byte (zero).</summary>
    public const int Reserved = 57;

    /// <summary>Offset of the <see cref="SliceError"/> (u16); 0 = accepted.</summary>
    public const int Error = 58;

    /// <summary>Offset of the slot (i32) of the result.</summary>
    public const int Slot = 60;

    /// <summary>Offset of the result's subject (i32).</summary>
    public const int Subject = 64;

    /// <summary>Offset of the result's holder (i32).</summary>
    public const int Holder = 68;

    /// <summary>Offset of the SHA-384 digest of the request's arguments (see docs for each operation's argument bytes).</summary>
    public const int ArgumentsDigest = 72;

    /// <summary>Offset of this entry's hash: SHA-384 over bytes [0, <see cref="Hash"/>).</summary>
    public const int Hash = 120;

    /// <summary>Size of one entry.</summary>
    public const int EntrySize = 168;

    /// <summary>The previous hash of the very first entry: 48 zero bytes.</summary>
    public static ReadOnlySpan<byte> GenesisHash => Genesis;

    private static readonly byte[] Genesis = new byte[HashSize];
}
