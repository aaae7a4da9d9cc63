namespace CoreSlice.Harness.Noninterference;

/// <summary>
/// The view of every domain in one state: the control slice (domain 0, <see cref="Owner.Control"/>) and each
/// guest slot g (domain g), component by component as <c>NI.eqv</c> defines them (spec/90-noninterference.smt2):
/// <list type="bullet">
/// <item><c>table</c>: a guest its own row; the control slice every row;</item>
/// <item><c>owners</c>: a guest the cores, devices and ways it holds; the control slice every owner map, and per RAM
/// granule its owner, the guest holding a window there and the permission (<c>same-owners</c>);</item>
/// <item><c>cores</c>: each core whose owner u sees (<c>NI.ownsView</c>: a guest its own; the control slice its own and
/// the free ones): its mode, and unless Halted its lock, registers, masks, entry point and received interrupts;</item>
/// <item><c>mem</c>: each RAM granule u sees (<c>NI.sees</c>: owned as above, or, for a guest, a window it holds): its
/// permission, last writer and contents;</item>
/// <item><c>dma</c>: each device whose owner u sees: its IOMMU window (the spec names the slot whose rows the window
/// follows, <c>NI.dmaRow</c>; the machine holds the mappings programmed from those rows, which are what a DMA goes through);</item>
/// <item><c>log</c>: the control slice's only.</item>
/// </list>
/// Value-comparable: <see cref="FirstDifference"/> compares canonical bytes. Bounded: the walk is over the machine's
/// cores, devices, ways, slots and at most <see cref="MaxGranules"/> RAM granules (a page's bytes only where the
/// sparse memory holds one).
/// </summary>
public sealed class DomainViews
{
    /// <summary>The most RAM granules a view walks; a larger machine is refused (the model checker's scopes have at most 4,098).</summary>
    public const int MaxGranules = 1 << 16;

    private static readonly ViewComponent[] Components = Enum.GetValues<ViewComponent>();

    private const int NoOne = int.MinValue;

    private readonly ViewWriter[][] parts;
    private readonly ulong[] granules;
    // Per granule, read once per state: memOwner, winOwner, addrPerm (the owners and mem components both use them).
    private readonly int[] memOwner, winOwner, addrPerm;

    /// <summary>Empty views for every domain of <paramref name="config"/>; <paramref name="withText"/> keeps the facts in words too.</summary>
    public DomainViews(MachineConfig config, bool withText = false)
    {
        ArgumentNullException.ThrowIfNull(config);
        parts = new ViewWriter[config.SlotCapacity + 1][];
        for (int u = 0; u < parts.Length; u++)
        {
            parts[u] = [.. Components.Select(_ => new ViewWriter(withText))];
        }
        granules = RamGranules(config);
        memOwner = new int[granules.Length];
        winOwner = new int[granules.Length];
        addrPerm = new int[granules.Length];
    }

    /// <summary>Number of domains: the control slice and one per slot.</summary>
    public int Domains => parts.Length;

    /// <summary>Component <paramref name="c"/> of domain <paramref name="u"/>'s view.</summary>
    public ViewWriter Part(int u, ViewComponent c) => parts[u][(int)c];

    /// <summary>The domain in words.</summary>
    public static string Name(int u) => u == Owner.Control ? "the control slice" : u >= 1 ? $"guest slot {u}" : $"owner {u}";

