using System.Text.Json;
using CoreSlice.Harness.Pmp;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary>The PMP boot and its report called as a library (what <c>coreslice pmp</c> prints), without the process.</summary>
public sealed class PmpReportWriterTests
{
    private static readonly string Root = PmpSlicevisorTests.FindRoot();

    private static PmpBootReport Boot(string board, string layout) =>
        PmpBoot.Run(Path.Combine(Root, "examples", "machines", board + ".json"), Path.Combine(Root, "examples", "layouts", layout + ".json"));

    [Fact]
    public void The_text_decodes_every_entry_and_counts_the_locked_off_fillers()
    {
        PmpBootReport report = Boot("polarfire-soc", "polarfire-soc-valid");
        Assert.True(report.AllStarted);
        string[] lines = PmpReportWriter.Text(report).Split('\n');
        Assert.Equal("hart 1 (slice rtos): 3 of 16 entries used", lines[0]);
        Assert.Equal("  [ 0] pmpcfg 0x9f pmpaddr 0x00000000217fffff  NAPOT RWX L [0x84000000, 0x87ffffff]", lines[1]);
        Assert.Equal("  [15] pmpcfg 0x98 pmpaddr 0x3fffffffffffffff  NAPOT --- L [0x0, 0xffffffffffffffff]", lines[3]);
        Assert.Equal("  (13 locked OFF entries not shown: pmpcfg 0x80 pmpaddr 0x0)", lines[4]);
        Assert.Contains("  [ 1] pmpcfg 0x80 pmpaddr 0x0000000400000000  OFF --- L (holds the next TOR entry's bottom, or nothing)", lines);
        Assert.Equal(string.Empty, lines[^1]); // every line ends in '\n'
    }

    [Fact]
    public void The_json_holds_every_entry_raw_and_an_empty_refusal_list()
    {
        PmpBootReport report = Boot("polarfire-soc", "polarfire-soc-valid");
        using JsonDocument doc = JsonDocument.Parse(PmpReportWriter.Json(report));
        JsonElement harts = doc.RootElement.GetProperty("harts");
        Assert.Equal(report.Harts.Count, harts.GetArrayLength());
        Assert.Equal("0x217fffff", harts[0].GetProperty("entries")[0].GetProperty("pmpaddr").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("refused").GetArrayLength());
    }

    [Fact]
    public void A_refused_slice_is_named_with_its_operation_error_and_subject()
    {
        PmpBootReport report = Boot("polarfire-soc", "polarfire-soc-too-many-entries");
        Assert.False(report.AllStarted);
        Assert.Equal("slice scattered: create refused: PmpEntriesExceeded (subject 17)\n", PmpReportWriter.Text(report));
        using JsonDocument doc = JsonDocument.Parse(PmpReportWriter.Json(report));
        JsonElement refused = doc.RootElement.GetProperty("refused")[0];
        Assert.Equal("create", refused.GetProperty("operation").GetString());
        Assert.Equal("PmpEntriesExceeded", refused.GetProperty("error").GetString());
    }

    [Fact]
    public void A_machine_without_pmp_is_a_description_problem_before_anything_boots()
    {
        string machine = Path.Combine(Root, "examples", "machines", "small-board.json");
        var e = Assert.Throws<DescriptionException>(() => PmpBoot.Run(machine, Path.Combine(Root, "examples", "layouts", "small-board-valid.json")));
        Assert.Equal($"{machine}: not a RISC-V PMP machine description (no \"pmp\" field)", e.Message);
    }
}
