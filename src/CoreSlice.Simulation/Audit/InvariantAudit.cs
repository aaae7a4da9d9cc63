using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Simulation.Audit;

/// <summary>
/// Checks the invariants of docs/design.md (I1–I6) and the transition properties
/// (T1, T2, T5) on a live slicevisor and its simulated machine. Independent of the
/// slicevisor's own checks: it reads only the slice table's public view and the
/// machine's raw registers, memory writers and counters.
/// <para>
/// Use: construct once after the slicevisor (it attaches the machine's ownership
/// view if none is attached, so memory writes are attributed to slots); after
/// every step call <see cref="CheckAll"/>; around a step take <see cref="Snapshot"/>
/// before and call <see cref="CheckStep"/> after. <see cref="I6_StaticResources"/>
/// has memory: it records each slice's resources when it first sees the slot
/// non-Free (per generation), so call it after every slicevisor operation.
/// </para>
/// </summary>
public sealed partial class InvariantAudit
{
    /// <summary>At most this many messages per invariant per call, then one "and N more".</summary>
    public const int MaxMessagesPerInvariant = 20;

    private readonly SliceTable table;
    private readonly SimulatedMachine machine;
    private readonly MachineConfig config;
    private readonly ResourceSet controlCores;
    private readonly Dictionary<int, Recorded> firstSeen = [];
    // On a PMP machine: its entries are the filter (InvariantAudit.Pmp.cs); null on the abstract machine.
    private readonly PmpMachine? pmp;

    /// <summary>Audits <paramref name="slicevisor"/> running on <paramref name="machine"/>.</summary>
    public InvariantAudit(Slicevisor<SimulatedHardwarePort> slicevisor, SimulatedMachine machine)
        : this(slicevisor?.Table ?? throw new ArgumentNullException(nameof(slicevisor)), machine)
    {
    }

    /// <summary>Audits the slice table <paramref name="table"/> of a slicevisor running on <paramref name="machine"/>.</summary>
    public InvariantAudit(SliceTable table, SimulatedMachine machine)
        : this(table, machine, null)
    {
    }

    /// <summary>
    /// Audits the slice table <paramref name="table"/> of a slicevisor running on the PMP machine <paramref name="machine"/>:
    /// the same invariants, with each hart's PMP entries, decoded by <see cref="PmpGrants"/>, as its filter (I2, I3, T1).
    /// </summary>
    public InvariantAudit(SliceTable table, PmpMachine machine)
        : this(table, (machine ?? throw new ArgumentNullException(nameof(machine))).Inner, machine)
    {
    }

