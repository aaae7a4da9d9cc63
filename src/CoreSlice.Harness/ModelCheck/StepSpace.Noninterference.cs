using CoreSlice.Harness.Steps;

namespace CoreSlice.Harness.ModelCheck;

internal static partial class StepSpace
{
    /// <summary>
    /// The steps only a domain's view sees, tried when noninterference is checked: an IPI from every guest core
    /// to every core (a delivery is state only in the receiver's view: the encoding leaves counters out) and each
    /// guest core's mailbox call (it appends to the control slice's log).
    /// </summary>
    private static void AddViewActions(ModelCheckScope scope, List<Step> ops)
    {
        for (int from = scope.ControlCores; from < scope.Cores; from++)
        {
            for (int to = 0; to < scope.Cores; to++)
            {
                ops.Add(new Step(StepKind.SendIpi) { Actor = from, Target = to });
            }
            ops.Add(new Step(StepKind.GuestAttest) { Actor = from, Length = Model.SpecModel.NonceSize, Buffer = Model.SpecModel.ReportSize });
        }
    }

    /// <summary>How many steps <see cref="AddViewActions"/> adds.</summary>
    public static long ViewActions(ModelCheckScope scope) => (scope.Cores - scope.ControlCores) * (scope.Cores + 1L);
}
