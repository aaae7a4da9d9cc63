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
}
