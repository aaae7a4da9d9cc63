using System.Text.Json;
using CoreSlice.Cli.Commands;
using CoreSlice.Conformance;

namespace CoreSlice.Cli.Writers;

/// <summary>The result of <c>coreslice conform</c> (a random trace), as text or JSON, and the mismatch both conform modes print.</summary>
internal static class ConformWriter
{
    public static void Write(TextWriter output, ConformanceResult r, string format, int seed)
    {
        if (format == "json")
        {
            CliOutput.Json(w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("conforms", r.Conforms);
                w.WriteNumber("seed", seed);
                w.WriteNumber("steps", r.Steps);
                w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
                w.WriteNumber("stepsPerSecond", Math.Round(r.StepsPerSecond, 1));
                w.WriteNumber("queries", r.Queries);
                w.WriteBoolean("initHolds", r.InitAnswer == "unsat");
                if (r.Mismatch is { } m)
                {
                    MismatchJson(w, m, "step");
                }
                CoverageJson(w, r.Coverage);
                w.WriteEndObject();
            });
            return;
        }
        output.WriteLine($"conform: seed {seed}, {r.Steps} steps, {r.Queries} Z3 queries, {r.Elapsed.TotalSeconds:F1} s ({r.StepsPerSecond:F1} steps/s)");
        output.WriteLine($"initial state satisfies Init: {(r.InitAnswer == "unsat" ? "yes" : "no (" + r.InitAnswer + ")")}");
        output.WriteLine("solver seconds: " + string.Join(", ", r.SolverSeconds.Select(kv => $"{kv.Key} {kv.Value:F1}")));
        output.WriteLine("coverage: " + string.Join(", ", r.Coverage.Select(kv => $"{kv.Key} x{kv.Value}")));
        if (r.Mismatch is { } mm)
        {
            MismatchText(output, mm, $"MISMATCH at step {mm.Step}");
        }
        else
        {
            output.WriteLine("every step conforms to the spec");
        }
    }

    /// <summary>How many steps of each kind were checked, as the "coverage" object of both conform modes.</summary>
    public static void CoverageJson(Utf8JsonWriter w, IReadOnlyDictionary<string, int> coverage)
    {
        w.WriteStartObject("coverage");
        foreach ((string k, int v) in coverage)
        {
            w.WriteNumber(k, v);
        }
        w.WriteEndObject();
    }

    /// <summary>A mismatch as a JSON object; <paramref name="stepKey"/> names where it is ("step", "state").</summary>
    public static void MismatchJson(Utf8JsonWriter w, Mismatch m, string stepKey)
    {
        w.WriteStartObject("mismatch");
        w.WriteNumber(stepKey, m.Step);
        w.WriteString("operation", m.Operation);
        w.WriteString("arguments", m.Arguments);
        w.WriteString("codeError", m.CodeError);
        w.WriteString("check", m.Verdict.Check);
        w.WriteString("field", m.Verdict.Field);
        w.WriteString("detail", m.Verdict.Detail);
        w.WriteEndObject();
    }

    /// <summary>A mismatch in two lines, after <paramref name="lead"/> ("MISMATCH at step 3").</summary>
    public static void MismatchText(TextWriter output, Mismatch m, string lead)
    {
        output.WriteLine($"{lead}: {m.Operation}({m.Arguments}) code returned {m.CodeError}");
        output.WriteLine($"  {m.Verdict.Check}{(m.Verdict.Field.Length > 0 ? " [" + m.Verdict.Field + "]" : "")}: {m.Verdict.Detail}");
    }
}
