using System.Globalization;
using CoreSlice.Proofs;

namespace CoreSlice.Conformance;

/// <summary>
/// The fields of a post-state that the abstraction cannot read from the machine: the ghost fields
/// (gN, gBase, gSize, gCore, gDev, gWay, gMem, logOut) and ipiIn (the simulator keeps only counts).
/// A field the step's successor keeps is the pre-state's; every cell of the others is read out of the
/// successor's field <c>C.field</c> (<see cref="SpecSuccessor"/>) by evaluating their concatenation,
/// which reduces to one bit-vector literal. gMem maps every address, so it is read at
/// the edges of the intervals it can have after the step: the pre-state's ghost and memory intervals
/// and the code's post-state memory intervals (a step changes gMem only with memOwner, I6). A value
/// read wrongly, or a cell the record cannot hold, is no blind spot: the post-state carries these
/// values, and Z3 checks them against the step's definition with the rest of it.
/// </summary>
internal sealed class GhostCells
{
    /// <summary>The fields set here.</summary>
    public static readonly string[] Names = ["ipiIn", "gN", "gBase", "gSize", "gCore", "gDev", "gWay", "gMem", "logOut"];

    private readonly List<(string Term, int Digits, Action<AbstractState, ulong> Set)> cells = [];
    private readonly HashSet<string> read;
    private readonly ulong[] points = [];

