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
/// core touch memory its slice does not own, did a device DMA outside its owner's
/// memory, did an IPI reach another slice's core, did a read see another party's
/// bytes? Call it right after the allowed action (before the next slicevisor
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
        return Judge(who, owner, address, length, reads: kind != Permissions.Write);
    }

    /// <summary>An allowed DMA read or write of <paramref name="length"/> bytes at <paramref name="address"/> by <paramref name="device"/>.</summary>
    public OracleVerdict JudgeDma(int device, ulong address, ulong length, bool write)
    {
        int owner = table.DeviceOwner(device);
        string who = $"device {device} ({OwnerText.Describe(owner)})";
        return Judge(who, owner, address, length, reads: !write);
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

    private OracleVerdict Judge(string who, int owner, ulong address, ulong length, bool reads)
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
            if (memoryOwner != owner && !crossed)
            {
                crossed = true;
                detail = $"{who} reached 0x{at:x}, which belongs to {(memoryOwner == Owner.None ? "no RAM" : OwnerText.Describe(memoryOwner))}";
            }
            int writer = machine.Memory.LastWriter(at);
            if (reads && writer != MemoryWriter.Nobody && writer != owner && !residue)
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
}
