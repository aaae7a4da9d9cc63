using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using CoreSlice.Hardware;

namespace CoreSlice.Simulation;

/// <summary>
/// A simulated core-sliced machine: per-core lockable filter registers, an IOMMU,
/// sparse physical memory with contents and last writers, secure reset, and
/// fault injection. Faithful enough to attack: guests act through the
/// <c>Guest*</c>/<c>Device*</c> methods and the hardware allows or blocks each
/// action; the slicevisor acts through the one <see cref="SimulatedHardwarePort"/>
/// (<see cref="OpenPrivilegedPort"/>).
/// <para>
/// Power-on state (what the firmware's boot of the control slice leaves behind,
/// outside the slicevisor's scope): every control core is in mode
/// <see cref="CoreMode.Control"/> with its range registers set to the control
/// memory, read/write/execute (as many ranges as there are registers), its IPI
/// mask set to the control cores, its way mask to the control ways, and LOCKED.
/// Every other core is <see cref="CoreMode.Idle"/>, unlocked, with all registers
/// cleared. Every IOMMU window is closed; memory reads as zero.
/// </para>
/// <para>
/// The hardware knows cores, devices and addresses, not slots. To make residue
/// (S7, I5) observable the machine records, per granule, who last wrote it, using
/// an ownership view the driver attaches (<see cref="AttachOwnership"/>): a core's
/// or device's store is attributed to that core's or device's owner; a
/// slicevisor write (<see cref="IHardwarePort.WriteMemory"/>, i.e. LoadImage) is
/// attributed to the owner of the memory written, at the time of the write. The
/// view is bookkeeping only: it never allows or denies anything.
/// </para>
/// </summary>
public sealed class SimulatedMachine
{
    private readonly int coreCount;
    private readonly int registersPerCore;
    private readonly RangeRegister[] rangeRegisters;

    // The filter as the hot check reads it: per core and per permission (R, W, X),
    // the registers' bases and sizes (size 0 where the register lacks that permission),
    // padded to a multiple of 8 so that 8 (or 4) registers are checked per vector step.
    // Sizes are clamped so that base + size never passes 2^64: then "address - base < size"
    // alone (unsigned, wrapping) means "base <= address < base + size".
    private readonly int stride;
    private readonly ulong[] filterBase;
    private readonly ulong[] filterSize;
    private readonly ResourceSet[] ipiMasks;
    private readonly ulong[] wayMasks;
    private readonly bool[] locked;
    private readonly CoreMode[] modes;
    private readonly ulong[] entryPoints;
    private readonly long[] refusedWrites;
    private readonly long[] resets;
    private readonly long[] refusedResetRequests;
    private readonly long[] ipisReceived;
    private readonly int[] failResets;
    private readonly bool[] corruptNextWrite;
    private readonly IommuMapping[][] iommuWindows;
    private readonly int[] iommuCounts;
    // A window set with no entries is open (the device's context is present, it reaches nothing);
    // a closed one has no context at all. Only the abstraction of conformance tells them apart.
    private readonly bool[] iommuOpen;
    private readonly int[] failIommu;
    private readonly long[] operations = new long[4];
    private readonly long[] armedAt = new long[4];
    private readonly MemoryRange[] ram;
    private bool portOpened;
    // The hardware root key: drawn when the machine is made, never exposed (only DeriveKey uses it).
    private readonly byte[] rootKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(48);
    private Func<int, int>? coreOwner;
    private Func<int, int>? deviceOwner;
    private Func<ulong, int>? memoryOwner;

