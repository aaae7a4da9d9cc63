using CoreSlice.Hardware;
using CoreSlice.Harness.Steps;
using CoreSlice.Harness.Model;
using FsCheck;
using FsCheck.Fluent;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// A step as generated: an intent, resolved into a concrete <see cref="Step"/> against the state
/// when it runs (so a "valid request with one field broken" stays meaningful after shrinking
/// removes earlier steps). The model-based tests resolve against the MODEL's state
/// (<see cref="Resolver"/>); the property tests resolve against the real one (Properties/RunExecutor).
/// </summary>
public abstract record Intent;

/// <summary>How a mostly-valid request is broken (one field; a second twist tests the check order).</summary>
public enum Twist
{
    None, NoCores, TooManyCores, NoMemory, TooManyRanges, TooManyDevices,
    CoreOutOfRange, ControlCore, DuplicateCore, StolenCore,
    EmptyRange, UnalignedBase, UnalignedSize, WrappingRange, OutsideRam, StraddleRam,
    ReservedOverlap, ControlOverlap, SelfOverlap, StolenMemory, AdjacentToHeld,
    DeviceOutOfRange, DuplicateDevice, StolenDevice,
    NoWays, WayOutOfRange, ControlWay, StolenWay,
    EntryPastEnd, EntryBelowBase,
    // Intentional sharing: permissions on the private ranges, windows onto control memory.
    PermissionsMismatch, BadRangePermissions, EntryNotExecutable, TooManyWindows,
    EmptyWindow, UnalignedWindow, WrappingWindow, BadWindowPermissions, WindowOutsideControl,
    WindowSelfOverlap, StolenWindow,
    // Per-device DMA ranges.
    TooManyDmaRanges, DmaForeignDevice, DmaEmpty, DmaUnaligned, DmaWraps, DmaBadPermissions, DmaOutsideSlice, DmaWritesReadOnly,
}

/// <summary>
/// A mostly-valid CreateSlice. <paramref name="Share"/>: bit 0 gives every private range a permission
/// (the one holding the entry executable), bit 1 asks for a window onto free control memory, bit 2 gives
/// each device a DMA row on a granule of the first range (and one on the window, read-only, if any).
/// </summary>
public sealed record CreateIntent(int Cores, int Granules, int Devices, int Ways, bool Split, Twist How, Twist Then, int Pick, int Share = 0) : Intent;

public sealed record LoadIntent(SlotRef Slot, int Place, ulong Offset, int Length) : Intent;

public sealed record StartIntent(SlotRef Slot) : Intent;

public sealed record DestroyIntent(SlotRef Slot) : Intent;

public sealed record AttestIntent(SlotRef Slot, int Nonce, int Buffer) : Intent;

/// <summary>A guest or device action (<paramref name="Kind"/> one of <see cref="IntentGen.GuestKinds"/>) aimed by <paramref name="Where"/>.</summary>
public sealed record GuestIntent(StepKind Kind, int Actor, Target Where, int Pick, ulong Offset, int Length) : Intent;

public sealed record FaultIntent(FaultKind Kind, int Index, int Count) : Intent;

/// <summary>Turns intents into concrete steps, reading only the model.</summary>
public static class Resolver
{
    public static Step Resolve(Intent intent, SpecModel m) => intent switch
    {
        CreateIntent c => Create(c, m),
        LoadIntent l => Load(l, m),
        StartIntent s => new Step(StepKind.Start) { Slot = SlotOf(s.Slot, m) },
        DestroyIntent d => new Step(StepKind.Destroy) { Slot = SlotOf(d.Slot, m) },
        AttestIntent a => new Step(StepKind.Attest) { Slot = SlotOf(a.Slot, m), Length = a.Nonce, Buffer = a.Buffer },
        GuestIntent g => Guest(g, m),
        FaultIntent f => new Step(StepKind.ArmFault)
        {
            Fault = new Fault(f.Kind, f.Kind == FaultKind.IommuFails ? Mod(f.Index, m.Config.DeviceCount) : Mod(f.Index, m.Config.CoreCount), f.Count),
        },
        _ => throw new InvalidOperationException(),
    };

    private static int Mod(int x, int n) => n <= 0 ? 0 : (int)((uint)x % (uint)n);

    public static int SlotOf(SlotRef r, SpecModel m)
    {
        if (!r.Live) { return r.N; }
        int[] live = Enumerable.Range(1, m.Slots.Length).Where(s => m.Slot(s).State != SliceState.Free).ToArray();
        return live.Length == 0 ? 1 + Mod(r.N, m.Slots.Length) : live[Mod(r.N, live.Length)];
    }

