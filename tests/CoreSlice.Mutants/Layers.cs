using System.Diagnostics;

namespace CoreSlice.Mutants;

/// <summary>What one layer said about one build of the trusted core.</summary>
public sealed record LayerOutcome(string Layer, bool Caught, string Evidence);

/// <summary>
/// The verification layers, each run as a process against a directory holding a built CLI
/// (<c>cli/</c>) and the built tests (<c>tests/</c>) with some CoreSlice.dll swapped in:
/// <list type="bullet">
/// <item><c>modelcheck</c>: <c>coreslice modelcheck</c> at its default scope;</item>
/// <item><c>simulate</c>: <c>coreslice simulate</c> on the default machine, seeds 1-3 (400 steps), and on a crowded 4-core machine (600 steps);</item>
/// <item><c>unit</c>: the simulation and audit test classes, through <c>dotnet test CoreSlice.Tests.dll --filter</c>;</item>
/// <item><c>pmp</c>: the PMP port — <c>coreslice simulate</c> on the PolarFire-SoC board (its own PMP harts, 400 steps) and
/// <c>coreslice modelcheck --port pmp --max-depth 3</c> (the PMP encoder and sliceloader run only on this port).</item>
/// </list>
/// A layer catches a build when it exits non-zero (a failed check, or a crash).
/// </summary>
public static class Layers
{
    public static readonly string[] Names = ["modelcheck", "simulate", "unit", "pmp"];

    private const string UnitFilter =
        "FullyQualifiedName~CoreSlice.Tests.Simulation.AuditTests|FullyQualifiedName~CoreSlice.Tests.Simulation.MachineTests|FullyQualifiedName~CoreSlice.Tests.Simulation.MemoryTests";

    public static LayerOutcome ModelCheck(string work, IReadOnlyList<string> mustSay)
    {
        (int code, string output) = Run(Path.Combine(work, "cli"), ["CoreSlice.Cli.dll", "modelcheck"]);
        string violation = output.Split('\n').FirstOrDefault(l => l.StartsWith("VIOLATED", StringComparison.Ordinal)) ?? Last(output);
        foreach (string text in mustSay)
        {
            if (code != 0 && !output.Contains(text, StringComparison.Ordinal))
            {
                throw new CatalogueException($"modelcheck caught the mutant but its report does not say \"{text}\":\n{output}");
            }
        }
        return new LayerOutcome("modelcheck", code != 0, code == 0 ? "holds" : $"exit {code}: {violation}");
    }

    public static LayerOutcome Simulate(string work, string crowded)
    {
        (string? machine, int seed, int steps)[] runs = [(null, 1, 400), (null, 2, 400), (null, 3, 400), (crowded, 7, 600)];
        foreach ((string? machine, int seed, int steps) in runs)
        {
            var args = new List<string> { "CoreSlice.Cli.dll", "simulate", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (machine is not null)
            {
                args.AddRange(["--machine", machine]);
            }
            (int code, string output) = Run(Path.Combine(work, "cli"), args);
            if (code != 0)
            {
                string finding = output.Split('\n').FirstOrDefault(l => l.Contains("violation", StringComparison.OrdinalIgnoreCase) && !l.Contains(": 0", StringComparison.Ordinal)) ?? Last(output);
                return new LayerOutcome("simulate", true, $"seed {seed}: exit {code}: {finding}");
            }
        }
        return new LayerOutcome("simulate", false, "holds on 4 runs");
    }

    public static LayerOutcome Pmp(string work, string board)
    {
        (int code, string output) = Run(Path.Combine(work, "cli"), ["CoreSlice.Cli.dll", "simulate", "--machine", board, "--seed", "1", "--steps", "400"]);
        if (code != 0)
        {
            string finding = output.Split('\n').FirstOrDefault(l => l.Contains("isolation: ", StringComparison.Ordinal)) ?? Last(output);
            return new LayerOutcome("pmp", true, $"simulate on the board: exit {code}: {finding.Trim()}");
        }
        (code, output) = Run(Path.Combine(work, "cli"), ["CoreSlice.Cli.dll", "modelcheck", "--port", "pmp", "--max-depth", "3"]);
        string violation = output.Split('\n').FirstOrDefault(l => l.StartsWith("VIOLATED", StringComparison.Ordinal)) ?? Last(output);
        return new LayerOutcome("pmp", code != 0, code == 0 ? "holds" : $"modelcheck --port pmp: exit {code}: {violation}");
    }

    public static LayerOutcome Unit(string work)
    {
        (int code, string output) = Run(Path.Combine(work, "tests"), ["test", "CoreSlice.Tests.dll", "--filter", UnitFilter, "--nologo"]);
        string summary = output.Split('\n').LastOrDefault(l => l.Contains("Passed!", StringComparison.Ordinal) || l.Contains("Failed!", StringComparison.Ordinal)) ?? Last(output);
        return new LayerOutcome("unit", code != 0, summary.Trim());
    }

    /// <summary>The most telling line: a halted invariant of the trusted core if there is one, else the last line.</summary>
    private static string Last(string output) =>
        output.Split('\n').FirstOrDefault(l => l.Contains("invariant broken", StringComparison.Ordinal))?.Trim()
        ?? output.TrimEnd().Split('\n').LastOrDefault()?.Trim() ?? "";

    /// <summary>Runs <c>dotnet args</c> in <paramref name="directory"/>; a run past 10 minutes counts as caught (a hang).</summary>
    public static (int Code, string Output) Run(string directory, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process p = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out after 10 minutes");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