    private InvariantAudit(SliceTable table, SimulatedMachine machine, PmpMachine? pmp)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(machine);
        this.table = table;
        this.machine = machine;
        this.pmp = pmp;
        config = machine.Config;
        foreach (int core in config.ControlCores)
        {
            controlCores.Add(core);
        }
        if (!machine.HasOwnershipView)
        {
            if (pmp is not null)
            {
                pmp.AttachOwnership(table.CoreOwner, table.DeviceOwner, table.MemoryOwner);
            }
            else
            {
                machine.AttachOwnership(table.CoreOwner, table.DeviceOwner, table.MemoryOwner);
            }
        }
    }

    /// <summary>I1–I6, in order.</summary>
    public IReadOnlyList<Violation> CheckAll()
    {
        var all = new List<Violation>();
        all.AddRange(I1_Disjointness());
        all.AddRange(I2_FilterSoundness());
        all.AddRange(I3_LockedGuest());
        all.AddRange(I4_DmaConfinement());
        all.AddRange(I5_NoResidue());
        all.AddRange(I6_StaticResources());
        return all;
    }

    /// <summary>
    /// Everything after one step: I1–I6, then T1, T2 and T5 against
    /// <paramref name="before"/>. <paramref name="privilegedStep"/> is true for a
    /// slicevisor operation (which acted on <paramref name="actedOnSlot"/>, 0 if none).
    /// </summary>
    public IReadOnlyList<Violation> CheckStep(MachineSnapshot before, bool privilegedStep, int actedOnSlot = 0)
    {
        var all = new List<Violation>(CheckAll());
        all.AddRange(T1_LockStability(before));
        all.AddRange(T2_ResetAuthority(before, privilegedStep, actedOnSlot));
        all.AddRange(T5_StaticRows(before));
        return all;
    }

    // ------------------------------------------------------------------- I1

    /// <summary>
    /// I1: live slices are pairwise disjoint in cores, memory, devices and ways,
    /// and disjoint from the control slice and reserved memory; the table's
    /// ownership maps agree with the entries; slice memory lies in RAM.
    /// </summary>
    public IReadOnlyList<Violation> I1_Disjointness()
    {
        var v = new Sink("I1_Disjointness");
        var coreClaim = new int[config.CoreCount];
        var deviceClaim = new int[config.DeviceCount];
        CacheDomainMap domains = machine.Domains;
        var claimedWays = new ulong[domains.Count];
        for (int d = 0; d < domains.Count; d++)
        {
            claimedWays[d] = domains.ControlWays(d);
        }
        var memory = new List<(MemoryRange Range, string Holder)>();
        var lent = new List<(MemoryRange Range, string Holder)>();
        foreach (NamedRegion region in config.ReservedRegions)
        {
            memory.Add((region.Range, $"reserved region \"{region.Name}\""));
        }
        foreach (MemoryRange range in config.ControlMemory)
        {
            memory.Add((range, "the control slice"));
        }
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry e = table[slot];
            if (e.State == SliceState.Free)
            {
                // I1_Disjointness.freeRows: a freed slot keeps nothing of its slice in the table
                if (e.Ranges.Length != 0 || !e.Cores.IsEmpty || !e.Devices.IsEmpty || AnyWays(e))
                {
                    v.Add($"the Free slot {slot} still lists {e.Ranges.Length} range(s), cores, devices or ways 0x{e.Ways:x}");
                }
                if (e.Windows.Length != 0)
                {
                    v.Add($"the Free slot {slot} still lists {e.Windows.Length} window(s)");
                }
                continue;
            }
            ResourceSet cores = e.Cores;
            for (int c = cores.Next(0); c >= 0; c = cores.Next(c + 1))
            {
                if (c >= config.CoreCount)
                {
                    v.Add($"slot {slot} lists core {c}, which the machine does not have");
                }
                else if (controlCores.Contains(c))
                {
                    v.Add($"slot {slot} holds core {c} of the control slice");
                }
                else if (coreClaim[c] != 0)
                {
                    v.Add($"core {c} is held by slot {coreClaim[c]} and slot {slot}");
                }
                else
                {
                    coreClaim[c] = slot;
                }
            }
            ResourceSet devices = e.Devices;
            for (int d = devices.Next(0); d >= 0; d = devices.Next(d + 1))
            {
                if (d >= config.DeviceCount)
                {
                    v.Add($"slot {slot} lists device {d}, which the machine does not have");
                }
                else if (deviceClaim[d] != 0)
                {
                    v.Add($"device {d} is held by slot {deviceClaim[d]} and slot {slot}");
                }
                else
                {
                    deviceClaim[d] = slot;
                }
            }
            CheckWays(slot, e, claimedWays, v);
            foreach (MemoryRange range in e.Ranges)
            {
                if (range.Size == 0 || !range.IsRepresentable)
                {
                    v.Add($"slot {slot} holds the malformed range 0x{range.Base:x}+0x{range.Size:x}");
                    continue;
                }
                if (!InRam(range))
                {
                    v.Add($"slot {slot}'s range {range} is not inside one RAM region");
                }
                memory.Add((range, $"slot {slot}"));
                int atBase = table.MemoryOwner(range.Base);
                int atLast = table.MemoryOwner(range.Limit - 1);
                if (atBase != slot || atLast != slot)
                {
                    v.Add($"the memory map says {range} belongs to {OwnerText.Describe(atBase)} / {OwnerText.Describe(atLast)}, the entry says slot {slot}");
                }
            }
            CheckWindows(slot, e, lent, v);
        }
        CheckMemoryDisjoint(memory, v);
        // Windows are control memory (so not in the list above), lent to one slice each.
        CheckMemoryDisjoint(lent, v);
        for (int c = 0; c < config.CoreCount; c++)
        {
            int expected = controlCores.Contains(c) ? Owner.Control : coreClaim[c] != 0 ? coreClaim[c] : Owner.Free;
            if (table.CoreOwner(c) != expected)
            {
                v.Add($"the core map says core {c} belongs to {OwnerText.Describe(table.CoreOwner(c))}, the entries say {OwnerText.Describe(expected)}");
            }
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            int expected = deviceClaim[d] != 0 ? deviceClaim[d] : Owner.Free;
            if (table.DeviceOwner(d) != expected)
            {
                v.Add($"the device map says device {d} belongs to {OwnerText.Describe(table.DeviceOwner(d))}, the entries say {OwnerText.Describe(expected)}");
            }
        }
        for (int d = 0; d < domains.Count; d++)
        {
            CheckWayMap(d, v);
        }
        return v.Result();
    }

    private bool AnyWays(SliceEntry e)
    {
        for (int d = 0; d < machine.Domains.Count; d++)
        {
            if (e.WaysIn(d) != 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// I1 for one live slot's ways, per cache domain: only ways the domain has, none held by the control
    /// slice or another slot (exclusivity is per domain), and ways in exactly the domains of its cores.
    /// </summary>
    private void CheckWays(int slot, SliceEntry e, ulong[] claimedWays, Sink v)
    {
        CacheDomainMap domains = machine.Domains;
        int coreDomains = 0;
        for (int c = e.Cores.Next(0); c >= 0 && c < config.CoreCount; c = e.Cores.Next(c + 1))
        {
            coreDomains |= 1 << domains.DomainOf(c);
        }
        for (int d = 0; d < domains.Count; d++)
        {
            ulong ways = e.WaysIn(d);
            string where = domains.Count == 1 ? "" : $" in cache domain {d}";
            if ((ways & ~domains.AllWays(d)) != 0)
            {
                v.Add($"slot {slot} lists ways 0x{ways & ~domains.AllWays(d):x}{where} the machine does not have");
            }
            if ((ways & claimedWays[d]) != 0)
            {
                v.Add($"slot {slot}'s ways 0x{ways & claimedWays[d]:x}{where} are also the control slice's or another slot's");
            }
            claimedWays[d] |= ways;
            bool hasCore = (coreDomains & (1 << d)) != 0;
            if (hasCore != (ways != 0))
            {
                v.Add(hasCore
                    ? $"slot {slot} has a core but no way in cache domain {d}"
                    : $"slot {slot} holds ways 0x{ways:x} in cache domain {d}, where it has no core");
            }
        }
    }

    /// <summary>I1: the table's way map of domain <paramref name="d"/> agrees with the entries.</summary>
    private void CheckWayMap(int d, Sink v)
    {
        CacheDomainMap domains = machine.Domains;
        for (int w = 0; w < domains.Ways(d); w++)
        {
            int expected = (domains.ControlWays(d) >> w & 1) != 0 ? Owner.Control : Owner.Free;
            for (int slot = 1; slot <= table.Capacity && expected == Owner.Free; slot++)
            {
                if (table[slot].State != SliceState.Free && (table[slot].WaysIn(d) >> w & 1) != 0)
                {
                    expected = slot;
                }
            }
            if (table.WayOwner(d, w) != expected)
            {
                string way = domains.Count == 1 ? $"way {w}" : $"way {w} of cache domain {d}";
                v.Add($"the way map says {way} belongs to {OwnerText.Describe(table.WayOwner(d, w))}, the entries say {OwnerText.Describe(expected)}");
            }
        }
    }

    /// <summary>
    /// I1 for one live slot's permissions and windows: one valid permission per private range;
    /// each window well-formed, exactly Read or Read|Write, inside the control slice's memory,
    /// and recorded in the table's window map as this slot's; the registers fit.
    /// </summary>
    private void CheckWindows(int slot, SliceEntry e, List<(MemoryRange Range, string Holder)> lent, Sink v)
    {
        ReadOnlySpan<Permissions> permissions = e.RangePermissions;
        if (permissions.Length != e.Ranges.Length)
        {
            v.Add($"slot {slot} lists {permissions.Length} permission(s) for {e.Ranges.Length} range(s)");
        }
        for (int i = 0; i < permissions.Length; i++)
        {
            if (permissions[i] == Permissions.None || (permissions[i] & ~Permissions.ReadWriteExecute) != 0)
            {
                v.Add($"slot {slot}'s range {i} has the permission {permissions[i]}");
            }
        }
        if (e.Ranges.Length + e.Windows.Length > config.RangeRegistersPerCore)
        {
            v.Add($"slot {slot} has {e.Ranges.Length} range(s) and {e.Windows.Length} window(s), more than the {config.RangeRegistersPerCore} registers");
        }
        foreach (SharedWindow w in e.Windows)
        {
            MemoryRange range = w.Range;
            if (range.Size == 0 || !range.IsRepresentable)
            {
                v.Add($"slot {slot} holds the malformed window 0x{range.Base:x}+0x{range.Size:x}");
                continue;
            }
            if (w.Permissions != Permissions.Read && w.Permissions != (Permissions.Read | Permissions.Write))
            {
                v.Add($"slot {slot}'s window {range} has the permission {w.Permissions}");
            }
            if (!InControlMemory(range))
            {
                v.Add($"slot {slot}'s window {range} is not inside the control slice's memory");
            }
            lent.Add((range, $"slot {slot} (window)"));
            int atBase = table.WindowHolder(range.Base);
            int atLast = table.WindowHolder(range.Limit - 1);
            if (atBase != slot || atLast != slot)
            {
                v.Add($"the window map says {range} is held by {OwnerText.Describe(atBase)} / {OwnerText.Describe(atLast)}, the entry says slot {slot}");
            }
        }
    }

    /// <summary>True when every byte of <paramref name="range"/> is in some control region (they are disjoint: sizes add up).</summary>
    private bool InControlMemory(MemoryRange range)
    {
        ulong covered = 0;
        foreach (MemoryRange c in config.ControlMemory)
        {
            if (range.Overlaps(c))
            {
                covered += range.Intersect(c).Size;
            }
        }
        return covered == range.Size;
    }

    private static void CheckMemoryDisjoint(List<(MemoryRange Range, string Holder)> memory, Sink v)
    {
        memory.Sort((a, b) => a.Range.Base.CompareTo(b.Range.Base));
        int widest = -1; // the earlier range reaching furthest: any overlap with an earlier range overlaps it
        for (int i = 0; i < memory.Count; i++)
        {
            if (widest >= 0 && memory[i].Range.Overlaps(memory[widest].Range))
            {
                MemoryRange shared = memory[i].Range.Intersect(memory[widest].Range);
                v.Add($"{memory[widest].Holder} and {memory[i].Holder} both hold {shared}");
            }
            if (widest < 0 || memory[i].Range.Limit > memory[widest].Range.Limit)
            {
                widest = i;
            }
        }
    }

    // ------------------------------------------------------------------- I2

    /// <summary>
    /// I2: every core running software (Guest or Control mode) is locked, and its
    /// enabled range registers allow only its owner's memory (for a guest: its private
    /// ranges, and its windows with no more than each window's permission), its IPI mask
    /// only its owner's cores, its way mask only its owner's ways.
    /// </summary>
    public IReadOnlyList<Violation> I2_FilterSoundness()
    {
        var v = new Sink("I2_FilterSoundness");
        for (int c = 0; c < config.CoreCount; c++)
        {
            CoreMode mode = machine.Mode(c);
            if (mode != CoreMode.Guest && mode != CoreMode.Control)
            {
                continue;
            }
            int owner = table.CoreOwner(c);
            if (!Holdings(owner, c, out ReadOnlySpan<MemoryRange> memory, out ResourceSet cores, out ulong ways))
            {
                v.Add($"core {c} runs in mode {mode} but belongs to {OwnerText.Describe(owner)}");
                continue;
            }
            if (!machine.IsLocked(c))
            {
                v.Add($"core {c} ({OwnerText.Describe(owner)}) runs in mode {mode} with unlocked filter registers");
            }
            if (pmp is not null)
            {
                PmpFilterSound(v, c, owner, memory, cores);
            }
            else
            {
                RegistersSound(v, c, owner, memory, cores);
            }
            ulong stray = machine.WayMaskOf(c) & ~ways;
            if (stray != 0)
            {
                v.Add($"core {c} ({OwnerText.Describe(owner)}) may use ways 0x{stray:x} it does not own");
            }
        }
        return v.Result();
    }

    private void RegistersSound(Sink v, int c, int owner, ReadOnlySpan<MemoryRange> memory, ResourceSet cores)
    {
        ReadOnlySpan<RangeRegister> registers = machine.RangeRegistersOf(c);
        for (int i = 0; i < registers.Length; i++)
        {
            RangeRegister r = registers[i];
            if (r.Enabled && !CoveredBy(new MemoryRange(r.Base, r.Size), memory) && !CoveredByWindow(owner, r))
            {
                v.Add($"core {c} range register {i} allows 0x{r.Base:x}+0x{r.Size:x} ({r.Permissions}), outside the memory of {OwnerText.Describe(owner)}");
            }
        }
        ResourceSet ipi = machine.IpiMaskOf(c);
        for (int t = ipi.Next(0); t >= 0; t = ipi.Next(t + 1))
        {
            if (!cores.Contains(t))
            {
                v.Add($"core {c} ({OwnerText.Describe(owner)}) may send IPIs to core {t} of {OwnerText.Describe(table.CoreOwner(t))}");
            }
        }
    }

    // ------------------------------------------------------------------- I3

    /// <summary>
    /// I3: a core in Guest mode belongs to a started slice (Running, or Destroying
    /// after a fault), is locked, and its registers are exactly what the entry
    /// dictates: register i = private range i with its permission, register nr + k =
    /// window k with its permission (disabled past them), IPI
    /// mask = the slice's cores, way mask = the slice's ways, entered at the entry point.
    /// </summary>
    public IReadOnlyList<Violation> I3_LockedGuest()
    {
        var v = new Sink("I3_LockedGuest");
        for (int c = 0; c < config.CoreCount; c++)
        {
            if (machine.Mode(c) != CoreMode.Guest)
            {
                continue;
            }
            int slot = table.CoreOwner(c);
            if (slot < 1 || slot > table.Capacity)
            {
                v.Add($"core {c} runs guest code but belongs to {OwnerText.Describe(slot)}");
                continue;
            }
            SliceEntry e = table[slot];
            if (e.State != SliceState.Running && e.State != SliceState.Destroying)
            {
                v.Add($"core {c} runs guest code for slot {slot}, which is {e.State}");
            }
            if (!machine.IsLocked(c))
            {
                v.Add($"core {c} runs guest code for slot {slot} with unlocked filter registers");
            }
            if (pmp is not null)
            {
                PmpFilterExact(v, c, slot, e);
            }
            else
            {
                RegistersExact(v, c, slot, e);
            }
            if (machine.WayMaskOf(c) != e.WaysOfCore(c))
            {
                v.Add($"core {c} (slot {slot}) has way mask 0x{machine.WayMaskOf(c):x}, the entry dictates 0x{e.WaysOfCore(c):x}");
            }
            if (machine.EntryPointOf(c) != e.EntryPoint)
            {
                v.Add($"core {c} (slot {slot}) entered the guest at 0x{machine.EntryPointOf(c):x}, the entry point is 0x{e.EntryPoint:x}");
            }
        }
        return v.Result();
    }

    private void RegistersExact(Sink v, int c, int slot, SliceEntry e)
    {
        ReadOnlySpan<MemoryRange> ranges = e.Ranges;
        ReadOnlySpan<SharedWindow> windows = e.Windows;
        ReadOnlySpan<RangeRegister> registers = machine.RangeRegistersOf(c);
        for (int i = 0; i < registers.Length; i++)
        {
            int k = i - ranges.Length;
            RangeRegister expected = i < ranges.Length
                ? new RangeRegister(ranges[i].Base, ranges[i].Size, e.RangePermissions[i])
                : k < windows.Length
                    ? new RangeRegister(windows[k].Range.Base, windows[k].Range.Size, windows[k].Permissions)
                    : default;
            if (registers[i] != expected)
            {
                v.Add($"core {c} (slot {slot}) range register {i} holds 0x{registers[i].Base:x}+0x{registers[i].Size:x} {registers[i].Permissions}, the entry dictates 0x{expected.Base:x}+0x{expected.Size:x} {expected.Permissions}");
            }
        }
        if (!machine.IpiMaskOf(c).Equals(e.Cores))
        {
            v.Add($"core {c} (slot {slot}) has an IPI mask different from the slice's cores");
        }
    }

    // ------------------------------------------------------------------- I4

    /// <summary>
    /// I4: a device's IOMMU window is closed, or each of its entries lies inside one private range
    /// or one window of the slice that owns the device, granting no more than the guest holds there
    /// (and never Execute).
    /// </summary>
    public IReadOnlyList<Violation> I4_DmaConfinement()
    {
        var v = new Sink("I4_DmaConfinement");
        for (int d = 0; d < config.DeviceCount; d++)
        {
            ReadOnlySpan<IommuMapping> window = machine.IommuWindow(d);
            if (window.IsEmpty)
            {
                continue;
            }
            int slot = table.DeviceOwner(d);
            if (slot < 1 || slot > table.Capacity || table[slot].State == SliceState.Free)
            {
                v.Add($"device {d} may DMA to {window[0].Range} but belongs to {OwnerText.Describe(slot)}");
                continue;
            }
            foreach (IommuMapping mapping in window)
            {
                Permissions held = HeldOver(table[slot], mapping.Range);
                if (held == Permissions.None)
                {
                    v.Add($"device {d} (slot {slot}) may DMA to {mapping.Range}, outside slot {slot}'s memory and windows");
                }
                else if ((mapping.Permissions & ~(held & (Permissions.Read | Permissions.Write))) != 0)
                {
                    v.Add($"device {d} (slot {slot}) may DMA to {mapping.Range} with {mapping.Permissions}, more than the slot's {held} there");
                }
            }
        }
        return v.Result();
    }

    /// <summary>The permission the slice holds on the private range or window covering <paramref name="range"/>; None when none does.</summary>
    private static Permissions HeldOver(SliceEntry entry, MemoryRange range)
    {
        for (int i = 0; i < entry.Ranges.Length; i++)
        {
            if (entry.Ranges[i].Covers(range))
            {
                return entry.RangePermissions[i];
            }
        }
        foreach (SharedWindow w in entry.Windows)
        {
            if (w.Range.Covers(range))
            {
                return w.Permissions;
            }
        }
        return Permissions.None;
    }

    // ------------------------------------------------------------------- I5

    /// <summary>
    /// I5: every granule holding bytes (a page written since its last scrub) was
    /// last written by its current owner, a slot or the control slice — or, in a
    /// window, by the control slice or the slot holding the window; so free
    /// memory, reserved memory and a new owner's memory read as zeros.
    /// </summary>
    public IReadOnlyList<Violation> I5_NoResidue()
    {
        var v = new Sink("I5_NoResidue");
        machine.Memory.ForEachPresent((granule, writer) =>
        {
            int owner = table.MemoryOwner(granule);
            bool lentTo = owner == Owner.Control && writer >= 1 && table.WindowHolder(granule) == writer;
            if ((writer != owner && !lentTo) || owner < Owner.Control)
            {
                string holder = owner == Owner.None ? "no RAM" : OwnerText.Describe(owner);
                v.Add($"granule 0x{granule:x} (owned by {holder}) holds bytes written by {OwnerText.Describe(writer)}");
            }
        });
        return v.Result();
    }

    // ------------------------------------------------------------------- I6

    /// <summary>
    /// I6: a slice's cores, devices, ways, ranges (with their permissions), windows and entry point stay what they were
    /// when the audit first saw the slot non-Free (in this generation), until it is Free again.
    /// </summary>
    public IReadOnlyList<Violation> I6_StaticResources()
    {
        var v = new Sink("I6_StaticResources");
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry e = table[slot];
            if (e.State == SliceState.Free)
            {
                firstSeen.Remove(slot);
                continue;
            }
            if (!firstSeen.TryGetValue(slot, out Recorded? seen) || seen.Generation != e.Generation)
            {
                firstSeen[slot] = new Recorded(e.Generation, e.Cores, e.Devices, WaysOf(e), e.EntryPoint, e.Ranges.ToArray(), e.RangePermissions.ToArray(), e.Windows.ToArray());
                continue;
            }
            if (!seen.Cores.Equals(e.Cores))
            {
                v.Add($"slot {slot} ({e.State}) has different cores than when it was created");
            }
            if (!seen.Devices.Equals(e.Devices))
            {
                v.Add($"slot {slot} ({e.State}) has different devices than when it was created");
            }
            ulong[] ways = WaysOf(e);
            for (int d = 0; d < ways.Length; d++)
            {
                if (seen.Ways[d] != ways[d])
                {
                    v.Add($"slot {slot} ({e.State}) has ways 0x{ways[d]:x} in cache domain {d}, created with 0x{seen.Ways[d]:x}");
                }
            }
            if (seen.EntryPoint != e.EntryPoint)
            {
                v.Add($"slot {slot} ({e.State}) has entry point 0x{e.EntryPoint:x}, created with 0x{seen.EntryPoint:x}");
            }
            if (!e.Ranges.SequenceEqual(seen.Ranges))
            {
                v.Add($"slot {slot} ({e.State}) has different memory ranges than when it was created");
            }
            if (!e.RangePermissions.SequenceEqual(seen.Permissions))
            {
                v.Add($"slot {slot} ({e.State}) has different range permissions than when it was created");
            }
            if (!e.Windows.SequenceEqual(seen.Windows))
            {
                v.Add($"slot {slot} ({e.State}) has different windows than when it was created");
            }
        }
        return v.Result();
    }

    // ------------------------------------------------------------ transitions

    /// <summary>The registers, lock bits and counters T1 and T2 compare across a step.</summary>
    public MachineSnapshot Snapshot() => new(machine, table, pmp);

    /// <summary>T1: every core locked before the step, and not reset during it, is still locked with the same registers.</summary>
    public IReadOnlyList<Violation> T1_LockStability(MachineSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var v = new Sink("T1_LockStability");
        for (int c = 0; c < config.CoreCount; c++)
        {
            if (!before.Locked[c] || machine.ResetCount(c) != before.Resets[c])
            {
                continue;
            }
            if (!machine.IsLocked(c))
            {
                v.Add($"core {c} was locked and is now unlocked without a secure reset");
            }
            if (!machine.RangeRegistersOf(c).SequenceEqual(before.RangeRegisters(c)))
            {
                v.Add($"core {c}'s locked range registers changed without a secure reset");
            }
            if (pmp is not null && !pmp.EntriesOf(c).SequenceEqual(before.PmpEntries(c)))
            {
                v.Add($"core {c}'s locked PMP entries changed without a secure reset");
            }
            if (!machine.IpiMaskOf(c).Equals(before.IpiMasks[c]))
            {
                v.Add($"core {c}'s locked IPI mask changed without a secure reset");
            }
            if (machine.WayMaskOf(c) != before.WayMasks[c])
            {
                v.Add($"core {c}'s locked way mask changed without a secure reset");
            }
        }
        return v.Result();
    }

    /// <summary>
    /// T2: cores are reset only by slicevisor operations (<paramref name="privilegedStep"/>),
    /// never a control core, and only the cores of the slot the operation acted on
    /// (<paramref name="actedOnSlot"/>, when not 0: its cores before or after the step).
    /// </summary>
    public IReadOnlyList<Violation> T2_ResetAuthority(MachineSnapshot before, bool privilegedStep, int actedOnSlot = 0)
    {
        ArgumentNullException.ThrowIfNull(before);
        var v = new Sink("T2_ResetAuthority");
        ResourceSet allowed = default;
        if (actedOnSlot >= 1 && actedOnSlot <= table.Capacity)
        {
            allowed = table[actedOnSlot].Cores;
            ResourceSet earlier = before.SlotCores(actedOnSlot);
            for (int c = earlier.Next(0); c >= 0; c = earlier.Next(c + 1))
            {
                allowed.Add(c);
            }
        }
        for (int c = 0; c < config.CoreCount; c++)
        {
            long delta = machine.ResetCount(c) - before.Resets[c];
            if (delta == 0)
            {
                continue;
            }
            if (!privilegedStep)
            {
                v.Add($"core {c} was reset {delta} time(s) during a step that was not a slicevisor operation");
            }
            else if (controlCores.Contains(c))
            {
                v.Add($"control core {c} was reset by the slicevisor");
            }
            else if (actedOnSlot != 0 && !allowed.Contains(c))
            {
                v.Add($"core {c} was reset by an operation on slot {actedOnSlot}, which does not own it");
            }
        }
        return v.Result();
    }

    /// <summary>
    /// T5: a slot live (not Free) before and after the step, in the same generation, keeps its whole slice-table row:
    /// its ranges with their permissions, its windows and its DMA rows. Only a create (of a Free slot) or a completed
    /// destroy changes one.
    /// </summary>
    public IReadOnlyList<Violation> T5_StaticRows(MachineSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var v = new Sink("T5_StaticRows");
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry e = table[slot];
            // a new generation is a new slice (freed and created again between the snapshot and now, as a
            // simulate step that recycles a slot does): its row is new, not changed
            if (!before.Live(slot) || e.State == SliceState.Free || e.Generation != before.Generation(slot))
            {
                continue;
            }
            if (!e.Ranges.SequenceEqual(before.Ranges(slot)) || !e.RangePermissions.SequenceEqual(before.RangePermissions(slot)))
            {
                v.Add($"slot {slot}'s ranges or their permissions changed while it stayed live");
            }
            if (!e.Windows.SequenceEqual(before.Windows(slot)))
            {
                v.Add($"slot {slot}'s windows changed while it stayed live");
            }
            if (!e.DmaRanges.SequenceEqual(before.DmaRanges(slot)))
            {
                v.Add($"slot {slot}'s DMA rows changed while it stayed live");
            }
        }
        return v.Result();
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>What <paramref name="owner"/> holds; its ways are those in <paramref name="core"/>'s cache domain (what that core's way mask is over).</summary>
    private bool Holdings(int owner, int core, out ReadOnlySpan<MemoryRange> memory, out ResourceSet cores, out ulong ways)
    {
        if (owner == Owner.Control)
        {
            memory = config.ControlMemory.AsSpan();
            cores = controlCores;
            ways = machine.Domains.ControlWaysOfCore(core);
            return true;
        }
        if (owner >= 1 && owner <= table.Capacity && table[owner].State != SliceState.Free)
        {
            SliceEntry e = table[owner];
            memory = e.Ranges;
            cores = e.Cores;
            ways = e.WaysOfCore(core);
            return true;
        }
        memory = default;
        cores = default;
        ways = 0;
        return false;
    }

    /// <summary>True when <paramref name="register"/> lies in one window of slot <paramref name="owner"/> and allows no more than it.</summary>
    private bool CoveredByWindow(int owner, RangeRegister register)
    {
        if (owner < 1 || owner > table.Capacity)
        {
            return false;
        }
        foreach (SharedWindow w in table[owner].Windows)
        {
            if (w.Range.Covers(register.Base, register.Size) && (register.Permissions & ~w.Permissions) == 0)
            {
                return true;
            }
        }
        return false;
    }

    private static bool CoveredBy(MemoryRange inner, ReadOnlySpan<MemoryRange> outer)
    {
        foreach (MemoryRange r in outer)
        {
            if (r.Covers(inner))
            {
                return true;
            }
        }
        return false;
    }

    private bool InRam(MemoryRange range) => CoveredBy(range, config.RamRegions.AsSpan());

    private ulong[] WaysOf(SliceEntry e)
    {
        var ways = new ulong[machine.Domains.Count];
        for (int d = 0; d < ways.Length; d++)
        {
            ways[d] = e.WaysIn(d);
        }
        return ways;
    }

    private sealed record Recorded(ulong Generation, ResourceSet Cores, ResourceSet Devices, ulong[] Ways, ulong EntryPoint, MemoryRange[] Ranges, Permissions[] Permissions, SharedWindow[] Windows);

    /// <summary>Collects one invariant's violations, capping the messages.</summary>
    private sealed class Sink(string invariant)
    {
        private readonly List<Violation> list = [];
        private int dropped;

        public void Add(string message)
        {
            if (list.Count < MaxMessagesPerInvariant)
            {
                list.Add(new Violation(invariant, message));
            }
            else
            {
                dropped++;
            }
        }

        public List<Violation> Result()
        {
            if (dropped > 0)
            {
                list.Add(new Violation(invariant, $"and {dropped} more violation(s) of {invariant}"));
            }
            return list;
        }
    }
}

