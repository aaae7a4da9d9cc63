using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Simulation.Pmp;

/// <summary>
/// A simulated RISC-V core-sliced machine: every hart filters its loads, stores and
/// fetches with PMP entries (<see cref="PmpRules"/>), and sends IPIs by storing to
/// CLINT msip words that those same entries fence. Guests run in M-mode, so only
/// locked entries bind them. Memory, the IOMMU, modes, way masks, secure reset and
/// fault injection are those of the abstract <see cref="SimulatedMachine"/> it wraps
/// (<see cref="Inner"/>); its range registers and IPI masks are not used.
/// <para>
/// Power-on: each control hart's entries are the encoding of the control memory and
/// the control harts' msip words, locked; every other hart's entries are reset (OFF).
/// </para>
/// </summary>
public sealed class PmpMachine
{
    private readonly PmpEntry[] entries;
    private readonly long[] ipisReceived;
    private readonly long[] refusedPmpWrites;
    private readonly int n;
    private bool portOpened;
    private Func<int, int>? coreOwner;

    /// <summary>Builds the machine in its power-on state. Throws <see cref="ArgumentException"/> when the description has problems.</summary>
    public PmpMachine(MachineConfig config, PmpGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(config);
        Inner = new SimulatedMachine(config);
        if (geometry.Problem(config.GranuleSize, config.CoreCount) is { } problem)
        {
            throw new ArgumentException("the machine description is unusable: " + ConfigErrorText.Describe(config, problem), nameof(geometry));
        }
        Geometry = geometry;
        n = geometry.Entries;
        entries = new PmpEntry[config.CoreCount * n];
        ipisReceived = new long[config.CoreCount];
        refusedPmpWrites = new long[config.CoreCount];
        ResourceSet control = default;
        foreach (int core in config.ControlCores)
        {
            control.Add(core);
        }
        Span<PmpEntry> boot = stackalloc PmpEntry[PmpGeometry.MaxEntries];
        if (PmpEncoder.Encode(geometry, config.ControlMemory.AsSpan(), Permissions.ReadWriteExecute, control, boot) < 0)
        {
            throw new ArgumentException($"the machine description is unusable: the control memory and msip words need more than {n} PMP entries", nameof(geometry));
        }
        foreach (int core in config.ControlCores)
        {
            boot[..n].CopyTo(entries.AsSpan(core * n, n));
        }
    }

    /// <summary>The abstract machine underneath: memory, IOMMU, modes, way masks, resets, faults.</summary>
    public SimulatedMachine Inner { get; }

    /// <summary>The PMP geometry of every hart.</summary>
    public PmpGeometry Geometry { get; }

    /// <summary>The description the machine was built from.</summary>
    public MachineConfig Config => Inner.Config;

    /// <summary>The privileged port (once per machine, as for <see cref="SimulatedMachine.OpenPrivilegedPort"/>).</summary>
    public PmpHardwarePort OpenPrivilegedPort()
    {
        if (portOpened)
        {
            throw new InvalidOperationException("the privileged port is already held (by the slicevisor)");
        }
        portOpened = true;
        return new PmpHardwarePort(this, Inner.OpenPrivilegedPort());
    }

    /// <summary>Ownership view for write attribution (see <see cref="SimulatedMachine.AttachOwnership"/>).</summary>
    public void AttachOwnership(Func<int, int> coreOwner, Func<int, int> deviceOwner, Func<ulong, int> memoryOwner)
    {
        Inner.AttachOwnership(coreOwner, deviceOwner, memoryOwner);
        this.coreOwner = coreOwner;
    }

    /// <summary>The entries of <paramref name="core"/>, as stored.</summary>
    public ReadOnlySpan<PmpEntry> EntriesOf(int core) => entries.AsSpan(CheckCore(core) * n, n);

    /// <summary>IPIs delivered to <paramref name="core"/>.</summary>
    public long IpisReceived(int core) => ipisReceived[core];

    /// <summary>Software writes to <paramref name="core"/>'s PMP the hardware ignored (locked).</summary>
    public long RefusedPmpWrites(int core) => refusedPmpWrites[core];

    // ------------------------------------------------------------ guest actions

    /// <summary>A load by <paramref name="core"/>; fills <paramref name="destination"/> only when allowed.</summary>
    public AccessOutcome GuestLoad(int core, ulong address, Span<byte> destination)
    {
        AccessOutcome outcome = CheckAccess(core, address, (ulong)destination.Length, Permissions.Read, out bool msip);
        if (outcome == AccessOutcome.Allowed)
        {
            if (msip)
            {
                destination.Clear();
            }
            else
            {
                Inner.Memory.Read(address, destination);
            }
        }
        return outcome;
    }

    /// <summary>A store by <paramref name="core"/>: to RAM (attributed to the core's owner) or, on an msip word, an IPI to that hart.</summary>
    public AccessOutcome GuestStore(int core, ulong address, ReadOnlySpan<byte> data)
    {
        AccessOutcome outcome = CheckAccess(core, address, (ulong)data.Length, Permissions.Write, out bool msip);
        if (outcome == AccessOutcome.Allowed)
        {
            if (msip)
            {
                ipisReceived[(int)((address - Geometry.MsipBase) / PmpGeometry.MsipWord)]++;
            }
            else
            {
                int owner = coreOwner is null ? MemoryWriter.Unknown : coreOwner(core);
                Inner.Memory.Write(address, data, owner >= Owner.Control ? owner : MemoryWriter.Unknown);
            }
        }
        return outcome;
    }

