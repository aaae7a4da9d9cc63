using System.Reflection;
using CoreSlice.Harness.ModelCheck;
using CoreSlice.Harness.Simulate;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.BugInjection;

/// <summary>What one layer said about the code as it is on this thread (with or without a bug).</summary>
internal sealed record LayerOutcome(string Layer, bool Caught, string Evidence);

/// <summary>
/// A verification layer the bug harness can run in-process, on the current thread
/// (where the bug switch is set). A bug is "caught by layer X" when X's checks fail
/// with the bug applied; with no bug, every layer must pass (<see cref="BugInjectionTests"/>).
/// To plug a layer in, add it to <see cref="Layers.All"/>: either a
/// <see cref="TestClassLayer"/> over existing xUnit test classes (their [Fact] and
/// [Theory]/[InlineData] methods are invoked; any failure is a catch), or any
/// <see cref="ILayer"/>.
/// </summary>
internal interface ILayer
{
    string Name { get; }

    LayerOutcome Run();
}

internal static class Layers
{
    /// <summary>Every layer, in the order the table in tests/README.md lists them.</summary>
    public static IReadOnlyList<ILayer> All { get; } =
    [
        new ModelCheckLayer(),
        new SimulateLayer(),
        new TestClassLayer("unit", typeof(Simulation.AuditTests), typeof(Simulation.MachineTests), typeof(Simulation.MemoryTests)),
        // Conformance (issue 4 §1) and the executable model + FsCheck (§3) plug in here, e.g.
        // new TestClassLayer("conformance", typeof(Conformance.ConformanceTests)),
        // new TestClassLayer("properties", typeof(Properties.ModelAgreementProperties)),
    ];
}

/// <summary><c>coreslice modelcheck</c> at its default scope, stopping at the first violation.</summary>
internal sealed class ModelCheckLayer : ILayer
{
    public string Name => "modelcheck";

    public LayerOutcome Run()
    {
        ModelCheckResult r = new ModelChecker(new ModelCheckScope()).Run();
        string evidence = r.Holds
            ? $"holds: {r.States} states, {r.Edges} edges"
            : $"{r.Violations[0].Check}: {r.Violations[0].Message} (trace of {r.Violations[0].Trace.Count}: {string.Join("; ", r.Violations[0].Trace)})";
        return new LayerOutcome(Name, !r.Holds, evidence);
    }
}

/// <summary>The simulate scenario: default machine seeds 1-3 (400 steps) and a small crowded machine (600 steps).</summary>
internal sealed class SimulateLayer : ILayer
{
    public string Name => "simulate";

    public static MachineConfig Crowded => new()
    {
        CoreCount = 4, ControlCores = [0],
        RamRegions = [new MemoryRange(0, 0x40000)],
        ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, 0x4000))],
        ControlMemory = [new MemoryRange(0x4000, 0x4000)],
        DeviceCount = 2, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2,
        GranuleSize = 0x1000, SlotCapacity = 3,
    };

    public LayerOutcome Run()
    {
        foreach ((MachineConfig config, int seed, int steps) in new[]
        {
            (MachineDescription.Default, 1, 400), (MachineDescription.Default, 2, 400), (MachineDescription.Default, 3, 400), (Crowded, 7, 600),
        })
        {
            SimulationSummary s;
            try
            {
                using var scenario = new Scenario(config, seed, steps);
                s = scenario.Run();
            }
            catch (Exception e)
            {
                return new LayerOutcome(Name, true, $"seed {seed}: threw {e.GetType().Name}: {e.Message}");
            }
            if (!s.Holds)
            {
                return new LayerOutcome(Name, true,
                    $"seed {seed}: {s.IsolationViolations} isolation, {s.FunctionalFailures} functional, {s.ResidueFound} residue; {s.Findings.FirstOrDefault()}");
            }
        }
        return new LayerOutcome(Name, false, "holds on 4 runs");
    }
}

/// <summary>Existing xUnit tests, run in-process on this thread: any failing test is a catch.</summary>
internal sealed class TestClassLayer(string name, params Type[] classes) : ILayer
{
    public string Name => name;

    public LayerOutcome Run()
    {
        int run = 0;
        var failed = new List<string>();
        foreach (Type type in classes)
        {
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (object?[] args in Cases(method))
                {
                    run++;
                    object instance = Activator.CreateInstance(type)!;
                    try
                    {
                        _ = method.Invoke(instance, args);
                    }
                    catch (TargetInvocationException e)
                    {
                        failed.Add($"{type.Name}.{method.Name}: {e.InnerException?.Message.ReplaceLineEndings(" ")}");
                    }
                    finally
                    {
                        (instance as IDisposable)?.Dispose();
                    }
                }
            }
        }
        return new LayerOutcome(Name, failed.Count > 0, failed.Count > 0 ? $"{failed.Count} of {run} failed; {failed[0]}" : $"{run} tests pass");
    }

    private static IEnumerable<object?[]> Cases(MethodInfo method)
    {
        if (method.GetCustomAttribute<FactAttribute>() is { Skip: null } and not TheoryAttribute)
        {
            yield return [];
        }
        else if (method.GetCustomAttribute<TheoryAttribute>() is { Skip: null })
        {
            foreach (InlineDataAttribute data in method.GetCustomAttributes<InlineDataAttribute>())
            {
                foreach (object?[] row in data.GetData(method))
                {
                    yield return row;
                }
            }
        }
    }
}
