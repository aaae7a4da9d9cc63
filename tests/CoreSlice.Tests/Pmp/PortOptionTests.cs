using System.Text.Json;
using CoreSlice.Tests.Support;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary><c>--port</c> of <c>modelcheck</c> and <c>simulate</c>, run as a process: which port ran, and a bad value.</summary>
public sealed class PortOptionTests
{
    private static readonly string Board = Path.Combine(PmpSlicevisorTests.FindRoot(), "examples", "machines", "polarfire-soc.json");

    [Theory]
    [InlineData(new string[0], "abstract")]
    [InlineData(new[] { "--port", "pmp" }, "pmp")]
    public void Modelcheck_runs_on_the_port_asked_for(string[] port, string expected)
    {
        CliRun run = Coreslice.Run(["modelcheck", "--max-depth", "2", "--format", "json", .. port]);

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(expected, json.RootElement.GetProperty("port").GetString());
        Assert.True(json.RootElement.GetProperty("holds").GetBoolean());
    }

    [Theory]
    [InlineData(false, "auto", "abstract")]
    [InlineData(false, "pmp", "pmp")]
    [InlineData(true, "auto", "pmp")]      // a RISC-V board runs on its own harts
    [InlineData(true, "abstract", "abstract")]
    public void Simulate_runs_on_the_port_asked_for(bool board, string port, string expected)
    {
        string[] machine = board ? ["--machine", Board] : [];
        CliRun run = Coreslice.Run(["simulate", "--steps", "100", "--format", "json", "--port", port, .. machine]);

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(expected, json.RootElement.GetProperty("port").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("isolationViolations").GetInt64());
    }

    [Theory]
    [InlineData("modelcheck")]
    [InlineData("simulate")]
    public void An_unknown_port_exits_2_with_nothing_on_stdout(string command)
    {
        CliRun run = Coreslice.Run(command, "--port", "x86");

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
        Assert.Contains("x86", run.Stderr, StringComparison.Ordinal);
    }
}
