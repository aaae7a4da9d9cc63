using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using CoreSlice.Hardware;
using CoreSlice.Simulation;

namespace CoreSlice.Harness.Model;

/// <summary>A filter range register as the model holds it (Perms: bit 0 R, 1 W, 2 X).</summary>
public readonly record struct ModelRegister(ulong Base, ulong Size, byte Perms)
{
    public static ModelRegister Disabled => default;
}

/// <summary>An operation's outcome as the spec states it: the first failing check, what failed, and against whom.</summary>
public readonly record struct ModelResult(SliceError Error, int Slot, int Subject, int Holder, int HolderRegion, ulong ConflictBase, ulong ConflictSize)
{
    public const int NoHolder = -3;

    public bool Ok => Error == SliceError.None;

    public static ModelResult Success(int slot) => new(SliceError.None, slot, -1, NoHolder, -1, 0, 0);

    public static ModelResult Fail(SliceError error, int slot, int subject, int holder = NoHolder) => new(error, slot, subject, holder, -1, 0, 0);

    public override string ToString() => Ok ? $"Ok(slot {Slot})"
        : $"{Error}(slot {Slot}, subject {Subject}, holder {Holder}, region {HolderRegion}, conflict 0x{ConflictBase:x}+0x{ConflictSize:x})";
}

/// <summary>One slot of the model's slice table.</summary>
public sealed class ModelSlot
{
    public SliceState State;
    public int[] Cores = [];
    public MemoryRange[] Ranges = [];
    public byte[] Perms = [];                 // one per range (bit 0 R, 1 W, 2 X): the effective ones
    public SharedWindow[] Windows = [];       // control memory lent to this slice, register nr + k each
    public int[] Devices = [];
    public DmaRange[] DmaRanges = [];         // empty: every device reaches every private range (its R/W part)
    public ulong Ways;
    public ulong Entry;
    public byte[] Measurement = new byte[48];

    public ModelSlot Clone() => new()
    {
        State = State, Cores = Cores, Ranges = Ranges, Perms = Perms, Windows = Windows, Devices = Devices, DmaRanges = DmaRanges, Ways = Ways, Entry = Entry,
        Measurement = (byte[])Measurement.Clone(),
    };
}

/// <summary>Deliberately wrong variants of the model, to show the properties (and shrinking) have teeth.</summary>
public enum ModelBug
{
    None,
    /// <summary>DestroySlice forgets to return the slice's cache ways to Free.</summary>
    DestroyKeepsWays,
    /// <summary>CreateSlice checks the entry point against the first range only.</summary>
    EntryInFirstRangeOnly,
    /// <summary>A core that fails its reset during StartSlice leaves the slot Created instead of quarantining it.</summary>
    StartFaultKeepsCreated,
    /// <summary>An IPI refused by the sender's mask is still recorded as received: a leak only the receiver's view shows.</summary>
    RefusedIpiStillDelivered,
}

/// <summary>
/// The executable model of the CoreSlice spec (docs/design.md, "The model"): abstract state and, per
/// operation, the result (the FIRST failing check, in the documented order) and the next
/// state. Written from the spec and the documented check order, sharing no logic with
/// src/CoreSlice: only plain value types cross (requests, ranges, errors, states, config).
/// Interval arithmetic is done in 128 bits, so nothing here can wrap.
/// <para>Hardware state the spec needs (modes, locks, registers, IOMMU windows, last writer
/// per granule) is part of the model, and so is the simulator's pending fault injection
/// (unobservable, but it decides which operation faults).</para>
/// </summary>
public sealed class SpecModel
{
    public const int Free = -1, Control = 0, Reserved = -2, Unknown = -4;
    public const int ReportSize = CoreSlice.Attestation.ReportLayout.ReportSize; // a layout constant, not logic
    public const int NonceSize = 64;

    public MachineConfig Config { get; }
    public ModelBug Bug { get; }

    public ModelSlot[] Slots;           // Slots[s - 1] is slot s
    public int[] CoreOwner, DeviceOwner, WayOwner;
    public CoreMode[] Mode;
    public bool[] Locked;
    public ModelRegister[][] Regs;
    public int[][] Ipi;                 // sorted core lists
    public bool[][] IpiIn;              // per core: the senders of the IPIs delivered to it since its last secure reset (the spec's ipiIn)
    public ulong[] WayMask;
    public ulong[] CoreEntry;           // where the core last entered guest code
    public IommuMapping[][] Window;     // per device
    public Dictionary<ulong, int> Writer; // granule base -> last writer (absent: nobody, reads zero)
    public int[] FailResets, FailIommu;
    public bool[] Corrupt;

