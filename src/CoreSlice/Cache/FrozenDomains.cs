using System.Numerics;

namespace CoreSlice;

/// <summary>
/// The slicevisor's own copy of the machine's cache domains (<see cref="MachineConfig.CacheDomains"/>),
/// made at construction like the rest of <see cref="FrozenMachine"/>: bounded before it is copied,
/// checked after. Ways are numbered densely across domains: domain d's way w is machine way
/// <c>Offset(d) + w</c>, so a one-domain machine's way w is way w, as before domains existed, and a
/// global index with a domain map is the (domain, way) pair the spec reasons about.
/// </summary>
internal sealed class FrozenDomains
{
    /// <summary>One domain's numbers, copied out of the caller's object.</summary>
    internal readonly record struct Rules(int Ways, ulong ControlWays, bool Contiguous, int MaxClasses, int MinWidth, int Offset)
    {
        /// <summary>One bit per way of the domain.</summary>
        public ulong AllWays => Ways >= 64 ? ulong.MaxValue : Ways <= 0 ? 0 : (1UL << Ways) - 1;
    }

    private const byte NoDomain = byte.MaxValue;
    private readonly Rules[] rules;
    private readonly int[][] cores;
    private readonly byte[] coreDomain;
    // The description's lists as given: -1 missing, or longer than the limits (refused, never copied).
    private readonly int given;
    private readonly int[] coresGiven;
    private readonly int nullAt = -1;
    private readonly bool implicitDomain;

    public FrozenDomains(MachineConfig c, int coreCount)
    {
        int n = Math.Clamp(coreCount, 0, Limits.MaxCores);
        coreDomain = new byte[n];
        if (c.CacheDomains.IsDefault)
        {
            // The machine before domains: one domain of every core with the top-level ways.
            implicitDomain = true;
            given = 1;
            rules = [new Rules(c.CacheWays, c.ControlWays, false, 0, 0, 0)];
            cores = [[]];
            coresGiven = [n];
            return;
        }
        given = c.CacheDomains.Length;
        coreDomain.AsSpan().Fill(NoDomain);
        int count = given <= Limits.MaxCacheDomains ? given : 0;
        rules = new Rules[count];
        cores = new int[count][];
        coresGiven = new int[count];
        int offset = 0;
        for (int d = 0; d < count; d++)
        {
            CacheDomain? domain = c.CacheDomains[d];
            if (domain is null)
            {
                nullAt = nullAt < 0 ? d : nullAt;
                cores[d] = [];
                continue;
            }
            int ways = domain.Ways;
            rules[d] = new Rules(ways, domain.ControlWays, domain.ContiguousMasks, domain.MaxClassesOfService, domain.MinMaskWidth, offset);
            // Ways out of range are refused by Check; the offsets stay bounded either way.
            offset += Math.Clamp(ways, 0, Limits.MaxCacheWays);
            coresGiven[d] = domain.Cores.IsDefault ? -1 : domain.Cores.Length;
            cores[d] = coresGiven[d] < 0 || coresGiven[d] > Limits.MaxCores ? [] : domain.Cores.AsSpan().ToArray();
            foreach (int core in cores[d])
            {
                if ((uint)core < (uint)n && coreDomain[core] == NoDomain)
                {
                    coreDomain[core] = (byte)d;
                }
            }
        }
    }

    /// <summary>Whether the description listed domains (false: the one implicit domain).</summary>
    public bool Listed => !implicitDomain;

    /// <summary>Number of domains (valid after a clean check).</summary>
    public int Count => rules.Length;

    /// <summary>Every way of the machine, all domains together.</summary>
    public int TotalWays
    {
        get
        {
            if (rules.Length == 0)
            {
                return 0;
            }
            ref readonly Rules last = ref rules[^1];
            return last.Offset + last.Ways;
        }
    }

    public ref readonly Rules this[int domain] => ref rules[domain];

    /// <summary>The domain of <paramref name="core"/> (a core of the machine).</summary>
    public int DomainOf(int core) => coreDomain[core];

    /// <summary>The domain's cores as the description listed them (the implicit domain: empty, meaning every core).</summary>
    public ReadOnlySpan<int> CoresOf(int domain) => cores[domain];

    /// <summary>The domain a machine way belongs to, or -1 when there is no such way (at most <see cref="Limits.MaxCacheDomains"/> turns).</summary>
    public int DomainOfWay(int way)
    {
        for (int d = 0; d < rules.Length; d++)
        {
            if (way >= rules[d].Offset && way < rules[d].Offset + rules[d].Ways)
            {
                return d;
            }
        }
        return -1;
    }

    private static ConfigError Error(ConfigField field, ConfigProblem problem, int index = -1, int other = -1, ulong value = 0, ulong size = 0) =>
        FrozenMachine.Error(field, problem, index, other, value, size);

