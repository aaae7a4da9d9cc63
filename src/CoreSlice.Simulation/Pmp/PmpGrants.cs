using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Simulation.Pmp;

/// <summary>Bytes [<paramref name="First"/>, <paramref name="Last"/>] and what a hart may do there.</summary>
public readonly record struct PmpGrant(ulong First, ulong Last, Permissions Permissions)
{
    /// <inheritdoc/>
    public override string ToString() => $"0x{First:x}..0x{Last:x} {Permissions}";
}

/// <summary>
/// What a hart's PMP entries let its M-mode software (a guest) do, decoded with <see cref="PmpRules"/>
/// alone — independent of the encoder that wrote the entries: the address space is cut at every
/// entry's bounds (within a piece no entry's match changes), each piece is asked for R, W and X, and
/// adjacent pieces with the same permissions are joined. What the audit holds a hart's entries to
/// (<see cref="Audit.InvariantAudit"/> on a <see cref="PmpMachine"/>), in place of range registers.
/// </summary>
public static class PmpGrants
{
    private static readonly Permissions[] Each = [Permissions.Read, Permissions.Write, Permissions.Execute];

    /// <summary>Every byte <paramref name="entries"/> let M-mode software reach, in address order, joined.</summary>
    public static List<PmpGrant> Of(ReadOnlySpan<PmpEntry> entries, int granularity)
    {
        var cuts = new SortedSet<ulong> { 0 };
        for (int i = 0; i < entries.Length; i++)
        {
            if (PmpRules.Interval(entries, i, granularity, out ulong first, out ulong last))
            {
                cuts.Add(first);
                if (last != ulong.MaxValue)
                {
                    cuts.Add(last + 1);
                }
            }
        }
        ulong[] points = [.. cuts];
        var pieces = new List<PmpGrant>(points.Length);
        for (int k = 0; k < points.Length; k++)
        {
            Permissions allowed = Permissions.None;
            foreach (Permissions need in Each)
            {
                if (PmpRules.Allows(entries, granularity, points[k], 1, need, machineMode: true, out _))
                {
                    allowed |= need;
                }
            }
            pieces.Add(new PmpGrant(points[k], k + 1 < points.Length ? points[k + 1] - 1 : ulong.MaxValue, allowed));
        }
        return Join(pieces);
    }

    /// <summary>
    /// <paramref name="pieces"/> (disjoint) in address order, without the ones that allow nothing, and adjacent ones
    /// with the same permissions joined: the form <see cref="Of(ReadOnlySpan{PmpEntry}, int)"/> returns, to compare with.
    /// </summary>
    public static List<PmpGrant> Join(IEnumerable<PmpGrant> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var joined = new List<PmpGrant>();
        foreach (PmpGrant g in pieces.Where(p => p.Permissions != Permissions.None).OrderBy(p => p.First))
        {
            if (joined.Count > 0 && joined[^1].Permissions == g.Permissions && joined[^1].Last != ulong.MaxValue && joined[^1].Last + 1 == g.First)
            {
                joined[^1] = joined[^1] with { Last = g.Last };
            }
            else
            {
                joined.Add(g);
            }
        }
        return joined;
    }

    /// <summary>A range with its permissions as a grant (null when empty).</summary>
    public static PmpGrant? For(MemoryRange range, Permissions permissions) =>
        range.Size == 0 ? null : new PmpGrant(range.Base, range.Base + (range.Size - 1), permissions);

    /// <summary>
    /// True when every byte of <paramref name="grant"/> lies in some piece of <paramref name="allowed"/> whose
    /// permissions include the grant's; <paramref name="outside"/> is the first byte that does not.
    /// </summary>
    public static bool CoveredBy(PmpGrant grant, IReadOnlyList<PmpGrant> allowed, out ulong outside)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        ulong cursor = grant.First;
        while (true)
        {
            PmpGrant? holding = null;
            foreach (PmpGrant a in allowed)
            {
                if (a.First <= cursor && cursor <= a.Last && (grant.Permissions & ~a.Permissions) == 0)
                {
                    holding = a;
                    break;
                }
            }
            if (holding is not { } h)
            {
                outside = cursor;
                return false;
            }
            if (h.Last >= grant.Last)
            {
                outside = 0;
                return true;
            }
            cursor = h.Last + 1;
        }
    }
}
