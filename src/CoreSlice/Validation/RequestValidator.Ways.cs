using System.Numerics;

namespace CoreSlice.Validation;

internal sealed partial class RequestValidator
{
    private readonly DomainWays[] domainWays = new DomainWays[Limits.MaxCacheDomains];
    // The request's mask per domain, assembled by CheckWays: what the entry takes on success.
    private readonly ulong[] wayMasks = new ulong[Limits.MaxCacheDomains];
    private int domainWaysCount;

    /// <summary>
    /// The ways, per cache domain (spec: createCheck's ways clauses): each DomainWays entry names a
    /// domain of the machine, once; some way is asked for; in each domain holding requested ways
    /// (lowest first) the ways exist, the slice has a core there, no way is held, and the domain's CAT
    /// rules hold; and the slice has a way in every domain of its cores. Bounded by the domain count
    /// (at most 8) times 64 ways, and by the request's cores once.
    /// </summary>
    private SliceResult CheckWays()
    {
        FrozenDomains domains = config.Domains;
        wayMasks.AsSpan().Clear();
        wayMasks[0] = ways;
        // Which domains were given (domain 0 by Ways when it is non-zero): a bit each.
        int given = ways != 0 ? 1 : 0;
        for (int i = 0; i < domainWaysCount; i++)
        {
            int d = domainWays[i].Domain;
            if ((uint)d >= (uint)domains.Count)
            {
                return SliceResult.Fail(SliceError.WaysDomainOutOfRange, 0, i);
            }
            if ((given & (1 << d)) != 0)
            {
                return SliceResult.Fail(SliceError.WaysDomainDuplicated, 0, d);
            }
            given |= 1 << d;
            wayMasks[d] = domainWays[i].Mask;
        }
        int asked = 0;
        for (int d = 0; d < domains.Count; d++)
        {
            asked |= wayMasks[d] != 0 ? 1 << d : 0;
        }
        if (asked == 0)
        {
            return SliceResult.Fail(SliceError.WaysEmpty, 0, -1);
        }
        int coreDomains = CoreDomains(domains);
        for (int d = 0; d < domains.Count; d++)
        {
            if (wayMasks[d] != 0)
            {
                SliceResult result = CheckDomainWays(domains, d, wayMasks[d], (coreDomains & (1 << d)) != 0);
                if (!result.Ok)
                {
                    return result;
                }
            }
        }
        for (int d = 0; d < domains.Count; d++)
        {
            if ((coreDomains & (1 << d)) != 0 && wayMasks[d] == 0)
            {
                return SliceResult.Fail(SliceError.WaysMissingInDomain, 0, d);
            }
        }
        return SliceResult.Success(0);
    }

    /// <summary>The domains of the validated cores, a bit each.</summary>
    private int CoreDomains(FrozenDomains domains)
    {
        int found = 0;
        for (int i = 0; i < coreCount; i++)
        {
            found |= 1 << domains.DomainOf(cores[i]);
        }
        return found;
    }

    private SliceResult CheckDomainWays(FrozenDomains domains, int d, ulong mask, bool hasCore)
    {
        ref readonly FrozenDomains.Rules rules = ref domains[d];
        int lowest = (64 * d) + BitOperations.TrailingZeroCount(mask);
        ulong beyond = mask & ~rules.AllWays;
        if (beyond != 0)
        {
            return SliceResult.Fail(SliceError.WaysOutOfRange, 0, (64 * d) + BitOperations.TrailingZeroCount(beyond));
        }
        // spec: I1_Disjointness.wayDomains (a guest's ways lie in domains where it holds a core)
        if (!hasCore)
        {
            return SliceResult.Fail(SliceError.WaysForeignDomain, 0, lowest);
        }
        // Only the requested ways, lowest first (each turn clears one bit: at most 64 turns).
        for (ulong rest = mask; rest != 0; rest &= rest - 1)
        {
            int way = BitOperations.TrailingZeroCount(rest);
            int owner = table.WayOwner(d, way);
            if (owner != Owner.Free)
            {
                return SliceResult.Fail(SliceError.WaysInUse, 0, (64 * d) + way, owner);
            }
        }
        if (rules.Contiguous && !FrozenDomains.Contiguous(mask))
        {
            return SliceResult.Fail(SliceError.WaysNotContiguous, 0, lowest);
        }
        if (BitOperations.PopCount(mask) < rules.MinWidth)
        {
            return SliceResult.Fail(SliceError.WaysTooNarrow, 0, lowest);
        }
        // The classes in use: one per live slice holding ways here, and the control slice's when it holds any.
        int inUse = table.ClassesInUse(d) + (rules.ControlWays != 0 ? 1 : 0);
        if (rules.MaxClasses != 0 && inUse >= rules.MaxClasses)
        {
            return SliceResult.Fail(SliceError.ClassesOfServiceExhausted, 0, d);
        }
        return SliceResult.Success(0);
    }
}
