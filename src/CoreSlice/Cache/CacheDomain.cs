using System.Collections.Immutable;

namespace CoreSlice;

/// <summary>
/// One last-level-cache domain (a socket) of a <see cref="MachineConfig"/>: the cores that
/// share its cache, how many ways it has, the control slice's ways in it and, where the
/// hardware is Intel-CAT-like, the rules a way mask must follow there. A core's way-mask
/// register holds a mask over its own domain's ways (bit w = way w of that domain).
/// </summary>
public sealed class CacheDomain
{
    /// <summary>The cores of this domain; every core of the machine is in exactly one domain.</summary>
    public required ImmutableArray<int> Cores { get; init; }

    /// <summary>Number of ways of this domain's cache (1..<see cref="Limits.MaxCacheWays"/>).</summary>
    public required int Ways { get; init; }

    /// <summary>The control slice's ways in this domain, as a mask over the domain's ways.</summary>
    public ulong ControlWays { get; init; }

    /// <summary>CAT: every slice's mask in this domain must be one run of adjacent ways (the control slice's too).</summary>
    public bool ContiguousMasks { get; init; }

    /// <summary>
    /// CAT: most classes of service (distinct masks in use) in this domain, the control
    /// slice's included when it holds ways here; 0 means no limit. Every slice with a core in
    /// the domain takes one class.
    /// </summary>
    public int MaxClassesOfService { get; init; }

    /// <summary>
    /// The RAM local to this domain's socket. Not read by the slicevisor (memory is not split by
    /// socket for isolation); tools use it, e.g. <c>coreslice check</c> warns when a slice's memory
    /// and cores sit on different sockets.
    /// </summary>
    public ImmutableArray<MemoryRange> LocalMemory { get; init; }

    /// <summary>CAT: fewest ways a mask in this domain may have (0 or 1: no rule beyond non-empty).</summary>
    public int MinMaskWidth { get; init; }
}
