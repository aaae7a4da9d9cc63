using CoreSlice.Hardware;

namespace CoreSlice.Simulation.Audit;

/// <summary>The oracle's judgement of one action the hardware allowed.</summary>
/// <param name="IsolationViolated">The action crossed a slice boundary per the slice table (S3, S4).</param>
/// <param name="ResidueRead">A read returned bytes last written by a party other than the reader's slice (S7).</param>
/// <param name="Detail">What crossed, in words; null when the action was clean.</param>
public readonly record struct OracleVerdict(bool IsolationViolated, bool ResidueRead, string? Detail)
{
    /// <summary>Nothing wrong.</summary>
    public static OracleVerdict Clean => default;

    /// <summary>True when neither isolation was violated nor residue read.</summary>
    public bool IsClean => !IsolationViolated && !ResidueRead;
}

/// <summary>
/// Judges guest actions that the hardware ALLOWED against the slice table: did a
/// core touch memory its slice does not own (or does own, but without the permission
/// its entry grants), did a device DMA outside its owner's memory, did an IPI reach
/// another slice's core, did a read see another party's bytes? A window is the one
/// sharing: the slice holding it may touch it (as its permission allows) and may read
/// what the control slice wrote there, and the control slice may read what that slice
/// wrote; any other slice touching it crosses a boundary, and a device never reaches it. Call it right after the allowed action (before the next slicevisor
/// operation); writers are those recorded by the machine (see
/// <see cref="SimulatedMachine.AttachOwnership"/>, which the constructor calls if needed).
/// </summary>
public sealed class IsolationOracle
{
    private readonly SliceTable table;
    private readonly SimulatedMachine machine;

    /// <summary>An oracle over <paramref name="table"/> and <paramref name="machine"/>.</summary>
    public IsolationOracle(SliceTable table, SimulatedMachine machine)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(machine);
        this.table = table;
        this.machine = machine;
        if (!machine.HasOwnershipView)
        {
            machine.AttachOwnership(table.CoreOwner, table.DeviceOwner, table.MemoryOwner);
        }
    }

    /// <summary>
    /// An allowed load, store or fetch (<paramref name="kind"/>) of
    /// <paramref name="length"/> bytes at <paramref name="address"/> by <paramref name="core"/>.
    /// </summary>
    public OracleVerdict JudgeCoreAccess(int core, ulong address, ulong length, Permissions kind)
    {
        int owner = table.CoreOwner(core);
        string who = $"core {core} ({OwnerText.Describe(owner)})";
        return Judge(who, owner, address, length, reads: kind != Permissions.Write, kind);
    }

    /// <summary>An allowed DMA read or write of <paramref name="length"/> bytes at <paramref name="address"/> by <paramref name="device"/>.</summary>
    public OracleVerdict JudgeDma(int device, ulong address, ulong length, bool write)
    {
        int owner = table.DeviceOwner(device);
        string who = $"device {device} ({OwnerText.Describe(owner)})";
        return Judge(who, owner, address, length, reads: !write, Permissions.None);
    }

    /// <summary>An allowed IPI from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public OracleVerdict JudgeIpi(int from, int to)
    {
        int a = table.CoreOwner(from);
        int b = table.CoreOwner(to);
        return a == b && a >= Owner.Control
            ? OracleVerdict.Clean
            : new OracleVerdict(true, false, $"core {from} ({OwnerText.Describe(a)}) sent an IPI to core {to} ({OwnerText.Describe(b)})");
    }

    /// <summary><paramref name="kind"/> is the core's access (its entry's permissions are checked); None for DMA (private memory only).</summary>
    private OracleVerdict Judge(string who, int owner, ulong address, ulong length, bool reads, Permissions kind)
    {
        ulong granule = machine.Config.GranuleSize;
        ulong last = length == 0 ? address : address + Math.Min(length - 1, ulong.MaxValue - address);
        bool crossed = owner < Owner.Control;
        bool residue = false;
        string? detail = crossed ? $"{who} acted, but belongs to no slice" : null;
        // One probe per granule touched (the first address, then each granule start up to the last).
        for (ulong at = address; ; at = (at | (granule - 1)) + 1)
        {
            int memoryOwner = table.MemoryOwner(at);
            int windowHolder = memoryOwner == Owner.Control ? table.WindowHolder(at) : Owner.Free;
            bool ownWindow = kind != Permissions.None && windowHolder == owner && owner >= 1;
            if (memoryOwner != owner && !ownWindow && !crossed)
            {
                crossed = true;
                detail = $"{who} reached 0x{at:x}, which belongs to {(memoryOwner == Owner.None ? "no RAM" : OwnerText.Describe(memoryOwner))}";
            }
            if (!crossed && kind != Permissions.None && owner >= 1 && (Granted(owner, at) & kind) != kind)
            {
                crossed = true;
                detail = $"{who} was allowed {kind} at 0x{at:x}, which its slice's entry does not grant";
            }
            int writer = machine.Memory.LastWriter(at);
            // In a window, its holder and the control slice share the bytes: neither reading the other's is residue.
            bool shared = windowHolder >= 1 && (writer == windowHolder || writer == Owner.Control) && (owner == windowHolder || owner == Owner.Control);
            if (reads && writer != MemoryWriter.Nobody && writer != owner && !shared && !residue)
            {
                residue = true;
                detail ??= $"{who} read 0x{at:x}, last written by {OwnerText.Describe(writer)}";
            }
            if ((at | (granule - 1)) >= last)
            {
                break;
            }
        }
        return new OracleVerdict(crossed, residue, detail);
    }

    /// <summary>What slot <paramref name="slot"/>'s entry lets its cores do at <paramref name="address"/>: its private range's permission, or its window's.</summary>
    private Permissions Granted(int slot, ulong address)
    {
        if (!table.IsSlot(slot))
        {
            return Permissions.None;
        }
        SliceEntry e = table[slot];
        ReadOnlySpan<MemoryRange> ranges = e.Ranges;
        for (int i = 0; i < ranges.Length; i++)
        {
            if (ranges[i].Contains(address))
            {
                return e.RangePermissions[i];
            }
        }
        foreach (SharedWindow w in e.Windows)
        {
            if (w.Range.Contains(address))
            {
                return w.Permissions;
            }
        }
        return Permissions.None;
    }
}