    /// <summary>The cells of the fields in <paramref name="read"/>, after a step from <paramref name="pre"/> whose memory intervals are <paramref name="observed"/>'s.</summary>
    public GhostCells(IEnumerable<string> read, AbstractState pre, AbstractState observed)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(observed);
        this.read = [.. read];
        if (this.read.Contains("ipiIn"))
        {
            for (int k = 0; k < pre.Cores; k++)
            {
                for (int b = 0; b < pre.Cores; b++)
                {
                    (int core, int from) = (k, b);
                    cells.Add(($"(ite (select (select C.ipiIn {Smt.B16(k)}) {Smt.B16(b)}) #x1 #x0)", 1, (s, v) =>
                    {
                        if (v != 0)
                        {
                            s.IpiIn[core].Add(from);
                        }
                    }));
                }
            }
        }
        for (int t = 1; t <= pre.Slots; t++)
        {
            int slot = t;
            Cell16("gN", $"(select C.gN {Smt.B16(t)})", (s, v) => s.GN[slot] = (int)v);
            for (int i = 0; i < pre.Registers; i++)
            {
                int reg = i;
                Cell64("gBase", $"(select (select C.gBase {Smt.B16(t)}) {Smt.B16(i)})", (s, v) => s.GBase[slot][reg] = v);
                Cell64("gSize", $"(select (select C.gSize {Smt.B16(t)}) {Smt.B16(i)})", (s, v) => s.GSize[slot][reg] = v);
            }
        }
        for (int c = 0; c < pre.Cores; c++)
        {
            int core = c;
            Cell16("gCore", $"(select C.gCore {Smt.B16(c)})", (s, v) => s.GCore[core] = Signed(v));
        }
        for (int d = 0; d < pre.Devices; d++)
        {
            int dev = d;
            Cell16("gDev", $"(select C.gDev {Smt.B16(d)})", (s, v) => s.GDev[dev] = Signed(v));
        }
        for (int w = 0; w < pre.Ways; w++)
        {
            int way = w;
            Cell16("gWay", $"(select C.gWay {Smt.B16(w)})", (s, v) => s.GWay[way] = Signed(v));
        }
        if (this.read.Contains("gMem"))
        {
            var edges = new SortedSet<ulong> { 0 };
            foreach (OwnedRange r in pre.GMem.Concat(pre.MemOwner).Concat(observed.MemOwner))
            {
                edges.Add(r.Base);
                edges.Add(unchecked(r.Base + r.Size));
            }
            points = [.. edges];
            foreach (ulong p in points)
            {
                cells.Add(($"(select C.gMem {Smt.B64(p)})", 4, (_, _) => { }));
            }
        }
        Cell64("logOut", "C.logOut", (s, v) => s.LogOut = v);
    }

    /// <summary>True when a cell is to be read.</summary>
    public bool Any => cells.Count > 0;

    /// <summary>The term to evaluate: every cell, concatenated.</summary>
    public string Term => cells.Count == 1 ? cells[0].Term : "(concat " + string.Join(' ', cells.Select(x => x.Term)) + ")";

    /// <summary>
    /// Sets the fields of <paramref name="post"/>: the read ones from Z3's value of <see cref="Term"/>, the others
    /// from <paramref name="pre"/>. Throws <see cref="SpecException"/> when the answer is not one literal (the successor
    /// did not reduce to values).
    /// </summary>
    public void Fill(string answer, AbstractState pre, AbstractState post)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(post);
        foreach (string field in Names)
        {
            Copy(field, read.Contains(field) ? null : pre, post);
        }
        if (!Any)
        {
            return;
        }
        string hex = answer.Trim();
        int total = cells.Sum(x => x.Digits);
        if (!hex.StartsWith("#x", StringComparison.Ordinal) || hex.Length != total + 2)
        {
            throw new SpecException("conformance: the spec's successor did not reduce to values: " + (hex.Length > 300 ? hex[..300] + "…" : hex));
        }
        int at = 2;
        foreach ((string _, int digits, Action<AbstractState, ulong> set) in cells)
        {
            set(post, Hex(hex, at, digits));
            at += digits;
        }
        // each gMem sample holds from its point up to the next one
        at = 2 + total - 4 * points.Length - (read.Contains("logOut") ? 16 : 0);
        for (int i = 0; i < points.Length; i++, at += 4)
        {
            int owner = Signed(Hex(hex, at, 4));
            ulong end = i + 1 < points.Length ? points[i + 1] : 0;
            if (owner >= 1 && owner <= post.Slots)
            {
                post.GMem.Add(new OwnedRange(points[i], unchecked(end - points[i]), owner));
            }
        }
    }

    private static ulong Hex(string hex, int at, int digits) =>
        ulong.Parse(hex.AsSpan(at, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Copies <paramref name="field"/> of <paramref name="from"/> into <paramref name="to"/>; with no source, empties it (to be read).</summary>
    private static void Copy(string field, AbstractState? from, AbstractState to)
    {
        switch (field)
        {
            case "ipiIn":
                for (int c = 0; c < to.Cores; c++)
                {
                    to.IpiIn[c] = from is null ? [] : [.. from.IpiIn[c]];
                }
                break;
            case "gN":
                (from?.GN ?? new int[to.GN.Length]).CopyTo(to.GN, 0);
                break;
            case "gBase":
            case "gSize":
                for (int t = 0; t < to.GBase.Length; t++)
                {
                    ulong[] target = field == "gBase" ? to.GBase[t] : to.GSize[t];
                    (from is null ? new ulong[target.Length] : field == "gBase" ? from.GBase[t] : from.GSize[t]).CopyTo(target, 0);
                }
                break;
            case "gCore":
                (from?.GCore ?? new int[to.GCore.Length]).CopyTo(to.GCore, 0);
                break;
            case "gDev":
                (from?.GDev ?? new int[to.GDev.Length]).CopyTo(to.GDev, 0);
                break;
            case "gWay":
                (from?.GWay ?? new int[to.GWay.Length]).CopyTo(to.GWay, 0);
                break;
            case "gMem":
                to.GMem.Clear();
                to.GMem.AddRange(from?.GMem ?? []);
                break;
            default:
                to.LogOut = from?.LogOut ?? 0;
                break;
        }
    }

    private void Cell16(string field, string term, Action<AbstractState, ulong> set)
    {
        if (read.Contains(field))
        {
            cells.Add((term, 4, set));
        }
    }

    private void Cell64(string field, string term, Action<AbstractState, ulong> set)
    {
        if (read.Contains(field))
        {
            cells.Add((term, 16, set));
        }
    }

    /// <summary>A 16-bit slot value as the int the record holds (the sentinels are negative).</summary>
    private static int Signed(ulong v) => (short)(ushort)v;
}
