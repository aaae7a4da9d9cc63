using CoreSlice.Harness.Noninterference;
using CoreSlice.Harness.Steps;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// Noninterference on every edge (<see cref="ModelCheckScope.Noninterference"/>): the local-respect half of the
/// unwinding conditions, checked on the running code. For the step's acting domain and the slot it is about
/// (<see cref="NiPolicy.Of"/>, in the state before it) and every domain u with ¬NI.mayAffect(dom, about, u),
/// u's view (<see cref="DomainViews"/>) after the step equals its view before — in the real code
/// (NI2_LocalRespect) and in the executable model (NI2_LocalRespect.model). Step consistency and output
/// consistency compare two different states; an explorer of single runs cannot check them (the proofs do).
/// </summary>
internal sealed partial class ModelChecker
{
    private readonly ViewPair? realViews;
    private readonly ViewPair? modelViews;

    // The live machine whose current state the Before views hold: after an edge on a live machine that is kept,
    // the After views are the next edge's Before views, so each edge builds the views once per side.
    private LiveMachine? viewed;

    /// <summary>Before and after views of one side, swapped after each edge.</summary>
    private sealed class ViewPair(MachineConfig config)
    {
        public DomainViews Before { get; private set; } = new(config);

        public DomainViews After { get; private set; } = new(config);

        public void Swap() => (Before, After) = (After, Before);
    }

    /// <summary>Reads the views before <paramref name="op"/> (unless held) and who acts, about whom, on each side.</summary>
    private (Acting? Real, Acting? Model) ViewsBefore(LiveMachine live, Step op)
    {
        if (realViews is null || modelViews is null)
        {
            return (null, null);
        }
        if (!ReferenceEquals(viewed, live))
        {
            realViews.Before.Read(live.RealView);
            modelViews.Before.Read(live.ModelView);
            viewed = live;
        }
        return (NiPolicy.Of(op, live.RealView), NiPolicy.Of(op, live.ModelView));
    }

    /// <summary>Reads the views after the step and compares every domain the policy keeps the step away from.</summary>
    private void CheckViews(LiveMachine live, int state, int o, Acting? real, Acting? model)
    {
        if (realViews is null || modelViews is null)
        {
            return;
        }
        realViews.After.Read(live.RealView);
        modelViews.After.Read(live.ModelView);
        Compare("NI2_LocalRespect", real, realViews, state, o, modelSide: false);
        Compare("NI2_LocalRespect.model", model, modelViews, state, o, modelSide: true);
        realViews.Swap();
        modelViews.Swap();
    }

    private void Compare(string check, Acting? acting, ViewPair views, int state, int o, bool modelSide)
    {
        if (acting is not { } a || reportedChecks.Contains(check) || violations.Count >= MaxViolations)
        {
            return;
        }
        for (int u = 0; u < views.Before.Domains; u++)
        {
            if (!NiPolicy.MayAffect(a.Domain, a.About, u) && views.Before.FirstDifference(views.After, u) is { } c)
            {
                Report(state, o, check, Describe(state, o, a, u, c, modelSide));
                return;
            }
        }
    }

    /// <summary>The violation in words: replays the edge with views that keep their facts in words, and shows the facts that changed.</summary>
    private string Describe(int state, int o, Acting a, int u, ViewComponent c, bool modelSide)
    {
        Step op = ops[o];
        string head = $"{op}: an action of {DomainViews.Name(a.Domain)}{(a.About >= 1 ? $" about guest slot {a.About}" : "")} changed " +
                      $"{DomainViews.Name(u)}'s view, component {c.ToString().ToLowerInvariant()} (NI.eq.{c.ToString().ToLowerInvariant()}), " +
                      $"in {(modelSide ? "the executable model" : "the real code")}";
        try
        {
            using LiveMachine again = Restore(state);
            var before = new DomainViews(config, withText: true);
            var after = new DomainViews(config, withText: true);
            before.Read(modelSide ? again.ModelView : again.RealView);
            _ = again.Apply(op);
            _ = again.ApplyToModel(op);
            after.Read(modelSide ? again.ModelView : again.RealView);
            return $"{head}: {ViewText.Change(before.Part(u, c).Text, after.Part(u, c).Text)}";
        }
        catch (InvalidOperationException e)
        {
            return $"{head} (the replay for the details failed: {e.Message})";
        }
    }
}