    /// <summary>Free RAM intervals (granule aligned), ascending.</summary>
    public static List<MemoryRange> FreeGaps(SpecModel m)
    {
        var taken = new List<MemoryRange>();
        taken.AddRange(m.Config.ReservedRegions.Select(r => r.Range));
        taken.AddRange(m.Config.ControlMemory);
        foreach (ModelSlot s in m.Slots) { taken.AddRange(s.Ranges); }
        ulong g = m.Config.GranuleSize;
        var gaps = new List<MemoryRange>();
        foreach (MemoryRange ram in m.Config.RamRegions.OrderBy(r => r.Base))
        {
            ulong at = ram.Base;
            ulong end = (ulong)SpecModel.End(ram);
            foreach (MemoryRange t in taken.Where(t => SpecModel.Overlaps(t, ram)).OrderBy(t => t.Base))
            {
                ulong tb = t.Base / g * g;
                if (tb > at) { gaps.Add(new MemoryRange(at, tb - at)); }
                at = Math.Max(at, (ulong)((SpecModel.End(t) + g - 1) / g * g));
            }
            if (end > at) { gaps.Add(new MemoryRange(at, end - at)); }
        }
        return gaps;
    }

    private static Step Create(CreateIntent c, SpecModel m)
    {
        MachineConfig cfg = m.Config;
        ulong g = cfg.GranuleSize;
        List<int> cores = Enumerable.Range(0, cfg.CoreCount).Where(k => m.CoreOwner[k] == SpecModel.Free).Take(Math.Max(1, c.Cores)).ToList();
        if (cores.Count == 0) { cores.Add(cfg.CoreCount - 1); } // in use: the request will be refused
        List<int> devices = Enumerable.Range(0, cfg.DeviceCount).Where(d => m.DeviceOwner[d] == SpecModel.Free).Take(c.Devices).ToList();
        ulong ways = 0;
        foreach (int w in Enumerable.Range(0, cfg.CacheWays).Where(w => m.WayOwner[w] == SpecModel.Free).Take(Math.Max(1, c.Ways))) { ways |= 1UL << w; }
        List<MemoryRange> gaps = FreeGaps(m);
        ulong want = (ulong)Math.Max(1, c.Granules) * g;
        MemoryRange range = gaps.FirstOrDefault(x => x.Size >= want) is { Size: > 0 } fit ? new MemoryRange(fit.Base, want)
            : gaps.Count > 0 ? gaps.MaxBy(x => x.Size) : new MemoryRange(cfg.RamRegions[0].Base, g);
        var ranges = new List<MemoryRange>();
        if (c.Split && range.Size >= 2 * g && cfg.RangeRegistersPerCore >= 2)
        {
            ulong half = range.Size / g / 2 * g;
            ranges.Add(new MemoryRange(range.Base + half, range.Size - half)); // the higher half first: request order is kept
            ranges.Add(new MemoryRange(range.Base, half));
        }
        else
        {
            ranges.Add(range);
        }
        MemoryRange last = ranges[^1];
        ulong entry = Mod(c.Pick, 3) switch { 0 => ranges[0].Base, 1 => (ulong)(SpecModel.End(last) - 1), _ => last.Base + (last.Size / 2) };
        var r = new Parts(cores, ranges, devices, ways, entry) { WantPermissions = (c.Share & 1) != 0 };
        if ((c.Share & 2) != 0 && ranges.Count < cfg.RangeRegistersPerCore && FreeWindow(m, c.Pick) is { } window)
        {
            r.Windows.Add(new SharedWindow(window, (c.Pick & 8) == 0 ? Permissions.Read : Permissions.Read | Permissions.Write));
        }
        if ((c.Share & 4) != 0)
        {
            foreach (int d in devices)
            {
                r.Dma.Add(new DmaRange(d, new MemoryRange(ranges[0].Base, g), Permissions.Read));
                if (r.Windows.Count > 0)
                {
                    r.Dma.Add(new DmaRange(d, r.Windows[0].Range, Permissions.Read));
                }
            }
        }
        Apply(c.How, r, m, c.Pick);
        Apply(c.Then, r, m, c.Pick / 7);
        return new Step(StepKind.Create)
        {
            Request = new SliceRequest
            {
                Cores = r.Cores.ToArray(), Ranges = r.Ranges.ToArray(), RangePermissions = PermissionsOf(r, c.Pick), Windows = r.Windows.ToArray(),
                Devices = r.Devices.ToArray(), DmaRanges = r.Dma.ToArray(), Ways = r.Ways, EntryPoint = r.Entry,
            },
        };
    }

