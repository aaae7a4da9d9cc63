using System.Text.Json;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// Prints a <see cref="DecisionLogFileVerification"/> as <c>coreslice log verify</c> does: text for people, or
/// JSON for machines (written into a caller's <see cref="Utf8JsonWriter"/>, which sets the indentation and escaping).
/// </summary>
public static class LogVerificationWriter
{
    /// <summary>
    /// The check for people: the file's problem (when there is one), "intact: ..." or "BROKEN at entry N ...",
    /// then one "not checked:" line per open point.
    /// </summary>
    public static void WriteText(TextWriter output, DecisionLogFileVerification check)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(check);
        LogVerification v = check.Chain;
        if (check.FileProblem is not null)
        {
            output.WriteLine($"BROKEN file: {check.FileProblem}");
        }
        output.WriteLine(v.Valid
            ? $"intact: {v.Entries} entries, last sequence {v.LastSequence}, head {ReportVerifier.Hex(v.Head)}"
            : $"BROKEN at entry {v.Index} ({v.Break}): {v.Message}");
        foreach (string n in check.NotChecked)
        {
            output.WriteLine($"not checked: {n}");
        }
    }

    /// <summary>The check as one JSON object: "valid", the chain's counts, head and break, "notChecked", and "fileProblem" when there is one.</summary>
    public static void WriteJson(Utf8JsonWriter w, DecisionLogFileVerification check)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(check);
        LogVerification v = check.Chain;
        w.WriteStartObject();
        w.WriteBoolean("valid", check.Valid);
        w.WriteNumber("entries", v.Entries);
        w.WriteNumber("lastSequence", v.LastSequence);
        w.WriteString("head", ReportVerifier.Hex(v.Head));
        w.WriteString("break", v.Break.ToString());
        w.WriteNumber("index", v.Index);
        w.WriteString("message", v.Message);
        w.WriteStartArray("notChecked");
        foreach (string n in check.NotChecked)
        {
            w.WriteStringValue(n);
        }
        w.WriteEndArray();
        if (check.FileProblem is not null)
        {
            w.WriteString("fileProblem", check.FileProblem);
        }
        w.WriteEndObject();
    }
}
