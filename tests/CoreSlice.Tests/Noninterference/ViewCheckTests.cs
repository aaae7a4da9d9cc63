using System.Diagnostics;
using System.Text.Json;
using CoreSlice.Harness.ModelCheck;
using CoreSlice.Harness.Noninterference;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Steps;
using CoreSlice.Tests.ModelChecking;
using CoreSlice.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Noninterference;

/// <summary>
/// Conformance with the view (issue 15): on every transition the model checker explores, an action leaves unchanged
/// the view of every domain <c>NI.mayAffect</c> keeps it from, in the real code and in the executable model
/// (<c>modelcheck --noninterference</c>); and the check has teeth: ports that leak one domain's action into another's
/// view (<see cref="LeakyPort"/>) are each reported, with the domain and the view component that changed.
/// </summary>
[Collection(ModelCheckingCollection.Name)]
public sealed class ViewCheckTests(ITestOutputHelper output)
{
    // The default machine with one device: two guests, a window, DMA rows and every fault, in about half the
    // default scope's operations, so the whole scope is explored in the test.
    private static ModelCheckScope Reduced => new() { Devices = 1, Noninterference = true };

    [Fact]
    public void Every_explored_transition_leaves_the_other_domains_views_unchanged()
    {
        var clock = Stopwatch.StartNew();
        ModelCheckResult r = new ModelChecker(Reduced).Run();

        output.WriteLine($"{r.States} states, {r.Edges} edges, depth {r.Depth}, {r.Operations} operations per state, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(r.Holds, string.Join("\n", r.Violations.Select(v => $"{v.Check}: {v.Message}\n  " + string.Join("\n  ", v.Trace))));
        Assert.True(r.Exhaustive, r.StoppedBy);
        Assert.True(r.States > 1000, $"{r.States} states");
        Assert.Contains(r.Steps, s => s.Kind == StepKind.SendIpi);
        Assert.Contains(r.Steps, s => s.Kind == StepKind.GuestAttest);
    }

    [Theory]
    [InlineData(Leak.ResetSpillsToNeighbour, "cores")]
    [InlineData(Leak.ScrubSpillsOver, "mem")]
    [InlineData(Leak.IpiMaskWidened, "cores")]
    public void A_port_that_leaks_into_another_domain_is_reported(Leak leak, string component)
    {
        var scope = Reduced with
        {
            Devices = 0,
            MaxDepth = 4,
            StopAtFirstViolation = false,
            Port = Port.AbstractThrough(p => new LeakyPort(p, leak, 3, ModelCheckScope.Granule)),
        };

        ModelCheckResult r = new ModelChecker(scope).Run();

        ModelCheckViolation? v = r.Violations.FirstOrDefault(x => x.Check == "NI2_LocalRespect");
        output.WriteLine(string.Join("\n", r.Violations.Select(x => $"{x.Check}: {x.Message}\n  " + string.Join("\n  ", x.Trace))));
        Assert.True(v is not null, $"{leak}: no NI2_LocalRespect violation in {r.States} states (found: {string.Join(", ", r.Violations.Select(x => x.Check))})");
        Assert.Contains($"component {component} ", v.Message, StringComparison.Ordinal);
        Assert.Contains("in the real code", v.Message, StringComparison.Ordinal);
        Assert.Contains("guest slot", v.Message, StringComparison.Ordinal);
        Assert.InRange(v.Trace.Count, 2, 4);
        // The model runs no port: its side of the check holds.
        Assert.DoesNotContain(r.Violations, x => x.Check == "NI2_LocalRespect.model");
    }

    [Fact]
    public void A_model_that_leaks_is_reported_on_the_model_side()
    {
        var scope = Reduced with { Devices = 0, MaxDepth = 4, ModelVariant = Harness.Model.ModelBug.RefusedIpiStillDelivered };

        ModelCheckResult r = new ModelChecker(scope).Run();

        ModelCheckViolation v = Assert.Single(r.Violations);
        output.WriteLine($"{v.Check}: {v.Message}\n  " + string.Join("\n  ", v.Trace));
        Assert.Equal("NI2_LocalRespect.model", v.Check);
        Assert.Contains("component cores ", v.Message, StringComparison.Ordinal);
        Assert.Contains("in the executable model", v.Message, StringComparison.Ordinal);
        Assert.Equal(StepKind.SendIpi, r.Steps.Single(s => s.ToString() == v.Trace[^1]).Kind);
    }

    [Fact]
    public void The_command_line_flag_runs_the_check_and_says_so()
    {
        CliRun run = Coreslice.Run("modelcheck", "--noninterference", "--max-depth", "2", "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.True(json.RootElement.GetProperty("noninterference").GetBoolean());
        Assert.True(json.RootElement.GetProperty("holds").GetBoolean());
        Assert.Equal(293, json.RootElement.GetProperty("operations").GetInt32());
        Assert.EndsWith(" --noninterference", json.RootElement.GetProperty("command").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_option_no_view_is_built_and_no_view_action_is_tried()
    {
        var plain = new ModelCheckScope();
        var with = plain with { Noninterference = true };

        Assert.DoesNotContain(StepSpace.Build(plain), s => s.Kind is StepKind.SendIpi or StepKind.GuestAttest);
        // an IPI from each guest core to each core and one mailbox call per guest core: 2 x (3 + 1)
        Assert.Equal(8, StepSpace.Build(with).Count - StepSpace.Build(plain).Count);
        Assert.Equal(8, with.EstimatedOperations() - plain.EstimatedOperations());
        Assert.EndsWith(" --noninterference", with.CommandLine(), StringComparison.Ordinal);
    }
}
