using CoreSlice.Harness.Ports;
using CoreSlice.Simulation;

namespace CoreSlice.Conformance;

/// <summary>
/// What one step did, as the spec sees it: the post-state abstraction, completed with the fields the
/// machine does not hold from the spec's successor of the step (<see cref="ConformanceChecker.Complete"/>),
/// and the representation problems the abstraction found (IPIs delivered other than the spec says,
/// ownership index out of step with the entries). Shared by the random run and the run over the model
/// checker's transitions.
/// </summary>
internal static class StepObservation
{
    /// <summary>Per core, the IPIs received so far (read before the step).</summary>
    public static long[] IpisReceived(SimulatedMachine machine, int cores)
    {
        var received = new long[cores];
        for (int c = 0; c < cores; c++)
        {
            received[c] = machine.IpisReceived(c);
        }
        return received;
    }

    /// <summary>Per core, the IPIs received so far on either port (the PMP harts count their own: msip stores).</summary>
    public static long[] IpisReceived(Bench bench, int cores)
    {
        var received = new long[cores];
        for (int c = 0; c < cores; c++)
        {
            received[c] = Received(bench, c);
        }
        return received;
    }

    private static long Received(Bench bench, int core) => bench.Pmp is { } p ? p.IpisReceived(core) : bench.Machine.IpisReceived(core);

    /// <summary>The abstract post-state of <paramref name="call"/>, which returned <paramref name="error"/>; problems go to <paramref name="problems"/>.</summary>
    public static AbstractState Post(ConformanceChecker checker, Slicevisor<SimulatedHardwarePort> visor, SimulatedMachine machine, AbstractState pre, SpecCall call, int error, long[] receivedBefore, List<string> problems)
    {
        CheckDeliveries(visor.Config, c => machine.IpisReceived(c), call, error, receivedBefore, problems);
        return checker.Complete(call, pre, Abstraction.Capture(visor, machine, false, false, problems), error);
    }

    /// <summary>As <see cref="Post(ConformanceChecker, Slicevisor{SimulatedHardwarePort}, SimulatedMachine, AbstractState, SpecCall, int, long[], List{string})"/>, on either port.</summary>
    public static AbstractState Post(ConformanceChecker checker, Bench bench, AbstractState pre, SpecCall call, int error, long[] receivedBefore, List<string> problems)
    {
        CheckDeliveries(bench.Config, c => Received(bench, c), call, error, receivedBefore, problems);
        return checker.Complete(call, pre, Abstraction.Capture(bench, false, problems), error);
    }

    private static void CheckDeliveries(MachineConfig config, Func<int, long> receivedNow, SpecCall call, int error, long[] receivedBefore, List<string> problems)
    {
        for (int c = 0; c < config.CoreCount; c++)
        {
            // the simulator counts deliveries where the spec records senders (ipiIn): a GuestIpi the spec allows delivers one
            long delta = receivedNow(c) - receivedBefore[c];
            long expect = call is IpiCall ipi && ipi.To == c && error == 0 ? 1 : 0;
            if (delta != expect)
            {
                problems.Add($"core {c} received {delta} IPIs in this step; the spec delivers {expect}");
            }
        }
    }
}
