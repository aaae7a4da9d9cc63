using System.Text.Json;
using CoreSlice.Tests.Support;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary><c>coreslice pmp</c> on the example layouts: values, JSON shape, exit codes.</summary>
public sealed class PmpCommandTests
{
    private static readonly string Root = PmpSlicevisorTests.FindRoot();

    private static string Example(string path) => Path.Combine(Root, "examples", path);

    [Fact]
    public void The_PolarFire_layout_prints_every_hart_with_its_entries_as_json()
    {
        CliRun run = Coreslice.Run("pmp", "--machine", Example("machines/polarfire-soc.json"), "--layout", Example("layouts/polarfire-soc-valid.json"), "--format", "json");
        Assert.Equal(0, run.Exit);
        using JsonDocument doc = JsonDocument.Parse(run.Stdout);
        JsonElement[] harts = doc.RootElement.GetProperty("harts").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3, 4], harts.Select(h => h.GetProperty("hart").GetInt32()));
        Assert.Equal(["rtos", "linux", "linux", "linux"], harts.Select(h => h.GetProperty("slice").GetString()));
        Assert.Equal([3, 7, 7, 7], harts.Select(h => h.GetProperty("used").GetInt32()));
        JsonElement first = harts[0].GetProperty("entries")[0];
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.Equal("0x9f", first.GetProperty("pmpcfg").GetString());
        Assert.Equal("0x217fffff", first.GetProperty("pmpaddr").GetString()); // 0x8400_0000 >> 2 | (64 MiB / 8 - 1)
        Assert.All(harts, h => Assert.Equal(16, h.GetProperty("entries").GetArrayLength()));
        Assert.All(harts, h => Assert.Equal("0x98", h.GetProperty("entries")[15].GetProperty("pmpcfg").GetString()));
    }

    [Fact]
    public void A_slice_that_does_not_fit_exits_1_and_names_the_error()
    {
        CliRun run = Coreslice.Run("pmp", "--machine", Example("machines/polarfire-soc.json"), "--layout", Example("layouts/polarfire-soc-too-many-entries.json"), "--format", "text");
        Assert.Equal(1, run.Exit);
        Assert.Contains("PmpEntriesExceeded (subject 17)", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_without_pmp_is_unusable_input()
    {
        CliRun run = Coreslice.Run("pmp", "--machine", Example("machines/small-board.json"), "--layout", Example("layouts/small-board-valid.json"), "--format", "json");
        Assert.Equal(2, run.Exit);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }
}
