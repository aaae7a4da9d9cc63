using System.Text.Json;
using CoreSlice.Tests.Support;
using Xunit;

namespace CoreSlice.Tests.Cli;

/// <summary><c>coreslice conform --from-modelcheck</c> and the conform options, run as a process.</summary>
public sealed class ConformCommandTests
{
    [Theory]
    [InlineData("--seed", "3")]
    [InlineData("--steps", "10")]
    public void Random_trace_options_are_refused_with_from_modelcheck(string option, string value)
    {
        CliRun run = Coreslice.Run("conform", "--from-modelcheck", option, value);

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
        Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        Assert.Contains(option + " does not apply with --from-modelcheck", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void From_modelcheck_reports_in_json_and_shows_progress_only_on_stderr()
    {
        CliRun run = Coreslice.Run("conform", "--from-modelcheck", "--max-states", "25", "--format", "json", "--progress");

        Assert.Equal(0, run.Exit);
        using JsonDocument doc = JsonDocument.Parse(run.Stdout);
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("conforms").GetBoolean());
        Assert.Equal(25, root.GetProperty("states").GetInt32());
        Assert.Equal(24, root.GetProperty("transitions").GetInt32());
        Assert.Contains("conform: ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("conform: ", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void From_modelcheck_on_the_pmp_port_names_the_port()
    {
        CliRun run = Coreslice.Run("conform", "--from-modelcheck", "--port", "pmp", "--max-states", "25", "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("pmp", doc.RootElement.GetProperty("port").GetString());
        Assert.True(doc.RootElement.GetProperty("conforms").GetBoolean());
    }

    [Fact]
    public void The_port_applies_only_with_from_modelcheck()
    {
        CliRun run = Coreslice.Run("conform", "--port", "pmp", "--steps", "3");

        Assert.Equal(2, run.Exit);
        Assert.Contains("--port applies only with --from-modelcheck", run.Stderr, StringComparison.Ordinal);
    }
}
