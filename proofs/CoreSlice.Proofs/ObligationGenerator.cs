using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// Turns a <see cref="Spec"/> into obligations: init ⇒ Inv; every operation ×
/// every invariant; T1, T2 and T5 for every operation, T3 for every guest action, T4 for every observer;
/// Inv ⇒ S_i; lemmas; and sanity queries at a small fixed machine.
/// </summary>
public static class ObligationGenerator
{
    private const string Header =
        "(declare-const s State)\n(declare-const s2 State)\n(assert Machine_WellFormed)\n";

    /// <summary>
    /// A small concrete machine for the satisfiability (sanity) queries, which are
    /// slow over a symbolic one: 4 cores (core 0 control), 2 slots, 2 devices,
    /// 4 ways (way 0 control), 2 range registers, reserved [0,4K), control memory [4K,8K).
    /// </summary>
    public const string SmallMachine =
        "(assert (= nCores #x0004))(assert (= nSlots #x0002))(assert (= nDevs #x0002))\n" +
        "(assert (= nDoms #x0001))(assert (forall ((d Way)) (= (domWays d) #x0004)))(assert (forall ((c Core)) (= (coreDom c) #x0000)))\n" +
        "(assert (forall ((d Way)) (and (not (domContig d)) (= (domMaxCls d) #x0000) (= (domMinWidth d) #x0000))))\n" +
        "(assert (= nRR #x0002))(assert (= gran #x0000000000001000))\n" +
        "(assert (forall ((c Core)) (= (controlCore c) (= c #x0000))))\n" +
        "(assert (forall ((w Way)) (= (controlWay w) (= w #x0000))))\n" +
        "(assert (forall ((x Addr)) (= (reservedMem x) (bvult x #x0000000000001000))))\n" +
        "(assert (forall ((x Addr)) (= (controlMem x) (and (bvuge x #x0000000000001000) (bvult x #x0000000000002000)))))\n";

