using System.Text;
using CoreSlice.Faults;

namespace CoreSlice.Tests.BugInjection;

/// <summary>One injected bug: where it lives, what it does, and the layers measured to catch it.</summary>
internal sealed record BugVariant(Bug Bug, string Site, string Mistake, string[] CaughtBy);

/// <summary>The catalogue. <see cref="BugVariant.CaughtBy"/> is what the tests measure (they fail if it drifts), and tests/README.md shows it.</summary>
internal static class BugCatalogue
{
    public static IReadOnlyList<BugVariant> All { get; } =
    [
        new(Bug.RequestOverlapOffByOne, "Validation/RequestValidator.cs CheckRangeConflicts", "overlap test between a request's own ranges stops one range early (`j < i - 1`)", ["modelcheck", "simulate"]),
        new(Bug.ExistingOverlapOffByOne, "Table/MemoryOwnershipIndex.cs FindOverlap", "off by one at the top: the highest guest interval is never reported as overlapping", ["modelcheck"]),
        new(Bug.RangeWrapOverflow, "Validation/RequestValidator.cs CheckRanges", "no `base + size` overflow check; RAM containment computed with the wrapping sum", ["modelcheck"]),
        new(Bug.CoreInUseUnchecked, "Validation/RequestValidator.cs CheckCores", "a core owned by another slice is accepted", ["modelcheck", "simulate"]),
        new(Bug.WayInUseUnchecked, "Validation/RequestValidator.cs CheckWays", "a cache way owned by another slice or the control slice is accepted", ["modelcheck", "simulate"]),
        new(Bug.CreateFailureLeaksCores, "Operations/CreateSlice.cs (error path)", "cores are claimed once their checks pass; a later failing check returns without releasing them", ["modelcheck", "simulate"]),
        new(Bug.RejectedCreateMutatesEntry, "Operations/CreateSlice.cs (before validation)", "the free slot's ways and entry point are written before validation: a rejected call changes the table", ["modelcheck"]),
        new(Bug.ImageBoundsOffByOne, "Operations/LoadImage.cs", "bounds check off by one: one byte past the slice's range may be written", ["modelcheck"]),
        new(Bug.LoaderSkipsLock, "Sliceloader.cs Boot", "enters the guest without locking the filter registers", ["modelcheck", "simulate", "unit"]),
        new(Bug.LoaderIgnoresReadback, "Sliceloader.cs Boot", "a readback that differs from the entry is ignored; the guest runs with corrupted registers", ["modelcheck", "simulate", "unit"]),
        new(Bug.IpiMaskWrongSlot, "Sliceloader.cs Boot", "IPI mask built from the wrong slot (0-based index into the 1-based table)", ["modelcheck", "simulate", "unit"]),
        new(Bug.StartIgnoresResetFault, "Operations/StartSlice.cs", "a core that did not come back from its secure reset is booted anyway; the start reports success", ["modelcheck", "simulate"]),
        new(Bug.DestroySkipsCoreReset, "Operations/DestroySlice.cs", "the slice's cores are not reset: they keep running the destroyed guest", ["modelcheck", "simulate", "unit"]),
        new(Bug.DestroySkipsScrub, "Operations/DestroySlice.cs", "memory is freed without being scrubbed", ["modelcheck", "simulate", "unit"]),
        new(Bug.DestroyFaultFreesUnscrubbed, "Operations/DestroySlice.cs (fault path)", "on a failed core reset the slot is freed at once: no quarantine, no IOMMU close, no scrub", ["modelcheck", "simulate", "unit"]),
        new(Bug.DestroyLeavesIommuOpen, "Operations/DestroySlice.cs", "the devices' IOMMU windows are left open after destroy", ["modelcheck", "simulate", "unit"]),
    ];

    /// <summary>The table of tests/README.md (between its markers), generated from the catalogue.</summary>
    public static string MarkdownTable()
    {
        var text = new StringBuilder();
        text.Append("| # | bug (`Bug.`) | injected in `src/CoreSlice/` | the mistake |");
        foreach (ILayer layer in Layers.All)
        {
            text.Append($" {layer.Name} |");
        }
        text.Append('\n').Append("|---|---|---|---|");
        foreach (ILayer _ in Layers.All)
        {
            text.Append(":-:|");
        }
        text.Append('\n');
        int n = 1;
        foreach (BugVariant b in All)
        {
            text.Append($"| {n++} | `{b.Bug}` | {b.Site} | {b.Mistake} |");
            foreach (ILayer layer in Layers.All)
            {
                text.Append(b.CaughtBy.Contains(layer.Name) ? " caught |" : " — |");
            }
            text.Append('\n');
        }
        return text.ToString();
    }
}
