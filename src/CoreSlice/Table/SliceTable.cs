namespace CoreSlice;

/// <summary>
/// The slice table and the ownership maps derived from it: for every core,
/// device and way, and for every guest-owned interval of memory, the one slot
/// (or sentinel) that owns it; and for every window (control memory lent to a
/// guest), the one slot that holds it. A resource with two owners cannot be written
/// down here; I1 is then that the maps agree with the entries (see spec/).
/// Public members are read-only; the slicevisor is the only writer.
/// </summary>
public sealed class SliceTable
{
    private readonly FrozenMachine config;
    private readonly SliceEntry[] entries;
    private readonly short[] coreOwner;
    private readonly short[] deviceOwner;
    // Indexed by machine way: domain d's way w is Offset(d) + w (FrozenDomains), so one domain is as before.
    private readonly short[] wayOwner = new short[Limits.MaxMachineWays];
    // Per domain, how many live slices hold ways there: the classes of service in use beside the control slice's.
    private readonly short[] classes = new short[Limits.MaxCacheDomains];
    private readonly MemoryOwnershipIndex memory;
    // Windows are control memory lent to one guest each: a second index, so that WindowInUse
    // is a binary search like RangeInUse, and MemoryOwner still says the control slice owns them.
    private readonly MemoryOwnershipIndex windows;