    /// <summary>Every obligation of the spec, in a stable order.</summary>
    public static IReadOnlyList<Obligation> Generate(Spec spec)
    {
        var list = new List<Obligation>();
        AddPrelude(list);
        AddManifest(spec, list);
        foreach (SpecInvariant inv in spec.Invariants)
        {
            foreach (string clause in inv.Clauses)
            {
                list.Add(new Obligation
                {
                    Name = $"init/{clause}",
                    Expect = Expect.Unsat,
                    Query = Header + $"(assert (Init s))\n(assert (not ({clause} s)))\n",
                    Meaning = $"the initial state satisfies {clause}",
                    Explain = MachineTerms(),
                });
            }
        }
        foreach (SpecOperation op in spec.Operations)
        {
            string step = Header +
                $"(declare-const a {op.ArgsSort})\n(assert (Inv s))\n(assert ({op.Name}_pre s a))\n(assert ({op.Name} s a s2))\n";
            foreach (SpecInvariant inv in spec.Invariants)
            {
                foreach (string clause in inv.Clauses)
                {
                    string name = $"{op.Name}/{clause}";
                    string hyps = spec.Uses.TryGetValue(name, out IReadOnlyList<string>? items)
                        ? Header + $"(declare-const a {op.ArgsSort})\n" + Hypotheses(spec, op.Name, items)
                        : step;
                    var whole = new Obligation
                    {
                        Name = name,
                        Expect = Expect.Unsat,
                        Query = hyps,
                        Uses = items,
                        Meaning = $"{op.Name} preserves {clause}",
                        Explain = StepTerms(spec, op, inv),
                        ArgsSort = op.ArgsSort,
                        Operation = op.Name,
                        Subject = clause,
                    };
                    if (ConjunctObligations.SplitObligation(spec, name, clause))
                    {
                        // `at <Op>/<clause>#k` hints: proved conjunct by conjunct at a point, with instances of its hypotheses
                        list.AddRange(ConjunctObligations.For(spec, whole, clause, "s2"));
                        continue;
                    }
                    list.Add(new Obligation
                    {
                        Name = name,
                        Expect = Expect.Unsat,
                        Query = hyps + $"(assert (not ({clause} s2)))\n",
                        Uses = items,
                        Meaning = whole.Meaning,
                        Explain = whole.Explain,
                        ArgsSort = op.ArgsSort,
                        Operation = op.Name,
                        Subject = clause,
                    });
                }
            }
            list.Add(new Obligation
            {
                Name = $"{op.Name}/T1_LockStability",
                Expect = Expect.Unsat,
                Query = step + $"(declare-const c Core)\n(assert (not (T1_LockStability s s2 c {MayReset(op.Name, "s", "a", "c")})))\n",
                Meaning = $"{op.Name} leaves every locked core outside the slot it targets ({op.Name}_target) locked and unchanged",
                Explain = [.. StepTerms(spec, op, null), ("core c", "c"), ("locked before", "(select (locked s) c)"),
                    ("locked after", "(select (locked s2) c)"), ("owner before", "(select (coreOwner s) c)"), ("slot the step targets", $"({op.Name}_target s a)")],
                ArgsSort = op.ArgsSort,
                Operation = op.Name,
                Subject = "T1_LockStability",
            });
            list.Add(new Obligation
            {
                Name = $"{op.Name}/T2_ResetAuthority",
                Expect = Expect.Unsat,
                Query = step + $"(declare-const c Core)\n(assert (not (T2_ResetAuthority s s2 c {MayReset(op.Name, "s", "a", "c")})))\n",
                Meaning = $"{op.Name} changes no core's mode, lock bit or registers except by a secure reset of a core of the slot it targets ({op.Name}_target)",
                Explain = [.. StepTerms(spec, op, null), ("core c", "c"), ("mode before", "(select (mode s) c)"), ("mode after", "(select (mode s2) c)"),
                    ("locked before", "(select (locked s) c)"), ("locked after", "(select (locked s2) c)"), ("owner before", "(select (coreOwner s) c)"),
                    ("slot the step targets", $"({op.Name}_target s a)")],
                ArgsSort = op.ArgsSort,
                Operation = op.Name,
                Subject = "T2_ResetAuthority",
            });
            foreach ((bool applies, string property, string meaning) in new[]
            {
                (op.IsGuest, "T3_GuestConfined", $"the guest action {op.Name} destroys no slice, reassigns nothing, moves no IOMMU window and writes no log entry"),
                (op.IsObserver, "T4_LogOnly", $"{op.Name} changes nothing but the decision log"),
                (true, "T5_StaticRows", $"{op.Name} leaves the slice-table row (ranges, windows, DMA rows, permissions) of every slot live before and after it unchanged"),
            })
            {
                if (!applies)
                {
                    continue;
                }
                list.Add(new Obligation
                {
                    Name = $"{op.Name}/{property}",
                    Expect = Expect.Unsat,
                    Query = step + $"(assert (not ({property} s s2)))\n",
                    Meaning = meaning,
                    Explain = StepTerms(spec, op, null),
                    ArgsSort = op.ArgsSort,
                    Operation = op.Name,
                    Subject = property,
                });
            }
        }
        foreach (string p in spec.Properties)
        {
            // `prove Inv/<p> uses <clause>...`: proved from those clauses alone (each implied by Inv: a stronger theorem)
            bool selected = spec.Uses.TryGetValue($"Inv/{p}", out IReadOnlyList<string>? items);
            if (ConjunctObligations.Split(spec, p))
            {
                list.AddRange(ConjunctObligations.For(spec, p, Header, selected ? Hypotheses(spec, "Inv", items!) : "(assert (Inv s))\n", items,
                    selected ? string.Join(", ", items!) : "the invariant", MachineTerms()));
                continue;
            }
            list.Add(new Obligation
            {
                Name = $"Inv/{p}",
                Expect = Expect.Unsat,
                Query = Header + (selected ? Hypotheses(spec, "Inv", items!) : "(assert (Inv s))\n") + $"(assert (not ({p} s)))\n",
                Uses = items,
                Meaning = selected ? $"every state satisfying {string.Join(", ", items!)} satisfies {p}" : $"every state satisfying the invariant satisfies {p}",
                Explain = MachineTerms(),
            });
        }
        foreach (SpecLemma l in spec.StepLemmas.Where(l => l.InstanceOf is null))
        {
            bool state = l.Kind == "state";
            list.Add(new Obligation
            {
                Name = $"lemma/{l.Name}",
                Expect = Expect.Unsat,
                Query = Header + (state ? string.Empty : $"(declare-const a {ArgsSortOf(spec, l.Kind)})\n")
                    + Hypotheses(spec, l.Kind, l.Uses) + (state ? $"(assert (not ({l.Name} s)))\n" : $"(assert (not ({l.Name} s a s2)))\n"),
                Meaning = state ? $"every state satisfying {string.Join(", ", l.Uses)} satisfies {l.Name}"
                                : $"every {l.Kind} step (from {string.Join(", ", l.Uses)}) satisfies {l.Name}",
                Uses = l.Uses,
                Operation = state ? null : l.Kind,
                Subject = state ? null : l.Name,
                ArgsSort = state ? null : ArgsSortOf(spec, l.Kind),
            });
        }
        foreach (string l in spec.Lemmas)
        {
            list.Add(new Obligation
            {
                Name = $"lemma/{l}",
                Expect = Expect.Unsat,
                Query = ClosedLemmaQuery(spec, l),
                Meaning = $"the bit-vector lemma {l} holds for all 64-bit values",
                Explain = [.. SExprConsts(ClosedLemmaQuery(spec, l)).Select(v => ($"value of {v}", v))],
            });
        }
        list.AddRange(Noninterference.Generate(spec));
        AddPoints(spec, list);
        AddSanity(spec, list);
        list.AddRange(Branches.Generate(spec).Obligations);
        list.AddRange(Negatives.Generate(spec).Obligations);
        list.AddRange(PmpObligations.For(spec));
        return list;
    }

