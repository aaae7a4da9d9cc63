using System.Text.Json;
using CoreSlice.Attestation;
using CoreSlice.Hardware;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// Prints a <see cref="ReportVerification"/> as <c>coreslice attest verify</c> does: text for people,
/// or JSON for machines (written into a caller's <see cref="Utf8JsonWriter"/>, which sets the indentation and escaping).
/// </summary>
public static class ReportVerificationWriter
{
    /// <summary>
    /// The verification for people: the report's contents (when it decoded), one "MISMATCH" line per
    /// mismatch, and the verdict line ("valid: ..." or "INVALID: N mismatch(es)").
    /// </summary>
    public static void WriteText(TextWriter output, ReportVerification v)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(v);
        if (v.Report is AttestationReport r)
        {
            output.WriteLine($"report: slot {r.Slot} {r.State}, boot id {r.SliceBootId} (counter {r.BootCounter}), generation {r.Generation}, requested by {(r.Requester == 1 ? "guest" : "manager")}");
            output.WriteLine($"  cores {ReportVerifier.List(r.Cores)} devices {ReportVerifier.List(r.Devices)} ways 0x{r.Ways:x} entry 0x{r.EntryPoint:x}");
            if (r.DomainWays.Count > 1)
            {
                output.WriteLine($"  ways per cache domain {ReportVerifier.DomainWays(r.DomainWays)}");
            }
            output.WriteLine($"  ranges {ReportVerifier.Ranges(r.Ranges, r.RangePermissions)}");
            output.WriteLine($"  windows {ReportVerifier.Windows(r.Windows)}");
            output.WriteLine($"  dma {ReportVerifier.DmaRanges(r.DmaRanges)}");
            output.WriteLine($"  image {ReportVerifier.Hex(r.ImageMeasurement)}");
            output.WriteLine($"  log head #{r.LogSequence} {ReportVerifier.Hex(r.LogHead)}");
        }
        foreach (Mismatch m in v.Mismatches)
        {
            output.WriteLine($"MISMATCH {m}");
        }
        output.WriteLine(v.Valid ? "valid: signature and every expected value match" : $"INVALID: {v.Mismatches.Count} mismatch(es)");
    }

    /// <summary>The verification as one JSON object: "valid", every report field (when it decoded), and "mismatches".</summary>
    public static void WriteJson(Utf8JsonWriter w, ReportVerification v)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(v);
        w.WriteStartObject();
        w.WriteBoolean("valid", v.Valid);
        if (v.Report is AttestationReport r)
        {
            w.WriteStartObject("report");
            w.WriteNumber("version", r.Version);
            w.WriteNumber("slot", r.Slot);
            w.WriteString("state", r.State.ToString());
            w.WriteString("requester", r.Requester == 1 ? "guest" : "manager");
            w.WriteNumber("sliceBootId", r.SliceBootId);
            w.WriteNumber("bootCounter", r.BootCounter);
            w.WriteNumber("generation", r.Generation);
            w.WriteString("nonce", ReportVerifier.Hex(r.Nonce));
            w.WriteString("imageMeasurement", ReportVerifier.Hex(r.ImageMeasurement));
            w.WriteString("slicevisorMeasurement", ReportVerifier.Hex(r.SlicevisorMeasurement));
            w.WriteString("sliceloaderMeasurement", ReportVerifier.Hex(r.SliceloaderMeasurement));
            w.WriteString("entryHash", ReportVerifier.Hex(r.EntryHash));
            w.WriteNumber("logSequence", r.LogSequence);
            w.WriteString("logHead", ReportVerifier.Hex(r.LogHead));
            w.WriteNumber("entryPoint", r.EntryPoint);
            w.WriteNumber("ways", r.Ways);
            w.WriteStartArray("domainWays");
            foreach (ulong mask in r.DomainWays)
            {
                w.WriteNumberValue(mask);
            }
            w.WriteEndArray();
            w.WriteStartArray("cores");
            foreach (int c in r.Cores)
            {
                w.WriteNumberValue(c);
            }
            w.WriteEndArray();
            w.WriteStartArray("devices");
            foreach (int d in r.Devices)
            {
                w.WriteNumberValue(d);
            }
            w.WriteEndArray();
            w.WriteStartArray("ranges");
            for (int i = 0; i < r.Ranges.Count; i++)
            {
                WriteGrant(w, null, r.Ranges[i], r.RangePermissions[i]);
            }
            w.WriteEndArray();
            w.WriteStartArray("windows");
            foreach (SharedWindow window in r.Windows)
            {
                WriteGrant(w, null, window.Range, window.Permissions);
            }
            w.WriteEndArray();
            // The scope is spelled out so that an empty list is never read as "devices reach nothing".
            w.WriteString("dmaScope", r.DmaScope == DmaScope.Listed ? "listed" : "allPrivateRanges");
            w.WriteStartArray("dmaRanges");
            foreach (DmaRange dma in r.DmaRanges)
            {
                WriteGrant(w, dma.Device, dma.Range, dma.Permissions);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteStartArray("mismatches");
        foreach (Mismatch m in v.Mismatches)
        {
            w.WriteStartObject();
            w.WriteString("field", m.Field);
            w.WriteString("expected", m.Expected);
            w.WriteString("actual", m.Actual);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A range, window or DMA range: {"device"?, "base", "size", "permissions": "rw-"}.</summary>
    private static void WriteGrant(Utf8JsonWriter w, int? device, MemoryRange range, Permissions permissions)
    {
        w.WriteStartObject();
        if (device is int d)
        {
            w.WriteNumber("device", d);
        }
        w.WriteNumber("base", range.Base);
        w.WriteNumber("size", range.Size);
        w.WriteString("permissions", ReportVerifier.Permission(permissions));
        w.WriteEndObject();
    }
}
