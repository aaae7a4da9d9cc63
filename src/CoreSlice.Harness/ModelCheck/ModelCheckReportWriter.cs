using System.Globalization;
using System.Text.Json;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>Prints a <see cref="ModelCheckResult"/> for people (text) or machines (JSON), as <c>coreslice modelcheck</c> does.</summary>
internal static class ModelCheckReportWriter
{
    /// <summary>
    /// Writes <paramref name="r"/> to <paramref name="output"/>: one indented JSON object when <paramref name="format"/> is "json";
    /// otherwise text (scope, counts, every violation with its shortest trace, the verdict).
    /// </summary>
    public static void Write(TextWriter output, ModelCheckResult r, string format)
    {
        if (format == "json")
        {
            WriteJson(output, r);
            return;
        }
        output.WriteLine("coreslice modelcheck: every reachable state of the real slicevisor, breadth-first");
        output.WriteLine($"machine: {r.Scope.MachineText()}");
        output.WriteLine($"operations per state: {r.Operations} (every argument in scope, hostile ones and injected faults included)");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"states: {r.States}, edges: {r.Edges} ({r.RejectedEdges} rejected calls), depth: {r.Depth}, time: {r.Seconds:F1} s, {r.StatesPerSecond:F0} states/s"));
        output.WriteLine(r.Exhaustive ? "exhaustive: yes, every reachable state was explored" : $"exhaustive: no, stopped by the {r.StoppedBy}");
        output.WriteLine("checked: I1-I6 in every state; T1, T2, T5 on every edge; R1 (a rejected call changes nothing), X1 (no exception), C1-C3 (operation contracts), M1 (the result, or the hardware's verdict on a guest or device action, matches the executable model) on every step" +
            (r.Scope.Noninterference ? "; NI2_LocalRespect (no domain's view changed by an action the policy keeps from it; real code and model) on every edge" : "")); // on the PMP port, I2, I3 and T1 read the PMP entries
        foreach (ModelCheckViolation v in r.Violations)
        {
            output.WriteLine();
            output.WriteLine($"VIOLATED {v.Check}: {v.Message}");
            output.WriteLine($"shortest trace from power-on ({v.Trace.Count} step{(v.Trace.Count == 1 ? "" : "s")}):");
            for (int i = 0; i < v.Trace.Count; i++)
            {
                output.WriteLine($"  {i + 1}. {v.Trace[i]}");
            }
        }
        output.WriteLine(r.Holds ? "result: holds" : "result: VIOLATED");
    }

    private static void WriteJson(TextWriter output, ModelCheckResult r)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("machine", r.Scope.MachineText());
            json.WriteString("command", r.Scope.CommandLine());
            json.WriteString("port", r.Scope.Port.Name);
            json.WriteBoolean("noninterference", r.Scope.Noninterference);
            json.WriteNumber("operations", r.Operations);
            json.WriteNumber("states", r.States);
            json.WriteNumber("edges", r.Edges);
            json.WriteNumber("rejectedEdges", r.RejectedEdges);
            json.WriteNumber("depth", r.Depth);
            json.WriteNumber("seconds", Math.Round(r.Seconds, 3));
            json.WriteNumber("statesPerSecond", Math.Round(r.StatesPerSecond, 1));
            json.WriteBoolean("exhaustive", r.Exhaustive);
            if (r.StoppedBy is null)
            {
                json.WriteNull("stoppedBy");
            }
            else
            {
                json.WriteString("stoppedBy", r.StoppedBy);
            }
            json.WriteBoolean("holds", r.Holds);
            json.WriteStartArray("violations");
            foreach (ModelCheckViolation v in r.Violations)
            {
                json.WriteStartObject();
                json.WriteString("check", v.Check);
                json.WriteString("message", v.Message);
                json.WriteStartArray("trace");
                foreach (string step in v.Trace)
                {
                    json.WriteStringValue(step);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