    private readonly ulong granule;

    public SpecModel(MachineConfig config, ModelBug bug = ModelBug.None)
    {
        Config = config;
        Bug = bug;
        granule = config.GranuleSize;
        int n = config.CoreCount, d = config.DeviceCount, r = config.RangeRegistersPerCore;
        Slots = new ModelSlot[config.SlotCapacity];
        for (int i = 0; i < Slots.Length; i++)
        {
            Slots[i] = new ModelSlot();
        }
        CoreOwner = Enumerable.Repeat(Free, n).ToArray();
        DeviceOwner = Enumerable.Repeat(Free, d).ToArray();
        WayOwner = Enumerable.Range(0, config.CacheWays).Select(w => ((config.ControlWays >> w) & 1) != 0 ? Control : Free).ToArray();
        Mode = Enumerable.Repeat(CoreMode.Idle, n).ToArray();
        Locked = new bool[n];
        Regs = Enumerable.Range(0, n).Select(_ => new ModelRegister[r]).ToArray();
        Ipi = Enumerable.Range(0, n).Select(_ => Array.Empty<int>()).ToArray();
        IpiIn = Enumerable.Range(0, n).Select(_ => new bool[n]).ToArray();
        WayMask = new ulong[n];
        CoreEntry = new ulong[n];
        Window = Enumerable.Range(0, d).Select(_ => Array.Empty<IommuMapping>()).ToArray();
        Writer = [];
        FailResets = new int[n];
        FailIommu = new int[d];
        Corrupt = new bool[n];
        // Power-on: control cores run the manager behind locked registers onto control memory.
        int[] control = [.. config.ControlCores.Order()];
        foreach (int c in control)
        {
            CoreOwner[c] = Control;
            Mode[c] = CoreMode.Control;
            for (int i = 0; i < Math.Min(r, config.ControlMemory.Length); i++)
            {
                Regs[c][i] = new ModelRegister(config.ControlMemory[i].Base, config.ControlMemory[i].Size, 7);
            }
            Ipi[c] = control;
            WayMask[c] = config.ControlWays;
            Locked[c] = true;
        }
    }

    private SpecModel(SpecModel o)
    {
        Config = o.Config;
        Bug = o.Bug;
        granule = o.granule;
        Slots = o.Slots.Select(s => s.Clone()).ToArray();
        CoreOwner = (int[])o.CoreOwner.Clone();
        DeviceOwner = (int[])o.DeviceOwner.Clone();
        WayOwner = (int[])o.WayOwner.Clone();
        Mode = (CoreMode[])o.Mode.Clone();
        Locked = (bool[])o.Locked.Clone();
        Regs = o.Regs.Select(x => (ModelRegister[])x.Clone()).ToArray();
        Ipi = (int[][])o.Ipi.Clone();
        IpiIn = o.IpiIn.Select(x => (bool[])x.Clone()).ToArray();
        WayMask = (ulong[])o.WayMask.Clone();
        CoreEntry = (ulong[])o.CoreEntry.Clone();
        Window = (IommuMapping[][])o.Window.Clone();
        Writer = new Dictionary<ulong, int>(o.Writer);
        FailResets = (int[])o.FailResets.Clone();
        FailIommu = (int[])o.FailIommu.Clone();
        Corrupt = (bool[])o.Corrupt.Clone();
    }

    public SpecModel Clone() => new(this);

    public ModelSlot Slot(int slot) => Slots[slot - 1];

    public bool IsSlot(int slot) => slot >= 1 && slot <= Slots.Length;

    public ulong AllWays => Config.CacheWays >= 64 ? ulong.MaxValue : (1UL << Config.CacheWays) - 1;

    // ------------------------------------------------------------ interval math (128-bit: no wrap)

    public static UInt128 End(MemoryRange r) => (UInt128)r.Base + r.Size;

    public static bool Contains(MemoryRange r, ulong a) => a >= r.Base && a < End(r);

    public static bool Covers(MemoryRange r, ulong address, ulong length) => address >= r.Base && (UInt128)address + length <= End(r);

    public static bool Overlaps(MemoryRange a, MemoryRange b) => a.Size != 0 && b.Size != 0 && a.Base < End(b) && b.Base < End(a);

    public static MemoryRange Intersection(MemoryRange a, MemoryRange b)
    {
        ulong lo = Math.Max(a.Base, b.Base);
        UInt128 hi = UInt128.Min(End(a), End(b));
        return new MemoryRange(lo, (ulong)(hi - lo));
    }

