using System.Text.RegularExpressions;
using Xunit;

namespace CoreSlice.Tests.Support;

/// <summary>
/// The READMEs and docs/ are true against the tree: every file they name in backticks
/// exists, every code symbol they name in backticks is declared somewhere in the sources,
/// and nothing points outside the repository (a design file elsewhere, a tracker number, a
/// machine's own paths).
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = Coreslice.RepositoryRoot;

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (string doc in DocumentPaths())
        {
            data.Add(doc);
        }
        return data;
    }

    private static IEnumerable<string> DocumentPaths()
    {
        yield return "README.md";
        yield return "tests/README.md";
        foreach (string doc in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(Root, doc).Replace('\\', '/');
        }
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_file_a_document_names_exists(string document)
    {
        string text = File.ReadAllText(Path.Combine(Root, document));
        string here = Path.GetDirectoryName(Path.Combine(Root, document))!;
        var missing = new List<string>();
        foreach (string token in CodeSpans(text))
        {
            if (!LooksLikePath(token))
            {
                continue;
            }
            string path = token.TrimEnd('/');
            // Documents name files from the root, from where they stand, or inside the project they describe.
            bool exists = Bases.Value.Prepend(here).Prepend(Root).Any(b =>
                File.Exists(Path.Combine(b, path)) || File.Exists(Path.Combine(b, path + ".cs")) || Directory.Exists(Path.Combine(b, path)));
            if (!exists)
            {
                missing.Add(path);
            }
        }
        Assert.True(missing.Count == 0, $"{document} names files that do not exist: {string.Join(", ", missing.Distinct())}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_code_symbol_a_document_names_is_declared(string document)
    {
        string text = File.ReadAllText(Path.Combine(Root, document));
        HashSet<string> declared = Declarations.Value;
        var missing = new List<string>();
        foreach (string token in CodeSpans(text))
        {
            Match symbol = SymbolPattern().Match(token);
            if (!symbol.Success)
            {
                continue;
            }
            // Type.Member: both must be declared; a bare CamelCase name must be a declared type or member.
            string[] parts = token.Split('.');
            if (parts.Any(p => !declared.Contains(p)))
            {
                missing.Add(token);
            }
        }
        Assert.True(missing.Count == 0, $"{document} names code that is not declared anywhere: {string.Join(", ", missing.Distinct())}");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void No_document_points_outside_the_repository(string document)
    {
        string text = File.ReadAllText(Path.Combine(Root, document));

        Assert.DoesNotMatch(OutsidePattern(), text);
    }

    [Fact]
    public void No_source_comment_the_tools_own_points_outside_the_repository()
    {
        foreach (string dir in new[] { "src/CoreSlice.Cli", "src/CoreSlice.Harness", "src/CoreSlice.Simulation", "tests/CoreSlice.Tests/Cli", "tests/CoreSlice.Tests/Check", "tests/CoreSlice.Tests/ModelChecking", "tests/CoreSlice.Tests/ModelBased", "tests/CoreSlice.Tests/Properties", "tests/CoreSlice.Tests/Support", "tests/CoreSlice.Tests/Simulation" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, dir), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
            {
                string text = File.ReadAllText(file);
                // This file states the patterns it forbids.
                if (file.EndsWith("DocumentationTests.cs", StringComparison.Ordinal))
                {
                    continue;
                }
                Assert.False(OutsidePattern().IsMatch(text), $"{Path.GetRelativePath(Root, file)} points outside the repository: {OutsidePattern().Match(text).Value}");
            }
        }
    }

    /// <summary>The text of every `code span` of a Markdown document.</summary>
    private static IEnumerable<string> CodeSpans(string markdown)
    {
        // Fenced blocks are commands and pictures, not references.
        string prose = FencePattern().Replace(markdown, "");
        foreach (Match m in CodeSpanPattern().Matches(prose))
        {
            yield return m.Groups[1].Value.Trim();
        }
    }

    /// <summary>The project folders a document may name files relative to (src/CoreSlice, tests/CoreSlice.Tests, ...).</summary>
    private static readonly Lazy<string[]> Bases = new(() =>
        [.. new[] { "src", "tests", "proofs", "bench" }.SelectMany(d => Directory.EnumerateDirectories(Path.Combine(Root, d)))]);

    private static bool LooksLikePath(string token) =>
        !token.Contains("NN", StringComparison.Ordinal) && !token.Contains(' ', StringComparison.Ordinal) && !TypeMemberPattern().IsMatch(token) && !token.Contains('*', StringComparison.Ordinal) && !token.Contains('<', StringComparison.Ordinal)
        && !token.StartsWith('-') && !token.Contains("://", StringComparison.Ordinal)
        && (PathPattern().IsMatch(token) || token.EndsWith('/'));

    private static readonly Lazy<HashSet<string>> Declarations = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string dir in new[] { "src", "proofs", "tests", "bench" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, dir), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal))
                {
                    continue;
                }
                string text = File.ReadAllText(file);
                foreach (Match m in DeclarationPattern().Matches(text))
                {
                    names.Add(m.Groups["name"].Value);
                }
                // Problem codes the tools print are string constants ("ReservedOutsideRam").
                foreach (Match m in CodeStringPattern().Matches(text))
                {
                    names.Add(m.Groups[1].Value);
                }
            }
        }
        // Mutants are named by their files (09-LoaderSkipsLock.mutant).
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.mutant", SearchOption.AllDirectories))
        {
            names.Add(Path.GetFileNameWithoutExtension(file).Split('-', 2)[^1]);
        }
        // Base-class-library types the documents name (RandomNumberGenerator, IncrementalHash, ...).
        foreach (System.Reflection.Assembly assembly in new[] { typeof(object).Assembly, typeof(System.Security.Cryptography.IncrementalHash).Assembly, typeof(System.Text.Json.JsonDocument).Assembly })
        {
            foreach (Type type in assembly.GetExportedTypes())
            {
                names.Add(type.Name);
            }
        }
        return names;
    });

    [GeneratedRegex(@"```.*?```", RegexOptions.Singleline)]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex CodeSpanPattern();

    // a/b, a/b.ext, or a file name with a known extension
    [GeneratedRegex(@"^[\w.\-]+(/[\w.\-]+)*(\.(cs|md|json|smt2|txt|svg|sh|csproj|sln|props|targets|mutant))$|^[\w.\-]+(/[\w.\-]+)+/?$")]
    private static partial Regex PathPattern();

    // CamelCase identifiers and Type.Member, e.g. `InvariantAudit`, `SliceError.RangeInUse` (not `I1`, not commands)
    [GeneratedRegex(@"^[A-Z][a-z]+[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$")]
    private static partial Regex SymbolPattern();

    // class/struct/record/enum/interface declarations, members (properties, methods, enum values, constants)
    [GeneratedRegex(@"(?:(?:class|struct|record|enum|interface)\s+(?<name>[A-Z]\w*))|(?:\b(?<name>[A-Z]\w*)\s*(?:\(|\{|=>|=|,|;|\n))")]
    private static partial Regex DeclarationPattern();

    // `Type.Member/Other` names code, not a file
    [GeneratedRegex(@"^[A-Z]\w*\.[A-Z]")]
    private static partial Regex TypeMemberPattern();

    [GeneratedRegex("\"([A-Z][A-Za-z0-9]+)\"")]
    private static partial Regex CodeStringPattern();

    [GeneratedRegex(@"DESIGN\.md|\.\./shared|/work/|\b[Ii]ssue\s+#?\d+|\bDESIGN\s+§")]
    private static partial Regex OutsidePattern();
}
