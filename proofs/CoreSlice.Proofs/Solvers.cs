using System.Diagnostics;

namespace CoreSlice.Proofs;

/// <summary>A solver that runs one SMT-LIB2 script and returns what it printed.</summary>
public interface ISolver
{
    /// <summary>Name and version, for reports.</summary>
    string Description { get; }

    /// <summary>True for Z3 (accepts z3 options and tactics).</summary>
    bool IsZ3 { get; }

    /// <summary>Runs the script (thread-safe).</summary>
    string Run(string script, int timeoutMs);

    /// <summary>
    /// A context with <paramref name="specText"/> loaded once, for one worker thread's queries
    /// (<see cref="PreludeSession"/>), or null when this solver has none (then every query runs one-shot).
    /// </summary>
    PreludeSession? OpenSession(string specText, int budgetMs) => null;
}

/// <summary>The solvers <c>verify --solver NAME</c> can use, by name.</summary>
public static class Solvers
{
    /// <summary>The names <see cref="TryCreate"/> knows: "z3" (libz3, in-process) and "cvc5" (its command line).</summary>
    public static IReadOnlyList<string> Names { get; } = ["z3", "cvc5"];

    /// <summary>
    /// The solver called <paramref name="name"/> (one of <see cref="Names"/>), or null with a one-line reason
    /// when it is not installed. Throws <see cref="ArgumentOutOfRangeException"/> for any other name.
    /// </summary>
    public static ISolver? TryCreate(string name, out string? problem) => name switch
    {
        "z3" => Z3Solver.TryCreate(out problem),
        "cvc5" => Cvc5Solver.TryCreate(out problem),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a solver name: expected " + string.Join(" or ", Names)),
    };
}

/// <summary>Z3 in-process, through <see cref="Z3Native"/>.</summary>
public sealed class Z3Solver : ISolver
{
    private Z3Solver(string version) => Description = "z3 " + version;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public bool IsZ3 => true;

    /// <summary>The solver, or null with a one-line reason when libz3 cannot be loaded.</summary>
    public static Z3Solver? TryCreate(out string? problem)
    {
        string? v = Z3Native.TryVersion();
        problem = v is null ? "libz3.so.4 (Z3) cannot be loaded; install it with: apt-get install -y libz3-4" : null;
        return v is null ? null : new Z3Solver(v);
    }

    /// <inheritdoc/>
    public string Run(string script, int timeoutMs) => Z3Native.Eval(script, timeoutMs);

    /// <inheritdoc/>
    public PreludeSession? OpenSession(string specText, int budgetMs) => new(specText, budgetMs);
}

/// <summary>cvc5 through its command line, on the same SMT-LIB2 text.</summary>
public sealed class Cvc5Solver : ISolver
{
    private readonly string exe;

    private Cvc5Solver(string exe, string version)
    {
        this.exe = exe;
        Description = version;
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public bool IsZ3 => false;

    /// <summary>The solver, or null with a one-line reason when cvc5 is not installed.</summary>
    public static Cvc5Solver? TryCreate(out string? problem)
    {
        problem = null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            string candidate = Path.Combine(dir, "cvc5");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                string version = "cvc5";
                try
                {
                    using var p = Process.Start(new ProcessStartInfo(candidate, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
                    if (p is not null)
                    {
                        version = (p.StandardOutput.ReadLine() ?? "cvc5").Trim();
                        p.WaitForExit(5000);
                    }
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    continue;
                }
                return new Cvc5Solver(candidate, version);
            }
        }
        problem = "cvc5 is not installed (not on PATH); install it with: apt-get install -y cvc5, or use --solver z3";
        return null;
    }

    /// <inheritdoc/>
    public string Run(string script, int timeoutMs)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string arg in new[] { "--lang=smt2", "--produce-models", $"--tlimit-per={timeoutMs}", "--fmf-bound", "-" })
        {
            psi.ArgumentList.Add(arg);
        }
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("cvc5 did not start");
        try
        {
            p.StandardInput.Write(script);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // cvc5 stopped reading (a parse error ends it): its output says why
        }
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(timeoutMs + 10_000))
        {
            p.Kill(entireProcessTree: true);
            return "unknown";
        }
        return output.Length > 0 ? output : "(error \"" + err.Result.Split('\n')[0].Replace("\"", "'", StringComparison.Ordinal) + "\")";
    }
}
