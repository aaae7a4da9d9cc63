using System.CommandLine;
using CoreSlice.Harness.ModelCheck;

using CoreSlice.Cli.Writers;

namespace CoreSlice.Cli.Commands;

/// <summary><c>coreslice modelcheck</c>: every reachable state of the real slicevisor on a small simulated machine.</summary>
internal static class ModelCheckCommand
{
    public static Command Create()
    {
        Option<string> format = CommonOptions.Format();
        var defaults = new ModelCheckScope();
        Option<int> cores = Int("--cores", "Cores, control cores included", defaults.Cores);
        Option<int> control = Int("--control-cores", "Control-slice cores (cores 0..N-1)", defaults.ControlCores);
        Option<int> granules = Int("--granules", "Guest RAM granules of 4 KiB (besides 1 reserved and 1 control granule)", defaults.Granules);
        Option<int> block = Int("--block", "Granules per block; requested ranges are one or two blocks", defaults.BlockGranules);
        Option<int> devices = Int("--devices", "Devices (SR-IOV virtual functions)", defaults.Devices);
        Option<int> ways = Int("--ways", "Cache ways for guests (the control slice has one more)", defaults.GuestWays);
        Option<int> slots = Int("--slots", "Slice-table slots", defaults.Slots);
        Option<int> registers = Int("--range-registers", "Range registers per core", defaults.RangeRegisters);
        Option<int> maxDepth = Int("--max-depth", "Explore to this depth only (0: no bound)", 0);
        Option<int> maxStates = Int("--max-states", "Explore at most this many states (0: no bound)", 0);
        var timeLimit = new Option<double>("--time-limit") { Description = "Stop after this many seconds (0: no bound)", DefaultValueFactory = _ => 0 };
        var all = new Option<bool>("--all-violations") { Description = "Keep exploring after a violation (one trace per broken check)" };
        var command = new Command("modelcheck", "Explore every reachable state of the real slicevisor on a small simulated machine; check I1-I6, T1, T2 and the operation contracts everywhere")
        {
            format, cores, control, granules, block, devices, ways, slots, registers, maxDepth, maxStates, timeLimit, all,
        };
        command.SetAction(result => Guard.Run(() =>
        {
            var scope = new ModelCheckScope
            {
                Cores = result.GetValue(cores),
                ControlCores = result.GetValue(control),
                Granules = result.GetValue(granules),
                BlockGranules = result.GetValue(block),
                Devices = result.GetValue(devices),
                GuestWays = result.GetValue(ways),
                Slots = result.GetValue(slots),
                RangeRegisters = result.GetValue(registers),
                MaxDepth = result.GetValue(maxDepth),
                MaxStates = result.GetValue(maxStates),
                TimeLimitSeconds = result.GetValue(timeLimit),
                StopAtFirstViolation = !result.GetValue(all),
            };
            IReadOnlyList<string> problems = scope.Problems();
            if (problems.Count > 0)
            {
                throw new UsageException(string.Join("; ", problems));
            }
            ModelCheckResult outcome = new ModelChecker(scope).Run();
            ModelCheckWriter.Write(Console.Out, outcome, result.GetValue(format)!);
            return outcome.Holds ? ExitCode.Holds : ExitCode.Violated;
        }));
        return command;
    }

    private static Option<int> Int(string name, string description, int value) =>
        new(name) { Description = $"{description} (default {value})", DefaultValueFactory = _ => value };
}
