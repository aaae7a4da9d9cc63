using CoreSlice.Harness.Check;
using Xunit;

namespace CoreSlice.Tests.Check;

/// <summary>The example machines and layouts, and a temporary directory for layouts a test writes.</summary>
public abstract class CheckTestFiles : IDisposable
{
    protected static readonly string Examples = FindExamples();
    protected static readonly string SmallBoard = Path.Combine(Examples, "machines", "small-board.json");
    protected static readonly string Server = Path.Combine(Examples, "machines", "server-2s-128c.json");
    private readonly string dir = Directory.CreateTempSubdirectory("coreslice-check-").FullName;

    protected string Dir => dir;

    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private static string FindExamples()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "examples");
            if (Directory.Exists(Path.Combine(candidate, "layouts")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("examples/ not found above the test binaries");
    }

    protected string Write(string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static CheckReport Check(string machine, string layout) => Checker.Run(machine, layout);

    protected static string Example(string name) => Path.Combine(Examples, "layouts", name);

    internal static (string Error, int Line, int Column) Key(Problem p) => (p.Error, p.At.Line, p.At.Column);

    internal static Problem Only(CheckReport report, string error) => Assert.Single(report.Problems, p => p.Error == error);
}
