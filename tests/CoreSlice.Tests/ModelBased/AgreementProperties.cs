using CoreSlice.Harness.Ports;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// The implementation and the executable model agree, step by step, on every result and on the
/// full abstract state; I1–I6/T1/T2 hold (InvariantAudit); a rejected call changes nothing bit for
/// bit; nothing throws — for random runs of hostile requests, guest attacks and injected faults.
/// </summary>
public sealed class AgreementProperties
{
    private static void Check(MachineConfig config, int runs, int maxSteps, Port? port = null) =>
        Prop.ForAll(IntentGen.Runs(config.SlotCapacity, maxSteps), run =>
            {
                Runner.Check(config, run, Depth.Full, port: port);
                return true;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(runs * Soak.Factor));

    [Fact]
    public void Model_and_implementation_agree_on_every_result_and_state_on_the_small_machine() =>
        Check(Machines.Small(), 500, 80);

    [Fact]
    public void Model_and_implementation_agree_on_every_result_and_state_on_the_default_machine() =>
        Check(Machines.Default(), 120, 80);

    /// <summary>
    /// The same on the PMP port (PMP entries and msip words instead of range registers and IPI masks; fewer runs, to
    /// keep the suite's time): every result, every guest verdict through the PMP filter, the state with each running
    /// core's filter compared as what it grants (<see cref="PmpCoreLines"/>), and the audit reading the entries.
    /// </summary>
    [Theory]
    [InlineData("small", 150)]
    [InlineData("default", 40)]
    public void Model_and_implementation_agree_on_every_result_and_state_on_the_pmp_port(string machine, int runs) =>
        Check(machine == "small" ? Machines.Small() : Machines.Default(), runs, 80, Port.Pmp);
}
