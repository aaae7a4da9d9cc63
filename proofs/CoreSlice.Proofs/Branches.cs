using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// Every branch of every operation has a successor. The branches of an operation X are read from the
/// spec, not listed by hand: every error constant (<c>SliceError.*</c>, <c>Refused</c>) that X_err or
/// X_pre can reach through the define-funs they call (faults are arguments X_pre constrains). For each
/// branch a concrete witness (state, arguments) is taken from <see cref="Table"/>; the obligation
/// <c>successor/X/code</c> proves, on ground terms, that the witness takes that branch and that the
/// post-state <see cref="Successor"/> builds from X's own definition satisfies X. A contradictory effect
/// has no such post-state, so the obligation fails naming X and the branch; a branch the spec gains
/// without a witness fails as "no witness", so a new branch cannot go unchecked.
/// </summary>
public static class Branches
{
    /// <summary>
    /// wF: w0 with slot 3 Created and holding nothing (the table is full: no Free slot).
    /// wL: w0 with the decision log full (15 of 16 entries: only the drain's reserved entry is left).
    /// wLL: w0 with the log at capacity (a refused drain's record took the reserved entry).
    /// wU: w0 with the guest core 1 unlocked: NOT a state satisfying Inv (I3 locks every guest core); the one
    /// place where the hardware's "an unlocked running core writes its own registers" branch is taken.
    /// </summary>
    public static readonly string MoreStates =
        Witnesses.Define("wF", "w0", ("st", "(store (st w0) #x0003 #b01)"))
        + Witnesses.Define("wL", "w0", ("logN", Witnesses.Cnt(15)), ("logSeq", Witnesses.Cnt(17)))
        + Witnesses.Define("wLL", "w0", ("logN", Witnesses.Cnt(16)), ("logSeq", Witnesses.Cnt(18)))
        + Witnesses.Define("wU", "w0", ("locked", "(store (locked w0) #x0001 false)"));

    private const string K4 = "#x0000000000004000";
    private const string G4 = "#x0000000000001000";
    private const string NoDevs = "((as const (Array Dev Bool)) false)";

    /// <summary>
    /// A create request; defaults: core 3 (cache domain 1), range [16K, 20K), no device, ways 65 and 66 (domain 1's
    /// ways 1 and 2, by one DomainWays entry; Ways empty), entry 16K, slot 3, every item passing, one class of
    /// service in use in each domain (the control slice's).
    /// </summary>
    private static string Create(string nc = "#x0001", string cores = "((as const (Array Idx Core)) #x0003)",
        string nr = "#x0001", string bases = $"((as const (Array Idx Addr)) {K4})", string sizes = $"((as const (Array Idx Addr)) {G4})",
        string nd = "#x0000", string devs = "((as const (Array Idx Dev)) #x0000)", string ways = "#x0000000000000000",
        string entry = K4, string slot = "#x0003", string? kc = null, string? kr = null, string? kd = null,
        string np = "#x0000", string perms = "zeroPerms", string nw = "#x0000", string wbase = G4, string wsize = G4,
        string wperm = "#b011", string? kw = null, string ndma = "#x0000", string dmaDev = "#x0000", string dmaBase = K4,
        string dmaSize = G4, string dmaPerm = "#b011", string? kdma = null,
        string cidx = "((as const (Array Core Idx)) #x0000)", string ndw = "#x0001", string dwDom = "#x0001", string dwMask = "#x0000000000000006",
        string? kdw = null, string dany = "#x0001", string kdom = "#x0002", string dcore = "((as const (Array Way Idx)) #x0000)",
        string duse = "#x0000", string? kmiss = null, string cls = "#x0001") =>
        $"(mk-create-args {nc} {cores} {nr} {bases} {sizes} {nd} {devs} {ways} {entry} {slot} {kc ?? nc} {kr ?? nr} {kd ?? nd} " +
        $"{cidx} ((as const (Array Dev Idx)) #x0000) ((as const (Array Addr Idx)) #x0000) " +
        $"{np} {perms} {nw} ((as const (Array Idx Addr)) {wbase}) ((as const (Array Idx Addr)) {wsize}) ((as const (Array Idx Perm)) {wperm}) " +
        $"{kw ?? nw} ((as const (Array Addr Idx)) #x0000) " +
        $"{ndma} ((as const (Array Idx Dev)) {dmaDev}) ((as const (Array Idx Addr)) {dmaBase}) ((as const (Array Idx Addr)) {dmaSize}) " +
        $"((as const (Array Idx Perm)) {dmaPerm}) {kdma ?? ndma} " +
        $"{ndw} ((as const (Array Idx Way)) {dwDom}) ((as const (Array Idx (_ BitVec 64))) {dwMask}) {kdw ?? ndw} ((as const (Array Way Idx)) #x0000) " +
        $"{dany} {kdom} {dcore} ((as const (Array Way Way)) {duse}) {kmiss ?? nc} ((as const (Array Way Way)) {cls}))";