    /// <summary>Builds the machine in its power-on state. Throws <see cref="ArgumentException"/> when the config has problems.</summary>
    public SimulatedMachine(MachineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        IReadOnlyList<string> problems = config.Problems();
        if (problems.Count != 0)
        {
            throw new ArgumentException("the machine description is unusable: " + string.Join("; ", problems), nameof(config));
        }
        Config = config;
        Domains = new CacheDomainMap(config);
        coreCount = config.CoreCount;
        registersPerCore = config.RangeRegistersPerCore;
        rangeRegisters = new RangeRegister[coreCount * registersPerCore];
        stride = (registersPerCore + 7) & ~7;
        filterBase = new ulong[coreCount * 3 * stride];
        filterSize = new ulong[coreCount * 3 * stride];
        ipiMasks = new ResourceSet[coreCount];
        wayMasks = new ulong[coreCount];
        locked = new bool[coreCount];
        modes = new CoreMode[coreCount];
        entryPoints = new ulong[coreCount];
        refusedWrites = new long[coreCount];
        resets = new long[coreCount];
        refusedResetRequests = new long[coreCount];
        ipisReceived = new long[coreCount];
        failResets = new int[coreCount];
        corruptNextWrite = new bool[coreCount];
        iommuWindows = new IommuMapping[config.DeviceCount][];
        iommuCounts = new int[config.DeviceCount];
        iommuOpen = new bool[config.DeviceCount];
        failIommu = new int[config.DeviceCount];
        for (int d = 0; d < iommuWindows.Length; d++)
        {
            iommuWindows[d] = new IommuMapping[Math.Max(registersPerCore, Limits.MaxDmaRanges)];
        }
        ram = [.. config.RamRegions];
        Memory = new PhysicalMemory(config.GranuleSize);
        PowerOn();
    }

    /// <summary>The description the machine was built from.</summary>
    public MachineConfig Config { get; }

    /// <summary>Number of cores.</summary>
    public int CoreCount => coreCount;

    /// <summary>Number of devices (SR-IOV virtual functions).</summary>
    public int DeviceCount => iommuWindows.Length;

    /// <summary>Range registers per core.</summary>
    public int RangeRegistersPerCore => registersPerCore;

    /// <summary>The physical memory (raw: reads and writes here bypass every filter; for tests and audits).</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>
    /// The privileged port: the slicevisor's (and its sliceloader's) only way to
    /// the hardware. Handed out once; a second call throws, so no one but the
    /// slicevisor holds it.
    /// </summary>
    public SimulatedHardwarePort OpenPrivilegedPort()
    {
        if (portOpened)
        {
            throw new InvalidOperationException("the privileged port is already held (by the slicevisor)");
        }
        portOpened = true;
        return new SimulatedHardwarePort(this);
    }

    /// <summary>
    /// Attaches the ownership view used to attribute memory writes to slots (see
    /// the class remarks). Pass the slice table's lookups, e.g.
    /// <c>AttachOwnership(table.CoreOwner, table.DeviceOwner, table.MemoryOwner)</c>.
    /// </summary>
    public void AttachOwnership(Func<int, int> coreOwner, Func<int, int> deviceOwner, Func<ulong, int> memoryOwner)
    {
        ArgumentNullException.ThrowIfNull(coreOwner);
        ArgumentNullException.ThrowIfNull(deviceOwner);
        ArgumentNullException.ThrowIfNull(memoryOwner);
        this.coreOwner = coreOwner;
        this.deviceOwner = deviceOwner;
        this.memoryOwner = memoryOwner;
    }

    /// <summary>True once <see cref="AttachOwnership"/> has been called.</summary>
    public bool HasOwnershipView => coreOwner is not null;

    // ---------------------------------------------------------------- raw state

    /// <summary>The core's mode.</summary>
    public CoreMode Mode(int core) => modes[core];

    /// <summary>True when the core's filter registers are locked.</summary>
    public bool IsLocked(int core) => locked[core];

    /// <summary>Range register <paramref name="index"/> of <paramref name="core"/>, as the hardware holds it.</summary>
    public RangeRegister RangeRegisterOf(int core, int index)
    {
        CheckRegister(index);
        return rangeRegisters[(core * registersPerCore) + index];
    }

    /// <summary>All range registers of <paramref name="core"/>.</summary>
    public ReadOnlySpan<RangeRegister> RangeRegistersOf(int core) =>
        rangeRegisters.AsSpan(CheckCore(core) * registersPerCore, registersPerCore);

