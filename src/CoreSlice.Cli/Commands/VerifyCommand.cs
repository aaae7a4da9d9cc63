using System.CommandLine;
using CoreSlice.Proofs;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// <c>coreslice verify</c>: proves every obligation of the formal model (spec/)
/// with Z3 (or cvc5). Exit 0 all proved, 1 some failed, 2 unknown/error/bad input.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var spec = new Option<string?>("--spec") { Description = "Directory of the spec to verify (default: the repository's spec/, else the built-in copy)" };
        var format = new Option<string>("--format") { Description = "Output format: text, json or junit", DefaultValueFactory = _ => "text" };
        var output = new Option<string?>("--output") { Description = "Write the report to this file instead of standard output" };
        var filter = new Option<string?>("--filter") { Description = "Run only obligations whose name contains this text" };
        // 120 s: the bit-blasted 64-bit lemma takes ~20 s on a quiet 2-core machine and over 30 s under load;
        // every other obligation answers in under 10 s. A watchdog still interrupts any query at the limit.
        var timeout = new Option<int>("--timeout-ms") { Description = "Time limit per obligation, in milliseconds", DefaultValueFactory = _ => 120_000 };
        var solver = new Option<string>("--solver") { Description = "Solver: z3 (libz3, in-process) or cvc5 (its command line)", DefaultValueFactory = _ => "z3" };
        var cache = new Option<string?>("--cache") { Description = "Directory of proofs already done (keyed by the exact query, the solver and its version); a changed obligation is proved again" };
        var against = new Option<string?>("--against") { Description = "A JSON report of another solver's run: run the obligations this solver can read and fail (exit 1) where the two disagree" };
        Option<bool> progress = CommonOptions.Progress();
        var cmd = new Command("verify", "Prove the formal model: init => Inv, every operation preserves every invariant, the security properties, sanity");
        foreach (Option o in new Option[] { spec, format, output, filter, timeout, solver, cache, against, progress })
        {
            cmd.Options.Add(o);
        }
        cmd.SetAction(parse => Run(parse.GetValue(spec), parse.GetValue(format) ?? "text", parse.GetValue(output),
            parse.GetValue(filter), parse.GetValue(timeout), parse.GetValue(solver) ?? "z3", parse.GetValue(cache), parse.GetValue(against),
            Progress.For(parse.GetValue(progress))));
        return cmd;
    }

    private static int Run(string? specDir, string format, string? output, string? filter, int timeoutMs, string solverName, string? cacheDir, string? againstFile, Progress shown)
    {
        try
        {
            if (!ReportWriter.Formats.Contains(format))
            {
                return Fail($"--format must be text, json or junit, not \"{format}\"");
            }
            if (timeoutMs <= 0)
            {
                return Fail("--timeout-ms must be a positive number of milliseconds");
            }
            // The report file is checked before the proofs run, so a typo does not lose minutes of results.
            OutputPaths.MustBeWritableFile(output is null ? null : new FileInfo(output), "--output");
            if (!Solvers.Names.Contains(solverName))
            {
                return Fail($"--solver must be z3 or cvc5, not \"{solverName}\"");
            }
            ISolver? solver = Solvers.TryCreate(solverName, out string? problem);
            if (solver is null)
            {
                return Fail(problem ?? "no solver");
            }
            Spec spec = SpecDiscovery.Load(specDir);
            if (againstFile is not null)
            {
                return Against(spec, solver, againstFile, filter, timeoutMs);
            }
            // a spec the language check refuses is not generated from (Verifier.Run reports its problems)
            int obligations = spec.LanguageProblems.Count > 0 ? 0 : ObligationGenerator.Generate(spec).Count(o => string.IsNullOrEmpty(filter) || o.Name.Contains(filter, StringComparison.OrdinalIgnoreCase));
            VerifyReport report = Verifier.Run(spec, new ProgressSolver(solver, shown, obligations), filter, timeoutMs, Runner.MaxParallel, cacheDir);
            shown.Done();
            if (report.Results.Count == 0)
            {
                return Fail($"no obligation matches --filter \"{filter}\"");
            }
            string text = ReportWriter.Write(report, format);
            if (output is null)
            {
                Console.Out.Write(text);
            }
            else
            {
                File.WriteAllText(output, text);
                Console.Out.WriteLine($"verify: report written to {output}; exit {report.ExitCode}");
            }
            return report.ExitCode;
        }
        catch (SpecException e)
        {
            return Fail(e.Message);
        }
        catch (UsageException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e)
        {
            return Fail($"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    // the cross-check: this solver on what it can read, compared with another solver's report
    private static int Against(Spec spec, ISolver solver, string againstFile, string? filter, int timeoutMs)
    {
        var first = CrossCheck.ReadReport(File.ReadAllText(againstFile));
        (VerifyReport report, List<string> disagreements, int notAsked) = CrossCheck.Run(spec, solver, first, filter, timeoutMs);
        Console.Out.Write(ReportWriter.Text(report));
        Console.Out.Write(CrossCheck.Summary(report, disagreements, notAsked, solver.Description, againstFile));
        return CrossCheck.ExitCode(report, disagreements);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("verify: " + message);
        return 2;
    }
}
