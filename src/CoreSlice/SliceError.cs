namespace CoreSlice;

/// <summary>
/// Why a slicevisor operation was refused. Every code is one named check; the
/// checks run in the order documented in <c>spec/README.md</c> ("check order"),
/// and an operation returns the first that fails. CreateSlice's order: shape (1-8: TableFull,
/// NoCores, TooManyCores, NoMemory, TooManyRanges, PermissionsCountMismatch, TooManyDevices,
/// TooManyDmaRanges, TooManyWayDomains); each core (10-13); each private range (20-28); each window (80-86); each
/// device (30-32); each DMA range (90-96); ways and cache domains (40-42, 100-106); entry (43, 45); PmpEntriesExceeded (44). The numbering is stable:
/// the spec, the decision log and JSON output use these numbers.
/// </summary>
public enum SliceError
{
    /// <summary>The operation succeeded.</summary>
    None = 0,

    // ---- CreateSlice: the request as a whole ----
    /// <summary>No slot is <see cref="SliceState.Free"/>.</summary>
    TableFull = 1,
    /// <summary>The request lists no cores.</summary>
    NoCores = 2,
    /// <summary>The request lists more cores than the machine has (it must then repeat one).</summary>
    TooManyCores = 3,
    /// <summary>The request lists no memory range.</summary>
    NoMemory = 4,
    /// <summary>
    /// The request's private ranges and windows together need more range registers than a
    /// core has (nr + nw &gt; registers). Subject: nr + nw (summed without overflow; clamped to
    /// <see cref="int.MaxValue"/>, which no real list reaches).
    /// </summary>
    TooManyRanges = 5,
    /// <summary>The request lists more devices than the machine has (it must then repeat one).</summary>
    TooManyDevices = 6,
    /// <summary>
    /// RangePermissions is neither empty nor one per private range. Checked after TooManyRanges,
    /// before TooManyDevices. Subject: the number of permissions given.
    /// </summary>
    PermissionsCountMismatch = 7,
    /// <summary>More DMA ranges than <see cref="Limits.MaxDmaRanges"/>. Subject: the count given.</summary>
    TooManyDmaRanges = 8,
    /// <summary>
    /// <see cref="SliceRequest.DomainWays"/> lists more entries than the machine has cache domains
    /// (it must then repeat one). Checked after TooManyDmaRanges. Subject: the count given.
    /// </summary>
    TooManyWayDomains = 9,

    // ---- CreateSlice: each core, in request order ----
    /// <summary>A core index is negative or not below the machine's core count. Subject: the index.</summary>
    CoreOutOfRange = 10,
    /// <summary>A core belongs to the control slice. Subject: the core.</summary>
    CoreReservedForControl = 11,
    /// <summary>A core appears twice in the request. Subject: the core.</summary>
    CoreDuplicated = 12,
    /// <summary>A core is owned by another slice. Subject: the core; Holder: that slot.</summary>
    CoreInUse = 13,

    // ---- CreateSlice: each memory range, in request order ----
    /// <summary>A range has size 0. Subject: the range's index in the request.</summary>
    RangeEmpty = 20,
    /// <summary>A range's base or size is not a multiple of the granule. Subject: range index.</summary>
    RangeUnaligned = 21,
    /// <summary>base + size overflows 64 bits (size &gt; 2^64 - 1 - base). Subject: range index.</summary>
    RangeWraps = 22,
    /// <summary>A range does not lie entirely inside one RAM region. Subject: range index.</summary>
    RangeOutsideRam = 23,
    /// <summary>A range overlaps a reserved region (slicevisor, slice table, firmware). HolderRegion: the region.</summary>
    RangeOverlapsReserved = 24,
    /// <summary>A range overlaps the control slice's memory. HolderRegion: the control range.</summary>
    RangeOverlapsControl = 25,
    /// <summary>A range overlaps an earlier range of the same request. HolderRegion: the earlier range's index.</summary>
    RangeOverlapsRequest = 26,
    /// <summary>A range overlaps memory owned by another slice. Holder: that slot.</summary>
    RangeInUse = 27,
    /// <summary>
    /// A range's effective permission (RWX when the request gave none) is None, has bits
    /// outside Read|Write|Execute, or grants Write without Read (W or WX: reserved by RISC-V PMP,
    /// so no port programs it). Checked per range after RangeInUse. Subject: range index.
    /// </summary>
    RangePermissionsInvalid = 28,