    private static ModelResult Conflict(SliceError e, int index, int holder, int region, MemoryRange overlap) =>
        new(e, 0, index, holder, region, overlap.Base, overlap.Size);

    // ------------------------------------------------------------------ CreateSlice

    /// <summary>CreateSlice: checks in the documented order (shape; each core; each range; each window; each device; ways; entry).</summary>
    public ModelResult Create(SliceRequest request)
    {
        int[] cores = request.Cores.ToArray();
        MemoryRange[] ranges = request.Ranges.ToArray();
        byte[] given = request.RangePermissions.ToArray().Select(p => (byte)p).ToArray();
        SharedWindow[] windows = request.Windows.ToArray();
        int[] devices = request.Devices.ToArray();
        DmaRange[] dma = request.DmaRanges.ToArray();
        int slot = Array.FindIndex(Slots, s => s.State == SliceState.Free) + 1;
        if (slot == 0) { return ModelResult.Fail(SliceError.TableFull, 0, -1); }
        if (cores.Length == 0) { return ModelResult.Fail(SliceError.NoCores, 0, -1); }
        if (cores.Length > Config.CoreCount) { return ModelResult.Fail(SliceError.TooManyCores, 0, cores.Length); }
        if (ranges.Length == 0) { return ModelResult.Fail(SliceError.NoMemory, 0, -1); }
        long registers = (long)ranges.Length + windows.Length;
        if (registers > Config.RangeRegistersPerCore) { return ModelResult.Fail(SliceError.TooManyRanges, 0, (int)Math.Min(registers, int.MaxValue)); }
        if (given.Length != 0 && given.Length != ranges.Length) { return ModelResult.Fail(SliceError.PermissionsCountMismatch, 0, given.Length); }
        if (devices.Length > Config.DeviceCount) { return ModelResult.Fail(SliceError.TooManyDevices, 0, devices.Length); }
        if (dma.Length > Limits.MaxDmaRanges) { return ModelResult.Fail(SliceError.TooManyDmaRanges, 0, dma.Length); }
        byte[] perms = given.Length == 0 ? Enumerable.Repeat((byte)7, ranges.Length).ToArray() : given;

        var seen = new HashSet<int>();
        foreach (int c in cores)
        {
            if (c < 0 || c >= Config.CoreCount) { return ModelResult.Fail(SliceError.CoreOutOfRange, 0, c); }
            if (CoreOwner[c] == Control) { return ModelResult.Fail(SliceError.CoreReservedForControl, 0, c, Control); }
            if (!seen.Add(c)) { return ModelResult.Fail(SliceError.CoreDuplicated, 0, c); }
            if (CoreOwner[c] != Free) { return ModelResult.Fail(SliceError.CoreInUse, 0, c, CoreOwner[c]); }
        }
        for (int i = 0; i < ranges.Length; i++)
        {
            ModelResult r = CheckRange(ranges, i);
            if (!r.Ok) { return r; }
            if (perms[i] == 0 || perms[i] > 7 || (perms[i] & 3) == 2) { return ModelResult.Fail(SliceError.RangePermissionsInvalid, 0, i); }
        }
        for (int k = 0; k < windows.Length; k++)
        {
            ModelResult r = CheckWindow(windows, k);
            if (!r.Ok) { return r; }
        }
        seen.Clear();
        foreach (int d in devices)
        {
            if (d < 0 || d >= Config.DeviceCount) { return ModelResult.Fail(SliceError.DeviceOutOfRange, 0, d); }
            if (!seen.Add(d)) { return ModelResult.Fail(SliceError.DeviceDuplicated, 0, d); }
            if (DeviceOwner[d] != Free) { return ModelResult.Fail(SliceError.DeviceInUse, 0, d, DeviceOwner[d]); }
        }
        for (int k = 0; k < dma.Length; k++)
        {
            ModelResult r = CheckDmaRange(dma[k], k, devices, ranges, perms, windows);
            if (!r.Ok) { return r; }
        }
        ulong ways = request.Ways;
        if (ways == 0) { return ModelResult.Fail(SliceError.WaysEmpty, 0, -1); }
        if ((ways & ~AllWays) != 0) { return ModelResult.Fail(SliceError.WaysOutOfRange, 0, BitOperations.TrailingZeroCount(ways & ~AllWays)); }
        for (int w = 0; w < Config.CacheWays; w++)
        {
            if (((ways >> w) & 1) != 0 && WayOwner[w] != Free) { return ModelResult.Fail(SliceError.WaysInUse, 0, w, WayOwner[w]); }
        }
        int entryRange = Bug == ModelBug.EntryInFirstRangeOnly
            ? (Contains(ranges[0], request.EntryPoint) ? 0 : -1)
            : Array.FindIndex(ranges, r => Contains(r, request.EntryPoint));
        if (entryRange < 0) { return ModelResult.Fail(SliceError.EntryOutsideMemory, 0, -1); }
        if ((perms[entryRange] & 4) == 0) { return ModelResult.Fail(SliceError.EntryNotExecutable, 0, -1); }

        // Success: the lowest free slot owns all of it, exclusively.
        ModelSlot s = Slot(slot);
        s.State = SliceState.Created;
        s.Cores = [.. cores.Order()];
        s.Ranges = ranges;
        s.Perms = perms;
        s.Windows = windows;
        s.Devices = [.. devices.Order()];
        s.DmaRanges = dma;
        s.Ways = ways;
        s.Entry = request.EntryPoint;
        s.Measurement = new byte[48];
        SetOwners(s, slot);
        return ModelResult.Success(slot);
    }