    private sealed class Parts(List<int> cores, List<MemoryRange> ranges, List<int> devices, ulong ways, ulong entry)
    {
        public List<int> Cores = cores;
        public List<MemoryRange> Ranges = ranges;
        public List<int> Devices = devices;
        public ulong Ways = ways;
        public ulong Entry = entry;
        public List<SharedWindow> Windows = [];
        public List<DmaRange> Dma = [];
        public bool WantPermissions;
        public Twist PermissionTwist = Twist.None;
    }

    private static readonly Permissions[] Executable = [Permissions.ReadWriteExecute, Permissions.Read | Permissions.Execute, Permissions.Execute];
    private static readonly Permissions[] Any = [Permissions.Read, Permissions.Read | Permissions.Write, Permissions.Write, Permissions.ReadWriteExecute, Permissions.Read | Permissions.Execute];

    /// <summary>
    /// The permissions of the request's final ranges (derived last, so a twist that adds or drops a range
    /// keeps them one per range): none unless asked for; the range holding the entry executable, unless a
    /// permission twist breaks them on purpose.
    /// </summary>
    private static Permissions[] PermissionsOf(Parts r, int pick)
    {
        if (!r.WantPermissions && r.PermissionTwist == Twist.None)
        {
            return [];
        }
        var p = r.Ranges.Select((x, i) => SpecModel.Contains(x, r.Entry) ? Executable[Mod(pick + i, Executable.Length)] : Any[Mod(pick + i, Any.Length)]).ToList();
        switch (r.PermissionTwist)
        {
            case Twist.PermissionsMismatch: p.Add(Permissions.Read); break;
            case Twist.BadRangePermissions when p.Count > 0: p[Mod(pick, p.Count)] = (pick & 1) == 0 ? Permissions.None : (Permissions)0x0F; break;
            case Twist.EntryNotExecutable:
                int at = r.Ranges.FindIndex(x => SpecModel.Contains(x, r.Entry));
                if (at >= 0) { p[at] = Permissions.Read | Permissions.Write; }
                break;
            default: break;
        }
        return [.. p];
    }

    /// <summary>Control memory no slice holds as a window (granule aligned), ascending.</summary>
    public static List<MemoryRange> FreeControl(SpecModel m)
    {
        ulong g = m.Config.GranuleSize;
        var lent = m.Slots.SelectMany(s => s.Windows).Select(w => w.Range).OrderBy(w => w.Base).ToList();
        var gaps = new List<MemoryRange>();
        foreach (MemoryRange ctl in m.Config.ControlMemory.OrderBy(r => r.Base))
        {
            ulong at = ctl.Base;
            ulong end = (ulong)SpecModel.End(ctl);
            foreach (MemoryRange t in lent.Where(t => SpecModel.Overlaps(t, ctl)))
            {
                if (t.Base > at) { gaps.Add(new MemoryRange(at, t.Base - at)); }
                at = Math.Max(at, (ulong)SpecModel.End(t));
            }
            if (end > at) { gaps.Add(new MemoryRange(at, end - at)); }
        }
        return gaps.Where(x => x.Size >= g).ToList();
    }

    /// <summary>One or two granules of free control memory, or null when every byte of it is lent.</summary>
    private static MemoryRange? FreeWindow(SpecModel m, int pick)
    {
        ulong g = m.Config.GranuleSize;
        List<MemoryRange> free = FreeControl(m);
        if (free.Count == 0) { return null; }
        MemoryRange gap = free[Mod(pick, free.Count)];
        ulong size = gap.Size >= 2 * g && (pick & 16) != 0 ? 2 * g : g;
        ulong slots = (gap.Size - size) / g;
        return new MemoryRange(gap.Base + ((ulong)Mod(pick / 3, (int)Math.Min(slots + 1, 64)) * g), size);
    }

    /// <summary>Room for one more window: drop the last range when the registers are full (the entry moves to the first).</summary>
    private static void MakeRoomForWindow(Parts r, MachineConfig cfg)
    {
        if (r.Ranges.Count + r.Windows.Count >= cfg.RangeRegistersPerCore && r.Ranges.Count > 1)
        {
            r.Ranges.RemoveAt(r.Ranges.Count - 1);
            r.Entry = r.Ranges[0].Base;
        }
    }

    private static void Put<T>(List<T> list, T item, int pick)
    {
        if ((pick & 1) == 0) { list.Add(item); } else { list.Insert(0, item); }
    }

    private static void SetFirst(List<MemoryRange> ranges, MemoryRange value)
    {
        if (ranges.Count == 0) { ranges.Add(value); } else { ranges[0] = value; }
    }

