namespace CoreSlice;

/// <summary>
/// A slice's ways in one cache domain, as a request lists them: a mask over that domain's
/// ways (bit w = way w of <paramref name="Domain"/>). Domain 0's ways may be given here or
/// as <see cref="SliceRequest.Ways"/>, not both.
/// </summary>
/// <param name="Domain">The cache domain (an index into <see cref="MachineConfig.CacheDomains"/>).</param>
/// <param name="Mask">The ways of that domain.</param>
public readonly record struct DomainWays(int Domain, ulong Mask);
