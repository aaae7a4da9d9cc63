using System.CommandLine;
using System.Globalization;
using CoreSlice.Harness.ModelCheck;

namespace CoreSlice.Cli.Commands;

/// <summary><c>coreslice modelcheck</c>: every reachable state of the real slicevisor on a small simulated machine.</summary>
internal static class ModelCheckCommand
{
    public static Command Create()
    {
        Option<string> format = CommonOptions.Format();
        Option<bool> progress = CommonOptions.Progress();
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
        Option<string> port = CommonOptions.Port("abstract");
        var noninterference = new Option<bool>("--noninterference")
        {
            Description = "Also check on every edge that an action leaves unchanged the view of every domain the noninterference policy keeps it from (NI2_LocalRespect, real code and model; tries IPIs and mailbox calls too)",
        };
        var exhaustive = new Option<bool>("--require-exhaustive") { Description = "Exit 1 unless every reachable state was explored (a bound or the time limit stopped the run)" };
        var command = new Command("modelcheck", "Explore every reachable state of the real slicevisor on a small simulated machine; check I1-I6, T1, T2 and every call's result against the executable model")
        {
            format, cores, control, granules, block, devices, ways, slots, registers, maxDepth, maxStates, timeLimit, all, exhaustive, noninterference, port, progress,
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
                Noninterference = result.GetValue(noninterference),
                Port = Harness.Ports.Port.Named(result.GetValue(port)!),
            };
            IReadOnlyList<string> problems = scope.Problems();
            if (problems.Count > 0)
            {
                throw new UsageException(string.Join("; ", problems));
            }
            var shown = Progress.For(result.GetValue(progress));
            var checker = new ModelChecker(scope)
            {
                Progress = p => shown.Show(string.Create(CultureInfo.InvariantCulture,
                    $"modelcheck: {p.States:N0} states, {p.Edges:N0} calls, {p.Queued:N0} queued, depth {p.Depth}, {p.Seconds:F0} s")),
            };
            ModelCheckResult outcome = checker.Run();
            shown.Done();
            ModelCheckReportWriter.Write(Console.Out, outcome, result.GetValue(format)!);
            if (outcome.Holds && !outcome.Exhaustive && result.GetValue(exhaustive))
            {
                Console.Error.WriteLine($"coreslice modelcheck: not exhaustive (stopped by {outcome.StoppedBy}); --require-exhaustive asks for every reachable state");
                return ExitCode.Violated;
            }
            return outcome.Holds ? ExitCode.Holds : ExitCode.Violated;
        }));
        return command;
    }

    // The default shows once, in the help's "[default: N]".
    private static Option<int> Int(string name, string description, int value) =>
        new(name) { Description = description, DefaultValueFactory = _ => value };
}
