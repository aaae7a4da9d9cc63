using CoreSlice.Harness.Model;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// The comparison has teeth and shrinking gives minimal counterexamples: against a deliberately
/// broken model, random runs fail, and FsCheck shrinks the failing run to a few steps.
/// </summary>
public sealed class ShrinkingTests(ITestOutputHelper output)
{
    public const int MaxShrunkSteps = 5;

    /// <summary>Runs the agreement property against <paramref name="bug"/>; returns (first failing length, shrunk run).</summary>
    public static (int original, Intent[] shrunk, string failure) FindAndShrink(MachineConfig config, ModelBug bug, int maxSteps, ulong seed)
    {
        Intent[]? first = null, last = null;
        string failure = "";
        Property property = Prop.ForAll(IntentGen.Runs(config.SlotCapacity, maxSteps), run =>
        {
            try
            {
                Runner.Check(config, run, Depth.Full, bug);
                return true;
            }
            catch (ModelMismatchException e)
            {
                first ??= run;
                last = run;
                failure = e.Message;
                throw;
            }
        });
        Exception? thrown = Record.Exception(() =>
            property.Check(Config.QuickThrowOnFailure.WithMaxTest(500).WithReplay(seed, 0x9E3779B97F4A7C15UL)));
        Assert.NotNull(thrown); // the broken model must be caught
        Assert.True(last is not null, thrown.ToString());
        return (first!.Length, last!, failure);
    }

    [Theory]
    [InlineData(ModelBug.DestroyKeepsWays, 11UL)]
    [InlineData(ModelBug.EntryInFirstRangeOnly, 12UL)]
    [InlineData(ModelBug.StartFaultKeepsCreated, 13UL)]
    public void A_broken_model_is_caught_and_the_counterexample_shrinks_to_at_most_five_steps(ModelBug bug, ulong seed)
    {
        (int original, Intent[] shrunk, string failure) = FindAndShrink(Machines.Small(), bug, 100, seed);
        output.WriteLine($"{bug}: first failing run {original} steps, shrunk to {shrunk.Length}:");
        foreach (Intent step in shrunk)
        {
            output.WriteLine("  " + step);
        }
        output.WriteLine(failure);
        Assert.True(shrunk.Length <= MaxShrunkSteps, $"shrunk only to {shrunk.Length} steps");
    }
}
