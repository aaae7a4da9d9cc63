using System.Text.Json;

namespace CoreSlice.Harness.Simulate;

/// <summary>Prints a <see cref="SimulationSummary"/> for people (text) or machines (JSON), as <c>coreslice simulate</c> does.</summary>
internal static class SummaryWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    /// <summary>
    /// Writes <paramref name="summary"/> to <paramref name="output"/>: the summary serialized as indented camelCase JSON
    /// when <paramref name="format"/> is "json"; otherwise text (counts per operation and guest action, findings, verdict).
    /// </summary>
    public static void Write(TextWriter output, SimulationSummary summary, string format)
    {
        if (format == "json")
        {
            output.WriteLine(JsonSerializer.Serialize(summary, Json));
            return;
        }
        output.WriteLine($"coreslice simulate: seed {summary.Seed}, {summary.Steps} steps, {summary.Cores} cores{(summary.Port == "abstract" ? "" : $", {summary.Port} port")}");
        output.WriteLine();
        output.WriteLine($"{"operation",-14} {"accepted",9} {"rejected",9} {"faulted",8}");
        foreach ((string name, OperationCounts c) in summary.Operations)
        {
            output.WriteLine($"{name,-14} {c.Accepted,9} {c.Rejected,9} {c.Faulted,8}");
        }
        output.WriteLine($"hostile requests: {summary.HostileRequests} sent, {summary.HostileRejected} rejected (the rest found nothing to break)");
        output.WriteLine();
        output.WriteLine($"{"guest action",-14} {"tried",9} {"allowed",9} {"blocked",8}");
        foreach ((string name, AccessCounts c) in summary.Accesses)
        {
            output.WriteLine($"{name,-14} {c.Attempted,9} {c.Allowed,9} {c.Blocked,8}");
        }
        output.WriteLine($"window exchanges: {summary.WindowExchanges} (control slice to guest and back through a read-write window)");
        output.WriteLine();
        output.WriteLine($"faults injected: {summary.FaultsInjected}, quarantined slots recovered: {summary.QuarantinesRecovered}");
        output.WriteLine($"isolation violations: {summary.IsolationViolations} (must be 0)");
        output.WriteLine($"residue found: {summary.ResidueFound} bytes (must be 0)");
        output.WriteLine($"functional failures: {summary.FunctionalFailures} (must be 0)");
        foreach (string finding in summary.Findings)
        {
            output.WriteLine("  " + finding);
        }
        output.WriteLine(summary.Holds ? "result: holds" : "result: VIOLATED");
    }
}