    private static int? Held(int[] owners, int pick)
    {
        int[] held = Enumerable.Range(0, owners.Length).Where(i => owners[i] > 0).ToArray();
        return held.Length == 0 ? null : held[Mod(pick, held.Length)];
    }

    private static void Apply(Twist how, Parts r, SpecModel m, int pick)
    {
        MachineConfig cfg = m.Config;
        ulong g = cfg.GranuleSize;
        MemoryRange first = r.Ranges.Count > 0 ? r.Ranges[0] : new MemoryRange(cfg.RamRegions[0].Base, g);
        ulong ramTop = cfg.RamRegions.Max(x => (ulong)SpecModel.End(x));
        switch (how)
        {
            case Twist.NoCores: r.Cores.Clear(); break;
            case Twist.TooManyCores: r.Cores = Enumerable.Repeat(r.Cores.Count > 0 ? r.Cores[0] : 1, cfg.CoreCount + 1).ToList(); break;
            case Twist.NoMemory: r.Ranges.Clear(); break;
            case Twist.TooManyRanges: r.Ranges = Enumerable.Range(0, cfg.RangeRegistersPerCore + 1).Select(i => new MemoryRange(first.Base + ((ulong)i * g), g)).ToList(); break;
            case Twist.TooManyDevices: r.Devices = Enumerable.Repeat(0, cfg.DeviceCount + 1).ToList(); break;
            case Twist.CoreOutOfRange: Put(r.Cores, (pick & 2) == 0 ? cfg.CoreCount + Mod(pick, 3) : -1 - Mod(pick, 3), pick); break;
            case Twist.ControlCore: Put(r.Cores, cfg.ControlCores[Mod(pick, cfg.ControlCores.Length)], pick); break;
            case Twist.DuplicateCore: if (r.Cores.Count > 0) { Put(r.Cores, r.Cores[Mod(pick, r.Cores.Count)], pick); } break;
            case Twist.StolenCore: if (Held(m.CoreOwner, pick) is int sc) { Put(r.Cores, sc, pick); } break;
            case Twist.EmptyRange: Put(r.Ranges, new MemoryRange(first.Base, 0), pick); break;
            case Twist.UnalignedBase: SetFirst(r.Ranges, first with { Base = first.Base + 1 + (ulong)Mod(pick, (int)g - 1) }); break;
            case Twist.UnalignedSize: SetFirst(r.Ranges, first with { Size = first.Size - 1 }); break;
            case Twist.WrappingRange: SetFirst(r.Ranges, new MemoryRange(0UL - g, g * (1 + (ulong)Mod(pick, 3)))); break;
            case Twist.OutsideRam: SetFirst(r.Ranges, first with { Base = ramTop + ((ulong)Mod(pick, 4) * g) }); break;
            case Twist.StraddleRam:
                MemoryRange ram = cfg.RamRegions[Mod(pick, cfg.RamRegions.Length)];
                SetFirst(r.Ranges, new MemoryRange((ulong)SpecModel.End(ram) - g, 2 * g));
                break;
            case Twist.ReservedOverlap:
                if (cfg.ReservedRegions.Length > 0)
                {
                    MemoryRange res = cfg.ReservedRegions[Mod(pick, cfg.ReservedRegions.Length)].Range;
                    SetFirst(r.Ranges, new MemoryRange((ulong)(SpecModel.End(res) - 1) / g * g, 2 * g));
                }
                break;
            case Twist.ControlOverlap:
                MemoryRange ctl = cfg.ControlMemory[Mod(pick, cfg.ControlMemory.Length)];
                SetFirst(r.Ranges, new MemoryRange((ulong)SpecModel.End(ctl) - g, 2 * g)); // straddles its end
                break;
            case Twist.SelfOverlap: Put(r.Ranges, new MemoryRange(first.Base + (first.Size > g ? g : 0), g), pick); break;
            case Twist.StolenMemory:
            case Twist.AdjacentToHeld:
                MemoryRange[] held = m.Slots.SelectMany(s => s.Ranges).ToArray();
                if (held.Length > 0)
                {
                    MemoryRange h = held[Mod(pick, held.Length)];
                    SetFirst(r.Ranges, how == Twist.StolenMemory
                        ? new MemoryRange(h.Base + ((ulong)Mod(pick, (int)Math.Max(1, h.Size / g)) * g), g)
                        : new MemoryRange((ulong)SpecModel.End(h), g)); // touching, not overlapping: valid unless something else is there
                    r.Entry = r.Ranges[0].Base;
                }
                break;
            case Twist.DeviceOutOfRange: Put(r.Devices, (pick & 2) == 0 ? cfg.DeviceCount + Mod(pick, 3) : -1, pick); break;
            case Twist.DuplicateDevice: if (r.Devices.Count > 0) { Put(r.Devices, r.Devices[0], pick); } break;
            case Twist.StolenDevice: if (Held(m.DeviceOwner, pick) is int sd) { Put(r.Devices, sd, pick); } break;
            case Twist.NoWays: r.Ways = 0; break;
            case Twist.WayOutOfRange: if (cfg.CacheWays < 64) { r.Ways |= 1UL << (cfg.CacheWays + Mod(pick, 64 - cfg.CacheWays)); } break;
            case Twist.ControlWay: r.Ways |= cfg.ControlWays; break;
            case Twist.StolenWay: if (Held(m.WayOwner, pick) is int sw) { r.Ways |= 1UL << sw; } break;
            case Twist.EntryPastEnd: r.Entry = r.Ranges.Count > 0 ? (ulong)SpecModel.End(r.Ranges[^1]) : ramTop; break;
            case Twist.EntryBelowBase: r.Entry = first.Base - 1; break;
            case Twist.PermissionsMismatch or Twist.BadRangePermissions or Twist.EntryNotExecutable: r.PermissionTwist = how; break;
            case Twist.TooManyWindows:
                MemoryRange some = cfg.ControlMemory[0];
                r.Windows = Enumerable.Range(0, cfg.RangeRegistersPerCore + 1 - Math.Min(r.Ranges.Count, cfg.RangeRegistersPerCore)).Select(i => new SharedWindow(new MemoryRange(some.Base, g), Permissions.Read)).ToList();
                break;
            case Twist.EmptyWindow or Twist.UnalignedWindow or Twist.WrappingWindow or Twist.BadWindowPermissions or Twist.WindowOutsideControl or Twist.WindowSelfOverlap or Twist.StolenWindow:
                MakeRoomForWindow(r, cfg);
                ApplyWindowTwist(how, r, m, pick);
                break;
            case Twist.TooManyDmaRanges or Twist.DmaForeignDevice or Twist.DmaEmpty or Twist.DmaUnaligned or Twist.DmaWraps
                or Twist.DmaBadPermissions or Twist.DmaOutsideSlice or Twist.DmaWritesReadOnly:
                ApplyDmaTwist(how, r, m, pick);
                break;
            default: break;
        }
    }