    // ---- CreateSlice: each device, in request order ----
    /// <summary>A device index is negative or not below the machine's device count. Subject: the index.</summary>
    DeviceOutOfRange = 30,
    /// <summary>A device appears twice in the request. Subject: the device.</summary>
    DeviceDuplicated = 31,
    /// <summary>A device is owned by another slice. Subject: the device; Holder: that slot.</summary>
    DeviceInUse = 32,

    // ---- CreateSlice: cache ways, then the entry point ----
    // A way is named by the subject 64 * domain + way (domain 0's way w is w, as before domains).
    // Order: each DomainWays entry (100, 101); WaysEmpty; each domain holding requested ways, lowest
    // first (41, 102, 42, 104, 105, 106); each domain of the slice's cores, lowest first (103).
    /// <summary>The request names no way in any domain.</summary>
    WaysEmpty = 40,
    /// <summary>A mask names a way not below its domain's way count. Subject: the lowest such way (64 * domain + way).</summary>
    WaysOutOfRange = 41,
    /// <summary>A way is the control slice's or another slice's (exclusivity is per domain). Subject: the lowest such way (64 * domain + way); Holder: its owner.</summary>
    WaysInUse = 42,
    /// <summary>The entry point is not inside any of the request's private ranges. Subject: -1.</summary>
    EntryOutsideMemory = 43,
    /// <summary>The private range holding the entry point lacks Execute: the guest could not run its first instruction. Subject: -1.</summary>
    EntryNotExecutable = 45,
    /// <summary>
    /// On a PMP machine: the slice's private ranges and windows (each with its permissions)
    /// and msip words need more PMP entries (the locked deny-all included) than a hart has.
    /// Checked last, after EntryNotExecutable. Subject: the entries needed.
    /// </summary>
    PmpEntriesExceeded = 44,

    // ---- Operations on an existing slot ----
    /// <summary>The slot number is not 1..capacity. Subject: the number.</summary>
    SlotOutOfRange = 50,
    /// <summary>The slot is not in the state the operation needs. Subject: the state it is in.</summary>
    WrongState = 51,
    /// <summary>LoadImage: [address, address + length) is not inside one range of the slice.</summary>
    ImageOutsideMemory = 52,

    // ---- Hardware faults reported part-way (the slot is then quarantined in Destroying) ----
    /// <summary>A core did not come back from a secure reset. Subject: the core.</summary>
    CoreResetFault = 60,
    /// <summary>A device's IOMMU window could not be set or closed. Subject: the device.</summary>
    IommuFault = 61,
    /// <summary>The sliceloader read back registers that differ from the slice-table entry; it halted the core. Subject: the core.</summary>
    LoaderFault = 62,
    /// <summary>
    /// Attest: the hardware key derivation gave no usable signing key, or signing failed.
    /// No report was written and nothing changed but the log. Subject: -1.
    /// </summary>
    AttestationKeyFault = 63,

    // ---- Decision log and attestation (stable numbers from 70) ----
    /// <summary>
    /// The decision log is full: the request was refused without being executed
    /// (state unchanged) and counted, until the manager drains the log with
    /// <c>DrainLog</c>. Nothing is ever dropped from the log. Subject: the log's capacity.
    /// </summary>
    LogFull = 70,
    /// <summary>Attest: the nonce (report data) is not exactly 64 bytes. Subject: the length given.</summary>
    NonceLength = 71,
    /// <summary>Attest or DrainLog: the caller's output buffer is too small. Subject: the bytes needed.</summary>
    BufferTooSmall = 72,
    /// <summary>Guest mailbox: the calling core is not a core of a Running slice. Subject: the core.</summary>
    NotGuestCore = 73,