/// <summary>A copy of every core's lock bit, filter registers and reset count, and of every slot's cores and row, for T1, T2 and T5.</summary>
public sealed class MachineSnapshot
{
    private readonly RangeRegister[] rangeRegisters;
    private readonly PmpEntry[] pmpEntries;
    private readonly int pmpPerCore;
    private readonly ResourceSet[] slotCores;
    private readonly Row[] rows;
    private readonly int perCore;

    // a slot's slice-table row, for T5
    private sealed record Row(bool Live, ulong Generation, MemoryRange[] Ranges, Permissions[] RangePermissions, SharedWindow[] Windows, DmaRange[] DmaRanges);

    internal MachineSnapshot(SimulatedMachine machine, SliceTable table, PmpMachine? pmp = null)
    {
        pmpEntries = pmp is null ? [] : [.. Enumerable.Range(0, machine.CoreCount).SelectMany(c => pmp.EntriesOf(c).ToArray())];
        pmpPerCore = pmp?.Geometry.Entries ?? 0;
        slotCores = new ResourceSet[table.Capacity + 1];
        rows = new Row[table.Capacity + 1];
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry e = table[slot];
            slotCores[slot] = e.Cores;
            rows[slot] = new Row(e.State != SliceState.Free, e.Generation, e.Ranges.ToArray(), e.RangePermissions.ToArray(), e.Windows.ToArray(), e.DmaRanges.ToArray());
        }
        int n = machine.CoreCount;
        perCore = machine.RangeRegistersPerCore;
        rangeRegisters = new RangeRegister[n * perCore];
        var locked = new bool[n];
        var ipiMasks = new ResourceSet[n];
        var wayMasks = new ulong[n];
        var resets = new long[n];
        for (int c = 0; c < n; c++)
        {
            machine.RangeRegistersOf(c).CopyTo(rangeRegisters.AsSpan(c * perCore, perCore));
            locked[c] = machine.IsLocked(c);
            ipiMasks[c] = machine.IpiMaskOf(c);
            wayMasks[c] = machine.WayMaskOf(c);
            resets[c] = machine.ResetCount(c);
        }
        Locked = locked;
        IpiMasks = ipiMasks;
        WayMasks = wayMasks;
        Resets = resets;
    }

    /// <summary>Lock bit per core.</summary>
    public IReadOnlyList<bool> Locked { get; }

    /// <summary>IPI mask per core.</summary>
    public IReadOnlyList<ResourceSet> IpiMasks { get; }

    /// <summary>Way mask per core.</summary>
    public IReadOnlyList<ulong> WayMasks { get; }

    /// <summary>Secure-reset count per core.</summary>
    public IReadOnlyList<long> Resets { get; }

    /// <summary>The cores <paramref name="slot"/> held when the snapshot was taken (empty for a bad slot).</summary>
    public ResourceSet SlotCores(int slot) => slot >= 1 && slot < slotCores.Length ? slotCores[slot] : default;

    /// <summary>Whether <paramref name="slot"/> was live (not Free) when the snapshot was taken.</summary>
    public bool Live(int slot) => slot >= 1 && slot < rows.Length && rows[slot].Live;

    /// <summary>The generation of <paramref name="slot"/>'s entry (0 for a bad slot).</summary>
    public ulong Generation(int slot) => slot >= 1 && slot < rows.Length ? rows[slot].Generation : 0;

    /// <summary>The ranges <paramref name="slot"/> held (empty for a bad slot).</summary>
    public ReadOnlySpan<MemoryRange> Ranges(int slot) => slot >= 1 && slot < rows.Length ? rows[slot].Ranges : [];

    /// <summary>The permissions of those ranges.</summary>
    public ReadOnlySpan<Permissions> RangePermissions(int slot) => slot >= 1 && slot < rows.Length ? rows[slot].RangePermissions : [];

    /// <summary>The windows <paramref name="slot"/> held.</summary>
    public ReadOnlySpan<SharedWindow> Windows(int slot) => slot >= 1 && slot < rows.Length ? rows[slot].Windows : [];

    /// <summary>The DMA rows <paramref name="slot"/> held.</summary>
    public ReadOnlySpan<DmaRange> DmaRanges(int slot) => slot >= 1 && slot < rows.Length ? rows[slot].DmaRanges : [];

    /// <summary>The range registers of <paramref name="core"/>.</summary>
    public ReadOnlySpan<RangeRegister> RangeRegisters(int core) => rangeRegisters.AsSpan(core * perCore, perCore);

    /// <summary>The PMP entries of <paramref name="core"/> (empty on the abstract machine).</summary>
    public ReadOnlySpan<PmpEntry> PmpEntries(int core) => pmpEntries.AsSpan(core * pmpPerCore, pmpPerCore);
}