    // a request whose cores are not core 3 (all in cache domain 0), asking for way 3 of domain 0: it passes every ways check, so
    // only its core check can refuse it (a spec that forgets that check lets it through: create-without-core-in-use-check)
    private static string CreateCores(string cores, string? kc = "#x0000", string nc = "#x0001") =>
        Create(nc: nc, cores: cores, kc: kc, ways: "#x0000000000000008", ndw: "#x0000", dany: "#x0000", kdom: nc == "#x0000" ? "#x0000" : "#x0002");

    // cores 1 (domain 0) and 3 (domain 1), on w4 (core 1 free), as slot 1
    private static string CreateTwoDomains(string ways) =>
        Create(nc: "#x0002", cores: "(store ((as const (Array Idx Core)) #x0003) #x0000 #x0001)", slot: "#x0001",
            cidx: "(store (store ((as const (Array Core Idx)) #x0000) #x0001 #x0000) #x0003 #x0001)",
            dcore: "(store ((as const (Array Way Idx)) #x0000) #x0001 #x0001)", ways: ways,
            kmiss: ways == "#x0000000000000000" ? "#x0000" : null);

    // slot 1 of w4 with device 0 and DMA rows (all alike); defaults: one row, device 0 on [16K,20K) read-write
    private static string Dma(string ndma = "#x0001", string dmaDev = "#x0000", string dmaBase = K4, string dmaSize = G4,
        string dmaPerm = "#b011", string? kdma = null, string np = "#x0000", string perms = "zeroPerms") =>
        Create(nd: "#x0001", slot: "#x0001", np: np, perms: perms, ndma: ndma, dmaDev: dmaDev, dmaBase: dmaBase, dmaSize: dmaSize,
            dmaPerm: dmaPerm, kdma: kdma);

    // a request with one window, whose one fault is that window
    private static string CreateWindow(string b, string z, string perm = "#b011", string kw = "#x0000", string nw = "#x0001") =>
        Create(nw: nw, wbase: b, wsize: z, wperm: perm, kw: kw);

    private static string Range(string b, string z) => $"((as const (Array Idx Addr)) {b})\t((as const (Array Idx Addr)) {z})";

    // a request whose one fault is its range (the entry point at the range's base)
    private static string CreateRange(string b, string z)
    {
        string[] r = Range(b, z).Split('\t');
        return Create(bases: r[0], sizes: r[1], entry: b, kr: "#x0000");
    }

    private static string Start(string slot, string fault, string fcore = "#x0000", string fdev = "#x0000") =>
        $"(mk-start-args {slot} {fault} {fcore} {fdev} noCores {NoDevs})";

    private static string Destroy(string slot, string fault, string fcore = "#x0000", string fdev = "#x0000") =>
        $"(mk-destroy-args {slot} {fault} {fcore} {fdev} noCores {NoDevs})";

    /// <summary>A witness of one branch: operation, code (SliceError name or Refused), state, arguments, what it is.</summary>
    public sealed record Witness(string Op, string Code, string State, string Args, string Why);

