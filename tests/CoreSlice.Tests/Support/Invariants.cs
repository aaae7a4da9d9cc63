using System.Globalization;
using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Simulation;

namespace CoreSlice.Tests.Support;

/// <summary>
/// The invariants of DESIGN.md §3, checked by reading the machine's registers and the
/// slice table directly (not through the slicevisor's own bookkeeping of what it did).
/// Stateful for I6 (what each slice was created with) and T1/T2 (before/after a step).
/// Each check returns sentences naming the invariant and the core, slot, device or range.
/// </summary>
public sealed class Invariants
{
    private readonly Rig rig;
    private readonly Dictionary<(int Slot, ulong Generation), string> createdWith = [];
    private CoreView[] before = [];

    public Invariants(Rig rig) => this.rig = rig;

    private SimulatedMachine M => rig.Machine;

    private SliceTable T => rig.Table;

    private MachineConfig C => rig.Config;

    /// <summary>I1–I6 on the current state.</summary>
    public List<string> CheckAll()
    {
        var v = new List<string>();
        I1_Disjointness(v);
        I2_FilterSoundness(v);
        I3_GuestLocked(v);
        I4_IommuConfinement(v);
        I5_NoResidue(v);
        I6_StaticResources(v);
        return v;
    }

    /// <summary>Call before a step: remembers each core's lock, registers and reset count (for T1/T2).</summary>
    public void BeforeStep()
    {
        before = new CoreView[C.CoreCount];
        for (int c = 0; c < C.CoreCount; c++)
        {
            before[c] = CoreView.Of(M, c);
        }
    }

    /// <summary>
    /// T1: a core locked before the step and not reset during it is still locked with the same
    /// registers. T2: only cores in <paramref name="mayReset"/> (the cores of the slot a
    /// slicevisor operation acted on; empty for guest and fault steps) were reset.
    /// </summary>
    public List<string> CheckTransition(ResourceSet mayReset)
    {
        var v = new List<string>();
        for (int c = 0; c < C.CoreCount; c++)
        {
            CoreView now = CoreView.Of(M, c);
            CoreView was = before[c];
            bool reset = now.Resets != was.Resets;
            if (reset && !mayReset.Contains(c))
            {
                v.Add($"T2_ResetAuthority: core {c} was reset ({was.Resets} -> {now.Resets}) by a step that may not reset it");
            }
            if (was.Locked && !reset && (!now.Locked || now.Registers != was.Registers))
            {
                v.Add($"T1_LockStability: core {c} was locked and not reset, but its filters changed:\n  was {was.Registers} locked={was.Locked}\n  now {now.Registers} locked={now.Locked}");
            }
        }
        return v;
    }