    // ---- CreateSlice: each window, in request order (after the private ranges, before the devices) ----
    /// <summary>A window has size 0. Subject: the window's index in the request.</summary>
    WindowEmpty = 80,
    /// <summary>A window's base or size is not a multiple of the granule. Subject: window index.</summary>
    WindowUnaligned = 81,
    /// <summary>base + size overflows 64 bits (size &gt; 2^64 - 1 - base). Subject: window index.</summary>
    WindowWraps = 82,
    /// <summary>
    /// A window's permission is not exactly Read or Read|Write (never Execute, never
    /// write-only, never None). Subject: window index.
    /// </summary>
    WindowPermissionsInvalid = 83,
    /// <summary>
    /// Some byte of a window is not in the control slice's memory (the windows share control
    /// memory, nothing else). Subject: window index; no holder.
    /// </summary>
    WindowOutsideControl = 84,
    /// <summary>
    /// A window overlaps an earlier window of the same request. Subject: window index;
    /// HolderRegion: the earlier window's index; the conflict interval is the overlap.
    /// </summary>
    WindowOverlapsRequest = 85,
    /// <summary>
    /// A window overlaps a window held by another slice (a byte of control memory is shared
    /// with one guest at most). Subject: window index; Holder: that slot; the conflict
    /// interval is the overlap with its lowest such window.
    /// </summary>
    WindowInUse = 86,

    // ---- CreateSlice: each DMA range, in request order (after the devices, before the ways) ----
    /// <summary>A DMA range names a device that is not one of the request's devices. Subject: DMA range index.</summary>
    DmaDeviceNotInRequest = 90,
    /// <summary>A DMA range has size 0. Subject: DMA range index.</summary>
    DmaRangeEmpty = 91,
    /// <summary>A DMA range's base or size is not a multiple of the granule. Subject: DMA range index.</summary>
    DmaRangeUnaligned = 92,
    /// <summary>base + size overflows 64 bits. Subject: DMA range index.</summary>
    DmaRangeWraps = 93,
    /// <summary>A DMA range's permission is not Read, Write or Read|Write (devices never execute). Subject: DMA range index.</summary>
    DmaPermissionsInvalid = 94,
    /// <summary>
    /// A DMA range does not lie inside one private range or one window of the request (a device
    /// reaches its own slice's memory and windows only). Subject: DMA range index.
    /// </summary>
    DmaRangeOutsideSlice = 95,
    /// <summary>
    /// A DMA range grants more than the private range or window holding it (a device may not
    /// write where the guest may only read). Subject: DMA range index; HolderRegion: the
    /// holding range's index (private ranges 0.., windows after them, as range registers).
    /// </summary>
    DmaPermissionsExceedRange = 96,

    // ---- CreateSlice: cache domains (checked with the ways, in the order given there) ----
    /// <summary>A DomainWays entry names no cache domain of the machine. Subject: the entry's index.</summary>
    WaysDomainOutOfRange = 100,
    /// <summary>A domain's ways are given twice (two entries, or an entry for domain 0 beside a non-zero Ways). Subject: the domain.</summary>
    WaysDomainDuplicated = 101,
    /// <summary>Ways in a domain where the slice has no core: no core of it could use them. Subject: the lowest such way (64 * domain + way).</summary>
    WaysForeignDomain = 102,
    /// <summary>The slice has a core in a domain but no way there: that core would run with an empty way mask. Subject: the domain.</summary>
    WaysMissingInDomain = 103,
    /// <summary>CAT: the domain wants one run of adjacent ways and the mask is not. Subject: the mask's lowest way (64 * domain + way).</summary>
    WaysNotContiguous = 104,
    /// <summary>CAT: the mask has fewer ways than the domain's minimum width. Subject: the mask's lowest way (64 * domain + way).</summary>
    WaysTooNarrow = 105,
    /// <summary>CAT: every class of service of the domain is taken (the control slice's and the live slices'). Subject: the domain.</summary>
    ClassesOfServiceExhausted = 106,
}