    /// <summary>The witnesses. Several may share a branch (e.g. a read and a write that both succeed).</summary>
    public static readonly IReadOnlyList<Witness> Table =
    [
        new("CreateSlice", "None", "w0", Create(), "slot 3 takes the free core 3, [16K,20K) and way 3"),
        new("CreateSlice", "None", "w4", Create(nd: "#x0001", slot: "#x0001"), "slot 1 takes core 3, [16K,20K), device 0 and way 3"),
        new("CreateSlice", "None", "w0", CreateWindow(G4, G4, kw: "#x0001"), "slot 3 takes core 3, [16K,20K) and way 3, and shares the control page [4K,8K) read-write"),
        new("CreateSlice", "None", "w0", Create(np: "#x0001", perms: "((as const (Array Idx Perm)) #b101)"), "slot 3 takes [16K,20K) read-execute"),
        new("CreateSlice", "PermissionsCountMismatch", "w0", Create(np: "#x0002", perms: "((as const (Array Idx Perm)) #b101)"), "two permissions for one range"),
        new("CreateSlice", "RangePermissionsInvalid", "w0", Create(np: "#x0001", kr: "#x0000"), "a range with no permission"),
        new("CreateSlice", "RangePermissionsInvalid", "w0", Create(np: "#x0001", perms: "((as const (Array Idx Perm)) #b110)", kr: "#x0000"), "a write-execute range (write without read)"),
        new("CreateSlice", "EntryNotExecutable", "w0", Create(np: "#x0001", perms: "((as const (Array Idx Perm)) #b011)"), "the entry point in a read-write range"),
        new("CreateSlice", "TooManyRanges", "w0", CreateWindow(G4, G4, nw: "#x0003", kw: "#x0001"), "1 range and 3 windows (the same page), 3 range registers"),
        new("CreateSlice", "WindowOverlapsRequest", "w0", CreateWindow(G4, G4, nw: "#x0002", kw: "#x0001"), "the control page [4K,8K) shared twice"),
        new("CreateSlice", "WindowEmpty", "w0", CreateWindow(G4, "#x0000000000000000"), "an empty window"),
        new("CreateSlice", "WindowUnaligned", "w0", CreateWindow("#x0000000000001001", G4), "a window at 4K+1"),
        new("CreateSlice", "WindowWraps", "w0", CreateWindow("#xfffffffffffff000", "#x0000000000002000"), "[2^64-4K, +8K) wraps"),
        new("CreateSlice", "WindowPermissionsInvalid", "w0", CreateWindow(G4, G4, perm: "#b111"), "an executable window"),
        new("CreateSlice", "WindowOutsideControl", "w0", CreateWindow(K4, G4), "a window on [16K,20K), not control memory"),
        new("CreateSlice", "WindowInUse", "wW", CreateWindow(G4, G4), "the control page [4K,8K) is slot 1's window already"),
        new("CreateSlice", "TableFull", "wF", Create(slot: "#x0000"), "every slot is in use"),
        new("CreateSlice", "NoCores", "w0", CreateCores("((as const (Array Idx Core)) #x0003)", kc: null, nc: "#x0000"), "no core"),
        new("CreateSlice", "TooManyCores", "w0", Create(nc: "#x0005", kc: "#x0001"), "5 cores on a 4-core machine"),
        new("CreateSlice", "NoMemory", "w0", Create(nr: "#x0000"), "no range"),
        new("CreateSlice", "TooManyRanges", "w0", Create(nr: "#x0004", kr: "#x0001"), "4 ranges, 3 range registers"),
        new("CreateSlice", "TooManyDevices", "w0", Create(nd: "#x0003", kd: "#x0000"), "3 devices on a 2-device machine"),
        new("CreateSlice", "CoreOutOfRange", "w0", CreateCores("((as const (Array Idx Core)) #x0004)"), "core 4"),
        new("CreateSlice", "CoreReservedForControl", "w0", CreateCores("((as const (Array Idx Core)) #x0000)"), "the control core 0"),
        new("CreateSlice", "CoreDuplicated", "w0", Create(nc: "#x0002", kc: "#x0001"), "core 3 twice"),
        new("CreateSlice", "CoreInUse", "w0", CreateCores("((as const (Array Idx Core)) #x0001)"), "slot 1's core 1"),
        new("CreateSlice", "RangeEmpty", "w0", CreateRange(K4, "#x0000000000000000"), "an empty range"),
        new("CreateSlice", "RangeUnaligned", "w0", CreateRange("#x0000000000004001", G4), "a range at 16K+1"),
        new("CreateSlice", "RangeWraps", "w0", CreateRange("#xfffffffffffff000", "#x0000000000002000"), "[2^64-4K, +8K) wraps"),
        new("CreateSlice", "RangeOutsideRam", "w0", CreateRange("#x0000000000010000", G4), "[64K, 68K) past the RAM"),
        new("CreateSlice", "RangeOverlapsReserved", "w0", CreateRange("#x0000000000000000", G4), "[0, 4K) is reserved"),
        new("CreateSlice", "RangeOverlapsControl", "w0", CreateRange(G4, G4), "[4K, 8K) is control memory"),
        new("CreateSlice", "RangeOverlapsRequest", "w0", Create(nr: "#x0002", kr: "#x0001"), "[16K,20K) twice"),
        new("CreateSlice", "RangeInUse", "w0", CreateRange("#x0000000000002000", G4), "[8K, 12K) is slot 1's"),
        new("CreateSlice", "DeviceOutOfRange", "w0", Create(nd: "#x0001", devs: "((as const (Array Idx Dev)) #x0002)", kd: "#x0000"), "device 2"),
        new("CreateSlice", "DeviceDuplicated", "w4", Create(nd: "#x0002", slot: "#x0001", kd: "#x0001"), "the free device 0 twice"),
        new("CreateSlice", "DeviceInUse", "w0", Create(nd: "#x0001", kd: "#x0000"), "slot 1's device 0"),
        new("CreateSlice", "None", "w4", Dma(), "slot 1 takes device 0, which reaches [16K,20K) read-write"),
        new("CreateSlice", "TooManyDmaRanges", "w4", Dma(ndma: "#x0041"), "65 DMA ranges, 64 the most"),
        new("CreateSlice", "DmaDeviceNotInRequest", "w4", Dma(dmaDev: "#x0001", kdma: "#x0000"), "a DMA range for device 1, not requested"),
        new("CreateSlice", "DmaRangeEmpty", "w4", Dma(dmaSize: "#x0000000000000000", kdma: "#x0000"), "an empty DMA range"),
        new("CreateSlice", "DmaRangeUnaligned", "w4", Dma(dmaBase: "#x0000000000004001", kdma: "#x0000"), "a DMA range at 16K+1"),
        new("CreateSlice", "DmaRangeWraps", "w4", Dma(dmaBase: "#xfffffffffffff000", dmaSize: "#x0000000000002000", kdma: "#x0000"), "[2^64-4K, +8K) wraps"),
        new("CreateSlice", "DmaPermissionsInvalid", "w4", Dma(dmaPerm: "#b100", kdma: "#x0000"), "a device that may execute"),
        new("CreateSlice", "DmaRangeOutsideSlice", "w4", Dma(dmaBase: "#x0000000000005000", kdma: "#x0000"), "[20K, 24K), outside the slice's [16K,20K)"),
        new("CreateSlice", "DmaPermissionsExceedRange", "w4", Dma(np: "#x0001", perms: "((as const (Array Idx Perm)) #b101)", kdma: "#x0000"), "device 0 writes the read-execute range [16K,20K)"),
        new("CreateSlice", "WaysEmpty", "w0", Create(ndw: "#x0000", kmiss: "#x0000"), "no way"),
        new("CreateSlice", "TooManyWayDomains", "w0", Create(ndw: "#x0003", kdw: "#x0001"), "three DomainWays entries on a machine of two cache domains"),
        new("CreateSlice", "WaysDomainOutOfRange", "w0", Create(dwDom: "#x0002", kdw: "#x0000", kmiss: "#x0000"), "ways of cache domain 2 on a machine of two"),
        new("CreateSlice", "WaysDomainDuplicated", "w0", Create(ndw: "#x0002", kdw: "#x0001"), "domain 1's ways given twice"),
        new("CreateSlice", "WaysOutOfRange", "w0", Create(dwMask: "#x0000000000000016", kdom: "#x0001"), "domain 1's way 4 (way 68) on 4-way domains"),
        new("CreateSlice", "WaysForeignDomain", "w0", Create(ways: "#x0000000000000008", dany: "#x0000", kdom: "#x0000"),
            "way 3 of domain 0 and ways 65, 66 of domain 1 for core 3, of domain 1 (only domain 0's ways are foreign)"),
        new("CreateSlice", "WaysInUse", "w0", Create(dwMask: "#x0000000000000003", kdom: "#x0001"), "way 64, the control slice's in domain 1"),
        new("CreateSlice", "WaysNotContiguous", "w0", Create(dwMask: "#x000000000000000a", kdom: "#x0001"), "ways 65 and 67 where domain 1 wants contiguous masks"),
        new("CreateSlice", "WaysTooNarrow", "w0", Create(dwMask: "#x0000000000000002", kdom: "#x0001"), "way 65 alone where domain 1 wants at least 2"),
        new("CreateSlice", "ClassesOfServiceExhausted", "w0", Create(kdom: "#x0001", cls: "#x0004"), "domain 1's 4 classes of service in use"),
        new("CreateSlice", "WaysMissingInDomain", "w4", CreateTwoDomains("#x0000000000000000"), "cores 1 (domain 0) and 3 (domain 1), ways only in domain 1"),
        new("CreateSlice", "None", "w4", CreateTwoDomains("#x0000000000000008"), "slot 1 takes core 1 with way 3 (domain 0) and core 3 with ways 65, 66 (domain 1)"),
        new("CreateSlice", "EntryOutsideMemory", "w0", Create(entry: "#x0000000000008000"), "entry 32K outside [16K, 20K)"),
        new("CreateSlice", "LogFull", "wL", Create(), "a valid request while the log is full: refused unexecuted"),
        new("LoadImage", "LogFull", "wL", "(mk-load-args #x0002 #x0000000000003000 #x0000000000000100 #x0000)", "a load while the log is full"),
        new("StartSlice", "LogFull", "wL", Start("#x0003", "#x00"), "a start while the log is full"),
        new("DestroySlice", "LogFull", "wL", Destroy("#x0001", "#x00"), "slot 1's destroy while the log is full: nothing is reset"),
        new("Attest", "None", "w0", "(mk-attest-args #x0001 true true true)", "a report of the Running slot 1"),
        new("Attest", "None", "w1", "(mk-attest-args #x0002 true true true)", "a report of the Created slot 2"),
        new("Attest", "LogFull", "wL", "(mk-attest-args #x0001 true true true)", "a report while the log is full"),
        new("Attest", "SlotOutOfRange", "w0", "(mk-attest-args #x0000 true true true)", "slot 0 (the control slice)"),
        new("Attest", "WrongState", "w0", "(mk-attest-args #x0003 true true true)", "the Free slot 3"),
        new("Attest", "NonceLength", "w0", "(mk-attest-args #x0001 false true true)", "a nonce of the wrong length"),
        new("Attest", "BufferTooSmall", "w0", "(mk-attest-args #x0001 true false true)", "a report buffer too small"),
        new("Attest", "AttestationKeyFault", "w0", "(mk-attest-args #x0001 true true false)", "the hardware gives no usable key"),
        new("GuestAttest", "None", "w0", "(mk-guest-attest-args #x0001 true true true)", "core 1 asks for its Running slot 1's report"),
        new("GuestAttest", "None", "wL", "(mk-guest-attest-args #x0001 true true true)", "core 1 asks while the log is full: answered, not recorded, counted"),
        new("GuestAttest", "NotGuestCore", "w0", "(mk-guest-attest-args #x0003 true true true)", "the Free core 3 asks"),
        new("GuestAttest", "NotGuestCore", "w0", "(mk-guest-attest-args #x0000 true true true)", "the control core 0 asks"),
        new("GuestAttest", "NotGuestCore", "w1", "(mk-guest-attest-args #x0002 true true true)", "core 2 of the only Created slot 2 asks"),
        new("GuestAttest", "NonceLength", "w0", "(mk-guest-attest-args #x0001 false true true)", "a nonce of the wrong length"),
        new("GuestAttest", "BufferTooSmall", "w0", "(mk-guest-attest-args #x0001 true false true)", "a report buffer too small"),
        new("GuestAttest", "AttestationKeyFault", "w0", "(mk-guest-attest-args #x0001 true true false)", "the hardware gives no usable key"),
        new("DrainLog", "None", "w0", "(mk-drain-args #x0000000000000002)", "room for 2 of the 3 entries held"),
        new("DrainLog", "None", "w0", "(mk-drain-args #x0000000000000009)", "room for more than the 3 entries held"),
        new("DrainLog", "BufferTooSmall", "w0", "(mk-drain-args #x0000000000000000)", "no room: the refusal is recorded"),
        new("DrainLog", "BufferTooSmall", "wLL", "(mk-drain-args #x0000000000000000)", "no room, and the log at capacity: refused, counted"),
        new("LoadImage", "None", "w1", "(mk-load-args #x0002 #x0000000000003000 #x0000000000000100 #x0000)", "256 bytes into the Created slot 2"),
        new("LoadImage", "SlotOutOfRange", "w1", "(mk-load-args #x0004 #x0000000000003000 #x0000000000000100 #x0000)", "slot 4 of 3"),
        new("LoadImage", "WrongState", "w0", "(mk-load-args #x0001 #x0000000000002000 #x0000000000000100 #x0000)", "slot 1 is Running"),
        new("LoadImage", "ImageOutsideMemory", "w2", "(mk-load-args #x0002 #x0000000000002000 #x0000000000000100 #x0001)", "an image in slot 1's memory, where slot 2's stale range 1 (past its count) points"),
        new("LoadImage", "ImageOutsideMemory", "w1", "(mk-load-args #x0002 #x0000000000003f00 #x0000000000000200 #x0000)", "[16K-256, 16K+256) runs past slot 2's range"),
        new("StartSlice", "None", "w1", Start("#x0002", "#x00"), "slot 2 starts"),
        new("StartSlice", "SlotOutOfRange", "w1", Start("#x0000", "#x00"), "slot 0 (the control slice)"),
        new("StartSlice", "WrongState", "w1", Start("#x0001", "#x00"), "slot 1 is Running"),
        new("StartSlice", "IommuFault", "w1", Start("#x0002", "#x3d", fdev: "#x0001"), "device 1's IOMMU programming faults"),
        new("StartSlice", "CoreResetFault", "w1", Start("#x0002", "#x3c", fcore: "#x0002"), "core 2 does not come back from reset"),
        new("StartSlice", "LoaderFault", "w1", Start("#x0002", "#x3e", fcore: "#x0002"), "core 2's readback mismatches"),
        new("DestroySlice", "None", "w0", Destroy("#x0001", "#x00"), "slot 1 is destroyed"),
        new("DestroySlice", "SlotOutOfRange", "w0", Destroy("#x0004", "#x00"), "slot 4 of 3"),
        new("DestroySlice", "WrongState", "w0", Destroy("#x0003", "#x00"), "slot 3 is Free"),
        new("DestroySlice", "IommuFault", "w0", Destroy("#x0001", "#x3d", fdev: "#x0000"), "closing device 0's window faults"),
        new("DestroySlice", "CoreResetFault", "w0", Destroy("#x0001", "#x3c", fcore: "#x0001"), "core 1 does not come back from reset"),
        new("GuestAccess", "None", "w0", "(mk-access-args #x0001 #x0000 #x0000000000002010 #b010)", "core 1 stores to its own memory (8K+16, last written by no one)"),
        new("GuestAccess", "None", "w0", "(mk-access-args #x0001 #x0000 #x0000000000002ff8 #b100)", "core 1 fetches from the top of its memory"),
        new("GuestAccess", "Refused", "w0", "(mk-access-args #x0001 #x0000 #x0000000000003000 #b001)", "core 1 loads one past its memory (slot 2's)"),
        new("GuestDma", "None", "w0", "(mk-dma-args #x0000 #x0000 #x0000000000002008 true)", "device 0 writes its slot's memory"),
        new("GuestDma", "Refused", "w0", "(mk-dma-args #x0000 #x0000 #x0000000000001000 true)", "device 0 writes control memory"),
        new("GuestIpi", "None", "w0", "(mk-ipi-args #x0001 #x0001)", "core 1 interrupts itself"),
        new("GuestIpi", "Refused", "w0", "(mk-ipi-args #x0001 #x0002)", "core 1 interrupts slot 2's core"),
        new("GuestWriteFilter", "None", "wU", "(mk-filter-args #x0001 #b00 #x0000 #x0000000000000000 #x0000000000001000 #b111 noCores noWays)", "the guest core 1, unlocked (wU: not an Inv state), writes a range register"),
        new("GuestWriteFilter", "Refused", "w0", "(mk-filter-args #x0003 #b00 #x0000 #x0000000000000000 #x0000000000001000 #b111 noCores noWays)", "the Idle core 3 (runs no software) writes a range register"),
        new("GuestWriteFilter", "Refused", "w0", "(mk-filter-args #x0001 #b00 #x0000 #x0000000000000000 #x0000000000001000 #b111 noCores noWays)", "the locked core 1 writes a range register"),
        new("GuestResetRequest", "Refused", "w0", "(mk-reset-args #x0001 #x0002)", "core 1 asks to reset core 2"),
        new("ControlStore", "None", "w0", "(mk-control-args #x0000000000001008)", "the manager stores to control memory"),
        new("ControlStore", "Refused", "w0", "(mk-control-args #x0000000000002000)", "the manager stores to slot 1's memory"),
    ];

