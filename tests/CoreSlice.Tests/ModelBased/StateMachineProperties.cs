using CoreSlice.Harness.Model;
using CoreSlice.Harness.Steps;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Experimental;
using FsCheck.Fluent;
using Xunit;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// The same agreement, through FsCheck's own model-based runner (FsCheck.Experimental
/// Machine&lt;Actual, Model&gt;): the operation sequence is generated from the model's state
/// (Next(model)), each operation advances the model (Run) and is checked on the real system
/// (Check: same result, same abstract state, invariants), and FsCheck shrinks failing sequences.
/// </summary>
public sealed class StateMachineProperties(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The real system, with a shadow copy of the model to compute each step's expected result.</summary>
    public sealed class Actual(MachineConfig config, ModelBug bug, Action<int> onFailure)
    {
        public Sut Sut { get; } = new(config);

        public SpecModel Shadow { get; } = new(config, bug);

        /// <summary>Operations checked so far in this sequence.</summary>
        public int Ops { get; set; }

        public Action<int> OnFailure { get; } = onFailure;
    }

    private sealed class Start(MachineConfig config, ModelBug bug, Action<int> onFailure) : Setup<Actual, SpecModel>
    {
        public override Actual Actual() => new(config, bug, onFailure);

        public override SpecModel Model() => new(config, bug);
    }

    private sealed class Checked(Step op) : Operation<Actual, SpecModel>
    {
        public override SpecModel Run(SpecModel model)
        {
            SpecModel next = model.Clone();
            _ = StepDriver.Apply(op, next);
            return next;
        }

        public override Property Check(Actual actual, SpecModel model)
        {
            actual.Ops++;
            string? failure = Verify(actual, model);
            if (failure is not null)
            {
                actual.OnFailure(actual.Ops);
            }
            return (failure is null).Label(failure ?? "");
        }

        private string? Verify(Actual actual, SpecModel model)
        {
            actual.Sut.KeepLogRoom();
            Observation expected = StepDriver.Apply(op, actual.Shadow);
            Observation observed;
            try
            {
                observed = actual.Sut.Driver.Apply(op);
            }
            catch (Exception e)
            {
                return $"{op} threw {e.GetType().Name}: {e.Message}";
            }
            if (expected != observed)
            {
                return $"{op}: model {expected} vs implementation {observed}";
            }
            string? diff = AbstractState.Diff(AbstractState.Of(model), actual.Sut.Abstract());
            if (diff is not null)
            {
                return $"{op}: state {diff}";
            }
            var problems = actual.Sut.Audit.CheckAll();
            return problems.Count == 0 ? null : $"{op}: invariants {string.Join("; ", problems)}";
        }

        public override string ToString() => op.ToString();
    }

    private sealed class Slicevisors(MachineConfig config, int maxOps, ModelBug bug = ModelBug.None) : Machine<Actual, SpecModel>(maxOps)
    {
        /// <summary>Length (operations run) of the most recent failing sequence: after shrinking, the shrunk one.</summary>
        public int LastFailingLength { get; private set; }

        public override Arbitrary<Setup<Actual, SpecModel>> Setup =>
            Arb.From(Gen.Fresh(() => (Setup<Actual, SpecModel>)new Start(config, bug, n => LastFailingLength = n)));

        public override Gen<Operation<Actual, SpecModel>> Next(SpecModel model) =>
            IntentGen.Step(config.SlotCapacity, managerHeavy: false)
                .Select(i => (Operation<Actual, SpecModel>)new Checked(Resolver.Resolve(i, model)));
    }

    [Fact]
    public void FsCheck_state_machine_agrees_with_the_implementation()
    {
        MachineConfig config = Machines.Small();
        new Slicevisors(config, 60).ToProperty()
            .Check(Config.QuickThrowOnFailure.WithMaxTest(100 * Soak.Factor));
    }

    [Theory]
    [InlineData(ModelBug.DestroyKeepsWays)]
    [InlineData(ModelBug.StartFaultKeepsCreated)]
    public void FsCheck_state_machine_shrinks_a_broken_model_to_a_short_sequence(ModelBug bug)
    {
        var machine = new Slicevisors(Machines.Small(), 60, bug);
        Exception? thrown = Record.Exception(() => machine.ToProperty()
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithReplay(21UL, 0x9E3779B97F4A7C15UL)));
        Assert.NotNull(thrown);
        int at = thrown.Message.IndexOf("Shrunk:", StringComparison.Ordinal);
        output.WriteLine($"{bug}: shrunk to {machine.LastFailingLength} operations\n{(at >= 0 ? thrown.Message[at..] : thrown.Message)}");
        Assert.InRange(machine.LastFailingLength, 1, ShrinkingTests.MaxShrunkSteps);
    }
}