    internal SliceTable(FrozenMachine config)
    {
        this.config = config;
        entries = new SliceEntry[config.SlotCapacity];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new SliceEntry(i + 1, config.RangeRegistersPerCore, config.Domains);
        }
        coreOwner = new short[config.CoreCount];
        coreOwner.AsSpan().Fill(Owner.Free);
        foreach (int core in config.ControlCores)
        {
            coreOwner[core] = Owner.Control;
        }
        deviceOwner = new short[config.DeviceCount];
        deviceOwner.AsSpan().Fill(Owner.Free);
        wayOwner.AsSpan().Fill(Owner.Free);
        for (int d = 0; d < config.Domains.Count; d++)
        {
            ref readonly FrozenDomains.Rules rules = ref config.Domains[d];
            for (int way = 0; way < rules.Ways; way++)
            {
                wayOwner[rules.Offset + way] = (rules.ControlWays & (1UL << way)) != 0 ? (short)Owner.Control : (short)Owner.Free;
            }
        }
        memory = new MemoryOwnershipIndex(config.SlotCapacity * config.RangeRegistersPerCore, config.RangeRegistersPerCore);
        windows = new MemoryOwnershipIndex(config.SlotCapacity * config.RangeRegistersPerCore, config.RangeRegistersPerCore);
    }

    /// <summary>Range registers per core (what the sliceloader programs).</summary>
    public int RangeRegisters => config.RangeRegistersPerCore;

    /// <summary>Number of guest slots; slots are numbered 1..Capacity.</summary>
    public int Capacity => entries.Length;

    /// <summary>The entry of <paramref name="slot"/> (1..Capacity).</summary>
    public SliceEntry this[int slot] =>
        IsSlot(slot) ? entries[slot - 1] : NoSuchSlot(slot);

    private static SliceEntry NoSuchSlot(int slot)
    {
        ThrowHelper.ArgumentOutOfRange(nameof(slot));
        return null!;
    }

    /// <summary>True when <paramref name="slot"/> names a slot of this table.</summary>
    public bool IsSlot(int slot) => (uint)(slot - 1) < (uint)entries.Length;

    /// <summary>Owner of a core: a slot, <see cref="Owner.Free"/> or <see cref="Owner.Control"/>; <see cref="Owner.None"/> if no such core.</summary>
    public int CoreOwner(int core) => (uint)core < (uint)coreOwner.Length ? coreOwner[core] : Owner.None;

    /// <summary>Owner of a device: a slot or <see cref="Owner.Free"/>; <see cref="Owner.None"/> if no such device.</summary>
    public int DeviceOwner(int device) => (uint)device < (uint)deviceOwner.Length ? deviceOwner[device] : Owner.None;

    /// <summary>Owner of a cache way of domain 0: a slot, <see cref="Owner.Free"/> or <see cref="Owner.Control"/>; <see cref="Owner.None"/> if no such way.</summary>
    public int WayOwner(int way) => WayOwner(0, way);

    /// <summary>Owner of way <paramref name="way"/> of cache domain <paramref name="domain"/>; <see cref="Owner.None"/> if no such way.</summary>
    public int WayOwner(int domain, int way)
    {
        if ((uint)domain >= (uint)config.Domains.Count)
        {
            return Owner.None;
        }
        ref readonly FrozenDomains.Rules rules = ref config.Domains[domain];
        return (uint)way < (uint)rules.Ways ? wayOwner[rules.Offset + way] : Owner.None;
    }

    /// <summary>Number of cache domains (1 on a machine that lists none).</summary>
    public int CacheDomains => config.Domains.Count;

    /// <summary>Ways of cache domain <paramref name="domain"/> (0 if no such domain).</summary>
    public int WaysOfDomain(int domain) => (uint)domain < (uint)config.Domains.Count ? config.Domains[domain].Ways : 0;

    /// <summary>The cache domain of <paramref name="core"/>, or -1 if no such core.</summary>
    public int CacheDomainOf(int core) => (uint)core < (uint)coreOwner.Length ? config.Domains.DomainOf(core) : -1;

    /// <summary>How many live slices hold ways in <paramref name="domain"/> (each one class of service there).</summary>
    internal int ClassesInUse(int domain) => classes[domain];

    /// <summary>
    /// Owner of a physical address: <see cref="Owner.Reserved"/>, <see cref="Owner.Control"/>, a slot,
    /// <see cref="Owner.Free"/> (RAM nobody owns), or <see cref="Owner.None"/> (not RAM).
    /// </summary>
    public int MemoryOwner(ulong address)
    {
        foreach (MemoryRange region in config.ReservedRegions)
        {
            if (region.Contains(address))
            {
                return Owner.Reserved;
            }
        }
        foreach (MemoryRange range in config.ControlMemory)
        {
            if (range.Contains(address))
            {
                return Owner.Control;
            }
        }
        int slot = memory.OwnerOf(address);
        if (slot != Owner.Free)
        {
            return slot;
        }
        foreach (MemoryRange ram in config.RamRegions)
        {
            if (ram.Contains(address))
            {
                return Owner.Free;
            }
        }
        return Owner.None;
    }

    /// <summary>
    /// The slot holding <paramref name="address"/> as a window (shared control memory), or
    /// <see cref="Owner.Free"/> when no slice has a window there. <see cref="MemoryOwner"/>
    /// still names the control slice for such an address: a window is lent, not given.
    /// </summary>
    public int WindowHolder(ulong address) => windows.OwnerOf(address);

    internal SliceEntry Entry(int slot) => entries[slot - 1];

    internal MemoryOwnershipIndex Memory => memory;

    internal MemoryOwnershipIndex Windows => windows;

    /// <summary>The lowest Free slot, or 0 when the table is full.</summary>
    internal int FirstFreeSlot()
    {
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].State == SliceState.Free)
            {
                return i + 1;
            }
        }
        return 0;
    }

    /// <summary>Records that <paramref name="slot"/> now owns everything its entry lists.</summary>
    internal void Claim(int slot)
    {
        SliceEntry entry = entries[slot - 1];
        Invariant.Holds(entry.State == SliceState.Created, "SliceTable.Claim: the slot is not freshly Created");
        SetOwners(entry, (short)slot, Owner.Free);
        memory.InsertAll(entry.Ranges, slot);
        windows.InsertAll(entry.WindowRanges, slot);
    }

    /// <summary>Returns everything <paramref name="slot"/> owns to Free and clears the entry.</summary>
    internal void Release(int slot)
    {
        SliceEntry entry = entries[slot - 1];
        Invariant.Holds(entry.State != SliceState.Free, "SliceTable.Release: the slot is already Free");
        SetOwners(entry, Owner.Free, slot);
        memory.RemoveOwner(slot);
        windows.RemoveOwner(slot);
        entry.Clear();
    }

    /// <summary>Moves every resource of <paramref name="entry"/> from <paramref name="from"/> to <paramref name="owner"/>; each must be held by <paramref name="from"/> (I1: no resource changes hands behind the table's back).</summary>
    private void SetOwners(SliceEntry entry, short owner, int from)
    {
        for (int core = entry.CoreSet.Next(0); core >= 0; core = entry.CoreSet.Next(core + 1))
        {
            Invariant.Holds(coreOwner[core] == from, "SliceTable: a core changes owner but was not held by the expected owner");
            coreOwner[core] = owner;
        }
        for (int device = entry.DeviceSet.Next(0); device >= 0; device = entry.DeviceSet.Next(device + 1))
        {
            Invariant.Holds(deviceOwner[device] == from, "SliceTable: a device changes owner but was not held by the expected owner");
            deviceOwner[device] = owner;
        }
        // The entry's ways, domain by domain, lowest first (each turn clears one bit: at most 64 turns a domain).
        for (int d = 0; d < config.Domains.Count; d++)
        {
            ref readonly FrozenDomains.Rules rules = ref config.Domains[d];
            ulong mask = entry.WaysIn(d) & rules.AllWays;
            if (mask != 0)
            {
                classes[d] += (short)(owner == Owner.Free ? -1 : 1);
            }
            for (ulong rest = mask; rest != 0; rest &= rest - 1)
            {
                int way = rules.Offset + System.Numerics.BitOperations.TrailingZeroCount(rest);
                Invariant.Holds(wayOwner[way] == from, "SliceTable: a way changes owner but was not held by the expected owner");
                wayOwner[way] = owner;
            }
        }
    }
}
