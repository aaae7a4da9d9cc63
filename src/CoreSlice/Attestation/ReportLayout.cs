namespace CoreSlice.Attestation;

/// <summary>
/// The attestation report's binary encoding, version 4: a fixed-size body of
/// <see cref="BodySize"/> bytes (little-endian integers) followed by an ECDSA P-384
/// signature over the body. Fixed size on purpose: every list has its maximum
/// extent (1024-bit core and device maps, 64 range slots, 64 window slots, 64 DMA-range
/// slots, 8 cache-domain slots), so offsets never depend on contents and a parser has nothing to get wrong.
/// Bytes [0, <see cref="RangePermissions"/>) are laid out as in version 2; version 3 appended
/// the sharing section (range permissions, windows, DMA ranges), which version 2 did not
/// show; version 4 appends the cache-domain section (the ways in every domain), which version 3
/// did not show. Documented in docs/attestation.md, with why earlier versions are refused.
/// </summary>
public static class ReportLayout
{
    /// <summary>"CSREPORT" in ASCII: the first 8 bytes.</summary>
    public static ReadOnlySpan<byte> MagicBytes => "CSREPORT"u8;

    /// <summary>The version this slicevisor writes.</summary>
    public const ushort CurrentVersion = 4;

    /// <summary>Signature algorithm 1: ECDSA over NIST P-384 with SHA-384, IEEE P1363 r ‖ s (96 bytes).</summary>
    public const ushort EcdsaP384Sha384 = 1;

    /// <summary>Size of a SHA-384 digest.</summary>
    public const int HashSize = 48;

    /// <summary>Size of the nonce / report data.</summary>
    public const int NonceSize = 64;

    /// <summary>Most memory ranges (range registers) a report can carry.</summary>
    public const int RangeSlots = Limits.MaxRangeRegisters;

    /// <summary>Most windows a report can carry: each takes a range register, as a private range does.</summary>
    public const int WindowSlots = Limits.MaxRangeRegisters;

    /// <summary>Most DMA ranges a report can carry.</summary>
    public const int DmaSlots = Limits.MaxDmaRanges;

    /// <summary>Cache-domain slots in a report (the most a machine has).</summary>
    public const int DomainSlots = Limits.MaxCacheDomains;

    /// <summary>
    /// Size of a window or DMA-range record: holder u32 (the device; zero for a window) ‖
    /// permissions u8 ‖ 3 zero ‖ base u64 ‖ size u64. One shape for both, so one writer and one reader serve.
    /// </summary>
    public const int GrantSize = 24;
    /// <summary>Offset of the holder (u32) within a record.</summary>
    public const int GrantHolder = 0;
    /// <summary>Offset of the permissions (u8) within a record.</summary>
    public const int GrantPermissions = 4;
    /// <summary>Offset of the base (u64) within a record.</summary>
    public const int GrantBase = 8;
    /// <summary>Offset of the size (u64) within a record.</summary>
    public const int GrantLength = 16;

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
    /// <summary>
    /// Offset of the range permissions (64): one <see cref="Hardware.Permissions"/> byte per range slot, the guest's
    /// effective permission on that range; unused slots zero. The sharing section starts here.
    /// </summary>
    public const int RangePermissions = Ranges + (RangeSlots * 16);
    /// <summary>Offset of the number of windows (u32).</summary>
    public const int WindowCount = RangePermissions + RangeSlots;
    /// <summary>
    /// Offset of the DMA scope (u8, a <see cref="DmaScope"/>): whether the slice lists DMA ranges, so a
    /// zero count cannot be misread as "devices reach nothing" (or the reverse).
    /// </summary>
    public const int DmaScopeField = WindowCount + 4;
    /// <summary>Offset of three reserved zero bytes.</summary>
    public const int Reserved4 = DmaScopeField + 1;
    /// <summary>Offset of the number of DMA ranges (u32): 0 with <see cref="DmaScope.AllPrivateRanges"/>, 1..64 with <see cref="DmaScope.Listed"/>.</summary>
    public const int DmaRangeCount = Reserved4 + 3;
    /// <summary>Offset of four reserved zero bytes.</summary>
    public const int Reserved5 = DmaRangeCount + 4;
    /// <summary>Offset of the windows: 64 records (<see cref="GrantSize"/>, holder zero) in request order (window k is range register ranges + k); unused slots zero.</summary>
    public const int Windows = Reserved5 + 4;
    /// <summary>Offset of the DMA ranges: 64 records (<see cref="GrantSize"/>, holder = the device) in request order; unused slots zero.</summary>
    public const int DmaRanges = Windows + (WindowSlots * GrantSize);
    /// <summary>
    /// Offset of the number of cache domains (u32): the machine's, 1..<see cref="DomainSlots"/>. The cache-domain
    /// section (version 4) starts here: version 3 showed domain 0's ways only (<see cref="Ways"/>).
    /// </summary>
    public const int DomainCount = DmaRanges + (DmaSlots * GrantSize);
    /// <summary>Offset of four reserved zero bytes.</summary>
    public const int Reserved6 = DomainCount + 4;
    /// <summary>Offset of the ways per cache domain: <see cref="DomainSlots"/> masks (u64), bit w = way w of domain d; slot 0 equals <see cref="Ways"/>; unused slots zero.</summary>
    public const int DomainWays = Reserved6 + 4;
    /// <summary>Size of the signed body.</summary>
    public const int BodySize = DomainWays + (DomainSlots * 8);
    /// <summary>Size of the sharing and cache-domain sections [<see cref="RangePermissions"/>, <see cref="BodySize"/>), also the tail of the entry encoding.</summary>
    public const int SharingSize = BodySize - RangePermissions;
    /// <summary>Offset of the signature (96): r ‖ s, 48 bytes each, big-endian.</summary>
    public const int Signature = BodySize;
    /// <summary>Size of the signature.</summary>
    public const int SignatureSize = 96;
    /// <summary>Size of a whole report.</summary>
    public const int ReportSize = BodySize + SignatureSize;

    /// <summary>
    /// "CSENTRY3": the first 8 bytes of a slice-table entry's canonical encoding (CSENTRY1, in version 2, had no
    /// sharing section; CSENTRY2, in version 3, no cache-domain section).
    /// </summary>
    public static ReadOnlySpan<byte> EntryMagic => "CSENTRY3"u8;

    /// <summary>Offset, in the entry encoding, of the sharing section (after the measurement).</summary>
    public const int EntrySharing = 8 + 4 + 4 + 8 + 8 + 8 + 8 + 128 + 128 + 4 + 4 + (RangeSlots * 16) + HashSize;

    /// <summary>
    /// Size of a slice-table entry's canonical encoding, hashed into <see cref="EntryHash"/>:
    /// "CSENTRY3" ‖ slot i32 ‖ state u8 ‖ 3 zero ‖ boot id u64 ‖ generation u64 ‖ entry point u64 ‖
    /// ways u64 ‖ cores 128 ‖ devices 128 ‖ range count u32 ‖ 4 zero ‖ 64 × (base, size) ‖ measurement 48 ‖
    /// the sharing section, byte for byte as in the report (<see cref="SharingSize"/>).
    /// </summary>
    public const int EntryEncodingSize = EntrySharing + SharingSize;
}
