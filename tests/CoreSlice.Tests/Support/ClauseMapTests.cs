using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace CoreSlice.Tests.Support;

/// <summary>
/// docs/clauses.json is the traceability map (spec clause, the code that enforces it, the
/// tests that attack it). These tests keep it executable: every SMT name is defined in
/// spec/, every C# symbol is declared in the libraries, every test exists and is a test,
/// every clause has a test, and the table at the end of spec/README.md is the map's.
/// Set CORESLICE_WRITE_CLAUSE_TABLE=1 to regenerate that table.
/// </summary>
public sealed partial class ClauseMapTests
{
    private const string Begin = "<!-- clause table: generated from docs/clauses.json by ClauseMapTests; do not edit by hand -->";
    private const string End = "<!-- end of generated clause table -->";

    private static readonly string Root = Coreslice.RepositoryRoot;

    private sealed record Clause(string Name, string[] Smt, string[] Code, string[] Tests);

    private static readonly Lazy<Clause[]> Map = new(() =>
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "docs", "clauses.json")));
        return [.. doc.RootElement.GetProperty("clauses").EnumerateArray().Select(c => new Clause(
            c.GetProperty("clause").GetString()!,
            [.. c.GetProperty("smt").EnumerateArray().Select(e => e.GetString()!)],
            [.. c.GetProperty("code").EnumerateArray().Select(e => e.GetString()!)],
            [.. c.GetProperty("tests").EnumerateArray().Select(e => e.GetString()!)]))];
    });

    [Fact]
    public void Every_smt_name_is_defined_in_the_spec()
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "spec"), "*.smt2"))
        {
            foreach (Match m in DefineFun().Matches(File.ReadAllText(file)))
            {
                defined.Add(m.Groups[1].Value);
            }
        }

        string[] missing = [.. Map.Value.SelectMany(c => c.Smt).Where(n => !defined.Contains(n))];

        Assert.True(defined.Count > 50, $"only {defined.Count} definitions read from spec/");
        Assert.True(missing.Length == 0, "not defined in spec/: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_clause_and_property_of_the_manifest_is_in_the_map()
    {
        // a clause added to the spec without a row here would have no named code and no named test
        var mapped = new HashSet<string>(Map.Value.SelectMany(c => c.Smt), StringComparer.Ordinal);
        var listed = new List<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(Root, "spec", "obligations.txt")))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "invariant")
            {
                listed.AddRange(words.Length == 2 ? [words[1]] : words[2..]);
            }
            else if (words.Length == 2 && words[0] == "property")
            {
                listed.Add(words[1]);
            }
        }

        string[] missing = [.. listed.Where(n => !mapped.Contains(n))];
        Assert.True(listed.Count >= 20, $"only {listed.Count} clauses and properties read from spec/obligations.txt");
        Assert.True(missing.Length == 0, "in spec/obligations.txt but in no row of docs/clauses.json: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_code_symbol_is_declared()
    {
        Assembly[] libraries =
        [
            typeof(Slicevisor<>).Assembly, typeof(CoreSlice.Simulation.SimulatedMachine).Assembly,
            typeof(CoreSlice.Harness.Model.SpecModel).Assembly, typeof(CoreSlice.Manager.HostileRequests).Assembly,
        ];
        Type[] types = [.. libraries.SelectMany(a => a.GetTypes())];
        var missing = new List<string>();
        foreach (string symbol in Map.Value.SelectMany(c => c.Code))
        {
            string[] parts = symbol.Split('.');
            Type[] named = [.. types.Where(t => t.Name.Split('`')[0] == parts[0])];
            bool found = parts.Length == 1
                ? named.Length > 0
                : named.Any(t => t.GetMember(parts[1], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Length > 0);
            if (!found)
            {
                missing.Add(symbol);
            }
        }

        Assert.True(missing.Count == 0, "not declared: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_clause_has_a_test_and_every_test_exists()
    {
        MethodInfo[] tests = [.. typeof(ClauseMapTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())];
        var missing = new List<string>();
        foreach (Clause clause in Map.Value)
        {
            Assert.True(clause.Tests.Length > 0, $"{clause.Name}: no test attacks it");
            foreach (string test in clause.Tests)
            {
                string[] parts = test.Split('.');
                if (!tests.Any(m => m.DeclaringType!.Name == parts[0] && m.Name == parts[1]))
                {
                    missing.Add(test);
                }
            }
        }

        Assert.True(missing.Count == 0, "no such test: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_clause_table_in_the_spec_readme_is_generated_from_the_map()
    {
        string readme = Path.Combine(Root, "spec", "README.md");
        string text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        string table = Table();
        int begin = text.IndexOf(Begin, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("CORESLICE_WRITE_CLAUSE_TABLE") == "1")
        {
            string before = begin >= 0 ? text[..begin] : text.TrimEnd('\n') + "\n\n";
            File.WriteAllText(readme, before + table);
            text = File.ReadAllText(readme).ReplaceLineEndings("\n");
            begin = text.IndexOf(Begin, StringComparison.Ordinal);
        }

        Assert.True(begin >= 0, "spec/README.md has no generated clause table (run this test with CORESLICE_WRITE_CLAUSE_TABLE=1)");
        Assert.Equal(table, text[begin..]);
    }

    private static string Table()
    {
        var o = new StringBuilder();
        o.Append(Begin).Append('\n');
        o.Append("## Traceability (generated)\n\n");
        o.Append("From `docs/clauses.json`, checked by `ClauseMapTests`: each clause's SMT names are defined here, ");
        o.Append("its C# symbols are declared, and its tests exist.\n\n");
        o.Append("| clause | SMT name | enforced / audited by (C#) | attacked by (tests) |\n");
        o.Append("|---|---|---|---|\n");
        foreach (Clause c in Map.Value)
        {
            o.Append("| ").Append(c.Name)
                .Append(" | ").Append(string.Join(", ", c.Smt.Select(s => $"`{s}`")))
                .Append(" | ").Append(string.Join(", ", c.Code.Select(s => $"`{s}`")))
                .Append(" | ").Append(string.Join(", ", c.Tests.Select(s => $"`{s}`")))
                .Append(" |\n");
        }
        o.Append('\n').Append(End).Append('\n');
        return o.ToString();
    }

    [GeneratedRegex(@"\(define-fun\s+([^\s()]+)")]
    private static partial Regex DefineFun();
}