    private static IEnumerable<string> SExprConsts(string query)
    {
        foreach (Sx x in Sx.ParseAll(query))
        {
            if (x.Is("declare-const") && x.Items[1].Atom is { } n)
            {
                yield return n;
            }
        }
    }

    /// <summary>
    /// T1's "this core may be secure-reset by the step": it belongs to the slot the operation targets
    /// (<c>X_target</c>, Owner.None for a step that targets none), so a step that resets a core of any
    /// other slot, or of the control slice, breaks T1.
    /// </summary>
    public static string MayReset(string op, string pre, string args, string core) =>
        $"(= (select (coreOwner {pre}) {core}) ({op}_target {pre} {args}))";

    /// <summary>
    /// A closed lemma <c>(forall (vars) body)</c> as a quantifier-free query: one constant per variable and the
    /// body negated, so the solver's quantifier-free bit-vector strategy applies (a quantified negation is not
    /// routed to it). Any other shape is asserted negated as it stands.
    /// </summary>
    private static string ClosedLemmaQuery(Spec spec, string lemma)
    {
        Dictionary<string, Sx> funs = Branches.Signatures(spec.Text);
        if (!funs.TryGetValue(lemma, out Sx? def))
        {
            return $"(assert (not {lemma}))\n";
        }
        var sb = new StringBuilder();
        if (def.Items[2].Items.Count > 0)
        {
            // a parameterised lemma: proved for every argument
            foreach (Sx v in def.Items[2].Items)
            {
                sb.Append($"(declare-const {v.Items[0]} {v.Items[1]})\n");
            }
            return sb.Append($"(assert (not ({lemma} {string.Join(' ', def.Items[2].Items.Select(v => v.Items[0].ToString()))})))\n").ToString();
        }
        if (!def.Items[4].Is("forall") || def.Items[4].Items.Count != 3)
        {
            return $"(assert (not {lemma}))\n";
        }
        foreach (Sx v in def.Items[4].Items[1].Items)
        {
            sb.Append($"(declare-const {v.Items[0]} {v.Items[1]})\n");
        }
        if (spec.SteppedLemmas.Contains(lemma))
        {
            // instances of earlier lemmas (checked by SpecChecks to be nothing else)
            sb.Append($"(assert ({lemma}.steps {string.Join(' ', def.Items[4].Items[1].Items.Select(v => v.Items[0].ToString()))}))\n");
        }
        return sb.Append($"(assert (not {def.Items[4].Items[2]}))\n").ToString();
    }