    private ModelResult CheckRange(MemoryRange[] ranges, int i)
    {
        MemoryRange r = ranges[i];
        if (r.Size == 0) { return ModelResult.Fail(SliceError.RangeEmpty, 0, i); }
        if (r.Base % granule != 0 || r.Size % granule != 0) { return ModelResult.Fail(SliceError.RangeUnaligned, 0, i); }
        if (End(r) > ulong.MaxValue) { return ModelResult.Fail(SliceError.RangeWraps, 0, i); }
        if (!Config.RamRegions.Any(ram => Covers(ram, r.Base, r.Size))) { return ModelResult.Fail(SliceError.RangeOutsideRam, 0, i); }
        for (int k = 0; k < Config.ReservedRegions.Length; k++)
        {
            MemoryRange res = Config.ReservedRegions[k].Range;
            if (Overlaps(r, res)) { return Conflict(SliceError.RangeOverlapsReserved, i, Reserved, k, Intersection(r, res)); }
        }
        for (int k = 0; k < Config.ControlMemory.Length; k++)
        {
            if (Overlaps(r, Config.ControlMemory[k])) { return Conflict(SliceError.RangeOverlapsControl, i, Control, k, Intersection(r, Config.ControlMemory[k])); }
        }
        for (int j = 0; j < i; j++)
        {
            if (Overlaps(r, ranges[j])) { return Conflict(SliceError.RangeOverlapsRequest, i, ModelResult.NoHolder, j, Intersection(r, ranges[j])); }
        }
        // Another slice's memory: the holder of the lowest-addressed overlapping range.
        (MemoryRange range, int slot)? hit = null;
        for (int s = 1; s <= Slots.Length; s++)
        {
            if (Slot(s).State == SliceState.Free) { continue; }
            foreach (MemoryRange held in Slot(s).Ranges)
            {
                if (Overlaps(r, held) && (hit is null || held.Base < hit.Value.range.Base)) { hit = (held, s); }
            }
        }
        return hit is { } h ? Conflict(SliceError.RangeInUse, i, h.slot, -1, Intersection(r, h.range)) : ModelResult.Success(0);
    }

    /// <summary>
    /// One DMA range: its device is one of the request's, well-formed, Read and/or Write only, wholly
    /// inside one private range or one window of the request (range i, or window k as ranges.Length + k),
    /// and no wider than the guest's permission there.
    /// </summary>
    private ModelResult CheckDmaRange(DmaRange row, int k, int[] devices, MemoryRange[] ranges, byte[] perms, SharedWindow[] windows)
    {
        MemoryRange r = row.Range;
        byte p = (byte)row.Permissions;
        if (!devices.Contains(row.Device)) { return ModelResult.Fail(SliceError.DmaDeviceNotInRequest, 0, k); }
        if (r.Size == 0) { return ModelResult.Fail(SliceError.DmaRangeEmpty, 0, k); }
        if (r.Base % granule != 0 || r.Size % granule != 0) { return ModelResult.Fail(SliceError.DmaRangeUnaligned, 0, k); }
        if (End(r) > ulong.MaxValue) { return ModelResult.Fail(SliceError.DmaRangeWraps, 0, k); }
        if (p == 0 || (p & ~3) != 0) { return ModelResult.Fail(SliceError.DmaPermissionsInvalid, 0, k); }
        int i = Array.FindIndex(ranges, x => Covers(x, r.Base, r.Size));
        int w = Array.FindIndex(windows, x => Covers(x.Range, r.Base, r.Size));
        if (i < 0 && w < 0) { return ModelResult.Fail(SliceError.DmaRangeOutsideSlice, 0, k); }
        (int region, byte allowed) = i >= 0 ? (i, perms[i]) : (ranges.Length + w, (byte)windows[w].Permissions);
        return (p & ~allowed) != 0 ? Conflict(SliceError.DmaPermissionsExceedRange, k, ModelResult.NoHolder, region, r) : ModelResult.Success(0);
    }