    /// <summary>An instruction fetch at <paramref name="address"/> by <paramref name="core"/>.</summary>
    public AccessOutcome GuestFetch(int core, ulong address) => CheckAccess(core, address, 1, Permissions.Execute, out _);

    /// <summary>
    /// An IPI from <paramref name="from"/> to <paramref name="to"/>: a 4-byte store of 1 to
    /// <paramref name="to"/>'s msip word, delivered only when the sender's PMP allows the store.
    /// A refused store is reported as <see cref="AccessOutcome.NotInIpiMask"/>, the abstract machine's word for it.
    /// </summary>
    public AccessOutcome GuestSendIpi(int from, int to)
    {
        AccessOutcome running = CheckRunning(from);
        if (running != AccessOutcome.Allowed)
        {
            return running;
        }
        if ((uint)to >= (uint)Geometry.Harts)
        {
            return AccessOutcome.NoSuchCore;
        }
        ReadOnlySpan<byte> one = [1, 0, 0, 0];
        AccessOutcome outcome = GuestStore(from, Geometry.MsipAddress(to), one);
        return outcome == AccessOutcome.NoRangeRegister ? AccessOutcome.NotInIpiMask : outcome;
    }

    /// <summary>M-mode software on <paramref name="core"/> writes one of its PMP entries (pmpaddr, then the pmpcfg byte).</summary>
    public AccessOutcome GuestWritePmpEntry(int core, int index, PmpEntry value)
    {
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        if ((uint)index >= (uint)n)
        {
            return AccessOutcome.NoSuchRegister;
        }
        return WriteEntry(core, index, value) ? AccessOutcome.Allowed : AccessOutcome.FilterLocked;
    }

    /// <summary>The PMP check of the hot path, for tests: M-mode rules (the guest's mode), or S/U-mode.</summary>
    public bool PmpAllows(int core, ulong address, Permissions need, bool machineMode = true) =>
        PmpRules.Allows(EntriesOf(core), Geometry.Granularity, address, 1, need, machineMode, out _);

    // ------------------------------------------------- privileged-port backend

    internal bool WriteEntry(int core, int index, PmpEntry value)
    {
        Span<PmpEntry> mine = entries.AsSpan(CheckCore(core) * n, n);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, n);
        bool addressTaken = PmpRules.AddressWritable(mine, index);
        if (addressTaken)
        {
            mine[index] = mine[index] with { Address = value.Address & PmpCfg.AddressMask };
        }
        bool configTaken = PmpRules.ConfigWritable(mine, index);
        if (configTaken)
        {
            mine[index] = mine[index] with { Config = PmpRules.LegalizeConfig(value.Config, Geometry.Granularity) };
        }
        if (!addressTaken || !configTaken)
        {
            refusedPmpWrites[core]++;
            return false;
        }
        return true;
    }

    internal PmpEntry ReadEntry(int core, int index)
    {
        PmpEntry e = EntriesOf(core)[index];
        return e with { Address = PmpRules.EffectiveAddress(e, Geometry.Granularity) };
    }

    /// <summary>The core-local secure reset's PMP half: every entry OFF and unlocked. Nothing else clears L.</summary>
    internal void ResetEntries(int core) => entries.AsSpan(CheckCore(core) * n, n).Clear();

    internal bool AllLocked(int core)
    {
        foreach (PmpEntry e in EntriesOf(core))
        {
            if (!e.Locked)
            {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    private AccessOutcome CheckRunning(int core)
    {
        if ((uint)core >= (uint)Inner.CoreCount)
        {
            return AccessOutcome.NoSuchCore;
        }
        CoreMode mode = Inner.Mode(core);
        return mode == CoreMode.Guest || mode == CoreMode.Control ? AccessOutcome.Allowed : AccessOutcome.CoreNotRunning;
    }

    private AccessOutcome CheckAccess(int core, ulong address, ulong length, Permissions need, out bool msip)
    {
        msip = false;
        AccessOutcome outcome = CheckRunning(core);
        if (outcome != AccessOutcome.Allowed)
        {
            return outcome;
        }
        length = Math.Max(length, 1);
        if (!PmpRules.Allows(EntriesOf(core), Geometry.Granularity, address, length, need, machineMode: true, out _))
        {
            return AccessOutcome.NoRangeRegister;
        }
        var words = new MemoryRange(Geometry.MsipBase, PmpGeometry.MsipWord * (ulong)Geometry.Harts);
        if (need != Permissions.Execute && (address & (PmpGeometry.MsipWord - 1)) == 0 && length == PmpGeometry.MsipWord && words.Covers(address, length))
        {
            msip = true;
            return AccessOutcome.Allowed;
        }
        return InRam(address, length) ? AccessOutcome.Allowed : AccessOutcome.NotRam;
    }

    private bool InRam(ulong address, ulong length)
    {
        foreach (MemoryRange r in Inner.Config.RamRegions)
        {
            if (r.Covers(address, length))
            {
                return true;
            }
        }
        return false;
    }

    private int CheckCore(int core)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(core);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(core, Inner.CoreCount);
        return core;
    }
}
