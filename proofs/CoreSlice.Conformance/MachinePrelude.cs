using System.Text;
using System.Text.RegularExpressions;

namespace CoreSlice.Conformance;

/// <summary>
/// The spec text specialised to one concrete machine, for conformance queries only:
/// each free machine constant and predicate of spec/00-vocabulary.smt2
/// (<c>declare-const nCores</c>, <c>declare-fun controlMem</c>, ...) is replaced by a
/// <c>define-fun</c> with the machine's value, so every term about a concrete state is ground.
/// <c>measureExtend</c> stays uninterpreted (the spec's measurement is abstract).
/// </summary>
public static partial class MachinePrelude
{
    /// <summary>The specialised text. Throws <see cref="Proofs.SpecException"/> when a declaration to replace is missing.</summary>
    public static string Build(string specText, MachineConfig m)
    {
        ArgumentNullException.ThrowIfNull(specText);
        ArgumentNullException.ThrowIfNull(m);
        string text = specText;
        text = Replace(text, "nCores", $"(define-fun nCores () Core {Smt.B16(m.CoreCount)})");
        text = Replace(text, "nSlots", $"(define-fun nSlots () Slot {Smt.B16(m.SlotCapacity)})");
        text = Replace(text, "nDevs", $"(define-fun nDevs () Dev {Smt.B16(m.DeviceCount)})");
        var dl = DomainLayout.Of(m);
        // the domains as functions of a domain number (the spec's Way sort), each an ite over the domains
        string PerDomain(Func<CacheDomain, string> value, string otherwise) =>
            Enumerable.Range(0, dl.Count).Reverse().Aggregate(otherwise, (rest, d) => $"(ite (= d {Smt.B16(d)}) {value(dl.Domains[d])} {rest})");
        text = Replace(text, "nDoms", $"(define-fun nDoms () Way {Smt.B16(dl.Count)})");
        text = Replace(text, "domWays", $"(define-fun domWays ((d Way)) Way {PerDomain(x => Smt.B16(x.Ways), Smt.B16(0))})");
        text = Replace(text, "domContig", $"(define-fun domContig ((d Way)) Bool {PerDomain(x => Smt.Bool(x.ContiguousMasks), "false")})");
        text = Replace(text, "domMaxCls", $"(define-fun domMaxCls ((d Way)) Way {PerDomain(x => Smt.B16(x.MaxClassesOfService), Smt.B16(0))})");
        text = Replace(text, "domMinWidth", $"(define-fun domMinWidth ((d Way)) Way {PerDomain(x => Smt.B16(x.MinMaskWidth), Smt.B16(0))})");
        text = Replace(text, "coreDom", "(define-fun coreDom ((c Core)) Way "
            + Enumerable.Range(0, m.CoreCount).Where(c => dl.CoreDom[c] != 0).Reverse()
                .Aggregate(Smt.B16(0), (rest, c) => $"(ite (= c {Smt.B16(c)}) {Smt.B16(dl.CoreDom[c])} {rest})") + ")");
        text = Replace(text, "nRR", $"(define-fun nRR () Idx {Smt.B16(m.RangeRegistersPerCore)})");
        text = Replace(text, "gran", $"(define-fun gran () Addr {Smt.B64(m.GranuleSize)})");
        text = Replace(text, "controlCore",
            $"(define-fun controlCore ((c Core)) Bool {Or(m.ControlCores.Select(c => $"(= c {Smt.B16(c)})"))})");
        text = Replace(text, "controlWay",
            $"(define-fun controlWay ((w Way)) Bool {Or(Enumerable.Range(0, dl.Count).SelectMany(d => DomainLayout.SpecWaysOf(d, dl.Domains[d].ControlWays)).Select(w => $"(= w {Smt.B16(w)})"))})");
        text = Replace(text, "controlMem", $"(define-fun controlMem ((a Addr)) Bool {Or(m.ControlMemory.Select(r => In("a", r)))})");
        text = Replace(text, "reservedMem", $"(define-fun reservedMem ((a Addr)) Bool {Or(m.ReservedRegions.Select(r => In("a", r.Range)))})");
        // MemoryRange.Covers, inlined: covers is defined later in the file than ramCovers.
        text = Replace(text, "ramCovers", "(define-fun ramCovers ((b Addr) (z Addr)) Bool "
            + Or(m.RamRegions.Select(r =>
                $"(and (bvuge b {Smt.B64(r.Base)}) (bvule (bvsub b {Smt.B64(r.Base)}) {Smt.B64(r.Size)}) (bvule z (bvsub {Smt.B64(r.Size)} (bvsub b {Smt.B64(r.Base)}))))"))
            + ")");
        return text;
    }

    private static string In(string x, MemoryRange r) =>
        $"(and (bvuge {x} {Smt.B64(r.Base)}) (bvult (bvsub {x} {Smt.B64(r.Base)}) {Smt.B64(r.Size)}))";

    private static string Or(IEnumerable<string> terms)
    {
        var list = terms.ToList();
        return list.Count switch
        {
            0 => "false",
            1 => list[0],
            _ => "(or " + string.Join(' ', list) + ")",
        };
    }

    private static string Replace(string text, string name, string definition)
    {
        var re = new Regex(@"\(declare-(const|fun)\s+" + Regex.Escape(name) + @"\s[^\n]*", RegexOptions.CultureInvariant);
        Match match = re.Match(text);
        if (!match.Success)
        {
            throw new Proofs.SpecException($"conformance: the spec declares no {name} to specialise to the machine");
        }
        // the declaration is one line; its first S-expression is the declaration, a trailing comment stays out
        int end = Proofs.SExpr.SplitTop(match.Value)[0].Length;
        var sb = new StringBuilder(text.Length + definition.Length);
        sb.Append(text, 0, match.Index).Append(definition).Append(text, match.Index + end, text.Length - match.Index - end);
        return sb.ToString();
    }
}
