using System.CommandLine;
using System.Text.Json;
using CoreSlice.Cli.Commands;
using CoreSlice.Cli.ModelCheck;
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

        var text = new StringWriter();
        ModelCheckWriter.Write(text, r, "text");
        output.WriteLine(text.ToString());
        Assert.True(r.Holds, text.ToString());
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
        IReadOnlyList<Operation> ops = OperationSpace.Build(scope);

        Assert.Contains(ops, o => o.Kind == OpKind.Create && o.Request.Cores.Span.Contains(0));
        Assert.Contains(ops, o => o.Kind == OpKind.Create && o.Request.Cores.Span.Contains(scope.Cores));
        Assert.Contains(ops, o => o.Kind == OpKind.Create && o.Request.Cores.Span.Contains(-1));
        Assert.Contains(ops, o => o.Kind == OpKind.Create && o.Request.Ranges.Span is [var r] && !r.IsRepresentable);
        Assert.Contains(ops, o => o.Kind == OpKind.Create && o.Request.Ranges.Span is [var a, var b] && a.Overlaps(b));
        Assert.Contains(ops, o => o.Kind == OpKind.Load && o.Slot == 0);
        Assert.Contains(ops, o => o.Kind == OpKind.Start && o.Slot == scope.Slots + 1);
        foreach (FaultKind fault in new[] { FaultKind.ResetFails, FaultKind.IommuFails, FaultKind.CorruptRegister })
        {
            Assert.Contains(ops, o => o.Fault == fault);
        }
        Assert.Contains(ops, o => o.Kind == OpKind.Dma);
        Assert.Contains(ops, o => o.Kind == OpKind.WriteIpiMask);
    }

    [Fact]
    public void Json_output_has_the_documented_fields()
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope { MaxDepth = 2 }).Run();
        var text = new StringWriter();
        ModelCheckWriter.Write(text, r, "json");

        using JsonDocument json = JsonDocument.Parse(text.ToString());
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
        var root = new RootCommand { ModelCheckCommand.Create() };

        int exit = root.Parse(["modelcheck", option, value]).Invoke();

        Assert.Equal(2, exit);
    }

    [Fact]
    public void A_small_bounded_run_exits_0()
    {
        var root = new RootCommand { ModelCheckCommand.Create() };

        int exit = root.Parse(["modelcheck", "--max-depth", "1", "--format", "json"]).Invoke();

        Assert.Equal(0, exit);
    }
}
