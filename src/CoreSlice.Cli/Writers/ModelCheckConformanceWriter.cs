using System.Globalization;
using CoreSlice.Cli.Commands;
using CoreSlice.Conformance;

namespace CoreSlice.Cli.Writers;

/// <summary>The result of <c>coreslice conform --from-modelcheck</c>, as text or JSON.</summary>
internal static class ModelCheckConformanceWriter
{
    public static void Write(TextWriter output, ModelCheckConformanceResult r, string format)
    {
        if (format == "json")
        {
            CliOutput.Json(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("conforms", r.Conforms);
                w.WriteString("port", r.Port);
                w.WriteNumber("states", r.States);
                w.WriteBoolean("exhaustive", r.Exhaustive);
                w.WriteNumber("transitions", r.Transitions);
                w.WriteNumber("modelcheckSeconds", Math.Round(r.ModelCheckSeconds, 3));
                w.WriteNumber("conformSeconds", Math.Round(r.ConformSeconds, 3));
                w.WriteNumber("transitionsPerSecond", Math.Round(r.TransitionsPerSecond, 1));
                w.WriteNumber("queries", r.Queries);
                w.WriteBoolean("initHolds", r.InitAnswer == "unsat");
                if (r.ModelCheckViolation is not null)
                {
                    w.WriteString("modelcheckViolation", r.ModelCheckViolation);
                }
                if (r.Mismatch is { } m)
                {
                    ConformWriter.MismatchJson(w, m, "state");
                }
                w.WriteStartArray("trace");
                foreach (string step in r.Trace)
                {
                    w.WriteStringValue(step);
                }
                w.WriteEndArray();
                ConformWriter.CoverageJson(w, r.Coverage);
                w.WriteEndObject();
            });
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"conform --from-modelcheck (port {r.Port}): {r.States:N0} states ({(r.Exhaustive ? "exhaustive" : "not exhaustive")}), modelcheck {r.ModelCheckSeconds:F1} s; " +
            $"{r.Transitions:N0} first-reaching transitions checked, {r.Queries:N0} Z3 queries, {r.ConformSeconds:F1} s ({r.TransitionsPerSecond:F1} transitions/s)"));
        if (r.ModelCheckViolation is not null)
        {
            output.WriteLine("the model checker found a violation, nothing was checked against the spec: " + r.ModelCheckViolation);
        }
        else
        {
            output.WriteLine($"initial state satisfies Init: {(r.InitAnswer == "unsat" ? "yes" : "no (" + r.InitAnswer + ")")}");
            output.WriteLine("coverage: " + string.Join(", ", r.Coverage.Select(kv => $"{kv.Key} x{kv.Value}")));
        }
        if (r.Mismatch is { } mm)
        {
            ConformWriter.MismatchText(output, mm, $"MISMATCH on the transition into state {mm.Step}");
        }
        if (r.Trace.Count > 0)
        {
            output.WriteLine("trace from power-on:");
            for (int i = 0; i < r.Trace.Count; i++)
            {
                output.WriteLine($"  {i + 1}. {r.Trace[i]}");
            }
        }
        if (r.Conforms)
        {
            output.WriteLine("every first-reaching transition conforms to the spec");
        }
    }
}