    /// <summary>One broken DMA row, put first or last, for a device of the request (or none when it has none).</summary>
    private static void ApplyDmaTwist(Twist how, Parts r, SpecModel m, int pick)
    {
        MachineConfig cfg = m.Config;
        ulong g = cfg.GranuleSize;
        int device = r.Devices.Count > 0 ? r.Devices[Mod(pick, r.Devices.Count)] : -1;
        MemoryRange first = r.Ranges.Count > 0 ? new MemoryRange(r.Ranges[0].Base, g) : new MemoryRange(cfg.RamRegions[0].Base, g);
        if (how == Twist.TooManyDmaRanges)
        {
            r.Dma = [.. Enumerable.Repeat(new DmaRange(device, first, Permissions.Read), Limits.MaxDmaRanges + 1 + Mod(pick, 3))];
            return;
        }
        if (how == Twist.DmaWritesReadOnly)
        {
            // a read-only window, written by the device
            MakeRoomForWindow(r, cfg);
            if (r.Windows.Count == 0 && FreeWindow(m, pick) is { } window)
            {
                r.Windows.Add(new SharedWindow(window, Permissions.Read));
            }
            if (r.Windows.Count > 0)
            {
                r.Windows[0] = r.Windows[0] with { Permissions = Permissions.Read };
                Put(r.Dma, new DmaRange(device, new MemoryRange(r.Windows[0].Range.Base, g), Permissions.Read | Permissions.Write), pick);
            }
            return;
        }
        MemoryRange[] others = [.. m.Slots.SelectMany(x => x.Ranges)];
        DmaRange bad = how switch
        {
            Twist.DmaForeignDevice => new DmaRange((pick & 2) == 0 ? -1 - Mod(pick, 3) : cfg.DeviceCount + Mod(pick, 3), first, Permissions.Read),
            Twist.DmaEmpty => new DmaRange(device, first with { Size = 0 }, Permissions.Read),
            Twist.DmaUnaligned => new DmaRange(device, (pick & 2) == 0 ? first with { Base = first.Base + 1 + (ulong)Mod(pick, (int)g - 1) } : first with { Size = g - 1 }, Permissions.Read),
            Twist.DmaWraps => new DmaRange(device, new MemoryRange(0UL - g, g * (2 + (ulong)Mod(pick, 3))), Permissions.Read),
            Twist.DmaBadPermissions => new DmaRange(device, first, (Permissions)new byte[] { 0, 4, 5, 7, 0x11 }[Mod(pick, 5)]),
            _ => new DmaRange(device, Mod(pick, 3) switch
            {
                0 when others.Length > 0 => new MemoryRange(others[Mod(pick, others.Length)].Base, g),
                1 => new MemoryRange(cfg.ControlMemory[0].Base, g),
                _ => new MemoryRange((ulong)SpecModel.End(r.Ranges.Count > 0 ? r.Ranges[^1] : first), g),
            }, Permissions.Read),
        };
        Put(r.Dma, bad, pick);
    }

