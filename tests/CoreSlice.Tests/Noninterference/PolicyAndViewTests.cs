using CoreSlice.Hardware;
using CoreSlice.Harness.ModelCheck;
using CoreSlice.Harness.Noninterference;
using CoreSlice.Harness.Steps;
using Xunit;

namespace CoreSlice.Tests.Noninterference;

/// <summary>
/// The policy is the spec's <c>NI.mayAffect</c>, each step's acting domain and slot are the spec's <c>NI.dom</c>/<c>NI.about</c>,
/// and a view holds what the spec says it holds: a store changes its writer's view and the control slice's window view,
/// never the other guest's; both sides (real code and model) read the same way.
/// </summary>
public sealed class PolicyAndViewTests
{
    [Theory]
    // dom, about, u, may: u acts; u is the control slice; the control slice acts on u; nothing else
    [InlineData(1, Owner.None, 1, true)]
    [InlineData(1, Owner.None, Owner.Control, true)]
    [InlineData(1, Owner.None, 2, false)]
    [InlineData(Owner.Control, 2, 2, true)]
    [InlineData(Owner.Control, 2, 1, false)]
    [InlineData(Owner.Control, Owner.Free, 1, false)]
    [InlineData(Owner.Free, Owner.None, 1, false)]
    [InlineData(Owner.Free, Owner.None, Owner.Control, true)]
    [InlineData(2, 1, 1, false)] // a guest's action is about no one: "about" counts only for the control slice
    public void May_affect_is_the_specs_policy(int dom, int about, int u, bool may) =>
        Assert.Equal(may, NiPolicy.MayAffect(dom, about, u));

    [Fact]
    public void A_guest_store_changes_its_own_view_only_and_a_control_store_the_window_holders()
    {
        var scope = new ModelCheckScope();
        using var live = new LiveMachine(scope.Machine());
        ulong window = ModelCheckScope.Granule;
        Run(live, new Step(StepKind.Create) { Request = Request([1], scope.Block(0), window) });
        Run(live, new Step(StepKind.Create) { Request = Request([2], scope.Block(1), null) });
        Run(live, new Step(StepKind.Start) { Slot = 1 });
        Run(live, new Step(StepKind.Start) { Slot = 2 });

        // slot 1's core stores into its own memory: slot 1 and nobody else (the control slice does not see slot 1's memory)
        var store = new Step(StepKind.GuestStore) { Actor = 1, Address = scope.Block(0).Base, Length = 8, Fill = 7 };
        Changed(live, store, real: [1], model: [1]);
        Assert.Equal(new Acting(1, Owner.None), NiPolicy.Of(store, live.RealView));
        // the control core stores into slot 1's window: the control slice's memory and slot 1's window view
        var control = new Step(StepKind.GuestStore) { Actor = 0, Address = window, Length = 8, Fill = 9 };
        Assert.Equal(new Acting(Owner.Control, 1), NiPolicy.Of(control, live.RealView));
        Assert.Equal(new Acting(Owner.Control, 1), NiPolicy.Of(control, live.ModelView));
        Changed(live, control, real: [Owner.Control, 1], model: [Owner.Control, 1]);
        // destroying slot 2 (about slot 2) leaves slot 1's view alone
        var destroy = new Step(StepKind.Destroy) { Slot = 2 };
        Assert.Equal(new Acting(Owner.Control, 2), NiPolicy.Of(destroy, live.RealView));
        Changed(live, destroy, real: [Owner.Control, 2], model: [Owner.Control, 2]);
    }

    [Fact]
    public void The_views_name_the_spec_components_and_keep_real_bytes_where_the_machine_has_them()
    {
        var scope = new ModelCheckScope();
        using var live = new LiveMachine(scope.Machine());
        Run(live, new Step(StepKind.Create) { Request = Request([1], scope.Block(0), null) });
        var views = new DomainViews(scope.Machine(), withText: true);
        var before = new DomainViews(scope.Machine());
        before.Read(live.RealView);
        Run(live, new Step(StepKind.Load) { Slot = 1, Address = scope.Block(0).Base, Length = 1, Fill = 5 });
        var after = new DomainViews(scope.Machine());
        after.Read(live.RealView);
        views.Read(live.RealView);

        Assert.Equal(["Table", "Owners", "Cores", "Mem", "Dma", "Log"], Enum.GetNames<ViewComponent>());
        Assert.Equal(ViewComponent.Table, before.FirstDifference(after, 1)); // the measurement moved
        Assert.Contains("bytes=#", views.Part(1, ViewComponent.Mem).Text, StringComparison.Ordinal);
        Assert.Contains("writer=1", views.Part(1, ViewComponent.Mem).Text, StringComparison.Ordinal);
        Assert.Null(before.FirstDifference(after, 2));
        Assert.Empty(views.Part(1, ViewComponent.Log).Text);
        Assert.Contains("count=", views.Part(Owner.Control, ViewComponent.Log).Text, StringComparison.Ordinal);
    }

    private static SliceRequest Request(int[] cores, MemoryRange range, ulong? window) => new()
    {
        Cores = cores,
        Ranges = new[] { range },
        Windows = window is { } w ? new[] { new SharedWindow(new MemoryRange(w, ModelCheckScope.Granule), Permissions.ReadWrite) } : [],
        Ways = 2UL << (cores[0] - 1),
        EntryPoint = range.Base,
    };

    private static void Run(LiveMachine live, Step step)
    {
        Observation o = live.Apply(step);
        _ = live.ApplyToModel(step);
        Assert.True(!o.Called || o.Result.Ok, $"{step}: {o.Result}");
    }

    /// <summary>Applies <paramref name="step"/> and checks exactly these domains' views changed, on each side.</summary>
    private static void Changed(LiveMachine live, Step step, int[] real, int[] model)
    {
        MachineConfig config = live.Config;
        DomainViews realBefore = new(config), modelBefore = new(config), realAfter = new(config), modelAfter = new(config);
        realBefore.Read(live.RealView);
        modelBefore.Read(live.ModelView);
        Run(live, step);
        realAfter.Read(live.RealView);
        modelAfter.Read(live.ModelView);
        Assert.Equal(real, Enumerable.Range(0, realBefore.Domains).Where(u => realBefore.FirstDifference(realAfter, u) is not null));
        Assert.Equal(model, Enumerable.Range(0, modelBefore.Domains).Where(u => modelBefore.FirstDifference(modelAfter, u) is not null));
    }
}
