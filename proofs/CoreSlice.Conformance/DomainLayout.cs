namespace CoreSlice.Conformance;

/// <summary>
/// A machine's cache domains as the spec names them (spec/00-vocabulary.smt2): domain d's way w is the
/// spec's way 64*d + w (the SliceError subjects' numbering), where the code's table numbers it densely
/// (Offset(d) + w). Without a CacheDomains list the machine is one domain holding every core, with
/// CacheWays/ControlWays and no CAT rules (FrozenDomains does the same).
/// </summary>
public sealed class DomainLayout
{
    private DomainLayout(CacheDomain[] domains, int[] coreDom)
    {
        Domains = domains;
        CoreDom = coreDom;
    }

    /// <summary>The domains, in order.</summary>
    public IReadOnlyList<CacheDomain> Domains { get; }

    /// <summary>The domain of each core of the machine.</summary>
    public IReadOnlyList<int> CoreDom { get; }

    /// <summary>How many domains.</summary>
    public int Count => Domains.Count;

    /// <summary>The spec's way indices 0 .. SpecWays-1 cover every domain's ways.</summary>
    public int SpecWays => 64 * Count;

    /// <summary>The layout of a machine.</summary>
    public static DomainLayout Of(MachineConfig m)
    {
        ArgumentNullException.ThrowIfNull(m);
        CacheDomain[] domains = m.CacheDomains.IsDefaultOrEmpty
            ? [new CacheDomain { Cores = [.. Enumerable.Range(0, m.CoreCount)], Ways = m.CacheWays, ControlWays = m.ControlWays }]
            : [.. m.CacheDomains];
        int[] coreDom = new int[m.CoreCount];
        for (int d = 0; d < domains.Length; d++)
        {
            foreach (int c in domains[d].Cores.Where(c => c >= 0 && c < m.CoreCount))
            {
                coreDom[c] = d;
            }
        }
        return new DomainLayout(domains, coreDom);
    }

    /// <summary>The bits of a 64-bit mask over domain d's ways, as the spec's way indices.</summary>
    public static IEnumerable<int> SpecWaysOf(int d, ulong mask) =>
        Enumerable.Range(0, 64).Where(w => (mask & (1UL << w)) != 0).Select(w => (64 * d) + w);
}