    /// <summary>One broken window, put first or last (so earlier windows' checks run, or not).</summary>
    private static void ApplyWindowTwist(Twist how, Parts r, SpecModel m, int pick)
    {
        MachineConfig cfg = m.Config;
        ulong g = cfg.GranuleSize;
        MemoryRange ctl = cfg.ControlMemory[Mod(pick, cfg.ControlMemory.Length)];
        MemoryRange good = FreeWindow(m, pick) ?? new MemoryRange(ctl.Base, g);
        Permissions read = Permissions.Read;
        SharedWindow? bad = how switch
        {
            Twist.EmptyWindow => new SharedWindow(new MemoryRange(good.Base, 0), read),
            Twist.UnalignedWindow => new SharedWindow((pick & 2) == 0 ? good with { Base = good.Base + 1 + (ulong)Mod(pick, (int)g - 1) } : good with { Size = g - 1 }, read),
            Twist.WrappingWindow => new SharedWindow(new MemoryRange(0UL - g, g * (1 + (ulong)Mod(pick, 3))), read),
            Twist.BadWindowPermissions => new SharedWindow(good, (Permissions)new byte[] { 0, 2, 4, 5, 7, 0x11 }[Mod(pick, 6)]),
            Twist.WindowOutsideControl => new SharedWindow((pick & 2) == 0 ? new MemoryRange((ulong)SpecModel.End(ctl) - g, 2 * g) : r.Ranges.Count > 0 ? r.Ranges[0] : new MemoryRange(0, g), read),
            Twist.StolenWindow => m.Slots.SelectMany(s => s.Windows).ToArray() is { Length: > 0 } held ? held[Mod(pick, held.Length)] with { Permissions = read } : null,
            _ => null,
        };
        if (how == Twist.WindowSelfOverlap)
        {
            if (r.Windows.Count == 0) { r.Windows.Add(new SharedWindow(good, read)); MakeRoomForWindow(r, cfg); }
            r.Windows.Add(new SharedWindow(new MemoryRange(r.Windows[0].Range.Base, g), Permissions.Read | Permissions.Write));
            return;
        }
        if (bad is { } w)
        {
            Put(r.Windows, w, pick);
        }
    }

    private static Step Load(LoadIntent l, SpecModel m)
    {
        int slot = SlotOf(l.Slot, m);
        MemoryRange[] ranges = m.IsSlot(slot) ? m.Slot(slot).Ranges : [];
        if (ranges.Length == 0 || l.Place >= 6)
        {
            return new Step(StepKind.Load) { Slot = slot, Address = l.Offset, Length = l.Length, Fill = (byte)l.Offset };
        }
        MemoryRange r = ranges[Mod(l.Place, ranges.Length)];
        ulong len = (ulong)l.Length;
        ulong address = (l.Place % 3) switch
        {
            0 => r.Base + (l.Offset % r.Size),                              // inside (may run past the end)
            1 => len <= r.Size ? (ulong)(SpecModel.End(r) - len) : r.Base,   // exactly to the end
            _ => (ulong)(SpecModel.End(r) - Math.Min(len, r.Size)) + 1,     // one byte past the end
        };
        return new Step(StepKind.Load) { Slot = slot, Address = address, Length = l.Length, Fill = (byte)l.Offset };
    }

