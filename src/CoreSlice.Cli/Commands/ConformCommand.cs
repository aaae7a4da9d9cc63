using System.CommandLine;
using System.Globalization;
using CoreSlice.Cli.Writers;
using CoreSlice.Conformance;
using CoreSlice.Proofs;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// <c>coreslice conform</c>: runs the real slicevisor on a small simulated machine
/// (hostile requests, guest actions, injected faults) and has Z3 check every step
/// against the spec's definitions. Exit 0 conforms, 1 a mismatch (named), 2 unusable.
/// </summary>
internal static class ConformCommand
{
    public static Command Create()
    {
        Option<string> format = CommonOptions.Format();
        var seed = new Option<int>("--seed") { Description = "Random seed (the same seed replays the same trace)", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Steps to check (1..1000000)", DefaultValueFactory = _ => 300 };
        var spec = new Option<string?>("--spec") { Description = "Spec directory (default: the built-in copy)" };
        Option<FileInfo?> machine = CommonOptions.Machine();
        machine.Description = "Machine description (JSON); default: 4 cores (1 control), 3 slots, 2 devices, 4 ways, 2 range registers";
        var strict = new Option<bool>("--strict-free-slots") { Description = "Abstract Free slots' table fields as the code holds them (shows the DestroySlice framing difference)" };
        var invariantsEvery = new Option<int>("--invariants-every")
        {
            Description = "Ask every invariant clause of the post-state of every N-th step and of the last (1: every step); the transition is asked at every step",
            DefaultValueFactory = _ => 1,
        };
        var fromModelCheck = new Option<bool>("--from-modelcheck")
        {
            Description = "Instead of a random trace: run modelcheck at its default scope and check every transition that first reached a state",
        };
        var maxStates = new Option<int>("--max-states")
        {
            Description = "With --from-modelcheck: explore at most this many states (0: the whole scope)",
            DefaultValueFactory = _ => 0,
        };
        Option<bool> progress = CommonOptions.Progress();
        Option<string> port = CommonOptions.Port("abstract");
        port.Description += "; with --from-modelcheck only: on pmp the spec's filter registers and IPI masks are read from each hart's PMP entries";
        var command = new Command("conform", "Check the implementation's transitions against the spec (Z3 on ground terms), step by step")
        {
            format, seed, steps, spec, machine, strict, invariantsEvery, fromModelCheck, maxStates, port, progress,
        };
        command.SetAction(result => Guard.Run(() =>
        {
            int count = result.GetValue(steps);
            if (count is < 1 or > 1_000_000)
            {
                throw new UsageException($"--steps {count}: expected 1..1000000");
            }
            int every = result.GetValue(invariantsEvery);
            if (every < 1)
            {
                throw new UsageException($"--invariants-every {every}: expected 1 or more");
            }
            Spec? loaded;
            try
            {
                loaded = result.GetValue(spec) is string dir ? Spec.FromDirectory(dir) : null;
            }
            catch (SpecException e)
            {
                throw new UsageException(e.Message);
            }
            var shown = Progress.For(result.GetValue(progress));
            if (result.GetValue(fromModelCheck))
            {
                foreach (Option random in new Option[] { seed, steps, machine, strict })
                {
                    if (result.GetResult(random) is { Implicit: false })
                    {
                        throw new UsageException($"{random.Name} does not apply with --from-modelcheck (the model checker's scope fixes the machine and the steps)");
                    }
                }
                int bound = result.GetValue(maxStates);
                if (bound < 0)
                {
                    throw new UsageException($"--max-states {bound}: expected 0 or more");
                }
                return FromModelCheck(new ModelCheckConformanceOptions
                {
                    MaxStates = bound, InvariantsEvery = every, Spec = loaded, Port = Harness.Ports.Port.Named(result.GetValue(port) ?? "abstract"),
                    Progress = (done, total, seconds) => shown.Every(string.Create(CultureInfo.InvariantCulture,
                        $"conform: {done:N0} of {total:N0} transitions, {seconds:F0} s")),
                }, shown, result.GetValue(format) ?? "text");
            }
            foreach (Option onlyThere in new Option[] { maxStates, port })
            {
                if (result.GetResult(onlyThere) is { Implicit: false })
                {
                    throw new UsageException($"{onlyThere.Name} applies only with --from-modelcheck");
                }
            }
            FileInfo? machineFile = result.GetValue(machine);
            var options = new ConformanceOptions
            {
                Seed = result.GetValue(seed), Steps = count, Spec = loaded, StrictFreeSlots = result.GetValue(strict), InvariantsEvery = every,
                Machine = machineFile is null ? null : Machines.Load(machineFile),
                Progress = (done, seconds) => shown.Every(string.Create(CultureInfo.InvariantCulture, $"conform: {done:N0} of {count:N0} steps, {seconds:F0} s")),
            };
            ConformanceResult outcome;
            try
            {
                using var run = new ConformanceRun(options);
                outcome = run.Run();
            }
            catch (SpecException e)
            {
                throw new UsageException(e.Message);
            }
            shown.Done();
            ConformWriter.Write(Console.Out, outcome, result.GetValue(format) ?? "text", options.Seed);
            return outcome.Conforms ? ExitCode.Holds : ExitCode.Violated;
        }));
        return command;
    }

    private static int FromModelCheck(ModelCheckConformanceOptions options, Progress shown, string format)
    {
        ModelCheckConformanceResult r;
        try
        {
            r = ModelCheckConformance.Run(options);
        }
        catch (SpecException e)
        {
            throw new UsageException(e.Message);
        }
        shown.Done();
        ModelCheckConformanceWriter.Write(Console.Out, r, format);
        return r.Conforms ? ExitCode.Holds : ExitCode.Violated;
    }
}
