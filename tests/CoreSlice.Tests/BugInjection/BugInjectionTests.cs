using CoreSlice.Faults;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.BugInjection;

/// <summary>The checks have teeth: with no bug every layer passes; with each bug, the layers the catalogue lists (and only those) fail.</summary>
[Collection(BugInjectionCollection.Name)]
public class BugInjectionTests(ITestOutputHelper output)
{
    public static TheoryData<string> Bugs()
    {
        var data = new TheoryData<string>();
        foreach (BugVariant b in BugCatalogue.All)
        {
            data.Add(b.Bug.ToString());
        }
        return data;
    }

    [Fact]
    public void With_no_bug_every_layer_passes()
    {
        Assert.Equal(Bug.None, BugSwitch.Current);
        foreach (ILayer layer in Layers.All)
        {
            LayerOutcome outcome = layer.Run();
            output.WriteLine($"{layer.Name}: {outcome.Evidence}");
            Assert.False(outcome.Caught, $"{layer.Name} fails on the correct code: {outcome.Evidence}");
        }
    }

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Each_bug_is_caught_by_the_layers_the_catalogue_lists(string name)
    {
        BugVariant variant = BugCatalogue.All.Single(b => b.Bug.ToString() == name);
        var caught = new List<string>();
        using (BugSwitch.Apply(variant.Bug))
        {
            foreach (ILayer layer in Layers.All)
            {
                LayerOutcome outcome = layer.Run();
                output.WriteLine($"{layer.Name}: {(outcome.Caught ? "CAUGHT" : "missed")} - {outcome.Evidence}");
                if (outcome.Caught)
                {
                    caught.Add(layer.Name);
                }
            }
        }
        Assert.Equal(Bug.None, BugSwitch.Current);
        Assert.NotEmpty(caught);
        Assert.Equal(variant.CaughtBy.Order(), caught.Order());
    }

    [Fact]
    public void The_catalogue_has_every_bug_once_and_at_least_twelve()
    {
        Bug[] all = Enum.GetValues<Bug>().Where(b => b != Bug.None).ToArray();
        Assert.True(all.Length >= 12);
        Assert.Equal(all.Order(), BugCatalogue.All.Select(b => b.Bug).Order());
        foreach (BugVariant b in BugCatalogue.All)
        {
            Assert.All(b.CaughtBy, layer => Assert.Contains(layer, Layers.All.Select(l => l.Name)));
        }
    }

    [Fact]
    public void The_switch_is_off_by_default_restored_after_a_failure_and_per_thread()
    {
        Assert.Equal(Bug.None, BugSwitch.Current);
        Assert.Throws<InvalidOperationException>(new Action(() =>
        {
            using (BugSwitch.Apply(Bug.DestroySkipsScrub))
            {
                Bug elsewhere = Bug.DestroySkipsScrub;
                var thread = new Thread(() => elsewhere = BugSwitch.Current);
                thread.Start();
                thread.Join();
                Assert.Equal(Bug.None, elsewhere);
                Assert.Equal(Bug.DestroySkipsScrub, BugSwitch.Current);
                throw new InvalidOperationException("a failing check");
            }
        }));
        Assert.Equal(Bug.None, BugSwitch.Current);
    }

    [Fact]
    public void The_table_in_tests_README_is_the_catalogue()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CoreSlice.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        Assert.NotNull(dir);
        string readme = File.ReadAllText(Path.Combine(dir, "tests", "README.md")).ReplaceLineEndings("\n");
        string table = BugCatalogue.MarkdownTable();
        Assert.True(readme.Contains(table, StringComparison.Ordinal), "tests/README.md does not hold the current table; it should read:\n" + table);
    }
}