    private void I1_Disjointness(List<string> v)
    {
        for (int a = 1; a <= T.Capacity; a++)
        {
            SliceEntry ea = T[a];
            if (ea.State == SliceState.Free)
            {
                if (!ea.Cores.IsEmpty || !ea.Devices.IsEmpty || ea.Ways != 0 || ea.Ranges.Length != 0)
                {
                    v.Add($"I1_Disjointness: free slot {a} still lists resources");
                }
                continue;
            }
            if ((ea.Ways & C.ControlWays) != 0 || (ea.Ways & ~C.AllWaysMask) != 0 || ea.Ways == 0)
            {
                v.Add($"I1_Disjointness: slot {a} ways 0x{ea.Ways:x} include control or nonexistent ways, or none");
            }
            for (int c = ea.Cores.Next(0); c >= 0; c = ea.Cores.Next(c + 1))
            {
                if (c >= C.CoreCount || C.ControlCores.IndexOf(c) >= 0 || T.CoreOwner(c) != a)
                {
                    v.Add($"I1_Disjointness: slot {a} lists core {c} whose owner map says {T.CoreOwner(c)}");
                }
            }
            for (int d = ea.Devices.Next(0); d >= 0; d = ea.Devices.Next(d + 1))
            {
                if (d >= C.DeviceCount || T.DeviceOwner(d) != a)
                {
                    v.Add($"I1_Disjointness: slot {a} lists device {d} whose owner map says {T.DeviceOwner(d)}");
                }
            }
            for (int w = 0; w < C.CacheWays; w++)
            {
                if ((ea.Ways & (1UL << w)) != 0 && T.WayOwner(w) != a)
                {
                    v.Add($"I1_Disjointness: slot {a} lists way {w} whose owner map says {T.WayOwner(w)}");
                }
            }
            foreach (MemoryRange r in ea.Ranges)
            {
                if (r.Size == 0 || !r.IsRepresentable || ((r.Base | r.Size) & (C.GranuleSize - 1)) != 0 || !InsideRam(r))
                {
                    v.Add($"I1_Disjointness: slot {a} range {r} is empty, unaligned, wrapping or outside RAM");
                    continue;
                }
                foreach (NamedRegion res in C.ReservedRegions)
                {
                    if (r.Overlaps(res.Range))
                    {
                        v.Add($"I1_Disjointness: slot {a} range {r} overlaps reserved {res.Name} {res.Range}");
                    }
                }
                foreach (MemoryRange ctl in C.ControlMemory)
                {
                    if (r.Overlaps(ctl))
                    {
                        v.Add($"I1_Disjointness: slot {a} range {r} overlaps control memory {ctl}");
                    }
                }
                if (T.MemoryOwner(r.Base) != a || T.MemoryOwner(r.Limit - 1) != a)
                {
                    v.Add($"I1_Disjointness: slot {a} range {r} but MemoryOwner says {T.MemoryOwner(r.Base)}/{T.MemoryOwner(r.Limit - 1)}");
                }
            }
            for (int b = a + 1; b <= T.Capacity; b++)
            {
                SliceEntry eb = T[b];
                if (eb.State == SliceState.Free)
                {
                    continue;
                }
                if (ea.Cores.Intersects(eb.Cores))
                {
                    v.Add($"I1_Disjointness: slots {a} and {b} share a core");
                }
                if (ea.Devices.Intersects(eb.Devices))
                {
                    v.Add($"I1_Disjointness: slots {a} and {b} share a device");
                }
                if ((ea.Ways & eb.Ways) != 0)
                {
                    v.Add($"I1_Disjointness: slots {a} and {b} share ways 0x{ea.Ways & eb.Ways:x}");
                }
                foreach (MemoryRange ra in ea.Ranges)
                {
                    foreach (MemoryRange rb in eb.Ranges)
                    {
                        if (ra.IsRepresentable && rb.IsRepresentable && ra.Overlaps(rb))
                        {
                            v.Add($"I1_Disjointness: slot {a} {ra} overlaps slot {b} {rb}");
                        }
                    }
                }
            }
        }
        // The owner maps name only live slots (and the control slice only for its own cores/ways).
        for (int c = 0; c < C.CoreCount; c++)
        {
            int o = T.CoreOwner(c);
            bool control = C.ControlCores.IndexOf(c) >= 0;
            if (control ? o != Owner.Control : !(o == Owner.Free || (T.IsSlot(o) && T[o].State != SliceState.Free && T[o].Cores.Contains(c))))
            {
                v.Add($"I1_Disjointness: core {c} owner map says {o}, which does not list it");
            }
        }
        for (int w = 0; w < C.CacheWays; w++)
        {
            int o = T.WayOwner(w);
            bool control = (C.ControlWays & (1UL << w)) != 0;
            if (control ? o != Owner.Control : !(o == Owner.Free || (T.IsSlot(o) && T[o].State != SliceState.Free && (T[o].Ways & (1UL << w)) != 0)))
            {
                v.Add($"I1_Disjointness: way {w} owner map says {o}, which does not list it");
            }
        }
        for (int d = 0; d < C.DeviceCount; d++)
        {
            int o = T.DeviceOwner(d);
            if (!(o == Owner.Free || (T.IsSlot(o) && T[o].State != SliceState.Free && T[o].Devices.Contains(d))))
            {
                v.Add($"I1_Disjointness: device {d} owner map says {o}, which does not list it");
            }
        }
    }

    private void I2_FilterSoundness(List<string> v)
    {
        for (int c = 0; c < C.CoreCount; c++)
        {
            if (M.Mode(c) != CoreMode.Guest)
            {
                continue;
            }
            int slot = T.CoreOwner(c);
            if (!T.IsSlot(slot))
            {
                v.Add($"I2_FilterSoundness: core {c} runs guest code but belongs to no slot (owner {slot})");
                continue;
            }
            SliceEntry e = T[slot];
            foreach (RangeRegister r in M.RangeRegistersOf(c))
            {
                if (r.Enabled && !InsideOneOf(e.Ranges, new MemoryRange(r.Base, r.Size)))
                {
                    v.Add($"I2_FilterSoundness: core {c} (slot {slot}) register allows [0x{r.Base:x}+0x{r.Size:x}) outside its slice");
                }
            }
            if (!M.IpiMaskOf(c).IsSubsetOf(e.Cores))
            {
                v.Add($"I2_FilterSoundness: core {c} (slot {slot}) IPI mask reaches cores outside its slice");
            }
            if ((M.WayMaskOf(c) & ~e.Ways) != 0)
            {
                v.Add($"I2_FilterSoundness: core {c} (slot {slot}) way mask 0x{M.WayMaskOf(c):x} exceeds its ways 0x{e.Ways:x}");
            }
        }
    }

