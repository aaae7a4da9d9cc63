namespace CoreSlice.Simulation;

/// <summary>
/// The cache domains of a <see cref="MachineConfig"/>, read outside the trusted core (the simulated
/// machine, the audit, the harness): a description without <see cref="MachineConfig.CacheDomains"/>
/// is one domain of every core with the top-level ways. Built from a checked description.
/// </summary>
public sealed class CacheDomainMap
{
    private readonly int[] coreDomain;
    private readonly int[] ways;
    private readonly ulong[] controlWays;

    /// <summary>The map of <paramref name="config"/> (a description whose <see cref="MachineConfig.Check"/> is clean).</summary>
    public CacheDomainMap(MachineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        coreDomain = new int[config.CoreCount];
        if (config.CacheDomains.IsDefault)
        {
            ways = [config.CacheWays];
            controlWays = [config.ControlWays];
            return;
        }
        ways = new int[config.CacheDomains.Length];
        controlWays = new ulong[ways.Length];
        for (int d = 0; d < ways.Length; d++)
        {
            CacheDomain domain = config.CacheDomains[d];
            ways[d] = domain.Ways;
            controlWays[d] = domain.ControlWays;
            foreach (int core in domain.Cores)
            {
                coreDomain[core] = d;
            }
        }
    }

    /// <summary>Number of domains.</summary>
    public int Count => ways.Length;

    /// <summary>The domain of <paramref name="core"/>.</summary>
    public int DomainOf(int core) => coreDomain[core];

    /// <summary>Ways of <paramref name="domain"/>.</summary>
    public int Ways(int domain) => ways[domain];

    /// <summary>One bit per way of <paramref name="domain"/>.</summary>
    public ulong AllWays(int domain) => ways[domain] >= 64 ? ulong.MaxValue : (1UL << ways[domain]) - 1;

    /// <summary>The control slice's ways in <paramref name="domain"/>.</summary>
    public ulong ControlWays(int domain) => controlWays[domain];

    /// <summary>The control slice's ways in <paramref name="core"/>'s domain: what a control core's way mask holds.</summary>
    public ulong ControlWaysOfCore(int core) => controlWays[coreDomain[core]];
}