    /// <summary>The first component of <paramref name="u"/>'s view that differs from <paramref name="other"/>'s, or null.</summary>
    public ViewComponent? FirstDifference(DomainViews other, int u)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (ViewComponent c in Components)
        {
            if (!Part(u, c).SameAs(other.Part(u, c)))
            {
                return c;
            }
        }
        return null;
    }

    /// <summary>Reads every domain's view from <paramref name="s"/> (replacing what was held).</summary>
    public void Read(IViewSource s)
    {
        ArgumentNullException.ThrowIfNull(s);
        foreach (ViewWriter[] domain in parts)
        {
            foreach (ViewWriter w in domain)
            {
                w.Clear();
            }
        }
        MachineConfig config = s.Config;
        for (int i = 0; i < granules.Length; i++)
        {
            memOwner[i] = s.MemoryOwner(granules[i]);
            winOwner[i] = s.WindowHolder(granules[i]);
            addrPerm[i] = s.Permission(granules[i]);
        }
        ViewWriter controlTable = Part(Owner.Control, ViewComponent.Table);
        for (int slot = 1; slot < parts.Length; slot++)
        {
            s.Row(slot, Part(slot, ViewComponent.Table));
            controlTable.Put("slot", slot);
            s.Row(slot, controlTable);
        }
        Owners(s, config);
        for (int c = 0; c < config.CoreCount; c++)
        {
            // A core has one owner: at most one domain sees it.
            if (Seers(s.CoreOwner(c), Owner.Free).First is int u and not NoOne)
            {
                ViewWriter w = Part(u, ViewComponent.Cores);
                Hardware.CoreMode mode = s.Mode(c);
                w.Put("core", c);
                w.Put("mode", (long)mode);
                // A Halted core runs nothing until a secure reset clears it (NI.eq.cores).
                if (mode != Hardware.CoreMode.Halted)
                {
                    s.CoreRegisters(c, w);
                }
            }
        }
        for (int i = 0; i < granules.Length; i++)
        {
            ulong x = granules[i];
            (int first, int second) = Seers(memOwner[i], winOwner[i]);
            foreach (int u in (ReadOnlySpan<int>)[first, second])
            {
                if (u != NoOne)
                {
                    ViewWriter w = Part(u, ViewComponent.Mem);
                    w.Hex("granule", x);
                    w.Put("perm", addrPerm[i]);
                    s.Memory(x, w);
                }
            }
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            if (Seers(s.DeviceOwner(d), Owner.Free).First is int u and not NoOne)
            {
                ViewWriter w = Part(u, ViewComponent.Dma);
                w.Put("device", d);
                s.Dma(d, w);
            }
        }
        s.Log(Part(Owner.Control, ViewComponent.Log));
    }

    private void Owners(IViewSource s, MachineConfig config)
    {
        ViewWriter control = Part(Owner.Control, ViewComponent.Owners);
        for (int c = 0; c < config.CoreCount; c++)
        {
            int o = s.CoreOwner(c);
            control.Put("coreOwner", o);
            if (IsGuest(o))
            {
                Part(o, ViewComponent.Owners).Put("core", c);
            }
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            int o = s.DeviceOwner(d);
            control.Put("deviceOwner", o);
            if (IsGuest(o))
            {
                Part(o, ViewComponent.Owners).Put("device", d);
            }
        }
        for (int w = 0; w < config.CacheWays; w++)
        {
            int o = s.WayOwner(w);
            control.Put("wayOwner", o);
            if (IsGuest(o))
            {
                Part(o, ViewComponent.Owners).Put("way", w);
            }
        }
        for (int i = 0; i < granules.Length; i++)
        {
            control.Hex("granule", granules[i]);
            control.Put("memOwner", memOwner[i]);
            control.Put("winOwner", winOwner[i]);
            control.Put("addrPerm", addrPerm[i]);
        }
    }

    /// <summary>
    /// The domains that see a resource owned by <paramref name="owner"/> (and, for memory, lent as a window to
    /// <paramref name="holder"/>): the control slice for its own and free ones, the owning guest, the holding guest.
    /// At most two (<see cref="NoOne"/> for none): none for reserved memory or an unknown owner.
    /// </summary>
    private (int First, int Second) Seers(int owner, int holder)
    {
        int first = owner is Owner.Control or Owner.Free ? Owner.Control : IsGuest(owner) ? owner : NoOne;
        int second = IsGuest(holder) && holder != owner ? holder : NoOne;
        return (first, second);
    }

    private bool IsGuest(int o) => o >= 1 && o < parts.Length;

    private static ulong[] RamGranules(MachineConfig config)
    {
        ulong g = config.GranuleSize;
        var list = new List<ulong>();
        foreach (MemoryRange ram in config.RamRegions)
        {
            UInt128 end = (UInt128)ram.Base + ram.Size;
            for (UInt128 x = ram.Base / g * g; x < end; x += g)
            {
                if (list.Count >= MaxGranules)
                {
                    throw new ArgumentException($"the machine has more than {MaxGranules} RAM granules: too many for a view", nameof(config));
                }
                list.Add((ulong)x);
            }
        }
        return [.. list];
    }
}
