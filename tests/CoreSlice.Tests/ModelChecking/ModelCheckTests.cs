using CoreSlice.Hardware;
using System.Text.Json;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.ModelCheck;
using CoreSlice.Harness.Steps;
using CoreSlice.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.ModelChecking;

/// <summary>The model-checking tests run one at a time: each explores a whole scope on the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ModelCheckingCollection
{
    public const string Name = "model checking";
}

// A violation and its shortest trace are checked on a source mutant of the trusted core
// (tests/CoreSlice.Mutants: LoaderSkipsLock must be reported as I2 with a 2-step trace).
[Collection(ModelCheckingCollection.Name)]
public class ModelCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void The_default_scope_is_explored_exhaustively_and_holds()
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope()).Run();

        output.WriteLine($"{r.States} states, {r.Edges} edges, depth {r.Depth}");
        Assert.True(r.Holds, string.Join("; ", r.Violations.Select(v => v.Check)));
        Assert.True(r.Exhaustive);
        Assert.True(r.States > 10_000, $"{r.States} states");
        Assert.True(r.Depth >= 6, $"depth {r.Depth}");
        Assert.True(r.Edges > r.States * 100L);
        Assert.True(r.RejectedEdges > 0);
    }

    [Fact]
    public void The_operation_space_covers_hostile_arguments_and_faults()
    {
        var scope = new ModelCheckScope();
        IReadOnlyList<Step> ops = StepSpace.Build(scope);

        Assert.Contains(ops, o => o.Kind == StepKind.Create && o.Request.Cores.Span.Contains(0));
        Assert.Contains(ops, o => o.Kind == StepKind.Create && o.Request.Cores.Span.Contains(scope.Cores));
        Assert.Contains(ops, o => o.Kind == StepKind.Create && o.Request.Cores.Span.Contains(-1));
        Assert.Contains(ops, o => o.Kind == StepKind.Create && o.Request.Ranges.Span is [var r] && !r.IsRepresentable);
        Assert.Contains(ops, o => o.Kind == StepKind.Create && o.Request.Ranges.Span is [var a, var b] && a.Overlaps(b));
        Assert.Contains(ops, o => o.Kind == StepKind.Load && o.Slot == 0);
        Assert.Contains(ops, o => o.Kind == StepKind.Start && o.Slot == scope.Slots + 1);
        foreach (FaultKind fault in new[] { FaultKind.ResetFails, FaultKind.IommuFails, FaultKind.CorruptRegister })
        {
            Assert.Contains(ops, o => o.Fault.Kind == fault);
        }
        Assert.Contains(ops, o => o.Kind == StepKind.DmaWrite);
        Assert.Contains(ops, o => o.Kind == StepKind.WriteIpiMask);
    }

    [Fact]
    public void The_operation_space_covers_windows_permissions_and_dma_ranges()
    {
        var scope = new ModelCheckScope();
        IReadOnlyList<Step> ops = StepSpace.Build(scope);
        var control = new MemoryRange(ModelCheckScope.Granule, ModelCheckScope.Granule);
        var creates = ops.Where(o => o.Kind == StepKind.Create).Select(o => o.Request).ToList();

        Assert.Contains(creates, r => r.Windows.Span is [var w] && w.Range == control && w.Permissions == Permissions.Read);
        Assert.Contains(creates, r => r.Windows.Span is [var w] && w.Range == control && w.Permissions == Permissions.ReadWrite);
        Assert.Contains(creates, r => r.RangePermissions.Span is [Permissions.Read | Permissions.Execute, Permissions.ReadWrite]);
        Assert.Contains(creates, r => r.DmaRanges.Length == 2 && r.DmaRanges.Span[0].Range.Base == scope.Block(0).Base && r.DmaRanges.Span[1].Range == control);
        Assert.Contains(creates, r => r.Windows.Span is [var w] && w.Range == scope.Block(scope.Blocks - 1));
        Assert.Contains(creates, r => r.DmaRanges.Span is [var d] && !r.Ranges.Span[0].Covers(d.Range) && r.Windows.IsEmpty);
        Assert.Contains(ops, o => o.Kind == StepKind.DmaRead);
        Assert.Contains(ops, o => o.Kind == StepKind.GuestLoad && o.Address == control.Base);
        Assert.Contains(ops, o => o.Kind == StepKind.GuestFetch && o.Address == control.Base);
        Assert.Contains(ops, o => o.Kind == StepKind.GuestStore && o.Address == control.Base && o.Actor >= scope.ControlCores);
    }

    [Fact]
    public void Every_sharing_request_the_space_holds_gets_the_models_verdict_in_the_empty_state()
    {
        // The executable model checks windows, range permissions and DMA ranges as the slicevisor does.
        var scope = new ModelCheckScope();
        foreach (Step create in StepSpace.Build(scope).Where(o => o.Kind == StepKind.Create && (!o.Request.Windows.IsEmpty || !o.Request.DmaRanges.IsEmpty)))
        {
            using var live = new LiveMachine(scope.Machine());
            Observation actual = live.Apply(create);
            Observation model = live.ApplyToModel(create);
            Assert.Equal(model.Result, actual.Result);
        }
    }

    [Fact]
    public void Json_output_has_the_documented_fields()
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope { MaxDepth = 2 }).Run();
        CliRun run = Coreslice.Run("modelcheck", "--max-depth", "2", "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(r.States, root.GetProperty("states").GetInt32());
        Assert.True(root.GetProperty("edges").GetInt64() > 0);
        Assert.Equal(2, root.GetProperty("depth").GetInt32());
        Assert.True(root.GetProperty("statesPerSecond").GetDouble() > 0);
        Assert.False(root.GetProperty("exhaustive").GetBoolean());
        Assert.True(root.GetProperty("holds").GetBoolean());
        Assert.Equal(0, root.GetProperty("violations").GetArrayLength());
        Assert.StartsWith("coreslice modelcheck --cores 3", root.GetProperty("command").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cores", "1")]
    [InlineData("--block", "3")]
    [InlineData("--slots", "0")]
    public void Bad_scope_exits_2(string option, string value)
    {
        CliRun run = Coreslice.Run("modelcheck", option, value);

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_small_bounded_run_exits_0()
    {
        CliRun run = Coreslice.Run("modelcheck", "--max-depth", "1", "--format", "json");

        Assert.Equal(0, run.Exit);
    }

    [Theory]
    [InlineData(3, 1, 2, 2, 2)]
    [InlineData(4, 1, 3, 2, 2)]
    [InlineData(5, 2, 2, 3, 3)]
    [InlineData(6, 1, 4, 3, 1)]
    public void The_operation_estimate_bounds_the_operations_built(int cores, int control, int devices, int ways, int slots)
    {
        var scope = new ModelCheckScope { Cores = cores, ControlCores = control, Devices = devices, GuestWays = ways, Slots = slots };

        long built = new ModelChecker(scope).OperationCount;
        long estimated = scope.EstimatedOperations();

        Assert.InRange(estimated, built, 2 * built);
    }

    [Fact]
    public void A_scope_too_large_to_build_is_refused_before_any_work()
    {
        CliRun run = Coreslice.Run("modelcheck", "--cores", "24", "--devices", "8");

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
        Assert.Contains("operations in every state", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_time_limit_is_honoured_within_a_second_and_require_exhaustive_fails_a_partial_run()
    {
        CliRun run = Coreslice.Run("modelcheck", "--time-limit", "1", "--require-exhaustive", "--format", "json");

        Assert.Equal(1, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("exhaustive").GetBoolean());
        Assert.True(json.RootElement.GetProperty("holds").GetBoolean());
        Assert.InRange(json.RootElement.GetProperty("seconds").GetDouble(), 1, 2);
        Assert.Contains("--require-exhaustive", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ModelBug.EntryInFirstRangeOnly)]
    [InlineData(ModelBug.StartFaultKeepsCreated)]
    [InlineData(ModelBug.DestroyKeepsWays)]
    public void Every_call_is_compared_with_the_executable_model(ModelBug wrongModel)
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope { ModelVariant = wrongModel }).Run();

        Assert.False(r.Holds);
        Assert.Equal("M1_ResultMatchesModel", r.Violations[0].Check);
        Assert.Contains("the executable model says", r.Violations[0].Message, StringComparison.Ordinal);
    }
}
