using System.Text.Json;
using CoreSlice.Cli.Commands;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary><c>coreslice pmp</c> on the example layouts: values, JSON shape, exit codes.</summary>
public sealed class PmpCommandTests
{
    private static readonly string Root = PmpSlicevisorTests.FindRoot();

    private static FileInfo Example(string path) => new(Path.Combine(Root, "examples", path));

    [Fact]
    public void The_PolarFire_layout_prints_every_hart_with_its_entries_as_json()
    {
        var output = new StringWriter();
        int exit = PmpCommand.Run(Example("machines/polarfire-soc.json"), Example("layouts/polarfire-soc-valid.json"), "json", output);
        Assert.Equal(0, exit);
        using JsonDocument doc = JsonDocument.Parse(output.ToString());
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
        var output = new StringWriter();
        int exit = PmpCommand.Run(Example("machines/polarfire-soc.json"), Example("layouts/polarfire-soc-too-many-entries.json"), "text", output);
        Assert.Equal(1, exit);
        Assert.Contains("PmpEntriesExceeded (subject 17)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_machine_without_pmp_is_unusable_input()
    {
        var output = new StringWriter();
        Assert.Throws<CoreSlice.Cli.UsageException>(() => PmpCommand.Run(Example("machines/small-board.json"), Example("layouts/small-board-valid.json"), "json", output));
        Assert.Equal(string.Empty, output.ToString());
    }
}
