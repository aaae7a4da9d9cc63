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

    /// <summary>The abstract post-state of <paramref name="call"/>, which returned <paramref name="error"/>; problems go to <paramref name="problems"/>.</summary>
    public static AbstractState Post(ConformanceChecker checker, Slicevisor<SimulatedHardwarePort> visor, SimulatedMachine machine, AbstractState pre, SpecCall call, int error, long[] receivedBefore, List<string> problems)
    {
        MachineConfig config = visor.Config;
        for (int c = 0; c < config.CoreCount; c++)
        {
            // the simulator counts deliveries where the spec records senders (ipiIn): a GuestIpi the spec allows delivers one
            long delta = machine.IpisReceived(c) - receivedBefore[c];
            long expect = call is IpiCall ipi && ipi.To == c && error == 0 ? 1 : 0;
            if (delta != expect)
            {
                problems.Add($"core {c} received {delta} IPIs in this step; the spec delivers {expect}");
            }
        }
        return checker.Complete(call, pre, Abstraction.Capture(visor, machine, false, false, problems), error);
    }
}
