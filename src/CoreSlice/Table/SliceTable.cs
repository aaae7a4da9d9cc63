namespace CoreSlice;

/// <summary>
/// The slice table and the ownership maps derived from it: for every core,
/// device and way, and for every guest-owned interval of memory, the one slot
/// (or sentinel) that owns it. A resource with two owners cannot be written
/// down here; I1 is then that the maps agree with the entries (see spec/).
/// Public members are read-only; the slicevisor is the only writer.
/// </summary>
public sealed class SliceTable
{
    private readonly FrozenMachine config;
    private readonly SliceEntry[] entries;
    private readonly short[] coreOwner;
    private readonly short[] deviceOwner;
    private readonly short[] wayOwner = new short[Limits.MaxCacheWays];
    private readonly MemoryOwnershipIndex memory;

    internal SliceTable(FrozenMachine config)
    {
        this.config = config;
        entries = new SliceEntry[config.SlotCapacity];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new SliceEntry(i + 1, config.RangeRegistersPerCore);
        }
        coreOwner = new short[config.CoreCount];
        coreOwner.AsSpan().Fill(Owner.Free);
        foreach (int core in config.ControlCores)
        {
            coreOwner[core] = Owner.Control;
        }
        deviceOwner = new short[config.DeviceCount];
        deviceOwner.AsSpan().Fill(Owner.Free);
        for (int way = 0; way < wayOwner.Length; way++)
        {
            wayOwner[way] = (config.ControlWays & (1UL << way)) != 0 ? (short)Owner.Control : (short)Owner.Free;
        }
        memory = new MemoryOwnershipIndex(config.SlotCapacity * config.RangeRegistersPerCore, config.RangeRegistersPerCore);
    }

    /// <summary>Range registers per core (what the sliceloader programs).</summary>
    public int RangeRegisters => config.RangeRegistersPerCore;

    /// <summary>Number of guest slots; slots are numbered 1..Capacity.</summary>
    public int Capacity => entries.Length;

    /// <summary>The entry of <paramref name="slot"/> (1..Capacity).</summary>
    public SliceEntry this[int slot] =>
        IsSlot(slot) ? entries[slot - 1] : throw new ArgumentOutOfRangeException(nameof(slot), slot, "slots are 1..Capacity");

    /// <summary>True when <paramref name="slot"/> names a slot of this table.</summary>
    public bool IsSlot(int slot) => (uint)(slot - 1) < (uint)entries.Length;

    /// <summary>Owner of a core: a slot, <see cref="Owner.Free"/> or <see cref="Owner.Control"/>; <see cref="Owner.None"/> if no such core.</summary>
    public int CoreOwner(int core) => (uint)core < (uint)coreOwner.Length ? coreOwner[core] : Owner.None;

    /// <summary>Owner of a device: a slot or <see cref="Owner.Free"/>; <see cref="Owner.None"/> if no such device.</summary>
    public int DeviceOwner(int device) => (uint)device < (uint)deviceOwner.Length ? deviceOwner[device] : Owner.None;

    /// <summary>Owner of a cache way: a slot, <see cref="Owner.Free"/> or <see cref="Owner.Control"/>; <see cref="Owner.None"/> if no such way.</summary>
    public int WayOwner(int way) => (uint)way < (uint)config.CacheWays ? wayOwner[way] : Owner.None;

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

    internal SliceEntry Entry(int slot) => entries[slot - 1];

    internal MemoryOwnershipIndex Memory => memory;

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
        SetOwners(entry, (short)slot);
        memory.InsertAll(entry.Ranges, slot);
    }

    /// <summary>Returns everything <paramref name="slot"/> owns to Free and clears the entry.</summary>
    internal void Release(int slot)
    {
        SliceEntry entry = entries[slot - 1];
        SetOwners(entry, Owner.Free);
        memory.RemoveOwner(slot);
        entry.Clear();
    }

    /// <summary>Sets the owner of every core in <paramref name="cores"/> (all validated indices).</summary>
    internal void SetCoreOwners(in ResourceSet cores, short owner)
    {
        for (int core = cores.Next(0); core >= 0; core = cores.Next(core + 1))
        {
            coreOwner[core] = owner;
        }
    }

    private void SetOwners(SliceEntry entry, short owner)
    {
        SetCoreOwners(entry.CoreSet, owner);
        for (int device = entry.DeviceSet.Next(0); device >= 0; device = entry.DeviceSet.Next(device + 1))
        {
            deviceOwner[device] = owner;
        }
        for (int way = 0; way < config.CacheWays; way++)
        {
            if ((entry.Ways & (1UL << way)) != 0)
            {
                wayOwner[way] = owner;
            }
        }
    }
}
