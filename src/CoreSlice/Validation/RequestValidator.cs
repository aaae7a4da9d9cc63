using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Validation;

/// <summary>
/// The checks of CreateSlice, in the order of spec/create.smt2 (the "check order"
/// of spec/README.md): the first failing check is the error returned. First
/// <see cref="Decode"/>: the hostile request's lengths are checked against the
/// machine in O(1) and only lists within them are copied, once, into buffers sized
/// from the machine; then the decision log digests that copy (<c>RequestValidator.Arguments.cs</c>),
/// <see cref="Validate"/> checks it (the windows in <c>RequestValidator.Windows.cs</c>), and on
/// success the slicevisor applies it. Work never grows with the request, and the manager cannot
/// change anything between check and use. Enforces I1 for new slices (exclusive cores, memory,
/// devices, ways, windows; nothing reserved or control but the windows, which are lent).
/// </summary>
internal sealed partial class RequestValidator
{
    private readonly FrozenMachine config;
    private readonly SliceTable table;
    private readonly int[] cores;
    private readonly MemoryRange[] ranges;
    private readonly Permissions[] permissions;
    private readonly Permissions[] effective;
    private readonly SharedWindow[] windows;
    private readonly int[] devices;
    private readonly DmaRange[] dmaRanges = new DmaRange[Limits.MaxDmaRanges];
    private ResourceSet coreSet;
    private ResourceSet deviceSet;
    // Decoded request: each list's length as given, and its items when the length is within the machine's.
    private int coreCount;
    private int rangeCount;
    private int permissionCount;
    private int windowCount;
    private int deviceCount;
    private int dmaCount;
    private PmpGeometry? pmp;
    private ulong ways;
    private ulong entryPoint;

    public RequestValidator(FrozenMachine config, SliceTable table)
    {
        this.config = config;
        this.table = table;
        cores = new int[config.CoreCount];
        ranges = new MemoryRange[config.RangeRegistersPerCore];
        permissions = new Permissions[config.RangeRegistersPerCore];
        effective = new Permissions[config.RangeRegistersPerCore];
        windows = new SharedWindow[config.RangeRegistersPerCore];
        devices = new int[Math.Max(config.DeviceCount, 1)];
    }

    /// <summary>The validated cores (valid after a successful <see cref="Validate"/>).</summary>
    public ref readonly ResourceSet CoreSet => ref coreSet;

    /// <summary>The validated devices.</summary>
    public ref readonly ResourceSet DeviceSet => ref deviceSet;

    /// <summary>The validated private ranges, in request order.</summary>
    public ReadOnlySpan<MemoryRange> Ranges => ranges.AsSpan(0, rangeCount);

    /// <summary>The effective permission of each validated private range (RWX where the request gave none).</summary>
    public ReadOnlySpan<Permissions> RangePermissions => effective.AsSpan(0, rangeCount);

    /// <summary>The validated windows, in request order.</summary>
    public ReadOnlySpan<SharedWindow> Windows => windows.AsSpan(0, windowCount);

    /// <summary>The validated DMA ranges, in request order (empty: every device reaches every private range).</summary>
    public ReadOnlySpan<DmaRange> DmaRanges => dmaRanges.AsSpan(0, dmaCount);

    /// <summary>
    /// Decode: records each list's length and copies the lists that fit the machine
    /// (a longer list is refused by <see cref="Validate"/> on its length alone, so its
    /// items are never read). O(1) checks, then at most the machine's sizes of copying.
    /// </summary>
    public void Decode(in RequestSpans request, ulong requestWays, ulong requestEntryPoint)
    {
        coreCount = request.Cores.Length;
        rangeCount = request.Ranges.Length;
        permissionCount = request.Permissions.Length;
        windowCount = request.Windows.Length;
        deviceCount = request.Devices.Length;
        dmaCount = request.DmaRanges.Length;
        ways = requestWays;
        entryPoint = requestEntryPoint;
        if (coreCount <= cores.Length)
        {
            request.Cores.CopyTo(cores);
        }
        if (rangeCount <= ranges.Length)
        {
            request.Ranges.CopyTo(ranges);
        }
        // Permissions and windows each fit in the registers (their sum is checked by TooManyRanges).
        if (permissionCount <= permissions.Length)
        {
            request.Permissions.CopyTo(permissions);
        }
        if (windowCount <= windows.Length)
        {
            request.Windows.CopyTo(windows);
        }
        if (deviceCount <= config.DeviceCount)
        {
            request.Devices.CopyTo(devices);
        }
        if (dmaCount <= dmaRanges.Length)
        {
            request.DmaRanges.CopyTo(dmaRanges);
        }
        domainWaysCount = request.DomainWays.Length;
        if (domainWaysCount <= config.Domains.Count)
        {
            request.DomainWays.CopyTo(domainWays);
        }
    }

