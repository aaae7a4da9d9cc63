using CoreSlice.Simulation;

namespace CoreSlice.Conformance;

/// <summary>
/// What one step did, as the spec sees it: the post-state abstraction with its ghost fields carried
/// over from the spec's effect on the pre-state, and the representation problems the abstraction
/// found (IPIs delivered other than the spec says, ownership index out of step with the entries).
/// Shared by the random run and the run over the model checker's transitions.
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
    public static AbstractState Post(Slicevisor<SimulatedHardwarePort> visor, SimulatedMachine machine, AbstractState pre, SpecCall call, int error, long[] receivedBefore, List<string> problems)
    {
        MachineConfig config = visor.Config;
        for (int c = 0; c < config.CoreCount; c++)
        {
            long delta = machine.IpisReceived(c) - receivedBefore[c];
            long expect = call is IpiCall ipi && ipi.To == c && error == 0 ? 1 : 0;
            if (delta != expect)
            {
                problems.Add($"core {c} received {delta} IPIs in this step; the spec delivers {expect}");
            }
        }
        // The ghost fields are not implementation state: they come from the spec's effect on the pre-state.
        AbstractState raw = Abstraction.Capture(visor, machine, pre, false, problems);
        AbstractState expected = call.Expect(pre, raw, error, config);
        AbstractState post = Abstraction.Capture(visor, machine, pre, false, problems);
        Abstraction.CopyGhost(expected, post);
        return post;
    }
}
