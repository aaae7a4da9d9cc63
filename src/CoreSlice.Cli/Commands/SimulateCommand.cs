using System.CommandLine;
using CoreSlice.Harness.Simulate;
using CoreSlice.Simulation;

using CoreSlice.Cli.Writers;

namespace CoreSlice.Cli.Commands;

/// <summary><c>coreslice simulate</c>: the built-in scenario on a simulated machine.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        Option<FileInfo?> machine = CommonOptions.Machine();
        Option<string> format = CommonOptions.Format();
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed replays the same run)", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Random steps after the scripted start (0..1000000)", DefaultValueFactory = _ => 400 };
        var log = new Option<FileInfo?>("--log") { Description = "Write the slicevisor's decision log (hash-chained) to this file" };
        var command = new Command("simulate", "Run slices, guest workloads and attacks on a simulated machine; report isolation violations and residue")
        {
            machine, format, seed, steps, log,
        };
        command.SetAction(result => Guard.Run(() =>
        {
            int stepCount = result.GetValue(steps);
            if (stepCount is < 0 or > 1_000_000)
            {
                throw new UsageException($"--steps {stepCount}: expected 0..1000000");
            }
            MachineConfig config = Machines.Load(result.GetValue(machine));
            using var scenario = new Scenario(config, result.GetValue(seed), stepCount) { LogPath = result.GetValue(log)?.FullName };
            SimulationSummary summary = scenario.Run();
            SummaryWriter.Write(Console.Out, summary, result.GetValue(format)!);
            return summary.Holds ? ExitCode.Holds : ExitCode.Violated;
        }));
        return command;
    }
}
