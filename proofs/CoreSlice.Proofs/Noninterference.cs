using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// The unwinding conditions of noninterference (spec/90-noninterference.smt2; spec/README.md, "Noninterference"),
/// generated for every operation the manifest lists on a <c>noninterference &lt;Op&gt;</c> line, and for every
/// view component (the conjuncts of <c>NI.eqv</c>, read from the spec, so a component added there is proved too):
/// <list type="bullet">
/// <item><c>&lt;Op&gt;/NI1_OutputConsistency</c>: two states equivalent for the acting domain give the action the
/// same output (<c>NI.out.&lt;Op&gt;</c>), modulo <c>NI.declassified.&lt;Op&gt;</c> when the spec defines one;</item>
/// <item><c>&lt;Op&gt;/NI2_LocalRespect.&lt;component&gt;</c>: an action leaves the view of every domain it may not
/// affect (<c>NI.mayAffect</c>) unchanged;</item>
/// <item><c>&lt;Op&gt;/NI3_WeakStepConsistency.&lt;component&gt;</c>: two states equivalent for u and for the acting
/// domain stay equivalent for u after the same action.</item>
/// </list>
/// Each over two runs (s, a, s2) and (t, a, t2) of the step, including every refusal, fault and LogFull branch (the
/// step is the whole transition). Hypotheses: Inv, pre and the step on each run, or a selection
/// (<c>prove &lt;name&gt; uses …</c>), each item instantiated on both runs.
/// </summary>
public static class Noninterference
{
    /// <summary>The three conditions, as obligation-name stems.</summary>
    public const string OutputConsistency = "NI1_OutputConsistency";

    /// <inheritdoc cref="OutputConsistency"/>
    public const string LocalRespect = "NI2_LocalRespect";

    /// <inheritdoc cref="OutputConsistency"/>
    public const string WeakStepConsistency = "NI3_WeakStepConsistency";

    /// <summary>The view components: the conjuncts <c>(NI.eq.X s t u)</c> of <c>NI.eqv</c>'s body, in order.</summary>
    public static IReadOnlyList<string> Components(Spec spec)
    {
        if (!Branches.Signatures(spec.Text).TryGetValue("NI.eqv", out Sx? def) || !def.Items[4].Is("and"))
        {
            return [];
        }
        return [.. def.Items[4].Items.Skip(1).Where(x => x.Items.Count == 4).Select(x => x.Items[0].Atom!)];
    }

    /// <summary>Every unwinding obligation of the spec.</summary>
    public static IEnumerable<Obligation> Generate(Spec spec)
    {
        IReadOnlyList<string> components = Components(spec);
        Dictionary<string, Sx> defs = Branches.Signatures(spec.Text);
        foreach (SpecOperation op in spec.Operations.Where(o => spec.Noninterference.Contains(o.Name)))
        {
            string x = op.Name;
            string dom = $"(NI.dom.{x} s a)", about = $"(NI.about.{x} s a)";
            string declass = defs.ContainsKey($"NI.declassified.{x}") ? $"(assert (NI.declassified.{x} s t))\n" : string.Empty;
            string name = $"{x}/{OutputConsistency}";
            yield return Make(spec, op, name, false,
                declass + $"(assert (NI.eqv s t {dom}))\n(assert (not (= (NI.out.{x} s a) (NI.out.{x} t a))))\n",
                $"two states equivalent for the domain performing {x} (NI.dom.{x}) give it the same output (NI.out.{x})"
                    + (declass.Length > 0 ? $", when they agree on what NI.declassified.{x} declassifies" : string.Empty),
                []);
            foreach (string c in components)
            {
                string part = c["NI.eq.".Length..];
                name = $"{x}/{LocalRespect}.{part}";
                yield return Make(spec, op, name, null,
                    $"(declare-const u Slot)\n(assert (NI.domain u))\n(assert (not (NI.mayAffect {dom} {about} u)))\n(assert (not ({c} s s2 u)))\n",
                    $"{x} leaves the {part} view of every domain it may not affect (NI.mayAffect: not the actor, not the control slice, not the guest a control call is about) unchanged",
                    [("domain u", "u"), ("about", about)]);
                name = $"{x}/{WeakStepConsistency}.{part}";
                yield return Make(spec, op, name, true,
                    $"(declare-const u Slot)\n(assert (NI.domain u))\n(assert (NI.eqv s t u))\n(assert (NI.eqv s t {dom}))\n(assert (not ({c} s2 t2 u)))\n",
                    $"two states equivalent for a domain u and for the domain performing {x} have {part} views of u equal after {x}",
                    [("domain u", "u")]);
            }
        }
    }