    /// <summary>One window: well-formed, Read or Read|Write, wholly control memory, clear of this request's earlier windows and of every other slice's.</summary>
    private ModelResult CheckWindow(SharedWindow[] windows, int k)
    {
        MemoryRange w = windows[k].Range;
        byte p = (byte)windows[k].Permissions;
        if (w.Size == 0) { return ModelResult.Fail(SliceError.WindowEmpty, 0, k); }
        if (w.Base % granule != 0 || w.Size % granule != 0) { return ModelResult.Fail(SliceError.WindowUnaligned, 0, k); }
        if (End(w) > ulong.MaxValue) { return ModelResult.Fail(SliceError.WindowWraps, 0, k); }
        if (p != 1 && p != 3) { return ModelResult.Fail(SliceError.WindowPermissionsInvalid, 0, k); }
        if (!AllControl(w)) { return ModelResult.Fail(SliceError.WindowOutsideControl, 0, k); }
        for (int j = 0; j < k; j++)
        {
            if (Overlaps(w, windows[j].Range)) { return Conflict(SliceError.WindowOverlapsRequest, k, ModelResult.NoHolder, j, Intersection(w, windows[j].Range)); }
        }
        (MemoryRange range, int slot)? hit = null;
        for (int s = 1; s <= Slots.Length; s++)
        {
            if (Slot(s).State == SliceState.Free) { continue; }
            foreach (SharedWindow held in Slot(s).Windows)
            {
                if (Overlaps(w, held.Range) && (hit is null || held.Range.Base < hit.Value.range.Base)) { hit = (held.Range, s); }
            }
        }
        return hit is { } h ? Conflict(SliceError.WindowInUse, k, h.slot, -1, Intersection(w, h.range)) : ModelResult.Success(0);
    }

    /// <summary>Every byte of <paramref name="w"/> is control memory: walk from its base, each step jumping past the control region holding the cursor.</summary>
    private bool AllControl(MemoryRange w)
    {
        UInt128 at = w.Base, end = End(w);
        for (int steps = 0; at < end && steps <= Config.ControlMemory.Length; steps++)
        {
            MemoryRange? holding = Config.ControlMemory.Cast<MemoryRange?>().FirstOrDefault(c => (UInt128)c!.Value.Base <= at && at < End(c!.Value));
            if (holding is not { } c) { return false; }
            at = End(c);
        }
        return at >= end;
    }

    private void SetOwners(ModelSlot s, int owner)
    {
        foreach (int c in s.Cores) { CoreOwner[c] = owner; }
        foreach (int d in s.Devices) { DeviceOwner[d] = owner; }
        for (int w = 0; w < Config.CacheWays; w++)
        {
            if (((s.Ways >> w) & 1) != 0 && !(owner == Free && Bug == ModelBug.DestroyKeepsWays)) { WayOwner[w] = owner; }
        }
    }

    // --------------------------------------------------------------- slot operations

    private ModelResult CheckSlot(int slot, SliceState required)
    {
        if (!IsSlot(slot)) { return ModelResult.Fail(SliceError.SlotOutOfRange, slot, slot); }
        SliceState st = Slot(slot).State;
        return st == required ? ModelResult.Success(slot) : ModelResult.Fail(SliceError.WrongState, slot, (int)st);
    }

