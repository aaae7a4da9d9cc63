using System.CommandLine;
using CoreSlice.Harness.Simulate;
using CoreSlice.Manager.Verification;
using CoreSlice.Simulation;

using CoreSlice.Harness.Files;

namespace CoreSlice.Cli.Commands;

/// <summary><c>coreslice simulate</c>: the built-in scenario on a simulated machine.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        Option<FileInfo?> machine = CommonOptions.Machine();
        Option<string> format = CommonOptions.Format();
        Option<bool> progress = CommonOptions.Progress();
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed replays the same run)", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Random steps after the scripted start (0..1000000)", DefaultValueFactory = _ => 400 };
        var log = new Option<FileInfo?>("--log") { Description = "Write the slicevisor's decision log (hash-chained) to this file and print its head" };
        var report = new Option<DirectoryInfo?>("--report")
        {
            Description = "End with a signed attestation report of a running slice: write report.bin, key.pem and decisions.log to this directory, and print the commands that verify them",
        };
        Option<string> port = CommonOptions.Port("auto", auto: true);
        var command = new Command("simulate", "Run slices, guest workloads and attacks on a simulated machine; report isolation violations and residue")
        {
            machine, format, seed, steps, log, report, port, progress,
        };
        command.SetAction(result => Guard.Run(() =>
        {
            int stepCount = result.GetValue(steps);
            if (stepCount is < 0 or > 1_000_000)
            {
                throw new UsageException($"--steps {stepCount}: expected 0..1000000");
            }
            DirectoryInfo? reportDir = result.GetValue(report);
            FileInfo? logFile = result.GetValue(log);
            OutputPaths.MustBeUsableDirectory(reportDir, "--report");
            OutputPaths.MustBeWritableFile(logFile, "--log");
            // auto: a RISC-V board's own PMP harts, else the abstract machine
            (MachineConfig config, Harness.Ports.Port on) = Machines.LoadWithPort(result.GetValue(machine), result.GetValue(port)!);
            if (reportDir is not null)
            {
                reportDir.Create();
                logFile ??= new FileInfo(Path.Combine(reportDir.FullName, AttestationFiles.LogFileName));
            }
            int seedValue = result.GetValue(seed);
            var shown = Progress.For(result.GetValue(progress));
            using var scenario = new Scenario(config, seedValue, stepCount, on)
            {
                LogPath = logFile?.FullName,
                AttestationNonce = reportDir is null ? null : Scenario.NonceFor(seedValue),
                Progress = done =>
                {
                    if (done % 1000 == 0)
                    {
                        shown.Show($"simulate: {done:N0} of {stepCount:N0} steps");
                    }
                },
            };
            SimulationSummary summary = scenario.Run();
            shown.Done();
            SummaryWriter.Write(Console.Out, summary, result.GetValue(format)!);
            if (logFile is not null && result.GetValue(format) == "text")
            {
                WriteFiles(reportDir, logFile, scenario.Attestation, seedValue);
            }
            else if (logFile is not null)
            {
                _ = WriteFiles(reportDir, logFile, scenario.Attestation, seedValue, quiet: true);
            }
            return summary.Holds ? ExitCode.Holds : ExitCode.Violated;
        }));
        return command;
    }

    /// <summary>Writes the report and key (when asked) and prints what <c>log verify</c> and <c>attest verify</c> need.</summary>
    private static bool WriteFiles(DirectoryInfo? reportDir, FileInfo logFile, Attested? attested, int seed, bool quiet = false)
    {
        byte[]? logHead = DecisionLogFile.Head(logFile.FullName, out string? problem);
        string head = logHead is null ? $"(unreadable: {problem})" : ReportVerifier.Hex(logHead);
        if (!quiet)
        {
            Console.WriteLine();
            Console.WriteLine($"decision log: {logFile} (head {head})");
            Console.WriteLine($"  check it: coreslice log verify {logFile} --head {head}");
        }
        if (reportDir is null || attested is null)
        {
            return false;
        }
        (string reportPath, string keyPath) = AttestationFiles.WriteReportDirectory(reportDir.FullName, attested.Report, attested.PublicKey);
        if (!quiet)
        {
            Console.WriteLine($"attestation report of slot {attested.Slot}: {reportPath}, public key: {keyPath}");
            Console.WriteLine($"  check it: coreslice attest verify {reportPath} --key {keyPath} --nonce {Convert.ToHexStringLower(Scenario.NonceFor(seed))} --expect-measurement {Convert.ToHexStringLower(attested.Measurement)}");
        }
        return true;
    }
}
