using System.Diagnostics;

namespace CoreSlice.Tests.Support;

/// <summary>What one run of the command line produced.</summary>
public sealed record CliRun(int Exit, string Stdout, string Stderr);

/// <summary>
/// Runs the built <c>coreslice</c> command line as a separate process, as a user would.
/// Tests reference the libraries, never the executable: the CLI is found next to the
/// solution, built in the same configuration as these tests (building the solution
/// builds both).
/// </summary>
public static class Coreslice
{
    private static readonly Lazy<string> Dll = new(FindDll);

    /// <summary>The repository root (the directory holding CoreSlice.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Runs <c>coreslice</c> with <paramref name="args"/>; stdin is empty; fails the test after <paramref name="timeoutSeconds"/>.</summary>
    public static CliRun Run(IEnumerable<string> args, int timeoutSeconds = 300, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        start.ArgumentList.Add(Dll.Value);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"coreslice {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <c>coreslice</c> with the given arguments.</summary>
    public static CliRun Run(params string[] args) => Run((IEnumerable<string>)args);

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CoreSlice.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("CoreSlice.sln not found above the test binaries");
    }

    private static string FindDll()
    {
        // The test binaries live in bin/<Configuration>/<framework>/; the CLI is built alongside in the same configuration.
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = testDir.Name;
        string configuration = testDir.Parent!.Name;
        string dll = Path.Combine(RepositoryRoot, "src", "CoreSlice.Cli", "bin", configuration, framework, "CoreSlice.Cli.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} not found: build the solution (dotnet build CoreSlice.sln -c {configuration}) before running these tests");
    }
}
