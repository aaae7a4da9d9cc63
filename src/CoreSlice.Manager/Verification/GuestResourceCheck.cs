namespace CoreSlice.Manager.Verification;

/// <summary>
/// The guest's "sufficient resources" check: a guest that was promised an
/// assignment reads its own report (from the mailbox, <c>GuestAttest</c>) and checks
/// that it holds at least what it was promised — every promised core, device and
/// way, memory covering every promised range, the promised entry point — and that
/// the report is about a Running slice that the guest itself asked for. Extra
/// resources are not a shortfall. Each shortfall is named.
/// </summary>
public static class GuestResourceCheck
{
    /// <summary>The shortfalls of <paramref name="report"/> against <paramref name="promised"/> (empty: sufficient).</summary>
    public static IReadOnlyList<Mismatch> Check(AttestationReport report, ExpectedAssignment promised)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(promised);
        var m = new List<Mismatch>();
        if (report.State != SliceState.Running)
        {
            m.Add(new Mismatch("state", nameof(SliceState.Running), report.State.ToString()));
        }
        if (report.Requester != 1)
        {
            m.Add(new Mismatch("requester", "guest (1)", $"{report.Requester} (not a mailbox report)"));
        }
        foreach (int core in promised.Cores)
        {
            if (!report.Cores.Contains(core))
            {
                m.Add(new Mismatch("cores", $"core {core}", "missing"));
            }
        }
        foreach (int device in promised.Devices)
        {
            if (!report.Devices.Contains(device))
            {
                m.Add(new Mismatch("devices", $"device {device}", "missing"));
            }
        }
        ulong missingWays = promised.Ways & ~report.Ways;
        if (missingWays != 0)
        {
            m.Add(new Mismatch("ways", $"0x{promised.Ways:x}", $"0x{report.Ways:x} (missing 0x{missingWays:x})"));
        }
        foreach (MemoryRange range in promised.Ranges)
        {
            if (!Covered(range, report.Ranges))
            {
                m.Add(new Mismatch("ranges", $"{range} covered", $"not covered by {ReportVerifier.Ranges(report.Ranges)}"));
            }
        }
        if (promised.EntryPoint != report.EntryPoint)
        {
            m.Add(new Mismatch("entryPoint", $"0x{promised.EntryPoint:x}", $"0x{report.EntryPoint:x}"));
        }
        return m;
    }

    /// <summary>True when the union of <paramref name="held"/> covers <paramref name="range"/>: a sweep, robust to overlaps.</summary>
    private static bool Covered(MemoryRange range, IReadOnlyList<MemoryRange> held)
    {
        if (!range.IsRepresentable)
        {
            return false;
        }
        ulong cursor = range.Base;
        foreach (MemoryRange h in held.Where(h => h.IsRepresentable && h.Size != 0).OrderBy(h => h.Base))
        {
            if (cursor >= range.Limit)
            {
                break;
            }
            if (h.Base > cursor)
            {
                return false;
            }
            if (h.Limit > cursor)
            {
                cursor = h.Limit;
            }
        }
        return cursor >= range.Limit;
    }
}
