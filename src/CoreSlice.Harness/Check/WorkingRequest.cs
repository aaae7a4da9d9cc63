using CoreSlice.Hardware;

namespace CoreSlice.Harness.Check;

/// <summary>
/// What is still asked for one slice of the layout: its items, less those the slicevisor has
/// refused so far. The checker drops a refused item here and asks again; <see cref="ToRequest"/>
/// is the request each attempt sends. Ranges, windows and DMA ranges are kept as indices into
/// the slice's lists, so a refusal's Subject (an index into the request) maps back to the field
/// that wrote it.
/// </summary>
internal sealed class WorkingRequest
{
    public WorkingRequest(SliceSpec spec, IEnumerable<Item> ways)
    {
        Spec = spec;
        Cores = [.. spec.Cores];
        Ranges = [.. Enumerable.Range(0, spec.Memory.Count)];
        Windows = [.. Enumerable.Range(0, spec.Windows.Count)];
        Devices = [.. spec.Devices];
        Dma = [.. Enumerable.Range(0, spec.Dma.Count)];
        Ways = [.. ways];
        Entry = spec.Entry ?? (spec.Memory.Count > 0 ? spec.Memory[0].Range.Base : 0);
    }

    public SliceSpec Spec { get; }

    public List<Item> Cores { get; }

    /// <summary>Indices into <see cref="SliceSpec.Memory"/>, in request order.</summary>
    public List<int> Ranges { get; }

    /// <summary>Indices into <see cref="SliceSpec.Windows"/>, in request order.</summary>
    public List<int> Windows { get; }

    public List<Item> Devices { get; }

    /// <summary>Indices into <see cref="SliceSpec.Dma"/>, in request order.</summary>
    public List<int> Dma { get; }

    public List<Item> Ways { get; }

    /// <summary>The entry point asked for: the declared one, until the checker has to put another in its place.</summary>
    public ulong Entry { get; set; }

    /// <summary>True once <see cref="Entry"/> is the checker's stand-in, not what the layout declared.</summary>
    public bool EntrySubstituted { get; set; }

    /// <summary>How many items are left: a bound on the attempts, since each refusal drops one.</summary>
    public int ItemCount => Cores.Count + Ranges.Count + Windows.Count + Devices.Count + Dma.Count + Ways.Count;

    /// <summary>Domain 0's ways (items below 64; an item's value is 64 * domain + way).</summary>
    public ulong WayMask => MaskOf(0);

    /// <summary>The ways of <paramref name="domain"/> as a mask.</summary>
    public ulong MaskOf(int domain) =>
        Ways.Where(w => w.Value / 64 == domain).Aggregate(0UL, (mask, way) => mask | (1UL << (way.Value % 64)));

    /// <summary>The other domains' ways, one entry per domain that has any, lowest domain first.</summary>
    public DomainWays[] OtherDomains() =>
        [.. Ways.Select(w => w.Value / 64).Where(d => d > 0).Distinct().Order().Select(d => new DomainWays(d, MaskOf(d)))];

    /// <summary>
    /// The request as the slicevisor takes it. Every range gets its permissions (the layout's
    /// default is rwx, which is what an empty list would mean too).
    /// </summary>
    public SliceRequest ToRequest() => new()
    {
        Cores = Cores.Select(c => c.Value).ToArray(),
        Ranges = Ranges.Select(i => Spec.Memory[i].Range).ToArray(),
        RangePermissions = Ranges.Select(i => Spec.Memory[i].Permissions).ToArray(),
        Windows = Windows.Select(i => new SharedWindow(Spec.Windows[i].Range, Spec.Windows[i].Permissions)).ToArray(),
        Devices = Devices.Select(d => d.Value).ToArray(),
        DmaRanges = Dma.Select(i => new DmaRange(Spec.Dma[i].Device, Spec.Dma[i].Range, Spec.Dma[i].Permissions)).ToArray(),
        Ways = WayMask,
        DomainWays = OtherDomains(),
        EntryPoint = Entry,
    };

    /// <summary>Where the checker starts the guest when the declared entry point cannot be used: the first range it may execute, else the first range.</summary>
    public ulong StandInEntry()
    {
        foreach (int i in Ranges)
        {
            if ((Spec.Memory[i].Permissions & Permissions.Execute) != 0)
            {
                return Spec.Memory[i].Range.Base;
            }
        }
        return Spec.Memory[Ranges[0]].Range.Base;
    }
}