    /// <summary>The core's IPI destination mask.</summary>
    public ref readonly ResourceSet IpiMaskOf(int core) => ref ipiMasks[core];

    /// <summary>The machine's cache domains (one when the description lists none).</summary>
    public CacheDomainMap Domains { get; }

    /// <summary>The core's cache-way mask, over the ways of the core's own domain.</summary>
    public ulong WayMaskOf(int core) => wayMasks[core];

    /// <summary>Where the core last entered guest code (0 before it ever did).</summary>
    public ulong EntryPointOf(int core) => entryPoints[core];

    /// <summary>Writes to the core's filter registers refused because they were locked (by anyone).</summary>
    public long RefusedLockedWrites(int core) => refusedWrites[core];

    /// <summary>Secure resets performed on the core (successful or not), all through the privileged port.</summary>
    public long ResetCount(int core) => resets[core];

    /// <summary>Reset requests issued from the core by unprivileged (guest or manager) code, all refused.</summary>
    public long RefusedResetRequests(int core) => refusedResetRequests[core];

    /// <summary>IPIs delivered to the core.</summary>
    public long IpisReceived(int core) => ipisReceived[core];

    /// <summary>The device's IOMMU window: where it may DMA, with what permissions (empty: nowhere).</summary>
    public ReadOnlySpan<IommuMapping> IommuWindow(int device) => iommuWindows[device].AsSpan(0, iommuCounts[device]);

    /// <summary>True between a successful set and close of the device's IOMMU window, even when the window has no entries.</summary>
    public bool IommuWindowOpen(int device) => iommuOpen[device];

    // ---------------------------------------------------------- fault injection

    /// <summary>Makes the next <paramref name="count"/> secure resets of <paramref name="core"/> fail: the core halts and the reset returns false.</summary>
    public void FailNextResets(int core, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        failResets[CheckCore(core)] = count;
    }

    /// <summary>Makes the next <paramref name="count"/> IOMMU window changes (set or close) of <paramref name="device"/> fail, leaving the window as it was.</summary>
    public void FailNextIommuChanges(int device, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        failIommu[CheckDevice(device)] = count;
    }

    /// <summary>Corrupts the next filter-register write to <paramref name="core"/> (range, IPI or way): it is accepted but stores a different value, so a readback differs.</summary>
    public void CorruptNextRegisterWrite(int core) => corruptNextWrite[CheckCore(core)] = true;

    /// <summary>
    /// Arms one fault at the <paramref name="k"/>-th (1 = the next) operation of kind <paramref name="point"/>
    /// from now, on any core or device: a register write that stores a different value, a readback
    /// (range, IPI, way mask or lock bit, through the port) that returns a wrong value, a secure reset
    /// that fails, or an IOMMU change that fails. <see cref="Operations"/> counts them, so a test can
    /// run an operation once to learn how many steps it takes and then fault each step in turn.
    /// Arming again replaces the earlier arming of the same kind.
    /// </summary>
    public void FailAt(FaultPoint point, long k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        armedAt[(int)point] = operations[(int)point] + k;
    }

    /// <summary>How many operations of kind <paramref name="point"/> the port has performed so far.</summary>
    public long Operations(FaultPoint point) => operations[(int)point];

    /// <summary>The same count for a port built on this machine (the PMP port's entry writes and readbacks).</summary>
    internal bool TakeFault(FaultPoint point) => Step(point);

    /// <summary>Counts one operation of kind <paramref name="point"/>; true when it is the armed one.</summary>
    private bool Step(FaultPoint point)
    {
        long n = ++operations[(int)point];
        if (armedAt[(int)point] != n)
        {
            return false;
        }
        armedAt[(int)point] = 0;
        return true;
    }

    // Readbacks through the port (the audit reads the registers directly and is never faulted).
    internal RangeRegister PortReadRange(int core, int index)
    {
        RangeRegister value = RangeRegisterOf(core, index);
        return Step(FaultPoint.Readback) ? value with { Base = value.Base ^ Config.GranuleSize } : value;
    }