    /// <summary>
    /// One obligation: <paramref name="twoSteps"/> true: two runs with their steps; false: two pre-states (outputs);
    /// null: one run. Operation stays null (it is not a one-state step obligation); the runs are recorded
    /// (<see cref="Obligation.Runs"/>), so the counterexample search builds each post-state from its step.
    /// </summary>
    private static Obligation Make(Spec spec, SpecOperation op, string name, bool? twoSteps, string goal, string meaning,
        IReadOnlyList<(string, string)> explain)
    {
        var sb = new StringBuilder("(declare-const s State)\n");
        if (twoSteps is not false)
        {
            sb.Append("(declare-const s2 State)\n");
        }
        if (twoSteps is not null)
        {
            sb.Append("(declare-const t State)\n");
        }
        if (twoSteps is true)
        {
            sb.Append("(declare-const t2 State)\n");
        }
        sb.Append($"(declare-const a {op.ArgsSort})\n(assert Machine_WellFormed)\n");
        bool selected = spec.Uses.TryGetValue(name, out IReadOnlyList<string>? items);
        IReadOnlyList<string> hyps = selected ? items! : twoSteps is false ? ["Inv", "pre"] : ["Inv", "pre", "step"];
        // a closed lemma (proved for every argument) is instantiated once, at (s t a); every other item on each run
        string first = ObligationGenerator.Hypotheses(spec, op.Name, [.. hyps.Where(h => !spec.Lemmas.Contains(h))]);
        sb.Append(first);
        if (twoSteps is not null)
        {
            sb.Append(Rename(first));
        }
        foreach (string lemma in hyps.Where(spec.Lemmas.Contains))
        {
            sb.Append($"(assert ({lemma} s t a))\n");
        }
        // the runs, for the counterexample search: each post-state is defined by its run's step
        (string, string?)[] runs = twoSteps switch
        {
            null => [("s", "s2")],
            true => [("s", "s2"), ("t", "t2")],
            false => [("s", null), ("t", null)],
        };
        var relation = Sx.ParseAll(goal).Where(x => x.Is("assert") && x.Items.Count == 2).Select(x => x.Items[1].ToString()).ToList();
        return new Obligation
        {
            Name = name,
            Expect = Expect.Unsat,
            Runs = new RelationalRuns(op.Name, runs, "a", relation),
            Query = sb.Append(goal).ToString(),
            Uses = selected ? items : null,
            Meaning = meaning + (selected ? $" (from {string.Join(", ", items!)}{(twoSteps is null ? string.Empty : " on each run")})" : string.Empty),
            // terms over the states are not listed: a state found by the search holds address maps (lambdas), which
            // get-value refuses; the search prints the states themselves
            Explain = [.. explain, ("call", "a")],
            ArgsSort = op.ArgsSort,
        };
    }

    /// <summary>The same hypotheses on the second run: s, s2 become t, t2 (a stays: the same action).</summary>
    private static string Rename(string hyps)
    {
        var map = new Dictionary<string, Sx>(StringComparer.Ordinal) { ["s"] = Sx.A("t"), ["s2"] = Sx.A("t2") };
        return string.Concat(Sx.ParseAll(hyps).Select(h => h.Subst(map) + "\n"));
    }
}
