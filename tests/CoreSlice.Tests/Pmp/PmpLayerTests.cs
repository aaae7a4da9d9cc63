using CoreSlice.Harness.ModelCheck;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Simulate;
using CoreSlice.Tests.ModelBased;
using CoreSlice.Tests.ModelChecking;
using CoreSlice.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// The layers on the PMP port have teeth: with harts misprogrammed as a broken PMP encoder would leave them
/// (<see cref="MisprogrammingPmpPort"/>, the sliceloader's readback fooled), the model checker, <c>simulate</c>,
/// the model-based agreement and the invariant property each report it; on the real PMP port the same runs hold.
/// (The default scope's exhaustive PMP run is a CI step: <c>coreslice modelcheck --port pmp --require-exhaustive</c>.)
/// </summary>
[Collection(ModelCheckingCollection.Name)]
public sealed class PmpLayerTests(ITestOutputHelper output)
{
    public static TheoryData<PmpMisprogramming> Misprogrammings() => [.. Enum.GetValues<PmpMisprogramming>()];

    private static Port Broken(PmpMisprogramming how) => Port.PmpThrough(p => new MisprogrammingPmpPort(p, how));

    [Fact]
    public void The_model_checker_on_the_pmp_port_holds_to_depth_4()
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope { Port = Port.Pmp, MaxDepth = 4 }).Run();

        output.WriteLine($"{r.States} states, {r.Edges} edges, depth {r.Depth}");
        Assert.True(r.Holds, string.Join("; ", r.Violations.Select(v => $"{v.Check}: {v.Message}")));
        Assert.True(r.States > 1000, $"{r.States} states");
    }

    [Theory]
    [MemberData(nameof(Misprogrammings))]
    public void The_model_checker_on_the_pmp_port_reports_a_misprogrammed_hart_with_a_short_trace(PmpMisprogramming how)
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope { Port = Broken(how), MaxDepth = 4 }).Run();

        Assert.False(r.Holds, $"{how}: the model checker found nothing in {r.States} states");
        ModelCheckViolation v = r.Violations[0];
        output.WriteLine($"{how}: {v.Check}: {v.Message}\n  " + string.Join("\n  ", v.Trace));
        Assert.Contains(v.Check, new[] { "I2_FilterSoundness", "I3_LockedGuest", "M1_ResultMatchesModel" });
        Assert.InRange(v.Trace.Count, 2, 4);
    }

    [Theory]
    [MemberData(nameof(Misprogrammings))]
    public void Simulate_on_the_pmp_port_reports_a_misprogrammed_hart(PmpMisprogramming how)
    {
        using var scenario = new Scenario(PmpRig.Board(), 1, 200, Broken(how));
        SimulationSummary summary = scenario.Run();

        output.WriteLine($"{how}: {summary.IsolationViolations} isolation findings; first: {summary.Findings.FirstOrDefault()}");
        Assert.False(summary.Holds);
        Assert.True(summary.IsolationViolations > 0);
    }

    [Theory]
    [MemberData(nameof(Misprogrammings))]
    public void The_property_tests_on_the_pmp_port_report_a_misprogrammed_hart(PmpMisprogramming how)
    {
        MachineConfig config = Support.Machines.Small();
        Port broken = Broken(how);
        // Fixed seeds, so that what is claimed does not depend on the draw: 40 runs of up to 60 steps each.
        Intent[][] runs = IntentGen.Runs(config.SlotCapacity, 60).Generator.Sample(60, new Rnd(20261207UL), 40);
        int agreement = runs.Count(run => Fails(() => ModelBased.Runner.Check(config, run, Depth.Full, port: broken)));
        Intent[][] steps = StepGen.Runs(config.CoreCount, config.DeviceCount, config.SlotCapacity, config.CacheWays, 60).Generator.Sample(60, new Rnd(20261207UL), 40);
        int invariants = steps.Count(run => Fails(() => RunExecutor.Run(config, run, broken)));
        output.WriteLine($"{how}: the agreement property failed {agreement} of {runs.Length} runs, the invariant property {invariants} of {steps.Length}");
        Assert.True(agreement > 0, "the agreement property found nothing");
        // The invariant property's requests (Properties/Steps.cs: first-fit plans, perturbed) are all RWX without windows,
        // so no region there lacks W: a forced W bit changes nothing it can see. The agreement property's requests carry
        // read-only and read-execute ranges and windows, and catch it.
        Assert.True(invariants > 0 || how == PmpMisprogramming.WriteBitForced, "the invariant property found nothing");
    }

    private static bool Fails(Action run)
    {
        try
        {
            run();
            return false;
        }
        catch (Exception e) when (e is ModelMismatchException or RunFailureException)
        {
            return true;
        }
    }
}