    private static Step Guest(GuestIntent gi, SpecModel m)
    {
        MachineConfig cfg = m.Config;
        bool dma = gi.Kind is StepKind.DmaRead or StepKind.DmaWrite;
        int count = dma ? cfg.DeviceCount : cfg.CoreCount;
        int actor = gi.Actor < 0 || gi.Actor >= 1000 ? gi.Actor : Mod(gi.Actor, Math.Max(count, 1) + 1) == count ? count : Mod(gi.Actor, Math.Max(count, 1));
        int owner = actor >= 0 && actor < count ? (dma ? m.DeviceOwner[actor] : m.CoreOwner[actor]) : SpecModel.Free;
        var step = new Step(gi.Kind) { Actor = actor, Address = AddressFor(gi.Where, owner, gi.Pick, gi.Offset, m), Length = gi.Length, Value = gi.Offset };
        switch (gi.Kind)
        {
            case StepKind.SendIpi:
                int[] own = m.IsSlot(owner) ? m.Slot(owner).Cores : owner == SpecModel.Control ? [.. cfg.ControlCores] : [];
                return step with { Target = (gi.Pick % 3) switch { 0 when own.Length > 0 => own[Mod(gi.Pick, own.Length)], 1 => Mod(gi.Pick, cfg.CoreCount), _ => gi.Pick % 2 == 0 ? cfg.CoreCount : -1 } };
            case StepKind.WriteRangeRegister:
                return step with { Register = Mod(gi.Pick, cfg.RangeRegistersPerCore + 1), Value = gi.Offset | cfg.GranuleSize, Permissions = (Permissions)(gi.Pick & 7) };
            case StepKind.RequestReset:
                return step with { Target = gi.Pick };
            case StepKind.GuestAttest:
                return step with { Length = gi.Pick % 4 == 0 ? 63 : SpecModel.NonceSize, Buffer = gi.Pick % 5 == 0 ? SpecModel.ReportSize - 1 : SpecModel.ReportSize };
            default:
                return step;
        }
    }

    private static ulong AddressFor(Target where, int owner, int pick, ulong offset, SpecModel m)
    {
        MachineConfig cfg = m.Config;
        MemoryRange? pickFrom(MemoryRange[] rs) => rs.Length == 0 ? null : rs[Mod(pick, rs.Length)];
        MemoryRange? r = where switch
        {
            // A slice's own memory includes its windows; another slice's windows are someone else's.
            Target.Own => m.IsSlot(owner) ? pickFrom([.. m.Slot(owner).Ranges, .. m.Slot(owner).Windows.Select(w => w.Range)]) : owner == SpecModel.Control ? pickFrom([.. cfg.ControlMemory]) : null,
            Target.OtherSlice => pickFrom(m.Slots.Where((s, i) => i + 1 != owner).SelectMany(s => s.Ranges.Concat(s.Windows.Select(w => w.Range))).ToArray()),
            Target.Control => pickFrom([.. cfg.ControlMemory]),
            Target.Reserved => pickFrom(cfg.ReservedRegions.Select(x => x.Range).ToArray()),
            Target.FreeRam => pickFrom([.. FreeGaps(m)]),
            Target.BeyondRam => new MemoryRange(cfg.RamRegions.Max(x => (ulong)SpecModel.End(x)), 1UL << 20),
            _ => null,
        };
        if (r is not { } range || range.Size == 0)
        {
            return offset;
        }
        return range.Base + (offset % range.Size);
    }
}

/// <summary>FsCheck generators for intents and runs, and the run shrinker.</summary>
public static class IntentGen
{
    private static readonly Twist[] Twists = Enum.GetValues<Twist>();

    /// <summary>The guest and device actions (every step kind that is not a slicevisor call by the manager or an armed fault).</summary>
    public static readonly StepKind[] GuestKinds =
    [
        StepKind.GuestLoad, StepKind.GuestStore, StepKind.GuestFetch, StepKind.DmaRead, StepKind.DmaWrite, StepKind.SendIpi,
        StepKind.WriteRangeRegister, StepKind.WriteIpiMask, StepKind.WriteWayMask, StepKind.RequestReset, StepKind.GuestAttest,
    ];

    public static Gen<SlotRef> Slot(int slots) => Gen.Frequency(
        (8, Gen.Choose(0, 63).Select(n => new SlotRef(n, true))),
        (2, Gen.Choose(1, slots).Select(n => new SlotRef(n, false))),
        (1, Gen.Elements(0, -1, slots + 1, int.MaxValue, int.MinValue).Select(n => new SlotRef(n, false))));

    public static Gen<ulong> Offset => Gen.Frequency(
        (6, Gen.Choose(0, 1 << 22).Select(i => (ulong)i)),
        (1, Gen.Elements(0UL, 4095UL, 4096UL, ulong.MaxValue, ulong.MaxValue - 3, 1UL << 63)));

