using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Harness.Check;

/// <summary>
/// The checker's cache-domain part: ways of other domains are written "d:w" in a layout and held
/// as 64 * d + w (as the slicevisor names them); refusals about domains and CAT rules; and the
/// warning that a slice's memory sits on another socket than its cores.
/// </summary>
internal sealed partial class Checker
{
    private CacheDomainMap? domainMap;

    private CacheDomainMap Domains => domainMap ??= new CacheDomainMap(config);

    /// <summary>"way 5" on domain 0, "way 1:5" (the layout's spelling) on another.</summary>
    private static string WayName(int value) => value < 64 ? $"way {value}" : $"way {value / 64}:{value % 64}";

    /// <summary>The slice's ways as the report lists them: domain 0's as indices, the others' as 64 * d + w.</summary>
    private static int[] AllWays(SliceRequest request) =>
        [.. Masks.Bits(request.Ways), .. request.DomainWays.ToArray().SelectMany(d => Masks.Bits(d.Mask).Select(w => (64 * d.Domain) + w))];

    /// <summary>A way written for a domain the machine does not have: the request could not name it.</summary>
    private Problem? ForeignDomainItem(SliceSpec spec, Item way)
    {
        int domain = way.Value / 64;
        if (way.Value >= 0 && domain < Domains.Count)
        {
            return null;
        }
        return new Problem
        {
            IsWarning = false, Source = ProblemSource.Layout, Error = nameof(SliceError.WaysDomainOutOfRange), Code = (int)SliceError.WaysDomainOutOfRange,
            Slice = spec.Name, Field = "ways", At = way.At, Item = WayName(way.Value),
            Against = MachineLimit("cacheDomains", $"{Domains.Count} cache domain(s)"),
            Message = way.Value < 0 ? $"way {way.Value} does not exist" : $"cache domain {domain} does not exist: the machine has domains 0..{Domains.Count - 1}",
        };
    }

    /// <summary>Records a cache-domain refusal; returns why the slice cannot be created, or null to try again without the dropped ways.</summary>
    private string? DomainRefusal(SliceSpec spec, SliceResult result, WorkingRequest work)
    {
        SliceError error = result.Error;
        List<Item> ways = work.Ways;
        int domain = error is SliceError.WaysMissingInDomain or SliceError.ClassesOfServiceExhausted ? result.Subject : result.Subject / 64;
        Position at = ways.Any(w => w.Value / 64 == domain) ? ways.First(w => w.Value / 64 == domain).At : spec.WaysAt;
        string item = error is SliceError.WaysMissingInDomain or SliceError.ClassesOfServiceExhausted ? $"cache domain {domain}" : WayName(result.Subject);
        Party rules = new("machine", $"cacheDomains[{domain}]", $"cacheDomains[{domain}]", MachineAt("cacheDomains", domain));
        (Party? against, string message) = error switch
        {
            SliceError.WaysForeignDomain => (rules, $"{WayName(result.Subject)} is in cache domain {domain}, where the slice has no core: no core of it could use the way"),
            SliceError.WaysMissingInDomain => (rules, $"the slice has cores in cache domain {domain} but no way there: those cores would run without cache ways"),
            SliceError.WaysNotContiguous => (rules, $"cache domain {domain} wants one run of adjacent ways (CAT), and the slice's ways there are not"),
            SliceError.WaysTooNarrow => (rules, $"cache domain {domain} wants masks of at least {config.CacheDomains[domain].MinMaskWidth} ways (CAT)"),
            _ => (rules, $"every class of service of cache domain {domain} is taken ({config.CacheDomains[domain].MaxClassesOfService}, the control slice's included)"),
        };
        // A missing way after earlier refusals dropped that domain's ways is a consequence, not a second mistake.
        if (error != SliceError.WaysMissingInDomain || !spec.Ways.Any(w => w.Value / 64 == domain))
        {
            problems.Add(Refusal(spec, error, "ways", at, item, against, null, message));
        }
        switch (error)
        {
            case SliceError.WaysMissingInDomain:
                return $"it has no cache way in domain {domain}";
            case SliceError.ClassesOfServiceExhausted:
                return $"cache domain {domain} has no class of service left";
            default:
                ways.RemoveAll(w => w.Value / 64 == domain);
                return null;
        }
    }

    /// <summary>
    /// A warning when a created slice's memory lies in a socket's local memory (<see cref="CacheDomain.LocalMemory"/>)
    /// and none of its cores is on that socket: allowed (isolation holds), but every access crosses sockets.
    /// </summary>
    private void CrossSocketWarnings(SliceSpec spec, SliceRequest request, WorkingRequest work)
    {
        if (config.CacheDomains.IsDefault)
        {
            return;
        }
        var coreDomains = request.Cores.ToArray().Select(Domains.DomainOf).ToHashSet();
        // Only the ranges the slice was created with: a refused range is reported as such already.
        foreach (RangeItem range in work.Ranges.Select(i => spec.Memory[i]))
        {
            for (int d = 0; d < config.CacheDomains.Length; d++)
            {
                ImmutableLocal local = new(config.CacheDomains[d]);
                if (!coreDomains.Contains(d) && local.Overlaps(range.Range))
                {
                    problems.Add(new Problem
                    {
                        IsWarning = true, Source = ProblemSource.Layout, Error = "MemoryOnOtherSocket",
                        Slice = spec.Name, Field = "memory", At = range.At, Item = Hex.Range(range.Range),
                        Against = new Party("machine", $"cacheDomains[{d}]", $"cacheDomains[{d}].memory", MachineAt("cacheDomains", d)),
                        Message = $"the range is memory of socket {d} (cacheDomains[{d}].memory) but none of the slice's cores is on that socket: every access crosses sockets",
                    });
                }
            }
        }
    }

    private readonly struct ImmutableLocal(CacheDomain domain)
    {
        public bool Overlaps(MemoryRange range) =>
            !domain.LocalMemory.IsDefault && range.IsRepresentable && domain.LocalMemory.Any(m => m.IsRepresentable && m.Overlaps(range));
    }
}