    /// <summary>Runs every check on the decoded request; changes no state but the validator's own sets.</summary>
    public SliceResult Validate()
    {
        SliceResult result = CheckShape();
        if (!result.Ok)
        {
            return result;
        }
        int slot = result.Slot;
        result = CheckCores();
        if (result.Ok)
        {
            result = CheckRanges();
        }
        if (result.Ok)
        {
            result = CheckWindows();
        }
        if (result.Ok)
        {
            result = CheckDevices();
        }
        if (result.Ok)
        {
            result = CheckDmaRanges();
        }
        if (result.Ok)
        {
            result = CheckWays();
        }
        if (result.Ok)
        {
            result = CheckEntryPoint(entryPoint);
        }
        if (result.Ok && pmp is { } geometry)
        {
            result = CheckPmpCost(geometry);
        }
        // The per-item checks return Success(0); the slot is the one CheckShape found free.
        return result.Ok ? SliceResult.Success(slot) : result;
    }

    /// <summary>The validated way mask of each domain, by domain (valid after a successful <see cref="Validate"/>).</summary>
    public ReadOnlySpan<ulong> Ways => wayMasks.AsSpan(0, config.Domains.Count);

    /// <summary>The validated entry point.</summary>
    public ulong EntryPoint => entryPoint;

    private SliceResult CheckShape()
    {
        int free = table.FirstFreeSlot();
        if (free == 0)
        {
            return SliceResult.Fail(SliceError.TableFull, 0, -1);
        }
        if (coreCount == 0)
        {
            return SliceResult.Fail(SliceError.NoCores, 0, -1);
        }
        if (coreCount > config.CoreCount)
        {
            return SliceResult.Fail(SliceError.TooManyCores, 0, coreCount);
        }
        if (rangeCount == 0)
        {
            return SliceResult.Fail(SliceError.NoMemory, 0, -1);
        }
        // Private ranges and windows take one register each; summed in 64 bits (two hostile int lengths).
        long registersNeeded = (long)rangeCount + windowCount;
        if (registersNeeded > config.RangeRegistersPerCore)
        {
            return SliceResult.Fail(SliceError.TooManyRanges, 0, (int)Math.Min(registersNeeded, int.MaxValue));
        }
        if (permissionCount != 0 && permissionCount != rangeCount)
        {
            return SliceResult.Fail(SliceError.PermissionsCountMismatch, 0, permissionCount);
        }
        if (deviceCount > config.DeviceCount)
        {
            return SliceResult.Fail(SliceError.TooManyDevices, 0, deviceCount);
        }
        if (dmaCount > dmaRanges.Length)
        {
            return SliceResult.Fail(SliceError.TooManyDmaRanges, 0, dmaCount);
        }
        if (domainWaysCount > config.Domains.Count)
        {
            return SliceResult.Fail(SliceError.TooManyWayDomains, 0, domainWaysCount);
        }
        return SliceResult.Success(free);
    }

    private SliceResult CheckCores()
    {
        coreSet.Clear();
        for (int i = 0; i < coreCount; i++)
        {
            int core = cores[i];
            if ((uint)core >= (uint)config.CoreCount)
            {
                return SliceResult.Fail(SliceError.CoreOutOfRange, 0, core);
            }
            int owner = table.CoreOwner(core);
            if (owner == Owner.Control)
            {
                return SliceResult.Fail(SliceError.CoreReservedForControl, 0, core, Owner.Control);
            }
            if (coreSet.Contains(core))
            {
                return SliceResult.Fail(SliceError.CoreDuplicated, 0, core);
            }
            if (owner != Owner.Free)
            {
                return SliceResult.Fail(SliceError.CoreInUse, 0, core, owner);
            }
            coreSet.Add(core);
        }
        return SliceResult.Success(0);
    }

