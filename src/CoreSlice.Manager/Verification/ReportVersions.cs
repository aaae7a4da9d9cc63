using L = CoreSlice.Attestation.ReportLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// Which report versions this verifier accepts: version 4 only. Version 3 is refused by name: it shows a
/// slice's ways in cache domain 0 only, so on a machine of several cache domains (sockets) two slices
/// holding different ways of socket 1 gave version-3 reports that differ in nothing a verifier can see.
/// Versions 1 and 2 are refused by name rather than read as "no windows, read/write/execute everywhere, devices reach every range":
/// slicevisors wrote version 2 from the log-format change (33f2ec8) until version 3, and from
/// sharing part 1 (e4a9898) on, slices could hold windows onto control memory, narrower range
/// permissions and (d025dc7) per-device DMA ranges that a version-2 report neither shows nor binds
/// (its entry hash covers none of them). Two slices, one with a read/write window shared with the
/// manager and one without, give version-2 reports that differ in nothing a verifier can see, so
/// reading "no windows" into one would be a claim the signature never made. A version-4 slicevisor
/// answers a fresh request with a version-4 report; old reports are evidence of nothing current anyway.
/// </summary>
public static class ReportVersions
{
    /// <summary>The one version accepted.</summary>
    public const ushort Accepted = L.CurrentVersion;

    /// <summary>Why <paramref name="version"/> is refused, naming it; null for the accepted version.</summary>
    public static string? Refusal(ushort version) => version switch
    {
        Accepted => null,
        3 => "version: 3 is refused: a version-3 report shows the slice's cache ways in domain 0 only, so on a machine of several cache domains "
             + $"it cannot show or bind the ways it holds in the others; ask the slicevisor for a fresh report (version {Accepted})",
        1 or 2 => $"version: {version} is refused: a version-{version} report does not show the slice's range permissions, windows onto control memory or DMA ranges, "
                  + $"so it cannot tell a slice that shares memory from one that does not; ask the slicevisor for a fresh report (version {Accepted})",
        _ => $"version: {version} is not a report version this verifier knows (it reads version {Accepted} only)",
    };
}
