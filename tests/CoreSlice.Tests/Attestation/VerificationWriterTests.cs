using System.Text.Json;
using CoreSlice.Attestation;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// What <c>attest verify</c> and <c>log verify</c> print, from the library a verifier uses
/// (<see cref="ReportVerificationWriter"/>, <see cref="DecisionLogFileVerification"/>, <see cref="LogVerificationWriter"/>).
/// </summary>
public sealed class VerificationWriterTests
{
    private static string Text(Action<TextWriter> write)
    {
        using var output = new StringWriter { NewLine = "\n" };
        write(output);
        return output.ToString();
    }

    private static JsonDocument Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            write(w);
        }
        return JsonDocument.Parse(stream.ToArray());
    }

    [Fact]
    public void A_valid_report_prints_its_assignment_and_the_verdict()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        ReportVerification v = ReportVerifier.Verify(rig.Attest(slot, AttestationRig.Nonce(3)), rig.PublicKey,
            new ReportExpectations { Nonce = AttestationRig.Nonce(3) });
        string[] lines = Text(o => ReportVerificationWriter.WriteText(o, v)).Split('\n');
        Assert.StartsWith($"report: slot {slot} Running, boot id ", lines[0], StringComparison.Ordinal);
        Assert.Equal("  cores [2,3] devices [1] ways 0x6 entry 0x2001000", lines[1]);
        Assert.Equal("valid: signature and every expected value match", lines[^2]);

        using JsonDocument doc = Json(w => ReportVerificationWriter.WriteJson(w, v));
        Assert.True(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(slot, doc.RootElement.GetProperty("report").GetProperty("slot").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(AttestationRig.Nonce(3)), doc.RootElement.GetProperty("report").GetProperty("nonce").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("mismatches").GetArrayLength());
    }

    [Fact]
    public void A_report_with_sharing_prints_permissions_windows_and_DMA_ranges()
    {
        using var rig = new AttestationRig();
        SliceResult created = rig.Slicevisor.CreateSlice(SharingReportTests.Sharing);
        Assert.True(created.Ok, created.ToString());
        ReportVerification v = ReportVerifier.Verify(rig.Attest(created.Slot, AttestationRig.Nonce(3)), rig.PublicKey);
        string[] lines = Text(o => ReportVerificationWriter.WriteText(o, v)).Split('\n');
        Assert.Equal("  ranges [[0x1000000, 0x1400000) rw-,[0x1800000, 0x1c00000) rwx]", lines[2]);
        Assert.Equal("  windows [[0x200000, 0x210000) rw-,[0x300000, 0x301000) r--]", lines[3]);
        Assert.Equal("  dma [device 2 [0x1000000, 0x1100000) rw-,device 3 [0x1801000, 0x1802000) r--,device 2 [0x200000, 0x201000) r--]", lines[4]);

        using JsonDocument doc = Json(w => ReportVerificationWriter.WriteJson(w, v));
        JsonElement report = doc.RootElement.GetProperty("report");
        Assert.Equal("rw-", report.GetProperty("ranges")[0].GetProperty("permissions").GetString());
        Assert.Equal(2, report.GetProperty("windows").GetArrayLength());
        Assert.Equal("r--", report.GetProperty("windows")[1].GetProperty("permissions").GetString());
        Assert.Equal(3 * AttestationRig.MiB, report.GetProperty("windows")[1].GetProperty("base").GetUInt64());
        Assert.Equal("listed", report.GetProperty("dmaScope").GetString());
        Assert.Equal(3, report.GetProperty("dmaRanges")[1].GetProperty("device").GetInt32());
        Assert.Equal(4096UL, report.GetProperty("dmaRanges")[1].GetProperty("size").GetUInt64());
    }

    [Fact]
    public void A_report_without_a_DMA_list_says_the_devices_reach_every_private_range()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        ReportVerification v = ReportVerifier.Verify(rig.Attest(slot, AttestationRig.Nonce(3)), rig.PublicKey);
        string[] lines = Text(o => ReportVerificationWriter.WriteText(o, v)).Split('\n');
        Assert.Equal("  ranges [[0x2000000, 0x3000000) rwx]", lines[2]);
        Assert.Equal("  windows []", lines[3]);
        Assert.Equal("  dma none listed (every device reaches every private range)", lines[4]);
        using JsonDocument doc = Json(w => ReportVerificationWriter.WriteJson(w, v));
        Assert.Equal("allPrivateRanges", doc.RootElement.GetProperty("report").GetProperty("dmaScope").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("report").GetProperty("dmaRanges").GetArrayLength());
    }

    [Fact]
    public void A_mismatch_is_one_line_each_and_counted_in_the_verdict()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        ReportVerification v = ReportVerifier.Verify(rig.Attest(slot, AttestationRig.Nonce(3)), rig.PublicKey,
            new ReportExpectations { Nonce = AttestationRig.Nonce(4) });
        string text = Text(o => ReportVerificationWriter.WriteText(o, v));
        Assert.Contains("\nMISMATCH nonce: expected ", text, StringComparison.Ordinal);
        Assert.EndsWith("INVALID: 1 mismatch(es)\n", text, StringComparison.Ordinal);
        using JsonDocument doc = Json(w => ReportVerificationWriter.WriteJson(w, v));
        Assert.Equal("nonce", doc.RootElement.GetProperty("mismatches")[0].GetProperty("field").GetString());
    }

    [Fact]
    public void A_log_file_checked_from_its_genesis_leaves_the_identity_open()
    {
        using var rig = new AttestationRig();
        _ = rig.Launch();
        byte[]? entries = DecisionLogFileFormat.Decode(DecisionLogFileFormat.Encode(rig.Slicevisor.Log), out string? problem, out PlatformIdentity? identity);
        Assert.NotNull(entries);
        DecisionLogFileVerification check = DecisionLogFileVerification.Verify(entries, identity!, problem, anchor: null, rig.Slicevisor.Log.Head.ToArray());
        Assert.True(check.Valid);
        Assert.Equal([DecisionLogFileVerification.IdentityNotChecked], check.NotChecked);
        Assert.Equal(
            $"intact: 3 entries, last sequence 3, head {Convert.ToHexStringLower(rig.Slicevisor.Log.Head)}\nnot checked: {DecisionLogFileVerification.IdentityNotChecked}\n",
            Text(o => LogVerificationWriter.WriteText(o, check)));
    }

    [Fact]
    public void A_file_whose_header_disagrees_is_broken_though_its_chain_holds()
    {
        using var rig = new AttestationRig();
        _ = rig.Launch();
        byte[] file = DecisionLogFileFormat.Encode(rig.Slicevisor.Log);
        byte[]? entries = DecisionLogFileFormat.Decode(file.AsSpan(0, file.Length - CoreSlice.Log.DecisionLogLayout.EntrySize), out string? problem, out PlatformIdentity? identity);
        Assert.NotNull(entries);
        Assert.NotNull(problem);
        DecisionLogFileVerification check = DecisionLogFileVerification.Verify(entries, identity!, problem, anchor: null, expectedHead: null);
        Assert.True(check.Chain.Valid);
        Assert.False(check.Valid);
        Assert.StartsWith($"BROKEN file: {problem}\nintact: 2 entries", Text(o => LogVerificationWriter.WriteText(o, check)), StringComparison.Ordinal);
        using JsonDocument doc = Json(w => LogVerificationWriter.WriteJson(w, check));
        Assert.False(doc.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(problem, doc.RootElement.GetProperty("fileProblem").GetString());
    }

    [Fact]
    public void A_batch_checked_from_an_anchor_does_not_name_the_identity()
    {
        using var rig = new AttestationRig();
        _ = rig.Launch();
        byte[] entries = rig.LogBytes();
        DecisionLogFileVerification check = DecisionLogFileVerification.Verify(entries, rig.Identity, null, new byte[32], expectedHead: null);
        Assert.False(check.Valid);
        Assert.DoesNotContain(DecisionLogFileVerification.IdentityNotChecked, check.NotChecked);
        using JsonDocument doc = Json(w => LogVerificationWriter.WriteJson(w, check));
        Assert.Equal("Unlinked", doc.RootElement.GetProperty("break").GetString());
        Assert.False(doc.RootElement.TryGetProperty("fileProblem", out _));
    }
}