    private void I3_GuestLocked(List<string> v)
    {
        for (int c = 0; c < C.CoreCount; c++)
        {
            if (M.Mode(c) != CoreMode.Guest)
            {
                continue;
            }
            int slot = T.CoreOwner(c);
            if (!T.IsSlot(slot))
            {
                continue; // reported by I2
            }
            SliceEntry e = T[slot];
            if (e.State is not (SliceState.Running or SliceState.Destroying))
            {
                v.Add($"I3_GuestLocked: core {c} runs guest code for slot {slot} in state {e.State}");
            }
            if (!M.IsLocked(c))
            {
                v.Add($"I3_GuestLocked: core {c} runs guest code with unlocked filters");
            }
            for (int i = 0; i < C.RangeRegistersPerCore; i++)
            {
                if (M.RangeRegisterOf(c, i) != Sliceloader.RegisterFor(e, i))
                {
                    v.Add($"I3_GuestLocked: core {c} register {i} is {M.RangeRegisterOf(c, i)}, entry says {Sliceloader.RegisterFor(e, i)}");
                }
            }
            if (!M.IpiMaskOf(c).Equals(e.Cores) || M.WayMaskOf(c) != e.Ways)
            {
                v.Add($"I3_GuestLocked: core {c} IPI or way mask differs from slot {slot}'s entry");
            }
            if (M.EntryPointOf(c) != e.EntryPoint)
            {
                v.Add($"I3_GuestLocked: core {c} entered at 0x{M.EntryPointOf(c):x}, entry says 0x{e.EntryPoint:x}");
            }
        }
    }

    private void I4_IommuConfinement(List<string> v)
    {
        for (int d = 0; d < C.DeviceCount; d++)
        {
            ReadOnlySpan<MemoryRange> window = M.IommuWindow(d);
            if (window.Length == 0)
            {
                continue;
            }
            int slot = T.DeviceOwner(d);
            if (!T.IsSlot(slot) || T[slot].State == SliceState.Free)
            {
                v.Add($"I4_IommuConfinement: device {d} has an open window but belongs to no live slot ({slot})");
                continue;
            }
            foreach (MemoryRange w in window)
            {
                if (!InsideOneOf(T[slot].Ranges, w))
                {
                    v.Add($"I4_IommuConfinement: device {d} window {w} is not slot {slot}'s memory");
                }
            }
        }
    }

    private void I5_NoResidue(List<string> v)
    {
        var bad = new List<string>();
        M.Memory.ForEachPresent((granule, writer) =>
        {
            int owner = T.MemoryOwner(granule);
            // A present page holds bytes someone wrote; they must be its current owner's own.
            if (owner == Owner.Free || owner == Owner.None || owner == Owner.Reserved || writer != owner)
            {
                bad.Add(string.Create(CultureInfo.InvariantCulture, $"I5_NoResidue: granule 0x{granule:x} owned by {owner} holds bytes written by {writer}"));
            }
        });
        v.AddRange(bad);
    }

    private void I6_StaticResources(List<string> v)
    {
        for (int s = 1; s <= T.Capacity; s++)
        {
            SliceEntry e = T[s];
            if (e.State == SliceState.Free)
            {
                continue;
            }
            string sig = Signature(e);
            if (createdWith.TryGetValue((s, e.Generation), out string? was))
            {
                if (was != sig)
                {
                    v.Add($"I6_StaticResources: slot {s} (generation {e.Generation}) changed from {was} to {sig}");
                }
            }
            else
            {
                createdWith[(s, e.Generation)] = sig;
            }
        }
    }

    private static string Signature(SliceEntry e)
    {
        var parts = new List<string>();
        for (int c = e.Cores.Next(0); c >= 0; c = e.Cores.Next(c + 1))
        {
            parts.Add("c" + c.ToString(CultureInfo.InvariantCulture));
        }
        for (int d = e.Devices.Next(0); d >= 0; d = e.Devices.Next(d + 1))
        {
            parts.Add("d" + d.ToString(CultureInfo.InvariantCulture));
        }
        foreach (MemoryRange r in e.Ranges)
        {
            parts.Add(r.ToString());
        }
        parts.Add($"w{e.Ways:x} e{e.EntryPoint:x}");
        return string.Join(' ', parts);
    }

    private bool InsideRam(MemoryRange r)
    {
        foreach (MemoryRange ram in C.RamRegions)
        {
            if (ram.Covers(r))
            {
                return true;
            }
        }
        return false;
    }

    private static bool InsideOneOf(ReadOnlySpan<MemoryRange> ranges, MemoryRange r)
    {
        foreach (MemoryRange own in ranges)
        {
            if (own.Covers(r))
            {
                return true;
            }
        }
        return false;
    }

    private readonly record struct CoreView(bool Locked, long Resets, string Registers)
    {
        public static CoreView Of(SimulatedMachine m, int c)
        {
            var sb = new System.Text.StringBuilder();
            foreach (RangeRegister r in m.RangeRegistersOf(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"[{r.Base:x}+{r.Size:x} {r.Permissions}]");
            }
            ResourceSet ipi = m.IpiMaskOf(c);
            for (int w = 0; w < ResourceSet.Words; w++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{ipi.Word(w):x}.");
            }
            sb.Append(CultureInfo.InvariantCulture, $" ways {m.WayMaskOf(c):x}");
            return new CoreView(m.IsLocked(c), m.ResetCount(c), sb.ToString());
        }
    }
}
