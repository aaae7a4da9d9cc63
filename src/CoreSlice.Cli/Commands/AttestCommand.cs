using System.CommandLine;
using System.Text.Json;
using CoreSlice.Manager.Verification;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// <c>coreslice attest verify REPORT --key PUB [--expect-measurement HEX] [--nonce HEX]
/// [--min-boot-id N] [--format text|json]</c>: checks a report's structure, its
/// signature under the slicevisor's public key (PEM or DER), and the expected values;
/// names every mismatch. Exit 0 valid, 1 a mismatch, 2 unreadable input.
/// </summary>
internal static class AttestCommand
{
    public static Command Create()
    {
        var report = new Argument<FileInfo>("REPORT") { Description = "The report file (binary, version 1)." };
        var key = new Option<FileInfo>("--key") { Description = "The slicevisor's public key: PEM (BEGIN PUBLIC KEY) or DER SubjectPublicKeyInfo.", Required = true };
        var measurement = new Option<string?>("--expect-measurement") { Description = "The expected image measurement, 96 hex digits (SHA-384)." };
        var nonce = new Option<string?>("--nonce") { Description = "The nonce sent, 128 hex digits (64 bytes)." };
        var minBootId = new Option<ulong?>("--min-boot-id") { Description = "Reject reports of slices created before this boot counter value (replays of destroyed slices)." };
        Option<string> format = CommonOptions.Format();

        var verify = new Command("verify", "Check a report's signature and expected values.") { report, key, measurement, nonce, minBootId, format };
        verify.SetAction(parse => Guard.Run(() => Verify(
            parse.GetValue(report)!, parse.GetValue(key)!, parse.GetValue(measurement), parse.GetValue(nonce), parse.GetValue(minBootId), parse.GetValue(format)!)));
        return new Command("attest", "Attestation reports: verify a slice's signed report.") { verify };
    }

    private static int Verify(FileInfo reportFile, FileInfo keyFile, string? measurementHex, string? nonceHex, ulong? minBootId, string format)
    {
        byte[]? publicKey = ReportVerifier.ParsePublicKey(File.ReadAllBytes(keyFile.FullName));
        if (publicKey is null)
        {
            throw new UsageException($"{keyFile.Name}: not an ECDSA P-384 public key (PEM or DER SubjectPublicKeyInfo)");
        }
        var expect = new ReportExpectations
        {
            ImageMeasurement = CliOutput.Hex(measurementHex, 48, "--expect-measurement"),
            Nonce = CliOutput.Hex(nonceHex, 64, "--nonce"),
            MinimumSliceBootId = minBootId,
        };
        byte[] bytes = File.ReadAllBytes(reportFile.FullName);
        if (AttestationReport.TryDecode(bytes, out string? problem) is null)
        {
            throw new UsageException($"{reportFile.Name}: not a CoreSlice report: {problem}");
        }
        ReportVerification v = ReportVerifier.Verify(bytes, publicKey, expect);
        if (format == "json")
        {
            CliOutput.Json(w => WriteJson(w, v));
        }
        else
        {
            WriteText(v);
        }
        return v.Valid ? ExitCode.Holds : ExitCode.Violated;
    }

    private static void WriteText(ReportVerification v)
    {
        if (v.Report is AttestationReport r)
        {
            Console.WriteLine($"report: slot {r.Slot} {r.State}, boot id {r.SliceBootId} (counter {r.BootCounter}), generation {r.Generation}, requested by {(r.Requester == 1 ? "guest" : "manager")}");
            Console.WriteLine($"  cores {ReportVerifier.List(r.Cores)} devices {ReportVerifier.List(r.Devices)} ways 0x{r.Ways:x} entry 0x{r.EntryPoint:x}");
            Console.WriteLine($"  ranges {ReportVerifier.Ranges(r.Ranges)}");
            Console.WriteLine($"  image {ReportVerifier.Hex(r.ImageMeasurement)}");
            Console.WriteLine($"  log head #{r.LogSequence} {ReportVerifier.Hex(r.LogHead)}");
        }
        foreach (Mismatch m in v.Mismatches)
        {
            Console.WriteLine($"MISMATCH {m}");
        }
        Console.WriteLine(v.Valid ? "valid: signature and every expected value match" : $"INVALID: {v.Mismatches.Count} mismatch(es)");
    }

    private static void WriteJson(Utf8JsonWriter w, ReportVerification v)
    {
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
            foreach (MemoryRange m in r.Ranges)
            {
                w.WriteStartObject();
                w.WriteNumber("base", m.Base);
                w.WriteNumber("size", m.Size);
                w.WriteEndObject();
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
}