    /// <summary>LoadImage: a Created slot; [address, +length) inside ONE of its ranges; writes (attributed to the slot) and extends the measurement.</summary>
    public ModelResult Load(int slot, ulong address, byte[] bytes)
    {
        ModelResult r = CheckSlot(slot, SliceState.Created);
        if (!r.Ok) { return r; }
        ModelSlot s = Slot(slot);
        if (!s.Ranges.Any(x => Covers(x, address, (ulong)bytes.Length))) { return ModelResult.Fail(SliceError.ImageOutsideMemory, slot, -1); }
        Write(address, (ulong)bytes.Length, slot);
        // m' = SHA-384(m || address u64 LE || length u64 LE || bytes)
        byte[] input = new byte[48 + 16 + bytes.Length];
        s.Measurement.CopyTo(input, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(48), address);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(56), (ulong)bytes.Length);
        bytes.CopyTo(input, 64);
        s.Measurement = SHA384.HashData(input);
        return r;
    }

    /// <summary>StartSlice: a Created slot becomes Running; windows open (device order), then each core is reset and booted (core order). A fault quarantines it in Destroying.</summary>
    public ModelResult Start(int slot)
    {
        ModelResult r = CheckSlot(slot, SliceState.Created);
        if (!r.Ok) { return r; }
        ModelSlot s = Slot(slot);
        s.State = SliceState.Running;
        foreach (int d in s.Devices)
        {
            if (!IommuChange(d, IommuWindowOf(s, d))) { return Quarantine(slot, SliceError.IommuFault, d); }
        }
        foreach (int c in s.Cores)
        {
            if (!SecureReset(c))
            {
                if (Bug == ModelBug.StartFaultKeepsCreated)
                {
                    s.State = SliceState.Created;
                    return ModelResult.Fail(SliceError.CoreResetFault, slot, c);
                }
                return Quarantine(slot, SliceError.CoreResetFault, c);
            }
            if (!Boot(c)) { return Quarantine(slot, SliceError.LoaderFault, c); }
        }
        return r;
    }

    /// <summary>What a device of <paramref name="s"/> reaches: the rows naming it, or, when the slice lists none, every private range with its R/W part.</summary>
    private static IommuMapping[] IommuWindowOf(ModelSlot s, int device) => s.DmaRanges.Length == 0
        ? [.. s.Ranges.Select((r, i) => new IommuMapping(r, (Permissions)(s.Perms[i] & 3)))]
        : [.. s.DmaRanges.Where(x => x.Device == device).Select(x => new IommuMapping(x.Range, x.Permissions))];

    private ModelResult Quarantine(int slot, SliceError fault, int subject)
    {
        Slot(slot).State = SliceState.Destroying;
        return ModelResult.Fail(fault, slot, subject);
    }

    /// <summary>DestroySlice: any non-Free slot becomes Destroying; reset+park each core, close each device's IOMMU window, scrub (private ranges, then the shared windows: the control slice's bytes there are lost), free. A fault stops it there (still Destroying).</summary>
    public ModelResult Destroy(int slot)
    {
        if (!IsSlot(slot)) { return ModelResult.Fail(SliceError.SlotOutOfRange, slot, slot); }
        ModelSlot s = Slot(slot);
        if (s.State == SliceState.Free) { return ModelResult.Fail(SliceError.WrongState, slot, (int)SliceState.Free); }
        s.State = SliceState.Destroying;
        foreach (int c in s.Cores)
        {
            if (!SecureReset(c)) { return ModelResult.Fail(SliceError.CoreResetFault, slot, c); }
            _ = Boot(c); // the slot is not Running: the sliceloader parks the core
        }
        foreach (int d in s.Devices)
        {
            if (!IommuChange(d, [])) { return ModelResult.Fail(SliceError.IommuFault, slot, d); }
        }
        foreach (MemoryRange range in s.Ranges.Concat(s.Windows.Select(w => w.Range)))
        {
            for (ulong g = range.Base; g < End(range); g += granule) { Writer.Remove(g); }
        }
        SetOwners(s, Free);
        Slots[slot - 1] = new ModelSlot();
        return ModelResult.Success(slot);
    }

    /// <summary>Attest by the manager: SlotOutOfRange, WrongState (not Created/Running), NonceLength, BufferTooSmall. Changes nothing the model holds.</summary>
    public ModelResult Attest(int slot, int nonceLength, int bufferLength)
    {
        if (!IsSlot(slot)) { return ModelResult.Fail(SliceError.SlotOutOfRange, slot, slot); }
        return CheckAttestation(slot, nonceLength, bufferLength, -1);
    }

    /// <summary>The guest mailbox: the core must be a core of a Running slice (NotGuestCore), then nonce and buffer.</summary>
    public ModelResult GuestAttest(int core, int nonceLength, int bufferLength)
    {
        int slot = core >= 0 && core < CoreOwner.Length ? CoreOwner[core] : Free;
        if (!IsSlot(slot)) { return ModelResult.Fail(SliceError.NotGuestCore, 0, core); }
        if (Slot(slot).State != SliceState.Running) { return ModelResult.Fail(SliceError.NotGuestCore, slot, core); }
        return CheckAttestation(slot, nonceLength, bufferLength, core);
    }

    private ModelResult CheckAttestation(int slot, int nonceLength, int bufferLength, int core)
    {
        _ = core;
        SliceState st = Slot(slot).State;
        if (st != SliceState.Created && st != SliceState.Running) { return ModelResult.Fail(SliceError.WrongState, slot, (int)st); }
        if (nonceLength != NonceSize) { return ModelResult.Fail(SliceError.NonceLength, slot, nonceLength); }
        if (bufferLength < ReportSize) { return ModelResult.Fail(SliceError.BufferTooSmall, slot, ReportSize); }
        return ModelResult.Success(slot);
    }

    // ------------------------------------------------------------------ hardware

    private bool IommuChange(int device, IommuMapping[] window)
    {
        if (FailIommu[device] > 0)
        {
            FailIommu[device]--;
            return false;
        }
        Window[device] = window;
        return true;
    }

    /// <summary>Secure reset: registers cleared and unlocked; the core comes back in the loader, or halts (injected fault).</summary>
    private bool SecureReset(int core)
    {
        Array.Clear(Regs[core]);
        Ipi[core] = [];
        Array.Clear(IpiIn[core]);
        WayMask[core] = 0;
        Locked[core] = false;
        if (FailResets[core] > 0)
        {
            FailResets[core]--;
            Mode[core] = CoreMode.Halted;
            return false;
        }
        Mode[core] = CoreMode.Loader;
        return true;
    }

    /// <summary>The sliceloader: for a Running owner, program every register to the entry, lock, verify, enter; else park.</summary>
    private bool Boot(int core)
    {
        int owner = CoreOwner[core];
        if (!IsSlot(owner) || Slot(owner).State != SliceState.Running)
        {
            Mode[core] = CoreMode.Idle;
            return true;
        }
        ModelSlot s = Slot(owner);
        for (int i = 0; i < Config.RangeRegistersPerCore; i++)
        {
            HardwareWriteRegister(core, i, Want(s, i));
        }
        HardwareWriteIpi(core, s.Cores);
        HardwareWriteWays(core, s.Ways);
        Locked[core] = true;
        bool matches = Enumerable.Range(0, Config.RangeRegistersPerCore).All(i => Regs[core][i] == Want(s, i))
            && Ipi[core].SequenceEqual(s.Cores) && WayMask[core] == s.Ways;
        if (!matches)
        {
            Mode[core] = CoreMode.Halted;
            return false;
        }
        Mode[core] = CoreMode.Guest;
        CoreEntry[core] = s.Entry;
        return true;
    }

    /// <summary>Register i of a slice's core: private range i with its permission, then window i - nr with its, then disabled.</summary>
    private static ModelRegister Want(ModelSlot s, int i)
    {
        if (i < s.Ranges.Length) { return new ModelRegister(s.Ranges[i].Base, s.Ranges[i].Size, s.Perms[i]); }
        int k = i - s.Ranges.Length;
        return k < s.Windows.Length ? new ModelRegister(s.Windows[k].Range.Base, s.Windows[k].Range.Size, (byte)s.Windows[k].Permissions) : ModelRegister.Disabled;
    }

    // Filter-register writes: refused when locked; an injected corruption hits the next accepted write.
    private bool HardwareWriteRegister(int core, int index, ModelRegister value)
    {
        if (Locked[core]) { return false; }
        if (TakeCorrupt(core)) { value = value with { Base = value.Base ^ granule }; }
        Regs[core][index] = value;
        return true;
    }

    private bool HardwareWriteIpi(int core, int[] mask)
    {
        if (Locked[core]) { return false; }
        if (TakeCorrupt(core))
        {
            int victim = (core + 1) % Config.CoreCount;
            mask = mask.Contains(victim) ? mask.Where(x => x != victim).ToArray() : [.. mask.Append(victim).Order()];
        }
        Ipi[core] = mask;
        return true;
    }

    private bool HardwareWriteWays(int core, ulong mask)
    {
        if (Locked[core]) { return false; }
        WayMask[core] = TakeCorrupt(core) ? mask ^ 1UL : mask;
        return true;
    }

    private bool TakeCorrupt(int core)
    {
        bool c = Corrupt[core];
        Corrupt[core] = false;
        return c;
    }

    private void Write(ulong address, ulong length, int writer)
    {
        if (length == 0) { return; }
        ulong first = address / granule * granule;
        ulong last = (address + (length - 1)) / granule * granule;
        for (ulong g = first; ; g += granule)
        {
            Writer[g] = writer;
            if (g == last) { break; }
        }
    }

    private static int Attribute(int owner) => owner >= Control ? owner : Unknown;

    // --------------------------------------------------------------- fault injection

    public void InjectResetFaults(int core, int count) => FailResets[core] = count;

    public void InjectIommuFaults(int device, int count) => FailIommu[device] = count;

    public void InjectCorruption(int core) => Corrupt[core] = true;

    // --------------------------------------------------------------- guest actions (the hardware's verdicts)

    private bool Runs(int core) => Mode[core] is CoreMode.Guest or CoreMode.Control;

    private bool InRam(ulong address, ulong length) => Config.RamRegions.Any(r => Covers(r, address, length));

    private AccessOutcome CoreAccess(int core, ulong address, ulong length, byte need)
    {
        if (core < 0 || core >= Config.CoreCount) { return AccessOutcome.NoSuchCore; }
        if (!Runs(core)) { return AccessOutcome.CoreNotRunning; }
        length = Math.Max(length, 1);
        if (!Regs[core].Any(g => (g.Perms & need) == need && Covers(new MemoryRange(g.Base, g.Size), address, length))) { return AccessOutcome.NoRangeRegister; }
        return InRam(address, length) ? AccessOutcome.Allowed : AccessOutcome.NotRam;
    }

    public AccessOutcome GuestLoad(int core, ulong address, int length) => CoreAccess(core, address, (ulong)length, 1);

    public AccessOutcome GuestFetch(int core, ulong address) => CoreAccess(core, address, 1, 4);

    public AccessOutcome GuestStore(int core, ulong address, int length)
    {
        AccessOutcome o = CoreAccess(core, address, (ulong)length, 2);
        if (o == AccessOutcome.Allowed) { Write(address, (ulong)length, Attribute(CoreOwner[core])); }
        return o;
    }

    /// <summary>A DMA needs one mapping of the device's window that covers it with <paramref name="need"/> (Read or Write).</summary>
    private AccessOutcome Dma(int device, ulong address, ulong length, Permissions need)
    {
        if (device < 0 || device >= Config.DeviceCount) { return AccessOutcome.NoSuchDevice; }
        length = Math.Max(length, 1);
        foreach (IommuMapping m in Window[device])
        {
            if (Covers(m.Range, address, length) && (m.Permissions & need) == need) { return InRam(address, length) ? AccessOutcome.Allowed : AccessOutcome.NotRam; }
        }
        return AccessOutcome.OutsideIommuWindow;
    }

    public AccessOutcome DmaRead(int device, ulong address, int length) => Dma(device, address, (ulong)length, Permissions.Read);

    public AccessOutcome DmaWrite(int device, ulong address, int length)
    {
        AccessOutcome o = Dma(device, address, (ulong)length, Permissions.Write);
        if (o == AccessOutcome.Allowed) { Write(address, (ulong)length, Attribute(DeviceOwner[device])); }
        return o;
    }

    private AccessOutcome CheckRunning(int core) =>
        core < 0 || core >= Config.CoreCount ? AccessOutcome.NoSuchCore : Runs(core) ? AccessOutcome.Allowed : AccessOutcome.CoreNotRunning;

    public AccessOutcome SendIpi(int from, int to)
    {
        AccessOutcome o = CheckRunning(from);
        if (o != AccessOutcome.Allowed) { return o; }
        if (to < 0 || to >= Config.CoreCount) { return AccessOutcome.NoSuchCore; }
        if (!Ipi[from].Contains(to))
        {
            if (Bug == ModelBug.RefusedIpiStillDelivered) { IpiIn[to][from] = true; }
            return AccessOutcome.NotInIpiMask;
        }
        IpiIn[to][from] = true;
        return AccessOutcome.Allowed;
    }

    public AccessOutcome GuestWriteRegister(int core, int index, ModelRegister value)
    {
        AccessOutcome o = CheckRunning(core);
        if (o != AccessOutcome.Allowed) { return o; }
        if (index < 0 || index >= Config.RangeRegistersPerCore) { return AccessOutcome.NoSuchRegister; }
        return HardwareWriteRegister(core, index, value) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    public AccessOutcome GuestWriteIpi(int core, int[] mask)
    {
        AccessOutcome o = CheckRunning(core);
        if (o != AccessOutcome.Allowed) { return o; }
        return HardwareWriteIpi(core, mask) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    public AccessOutcome GuestWriteWays(int core, ulong mask)
    {
        AccessOutcome o = CheckRunning(core);
        if (o != AccessOutcome.Allowed) { return o; }
        return HardwareWriteWays(core, mask) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    public AccessOutcome GuestRequestReset(int core)
    {
        AccessOutcome o = CheckRunning(core);
        return o != AccessOutcome.Allowed ? o : AccessOutcome.NotPrivileged;
    }
}
