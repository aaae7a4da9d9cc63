namespace CoreSlice.Attestation;

/// <summary>
/// The attestation report's binary encoding, version 2 (version 1 carried a 48-byte SHA-384 log head): a fixed-size body of
/// <see cref="BodySize"/> bytes (little-endian integers) followed by an ECDSA P-384
/// signature over the body. Fixed size on purpose: every list has its maximum
/// extent (1024-bit core and device maps, 64 range slots), so offsets never depend
/// on contents and a parser has nothing to get wrong. Documented in docs/attestation.md.
/// </summary>
public static class ReportLayout
{
    /// <summary>"CSREPORT" in ASCII: the first 8 bytes.</summary>
    public static ReadOnlySpan<byte> MagicBytes => "CSREPORT"u8;

    /// <summary>The version this slicevisor writes.</summary>
    public const ushort CurrentVersion = 2;

    /// <summary>Signature algorithm 1: ECDSA over NIST P-384 with SHA-384, IEEE P1363 r ‖ s (96 bytes).</summary>
    public const ushort EcdsaP384Sha384 = 1;

    /// <summary>Size of a SHA-384 digest.</summary>
    public const int HashSize = 48;

    /// <summary>Size of the nonce / report data.</summary>
    public const int NonceSize = 64;

    /// <summary>Most memory ranges (range registers) a report can carry.</summary>
    public const int RangeSlots = Limits.MaxRangeRegisters;

    /// <summary>Offset of the magic (8 bytes).</summary>
    public const int Magic = 0;
    /// <summary>Offset of the version (u16).</summary>
    public const int Version = 8;
    /// <summary>Offset of the signature algorithm (u16).</summary>
    public const int Algorithm = 10;
    /// <summary>Offset of the body size (u32) = <see cref="BodySize"/>.</summary>
    public const int BodyLength = 12;
    /// <summary>Offset of the 64-byte nonce / report data the requester supplied.</summary>
    public const int Nonce = 16;
    /// <summary>Offset of the slot (i32).</summary>
    public const int Slot = 80;
    /// <summary>Offset of the slot's <see cref="SliceState"/> (u8): Created or Running.</summary>
    public const int State = 84;
    /// <summary>Offset of the requester (u8): 0 = manager, 1 = the guest through its mailbox.</summary>
    public const int Requester = 85;
    /// <summary>Offset of two reserved zero bytes.</summary>
    public const int Reserved1 = 86;
    /// <summary>Offset of the slice's boot id (u64): the machine-wide boot counter value its CreateSlice was given.</summary>
    public const int SliceBootId = 88;
    /// <summary>Offset of the current boot counter (u64): successful creates on this machine so far.</summary>
    public const int BootCounter = 96;
    /// <summary>Offset of the slot's generation (u64): slices created in this slot so far.</summary>
    public const int Generation = 104;
    /// <summary>Offset of the decision log's sequence (u64) at the chain head below.</summary>
    public const int LogSequence = 112;
    /// <summary>Offset of the decision-log chain head (32, SHA-256): the hash of the last decision before this Attest (the genesis before any).</summary>
    public const int LogHead = 120;
    /// <summary>Offset of the platform boot count (u64) the decision log's genesis was derived from.</summary>
    public const int LogBootCount = 152;
    /// <summary>Offset of eight reserved zero bytes.</summary>
    public const int Reserved3 = 160;
    /// <summary>Offset of the image measurement (48): the SHA-384 chain LoadImage built.</summary>
    public const int ImageMeasurement = 168;
    /// <summary>Offset of the slicevisor's own measurement (48), as the platform gave it at construction.</summary>
    public const int SlicevisorMeasurement = 216;
    /// <summary>Offset of the sliceloader's own measurement (48), as the platform gave it at construction.</summary>
    public const int SliceloaderMeasurement = 264;
    /// <summary>Offset of the SHA-384 of the slice-table entry's canonical encoding (48).</summary>
    public const int EntryHash = 312;
    /// <summary>Offset of the entry point (u64).</summary>
    public const int EntryPoint = 360;
    /// <summary>Offset of the cache-way mask (u64).</summary>
    public const int Ways = 368;
    /// <summary>Offset of the core map (128): 16 u64 words, bit c of word c/64 = core c.</summary>
    public const int Cores = 376;
    /// <summary>Offset of the device map (128), same shape as the core map.</summary>
    public const int Devices = 504;
    /// <summary>Offset of the number of memory ranges (u32).</summary>
    public const int RangeCount = 632;
    /// <summary>Offset of four reserved zero bytes.</summary>
    public const int Reserved2 = 636;
    /// <summary>Offset of the ranges: 64 slots of (base u64, size u64), in range-register order; unused slots zero.</summary>
    public const int Ranges = 640;
    /// <summary>Size of the signed body.</summary>
    public const int BodySize = Ranges + (RangeSlots * 16);
    /// <summary>Offset of the signature (96): r ‖ s, 48 bytes each, big-endian.</summary>
    public const int Signature = BodySize;
    /// <summary>Size of the signature.</summary>
    public const int SignatureSize = 96;
    /// <summary>Size of a whole report.</summary>
    public const int ReportSize = BodySize + SignatureSize;

    /// <summary>"CSENTRY1": the first 8 bytes of a slice-table entry's canonical encoding.</summary>
    public static ReadOnlySpan<byte> EntryMagic => "CSENTRY1"u8;

    /// <summary>
    /// Size of a slice-table entry's canonical encoding, hashed into <see cref="EntryHash"/>:
    /// "CSENTRY1" ‖ slot i32 ‖ state u8 ‖ 3 zero ‖ boot id u64 ‖ generation u64 ‖ entry point u64 ‖
    /// ways u64 ‖ cores 128 ‖ devices 128 ‖ range count u32 ‖ 4 zero ‖ 64 × (base, size) ‖ measurement 48.
    /// </summary>
    public const int EntryEncodingSize = 8 + 4 + 4 + 8 + 8 + 8 + 8 + 128 + 128 + 4 + 4 + (RangeSlots * 16) + HashSize;
}
