using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Harness.Model;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// The cores of the abstract state on the PMP port. The model states a core's filter as range registers
/// and an IPI mask, the PMP harts as entries: both are compared as what they grant (<see cref="PmpGrants"/>):
/// the registers' regions (a byte gets every permission some register gives it) and the msip words of the
/// IPI mask's cores, against the entries decoded with the privileged spec's rules. Only for a core that runs
/// software (Guest or Control): a core that runs nothing has no filter that matters (after a reset the PMP
/// entries are OFF, the registers disabled), and an injected register corruption lands on range register 0
/// in the model but on the way mask on PMP (the first filter write the PMP sliceloader makes to the machine
/// underneath), which only a halted core keeps.
/// </summary>
internal static class PmpCoreLines
{
    /// <summary>The model's cores through this lens.</summary>
    public static string[] Of(SpecModel m, PmpGeometry geometry) =>
        [.. Enumerable.Range(0, m.Config.CoreCount).Select(c => Line(m.Mode[c], m.Locked[c], () => ModelGrants(m, c, geometry), m.WayMask[c], m.CoreEntry[c]))];

    /// <summary>The PMP machine's cores through this lens.</summary>
    public static string[] Of(PmpMachine pmp) =>
        [.. Enumerable.Range(0, pmp.Config.CoreCount).Select(c => Line(pmp.Inner.Mode(c), pmp.Inner.IsLocked(c),
            () => PmpGrants.Of(pmp.EntriesOf(c), pmp.Geometry.Granularity), pmp.Inner.WayMaskOf(c), pmp.Inner.EntryPointOf(c)))];

    /// <summary><paramref name="state"/> with <paramref name="cores"/> as its core lines.</summary>
    public static AbstractState WithCores(AbstractState state, string[] cores) => new()
    {
        Slots = state.Slots,
        CoreOwner = state.CoreOwner,
        DeviceOwner = state.DeviceOwner,
        WayOwner = state.WayOwner,
        Cores = cores,
        Windows = state.Windows,
        Writers = state.Writers,
    };

    private static string Line(CoreMode mode, bool locked, Func<List<PmpGrant>> grants, ulong ways, ulong entry) =>
        mode is CoreMode.Guest or CoreMode.Control
            ? $"{mode} locked={locked} grants=[{string.Join(',', grants())}] ways={ways:x} entry={entry:x}"
            : $"{mode} locked={locked} entry={entry:x}";

    private static List<PmpGrant> ModelGrants(SpecModel m, int core, PmpGeometry geometry)
    {
        var regions = m.Regs[core].Where(r => r.Size > 0 && r.Perms != 0).Select(r => new PmpGrant(r.Base, r.Base + (r.Size - 1), (Permissions)r.Perms)).ToList();
        regions.AddRange(m.Ipi[core].Where(h => h < geometry.Harts)
            .Select(h => new PmpGrant(geometry.MsipAddress(h), geometry.MsipAddress(h) + PmpGeometry.MsipWord - 1, PmpEncoder.MsipPermissions)));
        // Cut at every bound: within a piece, a byte's permissions are those of every region over it.
        ulong[] cuts = [.. regions.SelectMany(r => r.Last == ulong.MaxValue ? new[] { r.First } : [r.First, r.Last + 1]).Distinct().Order()];
        var pieces = new List<PmpGrant>();
        for (int k = 0; k + 1 < cuts.Length; k++)
        {
            Permissions p = Permissions.None;
            foreach (PmpGrant r in regions.Where(r => r.First <= cuts[k] && cuts[k] <= r.Last))
            {
                p |= r.Permissions;
            }
            pieces.Add(new PmpGrant(cuts[k], cuts[k + 1] - 1, p));
        }
        return PmpGrants.Join(pieces);
    }
}
