using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace CoreSlice.Proofs;

/// <summary>A finished verification run.</summary>
public sealed record VerifyReport(string Solver, string SpecSource, IReadOnlyList<ObligationResult> Results, long TotalMs)
{
    /// <summary>Count of results with <paramref name="status"/>.</summary>
    public int Count(ObligationStatus status) => Results.Count(r => r.Status == status);

    /// <summary>0 all proved, 1 some failed, 2 unknown/error (or nothing ran).</summary>
    public int ExitCode =>
        Count(ObligationStatus.Unknown) + Count(ObligationStatus.Error) > 0 || Results.Count == 0 ? 2
        : Count(ObligationStatus.Failed) > 0 ? 1 : 0;
}

/// <summary>Writes a <see cref="VerifyReport"/> as text, JSON or JUnit XML.</summary>
public static class ReportWriter
{
    private static string Status(ObligationStatus s) => s switch
    {
        ObligationStatus.Proved => "proved",
        ObligationStatus.Failed => "failed",
        ObligationStatus.Unknown => "unknown",
        _ => "error",
    };

    /// <summary>The formats <see cref="Write"/> knows: "text", "json" and "junit".</summary>
    public static IReadOnlyList<string> Formats { get; } = ["text", "json", "junit"];

    /// <summary>The report in <paramref name="format"/> (one of <see cref="Formats"/>); throws <see cref="ArgumentOutOfRangeException"/> for any other.</summary>
    public static string Write(VerifyReport r, string format) => format switch
    {
        "text" => Text(r),
        "json" => Json(r),
        "junit" => JUnit(r),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a report format: expected text, json or junit"),
    };

    /// <summary>A table (obligation, result, ms), counterexamples, and a summary line.</summary>
    public static string Text(VerifyReport r)
    {
        var sb = new StringBuilder();
        int width = Math.Max(10, r.Results.Count == 0 ? 10 : r.Results.Max(x => x.Name.Length));
        sb.Append("Obligation".PadRight(width)).Append("  Result    ms\n");
        foreach (ObligationResult x in r.Results)
        {
            sb.Append(x.Name.PadRight(width)).Append("  ").Append(Status(x.Status).PadRight(8))
              .Append(x.Milliseconds.ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append('\n');
        }
        foreach (ObligationResult x in r.Results)
        {
            if (x.Counterexample is not null)
            {
                sb.Append('\n').Append(x.Counterexample).Append('\n');
            }
            else if (x.Detail is not null)
            {
                sb.Append('\n').Append(x.Name).Append(": ").Append(Status(x.Status)).Append(": ").Append(x.Detail).Append('\n');
            }
        }
        long serial = r.Results.Sum(x => x.Milliseconds);
        ObligationResult? slowest = r.Results.Count == 0 ? null : r.Results.MaxBy(x => x.Milliseconds);
        sb.Append('\n').Append(CultureInfo.InvariantCulture,
            $"{r.Results.Count} obligations: {r.Count(ObligationStatus.Proved)} proved, {r.Count(ObligationStatus.Failed)} failed, " +
            $"{r.Count(ObligationStatus.Unknown)} unknown, {r.Count(ObligationStatus.Error)} error -- {r.TotalMs} ms wall, " +
            $"{serial} ms solver total, slowest {slowest?.Name} {slowest?.Milliseconds} ms ({r.Solver}; spec {r.SpecSource})").Append('\n');
        return sb.ToString();
    }

    /// <summary>JSON: solver, one object per obligation (name, status, ms, counterexample), summary counts.</summary>
    public static string Json(VerifyReport r)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("solver", r.Solver);
            w.WriteStartArray("obligations");
            foreach (ObligationResult x in r.Results)
            {
                w.WriteStartObject();
                w.WriteString("name", x.Name);
                w.WriteString("status", Status(x.Status));
                w.WriteNumber("ms", x.Milliseconds);
                if (x.Counterexample is not null || x.Detail is not null)
                {
                    w.WriteString("counterexample", x.Counterexample ?? x.Detail);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("summary");
            w.WriteNumber("proved", r.Count(ObligationStatus.Proved));
            w.WriteNumber("failed", r.Count(ObligationStatus.Failed));
            w.WriteNumber("unknown", r.Count(ObligationStatus.Unknown));
            w.WriteNumber("error", r.Count(ObligationStatus.Error));
            w.WriteNumber("ms", r.TotalMs);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>JUnit XML: one test case per obligation.</summary>
    public static string JUnit(VerifyReport r)
    {
        var suite = new XElement("testsuite",
            new XAttribute("name", "coreslice verify"),
            new XAttribute("tests", r.Results.Count),
            new XAttribute("failures", r.Count(ObligationStatus.Failed)),
            new XAttribute("errors", r.Count(ObligationStatus.Unknown) + r.Count(ObligationStatus.Error)),
            new XAttribute("time", (r.TotalMs / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)));
        foreach (ObligationResult x in r.Results)
        {
            var tc = new XElement("testcase",
                new XAttribute("classname", "spec." + (x.Name.Contains('/', StringComparison.Ordinal) ? x.Name[..x.Name.IndexOf('/', StringComparison.Ordinal)] : x.Name)),
                new XAttribute("name", x.Name),
                new XAttribute("time", (x.Milliseconds / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)));
            if (x.Status == ObligationStatus.Failed)
            {
                tc.Add(new XElement("failure", new XAttribute("message", "failed"), x.Counterexample ?? x.Detail ?? string.Empty));
            }
            else if (x.Status != ObligationStatus.Proved)
            {
                tc.Add(new XElement("error", new XAttribute("message", Status(x.Status)), x.Detail ?? string.Empty));
            }
            suite.Add(tc);
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString() + "\n";
    }
}