    private SliceResult CheckRanges()
    {
        ulong granuleMask = config.GranuleSize - 1;
        for (int i = 0; i < rangeCount; i++)
        {
            // No permissions given means the first wave's meaning: every private range RWX.
            effective[i] = permissionCount == 0 ? Permissions.ReadWriteExecute : permissions[i];
        }
        for (int i = 0; i < rangeCount; i++)
        {
            MemoryRange range = ranges[i];
            if (range.Size == 0)
            {
                return SliceResult.Fail(SliceError.RangeEmpty, 0, i);
            }
            if (((range.Base | range.Size) & granuleMask) != 0)
            {
                return SliceResult.Fail(SliceError.RangeUnaligned, 0, i);
            }
            // Hostile arithmetic: compare against the headroom, never compute base + size first.
            if (range.Size > ulong.MaxValue - range.Base)
            {
                return SliceResult.Fail(SliceError.RangeWraps, 0, i);
            }
            if (!InsideOneRamRegion(range))
            {
                return SliceResult.Fail(SliceError.RangeOutsideRam, 0, i);
            }
            SliceResult conflict = CheckRangeConflicts(range, i);
            if (!conflict.Ok)
            {
                return conflict;
            }
            // A register with no permission would be a disabled register; unknown bits mean nothing to the hardware;
            // write without read is reserved by RISC-V PMP (R=0, W=1), so no port could program it as asked.
            if (effective[i] == Permissions.None || (effective[i] & ~Permissions.ReadWriteExecute) != 0
                || (effective[i] & Permissions.ReadWrite) == Permissions.Write)
            {
                return SliceResult.Fail(SliceError.RangePermissionsInvalid, 0, i);
            }
        }
        return SliceResult.Success(0);
    }

    private SliceResult CheckRangeConflicts(MemoryRange range, int i)
    {
        ReadOnlySpan<MemoryRange> reserved = config.ReservedRegions;
        for (int r = 0; r < reserved.Length; r++)
        {
            if (range.Overlaps(reserved[r]))
            {
                MemoryRange overlap = range.Intersect(reserved[r]);
                return SliceResult.MemoryConflict(SliceError.RangeOverlapsReserved, i, Owner.Reserved, r, overlap.Base, overlap.Size);
            }
        }
        ReadOnlySpan<MemoryRange> control = config.ControlMemory;
        for (int c = 0; c < control.Length; c++)
        {
            if (range.Overlaps(control[c]))
            {
                MemoryRange overlap = range.Intersect(control[c]);
                return SliceResult.MemoryConflict(SliceError.RangeOverlapsControl, i, Owner.Control, c, overlap.Base, overlap.Size);
            }
        }
        for (int j = 0; j < i; j++)
        {
            if (range.Overlaps(ranges[j]))
            {
                MemoryRange overlap = range.Intersect(ranges[j]);
                return SliceResult.MemoryConflict(SliceError.RangeOverlapsRequest, i, Owner.None, j, overlap.Base, overlap.Size);
            }
        }
        if (table.Memory.FindOverlap(range, out int holder, out MemoryRange used))
        {
            return SliceResult.MemoryConflict(SliceError.RangeInUse, i, holder, -1, used.Base, used.Size);
        }
        return SliceResult.Success(0);
    }

    private bool InsideOneRamRegion(MemoryRange range)
    {
        ReadOnlySpan<MemoryRange> ram = config.RamRegions;
        for (int r = 0; r < ram.Length; r++)
        {
            if (ram[r].Covers(range))
            {
                return true;
            }
        }
        return false;
    }

    private SliceResult CheckDevices()
    {
        deviceSet.Clear();
        for (int i = 0; i < deviceCount; i++)
        {
            int device = devices[i];
            if ((uint)device >= (uint)config.DeviceCount)
            {
                return SliceResult.Fail(SliceError.DeviceOutOfRange, 0, device);
            }
            if (deviceSet.Contains(device))
            {
                return SliceResult.Fail(SliceError.DeviceDuplicated, 0, device);
            }
            int owner = table.DeviceOwner(device);
            if (owner != Owner.Free)
            {
                return SliceResult.Fail(SliceError.DeviceInUse, 0, device, owner);
            }
            deviceSet.Add(device);
        }
        return SliceResult.Success(0);
    }

    /// <summary>On a PMP machine: the entries every hart of the slice will need (see <see cref="PmpEncoder"/>).</summary>
    public void UsePmp(PmpGeometry geometry) => pmp = geometry;

    private SliceResult CheckPmpCost(PmpGeometry geometry)
    {
        int cost = PmpEncoder.Cost(geometry, Ranges, RangePermissions, Windows, coreSet);
        return cost >= 0 && cost <= geometry.Entries
            ? SliceResult.Success(0)
            : SliceResult.Fail(SliceError.PmpEntriesExceeded, 0, cost < 0 ? int.MaxValue : cost);
    }

    private SliceResult CheckEntryPoint(ulong entryPoint)
    {
        // Private ranges only (a window is never executable); they are disjoint, so at most one holds it.
        for (int i = 0; i < rangeCount; i++)
        {
            if (ranges[i].Contains(entryPoint))
            {
                return (effective[i] & Permissions.Execute) != 0
                    ? SliceResult.Success(0)
                    : SliceResult.Fail(SliceError.EntryNotExecutable, 0, -1);
            }
        }
        return SliceResult.Fail(SliceError.EntryOutsideMemory, 0, -1);
    }
}
