using CoreSlice.Hardware;

namespace CoreSlice.Manager.Verification;

/// <summary>The resources a slice was promised (what the manager requested, or what a guest was told).</summary>
/// <param name="Cores">Core ids.</param>
/// <param name="Ranges">Memory ranges, in range-register order.</param>
/// <param name="Devices">Device ids.</param>
/// <param name="Ways">Cache-way mask.</param>
/// <param name="EntryPoint">Entry point.</param>
public sealed record ExpectedAssignment(IReadOnlyList<int> Cores, IReadOnlyList<MemoryRange> Ranges, IReadOnlyList<int> Devices, ulong Ways, ulong EntryPoint)
{
    /// <summary>
    /// The guest's permission on each range, in the order of <see cref="Ranges"/>; null (as in a
    /// request that names none) means read/write/execute on every range.
    /// </summary>
    public IReadOnlyList<Permissions>? RangePermissions { get; init; }

    /// <summary>The windows onto control memory, in request order. Empty unless set: an exact assignment expects no sharing it was not told of.</summary>
    public IReadOnlyList<SharedWindow> Windows { get; init; } = [];

    /// <summary>The DMA ranges, in request order; empty means the devices reach every private range (no list).</summary>
    public IReadOnlyList<DmaRange> DmaRanges { get; init; } = [];

    /// <summary>
    /// The ways in cache domains other than 0's <see cref="Ways"/> (domain 0 may be listed here too, as a request may
    /// list it). Empty: the slice holds ways in domain 0 only.
    /// </summary>
    public IReadOnlyList<DomainWays> DomainWays { get; init; } = [];

    /// <summary>
    /// The mask expected in each of <paramref name="domains"/> domains: <see cref="Ways"/> and any listed mask in
    /// domain 0, the listed mask elsewhere, zero for a domain not listed. A listed domain at or beyond
    /// <paramref name="domains"/> makes the list longer, so it shows as a mismatch rather than vanishing.
    /// </summary>
    public IReadOnlyList<ulong> WaysPerDomain(int domains)
    {
        int count = Math.Max(domains, DomainWays.Count == 0 ? 1 : DomainWays.Max(d => d.Domain) + 1);
        var masks = new ulong[Math.Max(count, 1)];
        masks[0] = Ways;
        foreach (DomainWays d in DomainWays.Where(d => d.Domain >= 0))
        {
            masks[d.Domain] |= d.Mask;
        }
        return masks;
    }

    /// <summary><see cref="RangePermissions"/> with the default spelled out: one permission per range.</summary>
    public IReadOnlyList<Permissions> EffectiveRangePermissions =>
        RangePermissions ?? [.. Ranges.Select(_ => Permissions.ReadWriteExecute)];

    /// <summary>The assignment a request asks for.</summary>
    public static ExpectedAssignment From(in SliceRequest request) =>
        new(request.Cores.ToArray(), request.Ranges.ToArray(), request.Devices.ToArray(), request.Ways, request.EntryPoint)
        {
            RangePermissions = request.RangePermissions.IsEmpty ? null : request.RangePermissions.ToArray(),
            Windows = request.Windows.ToArray(),
            DmaRanges = request.DmaRanges.ToArray(),
            DomainWays = request.DomainWays.ToArray(),
        };
}

/// <summary>What a verifier expects of a report. Every field left null is not checked.</summary>
public sealed record ReportExpectations
{
    /// <summary>The 64-byte nonce the verifier sent (a fresh one per request defeats replay).</summary>
    public byte[]? Nonce { get; init; }

    /// <summary>The image measurement (SHA-384 chain) of the image the verifier expects.</summary>
    public byte[]? ImageMeasurement { get; init; }

    /// <summary>The slicevisor's expected measurement.</summary>
    public byte[]? SlicevisorMeasurement { get; init; }

    /// <summary>The sliceloader's expected measurement.</summary>
    public byte[]? SliceloaderMeasurement { get; init; }

    /// <summary>The exact assignment expected (cores, ranges and their permissions, windows, devices, DMA ranges, ways, entry point).</summary>
    public ExpectedAssignment? Assignment { get; init; }

    /// <summary>The slot expected.</summary>
    public int? Slot { get; init; }

    /// <summary>The state expected (e.g. Running for a live guest).</summary>
    public SliceState? State { get; init; }

    /// <summary>
    /// The lowest acceptable slice boot id: a verifier that knows the live slice was
    /// created at boot counter N rejects a report of any earlier (destroyed) slice.
    /// </summary>
    public ulong? MinimumSliceBootId { get; init; }

    /// <summary>The exact slice boot id expected.</summary>
    public ulong? SliceBootId { get; init; }
}

/// <summary>One thing that did not match: the field, what was expected, what the report says.</summary>
/// <param name="Field">The report field (or "signature", "structure").</param>
/// <param name="Expected">What the verifier expected.</param>
/// <param name="Actual">What the report holds.</param>
public sealed record Mismatch(string Field, string Expected, string Actual)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Field}: expected {Expected}, report has {Actual}";
}

/// <summary>The outcome of verifying a report: valid when nothing mismatched.</summary>
/// <param name="Report">The decoded report (null when it could not be decoded).</param>
/// <param name="Mismatches">Everything that did not match, in check order.</param>
public sealed record ReportVerification(AttestationReport? Report, IReadOnlyList<Mismatch> Mismatches)
{
    /// <summary>True when the report decoded, its signature holds, and every expectation matched.</summary>
    public bool Valid => Report is not null && Mismatches.Count == 0;
}