    internal ResourceSet PortReadIpi(int core)
    {
        ResourceSet value = IpiMaskOf(core);
        if (Step(FaultPoint.Readback))
        {
            int victim = (core + 1) % coreCount;
            if (value.Contains(victim))
            {
                value.Remove(victim);
            }
            else
            {
                value.Add(victim);
            }
        }
        return value;
    }

    internal ulong PortReadWay(int core) => Step(FaultPoint.Readback) ? WayMaskOf(core) ^ 1UL : WayMaskOf(core);

    internal bool PortIsLocked(int core) => Step(FaultPoint.Readback) ? !IsLocked(core) : IsLocked(core);

    // ------------------------------------------------------------ guest actions

    /// <summary>
    /// The filter check on the hot path: true when <paramref name="core"/> runs
    /// software (Guest or Control mode) and an enabled range register covers
    /// <paramref name="address"/> with <paramref name="need"/>. Allocation-free.
    /// </summary>
    public bool FilterAllows(int core, ulong address, Permissions need)
    {
        if ((uint)core >= (uint)coreCount)
        {
            return false;
        }
        CoreMode mode = modes[core];
        if (mode != CoreMode.Guest && mode != CoreMode.Control)
        {
            return false;
        }
        int kind = need switch
        {
            Permissions.Read => 0,
            Permissions.Write => 1,
            Permissions.Execute => 2,
            _ => -1,
        };
        if (kind < 0)
        {
            return need != Permissions.None && AnyRegisterCovers(core, address, 1, need);
        }
        int offset = ((core * 3) + kind) * stride;
        ref ulong bases = ref MemoryMarshal.GetArrayDataReference(filterBase);
        ref ulong sizes = ref MemoryMarshal.GetArrayDataReference(filterSize);
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<ulong> a = Vector512.Create(address);
            for (int i = 0; i < stride; i += 8)
            {
                Vector512<ulong> offsetInRange = a - Vector512.LoadUnsafe(ref bases, (nuint)(offset + i));
                if (Vector512.LessThanAny(offsetInRange, Vector512.LoadUnsafe(ref sizes, (nuint)(offset + i))))
                {
                    return true;
                }
            }
            return false;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ulong> a = Vector256.Create(address);
            for (int i = 0; i < stride; i += 4)
            {
                Vector256<ulong> offsetInRange = a - Vector256.LoadUnsafe(ref bases, (nuint)(offset + i));
                if (Vector256.LessThanAny(offsetInRange, Vector256.LoadUnsafe(ref sizes, (nuint)(offset + i))))
                {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < stride; i++)
        {
            if (address - filterBase[offset + i] < filterSize[offset + i])
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A load of <paramref name="destination"/>.Length bytes (at least one checked) from <paramref name="address"/> by <paramref name="core"/>; fills <paramref name="destination"/> only when allowed.</summary>
    public AccessOutcome GuestLoad(int core, ulong address, Span<byte> destination)
    {
        AccessOutcome outcome = CheckCoreAccess(core, address, (ulong)destination.Length, Permissions.Read);
        if (outcome == AccessOutcome.Allowed)
        {
            Memory.Read(address, destination);
        }
        return outcome;
    }

    /// <summary>A store of <paramref name="data"/> at <paramref name="address"/> by <paramref name="core"/>; attributed to the core's owner.</summary>
    public AccessOutcome GuestStore(int core, ulong address, ReadOnlySpan<byte> data)
    {
        AccessOutcome outcome = CheckCoreAccess(core, address, (ulong)data.Length, Permissions.Write);
        if (outcome == AccessOutcome.Allowed)
        {
            Memory.Write(address, data, Attribute(coreOwner, core));
        }
        return outcome;
    }

    /// <summary>An instruction fetch at <paramref name="address"/> by <paramref name="core"/>.</summary>
    public AccessOutcome GuestFetch(int core, ulong address) => CheckCoreAccess(core, address, 1, Permissions.Execute);

    /// <summary>A DMA read by <paramref name="device"/> of <paramref name="destination"/>.Length bytes at <paramref name="address"/>.</summary>
    public AccessOutcome DeviceDmaRead(int device, ulong address, Span<byte> destination)
    {
        AccessOutcome outcome = CheckDma(device, address, (ulong)destination.Length, Permissions.Read);
        if (outcome == AccessOutcome.Allowed)
        {
            Memory.Read(address, destination);
        }
        return outcome;
    }

    /// <summary>A DMA write by <paramref name="device"/> of <paramref name="data"/> at <paramref name="address"/>; attributed to the device's owner.</summary>
    public AccessOutcome DeviceDmaWrite(int device, ulong address, ReadOnlySpan<byte> data)
    {
        AccessOutcome outcome = CheckDma(device, address, (ulong)data.Length, Permissions.Write);
        if (outcome == AccessOutcome.Allowed)
        {
            Memory.Write(address, data, Attribute(deviceOwner, device));
        }
        return outcome;
    }

    /// <summary>An IPI from <paramref name="from"/> to <paramref name="to"/>: delivered only when the sender runs software and <paramref name="to"/> is in its IPI mask.</summary>
    public AccessOutcome GuestSendIpi(int from, int to)
    {
        AccessOutcome outcome = CheckRunning(from);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        if ((uint)to >= (uint)coreCount)
        {
            return AccessOutcome.NoSuchCore;
        }
        if (!ipiMasks[from].Contains(to))
        {
            return AccessOutcome.NotInIpiMask;
        }
        ipisReceived[to]++;
        return AccessOutcome.Allowed;
    }

    /// <summary>Software on <paramref name="core"/> writes its range register <paramref name="index"/>: refused and counted when locked.</summary>
    public AccessOutcome GuestWriteRangeRegister(int core, int index, RangeRegister value)
    {
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        if ((uint)index >= (uint)registersPerCore)
        {
            return AccessOutcome.NoSuchRegister;
        }
        return WriteRange(core, index, value) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    /// <summary>Software on <paramref name="core"/> writes its IPI mask: refused and counted when locked.</summary>
    public AccessOutcome GuestWriteIpiMask(int core, in ResourceSet mask)
    {
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        return WriteIpi(core, mask) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    /// <summary>Software on <paramref name="core"/> writes its way mask: refused and counted when locked.</summary>
    public AccessOutcome GuestWriteWayMask(int core, ulong mask)
    {
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        return WriteWay(core, mask) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    /// <summary>
    /// Software on <paramref name="core"/> (a guest, or the manager on a control
    /// core) asks to reset <paramref name="target"/>: always refused, because the
    /// reset line is reachable only from the privileged context. Counted.
    /// </summary>
    public AccessOutcome GuestRequestReset(int core, int target)
    {
        _ = target;
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        refusedResetRequests[core]++;
        return AccessOutcome.NotPrivileged;
    }

    // ------------------------------------------------- privileged-port backend

    internal bool SecureReset(int core)
    {
        CheckCore(core);
        resets[core]++;
        rangeRegisters.AsSpan(core * registersPerCore, registersPerCore).Clear();
        filterBase.AsSpan(core * 3 * stride, 3 * stride).Clear();
        filterSize.AsSpan(core * 3 * stride, 3 * stride).Clear();
        ipiMasks[core].Clear();
        wayMasks[core] = 0;
        locked[core] = false;
        bool armed = Step(FaultPoint.Reset);
        if (failResets[core] > 0 || armed)
        {
            failResets[core] -= failResets[core] > 0 ? 1 : 0;
            modes[core] = CoreMode.Halted;
            return false;
        }
        modes[core] = CoreMode.Loader;
        return true;
    }

    internal bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window)
    {
        CheckDevice(device);
        bool armed = Step(FaultPoint.IommuChange);
        if (failIommu[device] > 0 || armed)
        {
            failIommu[device] -= failIommu[device] > 0 ? 1 : 0;
            return false;
        }
        if (window.Length > iommuWindows[device].Length)
        {
            iommuWindows[device] = new IommuMapping[window.Length]; // only for windows wider than any slice lists
        }
        window.CopyTo(iommuWindows[device]);
        iommuCounts[device] = window.Length;
        iommuOpen[device] = true;
        return true;
    }

    internal bool CloseIommuWindow(int device)
    {
        CheckDevice(device);
        bool armed = Step(FaultPoint.IommuChange);
        if (failIommu[device] > 0 || armed)
        {
            failIommu[device] -= failIommu[device] > 0 ? 1 : 0;
            return false;
        }
        iommuCounts[device] = 0;
        iommuOpen[device] = false;
        return true;
    }

    internal void WriteMemoryPrivileged(ulong address, ReadOnlySpan<byte> bytes)
    {
        ulong granule = Config.GranuleSize;
        int done = 0;
        while (done < bytes.Length)
        {
            ulong at = address + (ulong)done;
            int chunk = (int)Math.Min((ulong)(bytes.Length - done), granule - (at & (granule - 1)));
            int writer = memoryOwner is null ? MemoryWriter.Unknown : Known(memoryOwner(at));
            Memory.Write(at, bytes.Slice(done, chunk), writer);
            done += chunk;
        }
    }

    internal void ScrubMemory(MemoryRange range) => Memory.Scrub(range);

    /// <summary>HMAC-SHA384(root key, context), truncated to <paramref name="output"/> (at most 48 bytes).</summary>
    internal void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output)
    {
        if (output.Length > 48)
        {
            throw new ArgumentException("at most 48 bytes can be derived", nameof(output));
        }
        Span<byte> mac = stackalloc byte[48];
        System.Security.Cryptography.HMACSHA384.HashData(rootKey, context, mac);
        mac[..output.Length].CopyTo(output);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(mac);
    }

    internal bool WriteRange(int core, int index, RangeRegister value)
    {
        CheckCore(core);
        CheckRegister(index);
        if (Refused(core))
        {
            return false;
        }
        if (TakeCorruption(core) | Step(FaultPoint.RegisterWrite))
        {
            value = value with { Base = value.Base ^ Config.GranuleSize };
        }
        SetRange(core, index, value);
        return true;
    }

    internal bool WriteIpi(int core, in ResourceSet mask)
    {
        CheckCore(core);
        if (Refused(core))
        {
            return false;
        }
        ipiMasks[core] = mask;
        if (TakeCorruption(core) | Step(FaultPoint.RegisterWrite))
        {
            int victim = (core + 1) % coreCount;
            if (ipiMasks[core].Contains(victim))
            {
                ipiMasks[core].Remove(victim);
            }
            else
            {
                ipiMasks[core].Add(victim);
            }
        }
        return true;
    }

    internal bool WriteWay(int core, ulong mask)
    {
        CheckCore(core);
        if (Refused(core))
        {
            return false;
        }
        wayMasks[core] = TakeCorruption(core) | Step(FaultPoint.RegisterWrite) ? mask ^ 1UL : mask;
        return true;
    }

    internal void Lock(int core) => locked[CheckCore(core)] = true;

    internal void EnterGuest(int core, ulong entryPoint)
    {
        modes[CheckCore(core)] = CoreMode.Guest;
        entryPoints[core] = entryPoint;
    }

    internal void SetMode(int core, CoreMode mode) => modes[CheckCore(core)] = mode;

    // ------------------------------------------------------------------ helpers

    private void PowerOn()
    {
        ResourceSet controlCores = default;
        foreach (int core in Config.ControlCores)
        {
            controlCores.Add(core);
        }
        for (int core = 0; core < coreCount; core++)
        {
            modes[core] = CoreMode.Idle;
        }
        foreach (int core in Config.ControlCores)
        {
            modes[core] = CoreMode.Control;
            int count = Math.Min(registersPerCore, Config.ControlMemory.Length);
            for (int i = 0; i < count; i++)
            {
                MemoryRange r = Config.ControlMemory[i];
                SetRange(core, i, new RangeRegister(r.Base, r.Size, Permissions.ReadWriteExecute));
            }
            ipiMasks[core] = controlCores;
            // A way mask is over the core's own cache domain.
            wayMasks[core] = Domains.ControlWaysOfCore(core);
            locked[core] = true;
        }
    }

    private void SetRange(int core, int index, RangeRegister value)
    {
        rangeRegisters[(core * registersPerCore) + index] = value;
        for (int kind = 0; kind < 3; kind++)
        {
            int at = (((core * 3) + kind) * stride) + index;
            filterBase[at] = value.Base;
            ulong room = 0UL - value.Base; // addresses from Base up to 2^64 - 1 (all of them when Base is 0)
            ulong size = value.Base != 0 && value.Size > room ? room : value.Size;
            filterSize[at] = (value.Permissions & (Permissions)(1 << kind)) != 0 ? size : 0;
        }
    }

    private AccessOutcome CheckRunning(int core)
    {
        if ((uint)core >= (uint)coreCount)
        {
            return AccessOutcome.NoSuchCore;
        }
        CoreMode mode = modes[core];
        return mode == CoreMode.Guest || mode == CoreMode.Control ? AccessOutcome.Allowed : AccessOutcome.CoreNotRunning;
    }

    private AccessOutcome CheckCoreAccess(int core, ulong address, ulong length, Permissions need)
    {
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        length = Math.Max(length, 1);
        if (!AnyRegisterCovers(core, address, length, need))
        {
            return AccessOutcome.NoRangeRegister;
        }
        return InRam(address, length) ? AccessOutcome.Allowed : AccessOutcome.NotRam;
    }

    private bool AnyRegisterCovers(int core, ulong address, ulong length, Permissions need)
    {
        ReadOnlySpan<RangeRegister> registers = rangeRegisters.AsSpan(core * registersPerCore, registersPerCore);
        for (int i = 0; i < registers.Length; i++)
        {
            RangeRegister r = registers[i];
            if ((r.Permissions & need) == need && new MemoryRange(r.Base, r.Size).Covers(address, length))
            {
                return true;
            }
        }
        return false;
    }

    private AccessOutcome CheckDma(int device, ulong address, ulong length, Permissions needed)
    {
        if ((uint)device >= (uint)iommuWindows.Length)
        {
            return AccessOutcome.NoSuchDevice;
        }
        length = Math.Max(length, 1);
        ReadOnlySpan<IommuMapping> window = IommuWindow(device);
        for (int i = 0; i < window.Length; i++)
        {
            if (window[i].Range.Covers(address, length) && (window[i].Permissions & needed) == needed)
            {
                return InRam(address, length) ? AccessOutcome.Allowed : AccessOutcome.NotRam;
            }
        }
        return AccessOutcome.OutsideIommuWindow;
    }

    private bool InRam(ulong address, ulong length)
    {
        foreach (MemoryRange r in ram)
        {
            if (r.Covers(address, length))
            {
                return true;
            }
        }
        return false;
    }

    private bool Refused(int core)
    {
        if (!locked[core])
        {
            return false;
        }
        refusedWrites[core]++;
        return true;
    }

    private bool TakeCorruption(int core)
    {
        if (!corruptNextWrite[core])
        {
            return false;
        }
        corruptNextWrite[core] = false;
        return true;
    }

    private static int Attribute(Func<int, int>? view, int index) =>
        view is null ? MemoryWriter.Unknown : Known(view(index));

    /// <summary>Slots and the control slice are writers; any other owner value is not a party that can write.</summary>
    private static int Known(int owner) => owner >= Owner.Control ? owner : MemoryWriter.Unknown;

    private int CheckCore(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(core, coreCount);
        return core;
    }

    private int CheckDevice(int device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(device);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(device, iommuWindows.Length);
        return device;
    }

    private void CheckRegister(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, registersPerCore);
    }
}