    /// <summary>
    /// Concrete machines of distinct sizes (1 core to 1024), each proved to satisfy Machine_WellFormed:
    /// the prelude is satisfiable, and Machine_WellFormed fixes no size (a hidden "nCores = 4" fails
    /// every other size). Each is (name, description, definitions of every machine parameter).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Text)> Machines =
    [
        ("1core-1slot", Machine("#x0001", "#x0001", "#x0000", "#x0001", "#x0001", "#x0000000000001000", "false", "false")),
        ("4core-3slot", Machine("#x0004", "#x0003", "#x0002", "#x0004", "#x0002", "#x0000000000001000", "(= c #x0000)", "(= w #x0000)")),
        ("16core-8slot", Machine("#x0010", "#x0008", "#x0004", "#x0010", "#x0008", "#x0000000000010000", "(bvult c #x0002)", "(bvult w #x0002)")),
        ("1024core-1024slot", Machine("#x0400", "#x0400", "#x0400", "#x0040", "#x0040", "#x0000000000200000", "(= c #x03ff)", "(= w #x003f)")),
        // eight cache domains of 64 ways (core c in domain c / 128), the control slice's way 63 in each, CAT rules on every domain
        ("1024core-8domain", Machine("#x0400", "#x0400", "#x0400", "#x0040", "#x0040", "#x0000000000200000", "(= c #x03ff)", "(and (bvult (wDom w) #x0008) (= (wIdx w) #x003f))",
            doms: "#x0008", coreDom: "(bvlshr c #x0007)", rules: "(and (domContig d) (= (domMaxCls d) #x0010) (= (domMinWidth d) #x0002))")),
    ];

    private static string Machine(string cores, string slots, string devs, string ways, string rr, string gran, string ctlCore, string ctlWay,
        string doms = "#x0001", string coreDom = "#x0000", string rules = "(and (not (domContig d)) (= (domMaxCls d) #x0000) (= (domMinWidth d) #x0000))") =>
        $"(assert (= nCores {cores}))(assert (= nSlots {slots}))(assert (= nDevs {devs}))\n" +
        $"(assert (= nDoms {doms}))(assert (forall ((d Way)) (= (domWays d) {ways})))(assert (forall ((c Core)) (= (coreDom c) {coreDom})))\n" +
        $"(assert (forall ((d Way)) {rules}))\n" +
        $"(assert (= nRR {rr}))(assert (= gran {gran}))\n" +
        $"(assert (forall ((c Core)) (= (controlCore c) {ctlCore})))\n" +
        $"(assert (forall ((w Way)) (= (controlWay w) {ctlWay})))\n" +
        $"(assert (forall ((x Addr)) (= (reservedMem x) (bvult x {gran}))))\n" +
        $"(assert (forall ((x Addr)) (= (controlMem x) (and (bvuge x {gran}) (bvult x (bvmul #x0000000000000002 {gran}))))))\n";

    private static void AddPrelude(List<Obligation> list)
    {
        foreach ((string name, string text) in Machines)
        {
            list.Add(new Obligation
            {
                Name = $"prelude/Machine_WellFormed/{name}",
                Expect = Expect.Unsat,
                Query = text + "(assert (not Machine_WellFormed))\n",
                Meaning = $"the prelude is satisfiable with a {name} machine (Machine_WellFormed holds on it; it fixes no size)",
            });
        }
    }

    /// <summary>
    /// The manifest is proved, not trusted: each invariant is exactly the conjunction of the clauses the
    /// manifest lists for it (so a clause left out of the list is found: the equivalence fails), and Inv is
    /// exactly the conjunction of the listed invariants (so an invariant left out of the list, or a conjunct
    /// of Inv that is in no invariant, is found).
    /// </summary>
    private static void AddManifest(Spec spec, List<Obligation> list)
    {
        foreach (SpecInvariant inv in spec.Invariants)
        {
            if (inv.Clauses.Count == 1 && inv.Clauses[0] == inv.Name)
            {
                continue;
            }
            list.Add(new Obligation
            {
                Name = $"manifest/{inv.Name}",
                Expect = Expect.Unsat,
                Query = Header + $"(assert (not (= ({inv.Name} s) (and {string.Join(' ', inv.Clauses.Select(c => $"({c} s)"))}))))\n",
                Meaning = $"{inv.Name} is exactly the conjunction of the clauses obligations.txt lists ({string.Join(", ", inv.Clauses)})",
            });
        }
        list.Add(new Obligation
        {
            Name = "manifest/Inv",
            Expect = Expect.Unsat,
            Query = Header + $"(assert (not (= (Inv s) (and {string.Join(' ', spec.Invariants.Select(i => $"({i.Name} s)"))}))))\n",
            Meaning = $"Inv is exactly the conjunction of the invariants obligations.txt lists ({string.Join(", ", spec.Invariants.Select(i => i.Name))})",
        });
    }

