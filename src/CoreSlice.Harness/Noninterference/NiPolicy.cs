using CoreSlice.Harness.Steps;

namespace CoreSlice.Harness.Noninterference;

/// <summary>Who performs an action (<c>NI.dom.&lt;Op&gt;</c>) and which guest it is about (<c>NI.about.&lt;Op&gt;</c>), read in the state before it.</summary>
public readonly record struct Acting(int Domain, int About);

/// <summary>
/// The policy of spec/90-noninterference.smt2: <c>NI.mayAffect</c>, and each step's acting domain and the slot it is
/// about, as the spec's <c>NI.dom.X</c> / <c>NI.about.X</c> name them for the operation the step performs.
/// </summary>
public static class NiPolicy
{
    /// <summary>
    /// <c>NI.mayAffect dom about u</c>: an action of <paramref name="dom"/> about <paramref name="about"/> may change
    /// u's view only when u acts, u is the control slice, or the control slice acts on u.
    /// </summary>
    public static bool MayAffect(int dom, int about, int u) =>
        dom == u || u == Owner.Control || (dom == Owner.Control && about == u);

    /// <summary>
    /// The acting domain and the slot <paramref name="step"/> is about, in the state <paramref name="s"/> holds before it;
    /// null for an armed fault (the environment, no domain's action).
    /// </summary>
    public static Acting? Of(Step step, IViewSource s)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(s);
        return step.Kind switch
        {
            // NI.about.CreateSlice is c.slot, the lowest Free slot (the one a success fills)
            StepKind.Create => new Acting(Owner.Control, LowestFree(s)),
            StepKind.Load or StepKind.Start or StepKind.Destroy or StepKind.Attest => new Acting(Owner.Control, step.Slot),
            // NI.dom.ControlStore: the manager's store acts on the guest holding a window on the byte (Owner.Free: none)
            StepKind.GuestStore when s.CoreOwner(step.Actor) == Owner.Control => new Acting(Owner.Control, s.WindowHolder(step.Address)),
            // GuestAccess, GuestIpi, GuestWriteFilter, GuestResetRequest, GuestAttest: the owner of the acting core
            StepKind.GuestLoad or StepKind.GuestStore or StepKind.GuestFetch or StepKind.SendIpi or StepKind.WriteRangeRegister
                or StepKind.WriteIpiMask or StepKind.WriteWayMask or StepKind.RequestReset or StepKind.GuestAttest
                => new Acting(s.CoreOwner(step.Actor), Owner.None),
            // GuestDma: the owner of the device
            StepKind.DmaRead or StepKind.DmaWrite => new Acting(s.DeviceOwner(step.Actor), Owner.None),
            _ => null,
        };
    }

    private static int LowestFree(IViewSource s)
    {
        for (int slot = 1; slot <= s.Config.SlotCapacity; slot++)
        {
            if (s.State(slot) == SliceState.Free)
            {
                return slot;
            }
        }
        return Owner.None;
    }
}
