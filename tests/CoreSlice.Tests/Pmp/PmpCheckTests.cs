using CoreSlice.Harness.Check;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary><c>coreslice check</c> on RISC-V descriptions: the layout goes through a slicevisor on PMP harts.</summary>
public sealed class PmpCheckTests
{
    private static string Example(string path) => Path.Combine(PmpSlicevisorTests.FindRoot(), "examples", path);

    [Theory]
    [InlineData("machines/polarfire-soc.json", "layouts/polarfire-soc-valid.json")]
    [InlineData("machines/qemu-virt.json", "layouts/qemu-virt-valid.json")]
    public void The_example_RISC_V_layouts_are_valid(string machine, string layout)
    {
        CheckReport report = Checker.Run(Example(machine), Example(layout));
        Assert.True(report.Valid, string.Join("\n", report.Problems.Select(p => p.Message)));
        Assert.Equal(2, report.Slices.Count);
    }

    [Fact]
    public void A_slice_over_the_PMP_budget_is_a_PmpEntriesExceeded_error_at_its_memory()
    {
        CheckReport report = Checker.Run(Example("machines/polarfire-soc.json"), Example("layouts/polarfire-soc-too-many-entries.json"));
        Problem p = Assert.Single(report.Problems);
        Assert.Equal("PmpEntriesExceeded", p.Error);
        Assert.Contains("needs 17", p.Message, StringComparison.Ordinal);
        Assert.Equal(1, report.ExitCode);
    }
}