    /// <summary>
    /// point/&lt;clause&gt;: every pointwise instance Point.&lt;clause&gt; (s, p...) declared in the spec is
    /// implied by its clause, for every state and point (so a counterexample naming a point breaks the clause).
    /// </summary>
    private static void AddPoints(Spec spec, List<Obligation> list)
    {
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (!top.Is("define-fun") || top.Items.Count != 5 || top.Items[1].Atom is not { } name || !name.StartsWith("Point.", StringComparison.Ordinal))
            {
                continue;
            }
            string clause = name["Point.".Length..];
            var decls = new StringBuilder();
            var args = new StringBuilder();
            foreach (Sx param in top.Items[2].Items.Skip(1))
            {
                decls.Append($"(declare-const p.{param.Items[0]} {param.Items[1]})\n");
                args.Append($" p.{param.Items[0]}");
            }
            list.Add(new Obligation
            {
                Name = $"point/{clause}",
                Expect = Expect.Unsat,
                Query = Header + decls + $"(assert ({clause} s))\n(assert (not ({name} s{args})))\n",
                Meaning = $"{clause} implies its pointwise instance {name} at every point",
            });
        }
    }

    private static void AddSanity(Spec spec, List<Obligation> list) => list.AddRange(Witnesses.Obligations(spec));

    private static string ArgsSortOf(Spec spec, string op)
    {
        foreach (SpecOperation o in spec.Operations)
        {
            if (o.Name == op)
            {
                return o.ArgsSort;
            }
        }
        throw new SpecException($"obligations.txt: lemma about unknown operation {op}");
    }

    /// <summary>
    /// The assertions for a hypothesis list: an invariant or clause of s, the operation's pre or
    /// step, Inv, or a lemma (which must be a state lemma or a lemma about this operation).
    /// </summary>
    public static string Hypotheses(Spec spec, string op, IReadOnlyList<string> items)
    {
        var sb = new StringBuilder();
        foreach (string item in items)
        {
            SpecLemma? lemma = null;
            foreach (SpecLemma l in spec.StepLemmas)
            {
                if (l.Name == item)
                {
                    lemma = l;
                }
            }
            if (item == "pre")
            {
                sb.Append($"(assert ({op}_pre s a))\n");
            }
            else if (item == "step")
            {
                sb.Append($"(assert ({op} s a s2))\n");
            }
            else if (lemma is null)
            {
                sb.Append($"(assert ({item} s))\n");
            }
            else if (lemma.Kind == "state")
            {
                sb.Append($"(assert ({item} s))\n");
            }
            else if (lemma.Kind == op)
            {
                sb.Append($"(assert ({item} s a s2))\n");
            }
            else
            {
                throw new SpecException($"obligations.txt: {item} is a lemma about {lemma.Kind}, not {op}");
            }
        }
        return sb.ToString();
    }

    private static List<(string, string)> MachineTerms() =>
    [
        ("machine cores", "nCores"), ("machine slots", "nSlots"), ("machine devices", "nDevs"),
        ("cache domains", "nDoms"), ("range registers per core", "nRR"),
    ];

    private static List<(string, string)> StepTerms(Spec spec, SpecOperation op, SpecInvariant? broken)
    {
        var terms = new List<(string, string)> { ("call", "a"), ("returns", $"({op.Name}_err s a)") };
        foreach (string field in ArgFields(spec, op.ArgsSort))
        {
            string suffix = field[(field.IndexOf('.', StringComparison.Ordinal) + 1)..];
            string v = $"({field} a)";
            switch (suffix)
            {
                case "slot":
                    terms.Add(($"pre  st[{field}]", $"(select (st s) {v})"));
                    terms.Add(($"post st[{field}]", $"(select (st s2) {v})"));
                    break;
                case "core" or "fcore" or "from" or "target":
                    terms.Add(($"pre  core {field}: owner/mode/locked", $"(select (coreOwner s) {v})\t(select (mode s) {v})\t(select (locked s) {v})"));
                    terms.Add(($"post core {field}: owner/mode/locked", $"(select (coreOwner s2) {v})\t(select (mode s2) {v})\t(select (locked s2) {v})"));
                    break;
                case "dev" or "fdev":
                    terms.Add(($"pre  device {field}: owner/window", $"(select (devOwner s) {v})\t(select (iommu s) {v})"));
                    terms.Add(($"post device {field}: owner/window", $"(select (devOwner s2) {v})\t(select (iommu s2) {v})"));
                    break;
                case "addr":
                    terms.Add(($"pre  address {field}: owner/last writer", $"(select (memOwner s) {v})\t(select (lastWriter s) {v})"));
                    terms.Add(($"post address {field}: owner/last writer", $"(select (memOwner s2) {v})\t(select (lastWriter s2) {v})"));
                    break;
                default:
                    break;
            }
        }
        if (broken is not null)
        {
            foreach (SpecInvariant inv in spec.Invariants)
            {
                if (inv.Name == broken.Name)
                {
                    foreach (string clause in InvariantParts(spec, inv))
                    {
                        terms.Add(($"post-state satisfies {clause}", $"({clause} s2)"));
                    }
                }
            }
        }
        return terms;
    }

    /// <summary>The named clauses of an invariant (define-funs named Inv.part), or the invariant itself.</summary>
    public static IReadOnlyList<string> InvariantParts(Spec spec, SpecInvariant inv)
    {
        var parts = new List<string>();
        string prefix = "(define-fun " + inv.Name + ".";
        int at = 0;
        while ((at = spec.Text.IndexOf(prefix, at, StringComparison.Ordinal)) >= 0)
        {
            int start = at + "(define-fun ".Length;
            int end = spec.Text.IndexOf(' ', start);
            parts.Add(spec.Text[start..end]);
            at = end;
        }
        if (parts.Count == 0)
        {
            parts.Add(inv.Name);
        }
        return parts;
    }

    /// <summary>Field names of an argument datatype, read from its declare-datatypes.</summary>
    public static IReadOnlyList<string> ArgFields(Spec spec, string sort)
    {
        var fields = new List<string>();
        int at = spec.Text.IndexOf("(declare-datatypes ((" + sort + " ", StringComparison.Ordinal);
        if (at < 0)
        {
            return fields;
        }
        int end = spec.Text.IndexOf("(declare-", at + 10, StringComparison.Ordinal);
        string decl = end < 0 ? spec.Text[at..] : spec.Text[at..end];
        var m = System.Text.RegularExpressions.Regex.Matches(decl, @"\(([a-z]\.[A-Za-z]+) ");
        foreach (System.Text.RegularExpressions.Match x in m)
        {
            fields.Add(x.Groups[1].Value);
        }
        return fields;
    }

    /// <summary>
    /// The full script for a solver: options, spec, query, check, values to explain. The obligation's opaque functions
    /// are declared without their bodies unless <paramref name="hideOpaque"/> is false (a search for a real counterexample).
    /// </summary>
    public static string Script(Spec spec, Obligation o, int timeoutMs, bool z3, bool hideOpaque = true)
    {
        var sb = new StringBuilder();
        sb.Append("(set-option :produce-models true)\n");
        if (!z3)
        {
            // cvc5 wants a logic before its first declaration; ALL is every theory the spec uses
            sb.Append("(set-logic ALL)\n");
        }
        if (z3)
        {
            sb.Append("(set-option :timeout ").Append(timeoutMs).Append(")\n");
        }
        string text = hideOpaque ? OpaqueFunctions.Hide(spec.Text, OpaqueFunctions.For(spec, o.Name)) : spec.Text;
        if (o.SliceSpec)
        {
            // the query, the check and the terms that explain a counterexample are what the slice must serve
            string roots = o.Query + (o.CheckCommand ?? string.Empty) + string.Concat(o.Explain.Select(e => " (" + e.Term.Replace('\t', ' ') + ")"));
            text = SpecSlice.For(text, roots);
        }
        sb.Append(text).Append('\n').Append(o.Query);
        sb.Append(o.CheckCommand ?? "(check-sat)").Append('\n');
        bool explain = o.Expect == Expect.Unsat && o.Explain.Count > 0;
        if (explain)
        {
            foreach ((string _, string term) in o.Explain)
            {
                foreach (string t in term.Split('\t'))
                {
                    sb.Append("(get-value (").Append(t).Append("))\n");
                }
            }
        }
        return sb.ToString();
    }
}