    private static ulong Number(int value) => FrozenMachine.Number(value);

    /// <summary>True when <paramref name="mask"/> is one run of adjacent set bits (CAT's contiguity rule).</summary>
    public static bool Contiguous(ulong mask)
    {
        if (mask == 0)
        {
            return false;
        }
        ulong low = mask >> BitOperations.TrailingZeroCount(mask);
        return (low & (low + 1)) == 0;
    }

    /// <summary>Every problem of the copy (the implicit domain's ways are checked as cacheWays/controlWays by the caller).</summary>
    public void Check(List<ConfigError> errors, int coreCount, int cacheWays, ulong controlWays)
    {
        if (implicitDomain)
        {
            return;
        }
        if (given < 1 || given > Limits.MaxCacheDomains)
        {
            errors.Add(Error(ConfigField.CacheDomains, ConfigProblem.BadLength, value: Number(Math.Max(given, 0))));
            return;
        }
        if (nullAt >= 0)
        {
            errors.Add(Error(ConfigField.CacheDomains, ConfigProblem.MissingEntry, nullAt));
            return;
        }
        for (int d = 0; d < rules.Length; d++)
        {
            CheckDomain(errors, d, coreCount);
        }
        for (int core = 0; core < coreDomain.Length; core++)
        {
            if (coreDomain[core] == NoDomain)
            {
                errors.Add(Error(ConfigField.CacheDomains, ConfigProblem.CoreInNoDomain, value: Number(core)));
            }
        }
        if (cacheWays != rules[0].Ways)
        {
            errors.Add(Error(ConfigField.CacheWays, ConfigProblem.DisagreesWithDomain0, value: Number(cacheWays), size: Number(rules[0].Ways)));
        }
        if (controlWays != rules[0].ControlWays)
        {
            errors.Add(Error(ConfigField.ControlWays, ConfigProblem.DisagreesWithDomain0, value: controlWays, size: rules[0].ControlWays));
        }
    }

    private void CheckDomain(List<ConfigError> errors, int d, int coreCount)
    {
        Rules r = rules[d];
        if (coresGiven[d] < 1 || coresGiven[d] > Limits.MaxCores)
        {
            errors.Add(Error(ConfigField.CacheDomainCores, ConfigProblem.BadLength, d, value: Number(Math.Max(coresGiven[d], 0))));
        }
        for (int i = 0; i < cores[d].Length; i++)
        {
            int core = cores[d][i];
            if (core < 0 || core >= coreCount)
            {
                errors.Add(Error(ConfigField.CacheDomainCores, ConfigProblem.OutOfRange, d, i, Number(core)));
            }
            else if (core < coreDomain.Length && coreDomain[core] != d)
            {
                errors.Add(Error(ConfigField.CacheDomainCores, ConfigProblem.CoreInTwoDomains, d, coreDomain[core], Number(core)));
            }
            else if (cores[d].AsSpan(0, i).Contains(core))
            {
                errors.Add(Error(ConfigField.CacheDomainCores, ConfigProblem.Duplicate, d, i, Number(core)));
            }
        }
        if (r.Ways < 1 || r.Ways > Limits.MaxCacheWays)
        {
            errors.Add(Error(ConfigField.CacheDomainWays, ConfigProblem.OutOfRange, d, value: Number(r.Ways)));
            return;
        }
        if ((r.ControlWays & ~r.AllWays) != 0)
        {
            errors.Add(Error(ConfigField.CacheDomainControlWays, ConfigProblem.WaysBeyondMachine, d, value: r.ControlWays));
        }
        else if (r.ControlWays == r.AllWays)
        {
            errors.Add(Error(ConfigField.CacheDomainControlWays, ConfigProblem.HoldsEveryWay, d, value: r.ControlWays));
        }
        else if (r.ControlWays != 0 && ((r.Contiguous && !Contiguous(r.ControlWays)) || BitOperations.PopCount(r.ControlWays) < r.MinWidth))
        {
            errors.Add(Error(ConfigField.CacheDomainControlWays, ConfigProblem.BreaksCatRules, d, value: r.ControlWays));
        }
        // A class limit must leave one class for a guest beside the control slice's.
        int needed = r.ControlWays != 0 ? 2 : 1;
        if (r.MaxClasses != 0 && (r.MaxClasses < needed || r.MaxClasses > Limits.MaxCacheWays))
        {
            errors.Add(Error(ConfigField.CacheDomainClasses, ConfigProblem.OutOfRange, d, value: Number(r.MaxClasses)));
        }
        if (r.MinWidth < 0 || r.MinWidth > r.Ways - BitOperations.PopCount(r.ControlWays))
        {
            errors.Add(Error(ConfigField.CacheDomainMinWidth, ConfigProblem.OutOfRange, d, value: Number(r.MinWidth)));
        }
    }
}
