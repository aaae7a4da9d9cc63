using CoreSlice.Mutants;
using Xunit;

namespace CoreSlice.Tests.Mutants;

/// <summary>
/// The bug catalogue stays applicable and documented between CI runs of the (slow) mutant
/// runner: every mutant's original text is in today's src/CoreSlice exactly once, and the table
/// in tests/README.md lists every mutant, in order, with its site and mistake. Which layers catch
/// each one is measured by tests/CoreSlice.Mutants/run-mutants.sh --check (CI).
/// </summary>
public class CatalogueTests
{
    private static string Root()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "CoreSlice.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }
        return dir ?? throw new InvalidOperationException("no CoreSlice.sln above the test output");
    }

    private static IReadOnlyList<BugMutant> All() => Catalogue.Load(Path.Combine(Root(), "tests", "CoreSlice.Mutants", "catalogue"));

    [Fact]
    public void The_catalogue_keeps_all_seventeen_bugs_with_distinct_names()
    {
        IReadOnlyList<BugMutant> all = All();
        Assert.Equal(17, all.Count);
        Assert.Equal(all.Count, all.Select(m => m.Name).Distinct().Count());
    }

    [Fact]
    public void Every_mutant_applies_to_the_current_source_exactly_once_and_changes_it()
    {
        string source = Path.Combine(Root(), "src", "CoreSlice");
        foreach (BugMutant m in All())
        {
            string copy = Directory.CreateTempSubdirectory("coreslice-mutant-").FullName;
            try
            {
                foreach (Rewrite r in m.Rewrites)
                {
                    string to = Path.Combine(copy, r.File);
                    Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                    File.Copy(Path.Combine(source, r.File), to, overwrite: true);
                }
                m.ApplyTo(copy);
                Assert.Contains(m.Rewrites, r => File.ReadAllText(Path.Combine(copy, r.File)) != File.ReadAllText(Path.Combine(source, r.File)).ReplaceLineEndings("\n"));
            }
            finally
            {
                Directory.Delete(copy, recursive: true);
            }
        }
    }

    [Fact]
    public void A_mutant_whose_text_is_gone_fails_loudly()
    {
        BugMutant stale = Catalogue.Parse("99-Stale", "site: x\nmistake: y\n<<<<<<< Sliceloader.cs\n        this line is not in the file\n=======\n>>>>>>>\n");
        string copy = Directory.CreateTempSubdirectory("coreslice-mutant-").FullName;
        try
        {
            File.Copy(Path.Combine(Root(), "src", "CoreSlice", "Sliceloader.cs"), Path.Combine(copy, "Sliceloader.cs"));
            CatalogueException e = Assert.Throws<CatalogueException>(() => stale.ApplyTo(copy));
            Assert.Contains("occurs 0 times", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void The_README_table_lists_every_mutant_in_order()
    {
        string readme = File.ReadAllText(Path.Combine(Root(), "tests", "README.md")).ReplaceLineEndings("\n");
        int n = 1;
        foreach (BugMutant m in All())
        {
            Assert.Contains($"| {n++} | `{m.Name}` | {m.Site} | {m.Mistake} |", readme, StringComparison.Ordinal);
        }
    }
}
