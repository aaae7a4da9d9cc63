using CoreSlice.Hardware;

namespace CoreSlice.Validation;

/// <summary>
/// The lists of a <see cref="SliceRequest"/>, as spans taken once before the slicevisor's
/// lock (a <see cref="ReadOnlyMemory{T}"/> may run caller code to yield its span). Still the
/// caller's memory: <see cref="RequestValidator.Decode"/> copies what fits and never reads them again.
/// </summary>
internal readonly ref struct RequestSpans
{
    public RequestSpans(in SliceRequest request)
    {
        Cores = request.Cores.Span;
        Ranges = request.Ranges.Span;
        Permissions = request.RangePermissions.Span;
        Windows = request.Windows.Span;
        Devices = request.Devices.Span;
        DmaRanges = request.DmaRanges.Span;
        DomainWays = request.DomainWays.Span;
    }

    public ReadOnlySpan<int> Cores { get; }

    public ReadOnlySpan<MemoryRange> Ranges { get; }

    public ReadOnlySpan<Permissions> Permissions { get; }

    public ReadOnlySpan<SharedWindow> Windows { get; }

    public ReadOnlySpan<int> Devices { get; }

    public ReadOnlySpan<DmaRange> DmaRanges { get; }

    public ReadOnlySpan<DomainWays> DomainWays { get; }
}
