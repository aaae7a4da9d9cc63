using System.Text;

namespace CoreSlice.Conformance;

/// <summary>
/// The half of the last-writer check that S2 cannot carry (<see cref="ConformanceChecker"/> carries the other):
/// the simulated machine records writers per granule, the spec per byte, so every granule whose writer the
/// machine changed in a step must hold a byte whose writer the spec's step changed to that same writer.
/// Asked of the spec's lastWriter after the step against the pre-state S's, one free address per granule, quantifier-free.
/// </summary>
internal static class GranuleWrites
{
    /// <summary>The granules whose writer differs between <paramref name="pre"/> and <paramref name="post"/>, in address order, with the new writer.</summary>
    public static List<(ulong Granule, int Writer)> Changed(AbstractState pre, AbstractState post)
    {
        var changed = new List<(ulong, int)>();
        foreach (ulong g in new SortedSet<ulong>(pre.LastWriter.Keys.Concat(post.LastWriter.Keys)))
        {
            int after = post.LastWriter.GetValueOrDefault(g, Owner.None);
            if (pre.LastWriter.GetValueOrDefault(g, Owner.None) != after)
            {
                changed.Add((g, after));
            }
        }
        return changed;
    }

    /// <summary>One query, sat when every granule of <paramref name="changed"/> holds such a byte; <paramref name="spec"/> is the spec's lastWriter after the step.</summary>
    public static string Query(IEnumerable<(ulong Granule, int Writer)> changed, string spec, MachineConfig m)
    {
        var sb = new StringBuilder("(push)");
        int i = 0;
        foreach ((ulong g, int w) in changed)
        {
            string y = "lw.y" + i++;
            sb.Append("(declare-const ").Append(y).Append(" (_ BitVec 64))")
              .Append($"(assert (and (= (bvand {y} {Smt.B64(~(m.GranuleSize - 1))}) {Smt.B64(g)}) (= (select {spec} {y}) {Smt.B16(w)})")
              .Append($" (not (= (select (lastWriter S) {y}) {Smt.B16(w)}))))");
        }
        return sb.Append("(check-sat)(pop)\n").ToString();
    }

    /// <summary>Names the first granule of <paramref name="changed"/> that holds no such byte, asking <paramref name="ask"/> one granule at a time.</summary>
    public static string Explain(List<(ulong Granule, int Writer)> changed, string spec, MachineConfig m, Func<string, string> ask)
    {
        foreach ((ulong g, int w) in changed)
        {
            string answer = ask(Query([(g, w)], spec, m));
            if (answer != "sat")
            {
                return $"the machine made {Writer(w)} the last writer of granule 0x{g:x}, but the spec's step gives no byte of it that writer ({answer})";
            }
        }
        return "each granule the machine changed holds a byte the spec writes with its writer, but Z3 did not find them all at once";
    }

    private static string Writer(int w) => w switch
    {
        Owner.None => "no one",
        Owner.Control => "the control slice",
        _ => "slot " + w,
    };
}