    /// <summary>The branch codes of <paramref name="op"/>, read from the spec (error constants X_err and X_pre reach).</summary>
    public static IReadOnlyList<string> Codes(IReadOnlyDictionary<string, Sx> defs, string op)
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var work = new Stack<string>([$"{op}_err", $"{op}_pre"]);
        while (work.Count > 0)
        {
            string f = work.Pop();
            if (!seen.Add(f) || !defs.TryGetValue(f, out Sx? body))
            {
                continue;
            }
            foreach (string atom in Atoms(body))
            {
                if (atom == "Refused")
                {
                    codes.Add("Refused");
                }
                else if (atom.StartsWith("SliceError.", StringComparison.Ordinal))
                {
                    codes.Add(atom["SliceError.".Length..]);
                }
                else if (defs.ContainsKey(atom) && !seen.Contains(atom))
                {
                    work.Push(atom);
                }
            }
        }
        return [.. codes];
    }

    private static IEnumerable<string> Atoms(Sx e)
    {
        if (e.Atom is not null)
        {
            yield return e.Atom;
            yield break;
        }
        foreach (Sx x in e.Items)
        {
            foreach (string a in Atoms(x))
            {
                yield return a;
            }
        }
    }

    /// <summary>Every define-fun, whole, by name.</summary>
    public static Dictionary<string, Sx> Signatures(string text)
    {
        var defs = new Dictionary<string, Sx>(StringComparer.Ordinal);
        foreach (Sx top in Sx.ParseAll(text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom is { } n)
            {
                defs[n] = top;
            }
        }
        return defs;
    }

    /// <summary>Every define-fun's body, by name.</summary>
    public static Dictionary<string, Sx> Definitions(string text)
    {
        var defs = new Dictionary<string, Sx>(StringComparer.Ordinal);
        foreach (Sx top in Sx.ParseAll(text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom is { } n)
            {
                defs[n] = top.Items[4];
            }
        }
        return defs;
    }

    /// <summary>The successor obligations, and failed results for branches without a witness (or witnesses of no branch).</summary>
    public static (List<Obligation> Obligations, List<ObligationResult> Missing) Generate(Spec spec)
    {
        var obligations = new List<Obligation>();
        var missing = new List<ObligationResult>();
        Dictionary<string, Sx> defs = Definitions(spec.Text);
        var successor = new Successor(spec.Text);
        string prelude = Witnesses.Machine + Witnesses.States + WitnessSearch.MoreStates + MoreStates;
        foreach (SpecOperation op in spec.Operations)
        {
            IReadOnlyList<string> codes = Codes(defs, op.Name);
            foreach (string code in codes)
            {
                if (!Table.Any(w => w.Op == op.Name && w.Code == code))
                {
                    missing.Add(new ObligationResult($"successor/{op.Name}/{code}", ObligationStatus.Failed, 0,
                        $"successor/{op.Name}/{code} FAILED: {op.Name} can return {code} (its {op.Name}_err/_pre reach it), " +
                        "but no witness of that branch exists, so nothing shows the branch has a successor (add one to Branches.Table)", null));
                }
            }
            var n = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (Witness w in Table.Where(w => w.Op == op.Name))
            {
                n[w.Code] = n.GetValueOrDefault(w.Code) + 1;
                string name = $"successor/{op.Name}/{w.Code}" + (Table.Count(x => x.Op == w.Op && x.Code == w.Code) > 1 ? $"#{n[w.Code]}" : string.Empty);
                if (!codes.Contains(w.Code))
                {
                    missing.Add(new ObligationResult(name, ObligationStatus.Failed, 0,
                        $"{name} FAILED: the witness \"{w.Why}\" is for a branch {w.Code} that {op.Name} no longer has", null));
                    continue;
                }
                string? candidate = successor.Candidate(op.Name, w.State, "w.args");
                if (candidate is null)
                {
                    missing.Add(new ObligationResult(name, ObligationStatus.Failed, 0,
                        $"{name} FAILED: no post-state could be read from {op.Name}'s definition", null));
                    continue;
                }
                string err = w.Code == "Refused" ? "Refused" : "SliceError." + w.Code;
                var q = new StringBuilder(prelude);
                q.Append($"(define-fun w.args () {op.ArgsSort} {w.Args})\n");
                q.Append($"(define-fun w.post () State {candidate})\n");
                var explain = new List<(string, string)>
                {
                    ("arguments meet the precondition", $"succ.pre"),
                    ("returns", $"succ.err"),
                };
                q.Append($"(declare-const succ.pre Bool)(assert (= succ.pre ({op.Name}_pre {w.State} w.args)))\n(declare-const succ.err Err)(assert (= succ.err ({op.Name}_err {w.State} w.args)))\n");
                int k = 0;
                foreach ((string term, string text) in successor.Leaves(op.Name, w.State, "w.args", "w.post"))
                {
                    q.Append($"(declare-const succ.e{k} Bool)(assert (= succ.e{k} {term}))\n");
                    explain.Add(("unmet: " + text, $"succ.e{k}"));
                    k++;
                }
                q.Append($"(assert (not (and ({op.Name}_pre {w.State} w.args) (= ({op.Name}_err {w.State} w.args) {err}) ({op.Name} {w.State} w.args w.post))))\n");
                obligations.Add(new Obligation
                {
                    Name = name,
                    Expect = Expect.Unsat,
                    Query = q.ToString(),
                    Meaning = $"{op.Name} takes its {w.Code} branch from witness {w.State} ({w.Why}) and has a successor there " +
                              $"(the post-state built from {op.Name}'s own definition satisfies {op.Name}); otherwise the branch's effect is contradictory",
                    Explain = explain,
                });
            }
        }
        return (obligations, missing);
    }
}