    /// <summary>Mostly-valid requests: 45% valid, else one field broken (10% of those two fields, to test the check order).</summary>
    public static Gen<Intent> Create =>
        from c in Gen.Frequency((6, Gen.Choose(1, 2)), (1, Gen.Choose(3, 5)))
        from g in Gen.Frequency((8, Gen.Choose(1, 16)), (1, Gen.Choose(17, 5000)))
        from d in Gen.Choose(0, 2)
        from w in Gen.Choose(1, 2)
        from split in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from how in Gen.Frequency((9, Gen.Constant(Twist.None)), (11, Gen.Elements(Twists)))
        from then in Gen.Frequency((9, Gen.Constant(Twist.None)), (1, Gen.Elements(Twists)))
        from pick in Gen.Choose(0, 1000)
        from share in Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Constant(1)), (2, Gen.Constant(2)), (2, Gen.Constant(3)), (1, Gen.Constant(4)), (1, Gen.Constant(6)), (1, Gen.Constant(7)))
        select (Intent)new CreateIntent(c, g, d, w, split, how, then, pick, share);

    public static Gen<Intent> Load(int slots) =>
        from s in Slot(slots)
        from place in Gen.Choose(0, 7)
        from o in Offset
        from n in Gen.Frequency((8, Gen.Choose(0, 64)), (1, Gen.Choose(4000, 9000)))
        select (Intent)new LoadIntent(s, place, o, n);

    public static Gen<Intent> Attest(int slots) =>
        from s in Slot(slots)
        from good in Gen.Frequency((1, Gen.Constant(true)), (6, Gen.Constant(false)))
        from nonce in Gen.Elements(0, 63, 65, SpecModel.NonceSize)
        from buffer in Gen.Elements(0, SpecModel.ReportSize - 1, SpecModel.ReportSize)
        select (Intent)new AttestIntent(s, good ? SpecModel.NonceSize : nonce, good ? SpecModel.ReportSize : buffer);

    public static Gen<Intent> Guest =>
        from k in Gen.Elements(GuestKinds)
        from actor in Gen.Frequency((12, Gen.Choose(0, 999)), (1, Gen.Elements(-1, int.MaxValue, int.MinValue)))
        from t in Gen.Elements(Enum.GetValues<Target>())
        from p in Gen.Choose(0, 1000)
        from o in Offset
        from n in Gen.Frequency((8, Gen.Choose(0, 64)), (1, Gen.Choose(4000, 9000)))
        select (Intent)new GuestIntent(k, actor, t, p, o, n);

    public static Gen<Intent> Fault =>
        from k in Gen.Elements(FaultKind.ResetFails, FaultKind.IommuFails, FaultKind.CorruptRegister)
        from i in Gen.Choose(0, 1000)
        from n in Gen.Choose(1, 2)
        select (Intent)new FaultIntent(k, i, n);

    /// <summary>One step: interleaved lifecycles of several slices, hostile requests, guest attacks, faults.</summary>
    public static Gen<Intent> Step(int slots, bool managerHeavy) => managerHeavy
        ? Gen.Frequency((10, Create), (3, Load(slots)), (4, Slot(slots).Select(s => (Intent)new StartIntent(s))),
            (3, Slot(slots).Select(s => (Intent)new DestroyIntent(s))), (1, Attest(slots)), (2, Guest), (1, Fault))
        : Gen.Frequency((6, Create), (3, Load(slots)), (4, Slot(slots).Select(s => (Intent)new StartIntent(s))),
            (3, Slot(slots).Select(s => (Intent)new DestroyIntent(s))), (1, Attest(slots)), (8, Guest), (2, Fault));

    public static Gen<Intent[]> Run(int slots, int maxSteps, bool managerHeavy) =>
        Gen.Choose(1, maxSteps).SelectMany(n => Gen.ArrayOf(Step(slots, managerHeavy), n));

    public static Arbitrary<Intent[]> Runs(int slots, int maxSteps, bool managerHeavy = false) =>
        Arb.From(Run(slots, maxSteps, managerHeavy), Shrink);

    /// <summary>Shrinks a run: drop big chunks first (halves, quarters…), then single steps, then simplify a create's twists.</summary>
    public static IEnumerable<Intent[]> Shrink(Intent[] run)
    {
        for (int chunk = run.Length / 2; chunk >= 1; chunk /= 2)
        {
            for (int at = 0; at + chunk <= run.Length; at += chunk)
            {
                yield return [.. run[..at], .. run[(at + chunk)..]];
            }
        }
        for (int i = 0; i < run.Length; i++)
        {
            if (run[i] is CreateIntent { Then: not Twist.None } c)
            {
                Intent[] copy = (Intent[])run.Clone();
                copy[i] = c with { Then = Twist.None };
                yield return copy;
            }
        }
    }
}
