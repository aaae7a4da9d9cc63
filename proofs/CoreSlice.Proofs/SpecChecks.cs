namespace CoreSlice.Proofs;

/// <summary>
/// Checks of a spec that need no solver, run before any obligation: the closed spec language
/// (<see cref="SpecLanguage"/>), and that every define-fun named like an invariant or property
/// (I*/S*/T*) is the subject of some obligation, so nothing named a security property is left
/// unproved because the manifest forgot it. Each problem is a failed result (exit 1).
/// </summary>
public static class SpecChecks
{
    /// <summary>Transition properties the generator states for every operation (not listed in the manifest).</summary>
    public static readonly IReadOnlyList<string> GeneratedTransitionProperties = ["T1_LockStability", "T2_ResetAuthority", "T3_GuestConfined", "T4_LogOnly", "T5_StaticRows"];

    /// <summary>The transition-property obligations of one operation (T3 for guest actions, T4 for observers).</summary>
    private static IEnumerable<string> TransitionObligations(SpecOperation op) =>
        GeneratedTransitionProperties.Where(p => p switch
        {
            "T3_GuestConfined" => op.IsGuest,
            "T4_LogOnly" => op.IsObserver,
            _ => true,
        }).Select(p => $"{op.Name}/{p}");

    /// <summary>Failed results for every static problem; empty when there is none.</summary>
    public static IReadOnlyList<ObligationResult> Static(Spec spec)
    {
        var results = new List<ObligationResult>();
        if (spec.LanguageProblems.Count > 0)
        {
            results.Add(new ObligationResult("spec/language", ObligationStatus.Failed, 0,
                "spec/language FAILED: the spec leaves the closed spec language (no obligation was run: each would " +
                "have been about this text):\n  " + string.Join("\n  ", spec.LanguageProblems), null));
            // the checks below read the text as S-expressions: a spec outside the language may not parse
            return results;
        }
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (SpecInvariant inv in spec.Invariants)
        {
            covered.Add(inv.Name);
            covered.UnionWith(inv.Clauses);
        }
        covered.UnionWith(spec.Properties);
        covered.UnionWith(GeneratedTransitionProperties);
        foreach (string name in SpecLanguage.PropertyNames(spec.Text))
        {
            if (!covered.Contains(name))
            {
                results.Add(new ObligationResult($"manifest/coverage/{name}", ObligationStatus.Failed, 0,
                    $"manifest/coverage/{name} FAILED: {name} is defined in the spec but no obligation is about it " +
                    "(obligations.txt lists it as no invariant, clause or property)", null));
            }
        }
        // a selection for an obligation that does not exist (a typo, or a step no longer in the manifest) selects nothing
        var names = new HashSet<string>(spec.Operations.SelectMany(o => spec.Invariants.SelectMany(i => i.Clauses).Select(c => $"{o.Name}/{c}"))
            .Concat(spec.Properties.Select(p => $"Inv/{p}")).Concat(Noninterference.Generate(spec).Select(o => o.Name)), StringComparer.Ordinal);
        foreach (string selected in spec.Uses.Keys.Where(k => !names.Contains(k)))
        {
            results.Add(new ObligationResult($"manifest/uses/{selected}", ObligationStatus.Failed, 0,
                $"manifest/uses/{selected} FAILED: obligations.txt selects hypotheses for {selected}, which is no obligation " +
                "(an operation and a listed clause, Inv and a listed property, or a noninterference condition)", null));
        }
        // an opaque line for no obligation hides nothing; one naming no define-fun would not parse as a script
        var lemmaAndTransitionNames = spec.Lemmas.Concat(spec.StepLemmas.Select(l => l.Name)).Select(l => "lemma/" + l)
            .Concat(spec.Operations.SelectMany(TransitionObligations));
        var defined = new HashSet<string>(OpaqueFunctions.Defined(spec.Text), StringComparer.Ordinal);
        foreach ((string key, IReadOnlyList<string> functions) in spec.Opaque)
        {
            string? problem = !names.Contains(key) && !lemmaAndTransitionNames.Contains(key, StringComparer.Ordinal)
                ? $"{key} is no obligation (an operation and a listed clause, Inv and a listed property, a noninterference condition, a lemma or an operation's transition property)"
                : functions.FirstOrDefault(f => !defined.Contains(f)) is { } f ? $"{f} is no define-fun of the spec" : null;
            if (problem is not null)
            {
                results.Add(new ObligationResult($"manifest/opaque/{key}", ObligationStatus.Failed, 0,
                    $"manifest/opaque/{key} FAILED: {problem}", null));
            }
        }
        foreach ((string key, IReadOnlyList<string> terms) in spec.Hints)
        {
            foreach (string term in terms)
            {
                if (ConjunctObligations.Problem(spec, key, term) is { } problem)
                {
                    results.Add(new ObligationResult($"manifest/at/{key}", ObligationStatus.Failed, 0,
                        $"manifest/at/{key} FAILED: the hint {term} is not used: {problem}", null));
                }
            }
        }
        results.AddRange(Conjuncts(spec));
        results.AddRange(Branches.Generate(spec).Missing);
        results.AddRange(Steps(spec));
        results.AddRange(Instances(spec));
        IReadOnlyList<string> fields = Negatives.StateFields(spec.Text);
        if (!fields.SequenceEqual(Witnesses.StateFields))
        {
            results.Add(new ObligationResult("witness/fields", ObligationStatus.Failed, 0,
                $"witness/fields FAILED: the spec's State has the fields {string.Join(" ", fields)}, the witness states are built " +
                $"from {string.Join(" ", Witnesses.StateFields)} (Witnesses.StateFields): every witness-based obligation would be about another State", null));
        }
        results.AddRange(Negatives.Generate(spec).Missing);
        foreach (string p in spec.Properties)
        {
            if (!spec.Text.Contains($"(define-fun {p} ", StringComparison.Ordinal))
            {
                results.Add(new ObligationResult($"manifest/coverage/{p}", ObligationStatus.Failed, 0,
                    $"manifest/coverage/{p} FAILED: obligations.txt lists property {p}, which the spec does not define", null));
            }
        }
        return results;
    }

    /// <summary>
    /// A stepped lemma assumes its <c>.steps</c>: sound only when that is a conjunction of instances of closed
    /// lemmas proved before it (each proved for every argument), which is checked here.
    /// </summary>
    private static List<ObligationResult> Steps(Spec spec)
    {
        var results = new List<ObligationResult>();
        Dictionary<string, Sx> defs = Branches.Definitions(spec.Text);
        foreach (string lemma in spec.SteppedLemmas)
        {
            var earlier = spec.Lemmas.TakeWhile(l => l != lemma).ToHashSet(StringComparer.Ordinal);
            string? problem = null;
            if (!defs.TryGetValue(lemma + ".steps", out Sx? body))
            {
                problem = $"{lemma}.steps is not defined";
            }
            else
            {
                foreach (Sx call in body.Is("and") ? body.Items.Skip(1) : [body])
                {
                    if (call.Atom is not null || call.Items.Count == 0 || call.Items[0].Atom is not { } f || !earlier.Contains(f))
                    {
                        problem = $"{lemma}.steps contains {call}, which is not a call of a lemma listed before {lemma}";
                        break;
                    }
                }
            }
            if (problem is not null)
            {
                results.Add(new ObligationResult($"lemma/{lemma}", ObligationStatus.Failed, 0, $"lemma/{lemma} FAILED: {problem}", null));
            }
        }
        return results;
    }

    /// <summary>
    /// An instance lemma (manifest <c>lemma L Op instance C</c>) is assumed without a solver query: sound only
    /// when its body is <c>(forall (x...) (! (F t...) :pattern ...))</c> (or the call alone) and the closed lemma C,
    /// proved as its own obligation, is <c>(forall (v...) (F v...))</c>: every instance of a proved forall holds.
    /// </summary>
    private static List<ObligationResult> Instances(Spec spec)
    {
        var results = new List<ObligationResult>();
        Dictionary<string, Sx> defs = Branches.Definitions(spec.Text);
        foreach (SpecLemma l in spec.StepLemmas.Where(l => l.InstanceOf is not null))
        {
            string? problem = null;
            Sx? general = defs.TryGetValue(l.InstanceOf!, out Sx? g) ? g : null;
            string? f = general is not null && general.Is("forall") && general.Items.Count == 3 && general.Items[2].Atom is null
                && general.Items[2].Items.Count == general.Items[1].Items.Count + 1
                && general.Items[2].Items.Skip(1).Select(v => v.Atom).SequenceEqual(general.Items[1].Items.Select(b => b.Items[0].Atom))
                ? general.Items[2].Items[0].Atom : null;
            if (f is null)
            {
                problem = $"{l.InstanceOf} is not (forall (v...) (F v...)) with F called on exactly its variables";
            }
            else if (!defs.TryGetValue(l.Name, out Sx? body))
            {
                problem = $"{l.Name} is not defined";
            }
            else
            {
                Sx inner = body.Is("forall") && body.Items.Count == 3 ? body.Items[2] : body;
                Sx call = inner.Is("!") ? inner.Items[1] : inner;
                if (!call.Is(f) || call.Items.Count != general!.Items[2].Items.Count)
                {
                    problem = $"{l.Name} is {body}, not (forall (x...) (! ({f} ...) :pattern ...)): not an instance of {l.InstanceOf}";
                }
            }
            if (problem is not null)
            {
                results.Add(new ObligationResult($"lemma/{l.Name}", ObligationStatus.Failed, 0, $"lemma/{l.Name} FAILED: {problem}", null));
            }
        }
        return results;
    }

    /// <summary>
    /// The fast half of "the manifest is proved": each invariant's definition (and Inv's) is read as a
    /// conjunction of calls on its state, and the set of those calls must be the list the manifest gives.
    /// A clause left out of the list fails here at once, naming it (the solver would need a model over
    /// quantified clauses to refute the equivalence); the manifest/* obligations then prove equivalence.
    /// </summary>
    private static List<ObligationResult> Conjuncts(Spec spec)
    {
        var results = new List<ObligationResult>();
        var bodies = new Dictionary<string, Sx>(StringComparer.Ordinal);
        foreach (Sx top in Sx.ParseAll(spec.Text))
        {
            if (top.Is("define-fun") && top.Items.Count == 5 && top.Items[1].Atom is { } n)
            {
                bodies[n] = top.Items[4];
            }
        }
        void Compare(string name, IReadOnlyList<string> listed)
        {
            if (!bodies.TryGetValue(name, out Sx? body))
            {
                results.Add(new ObligationResult($"manifest/{name}", ObligationStatus.Failed, 0,
                    $"manifest/{name} FAILED: obligations.txt names {name}, which the spec does not define", null));
                return;
            }
            if (listed.Count == 1 && listed[0] == name)
            {
                return;
            }
            var parts = new List<string>();
            foreach (Sx x in body.Is("and") ? body.Items.Skip(1) : [body])
            {
                parts.Add(x.Items.Count == 2 && x.Items[0].Atom is { } f && x.Items[1].Atom is not null ? f : x.ToString());
            }
            var missing = parts.Where(p => !listed.Contains(p)).ToList();
            var extra = listed.Where(l => !parts.Contains(l)).ToList();
            if (missing.Count + extra.Count > 0)
            {
                results.Add(new ObligationResult($"manifest/{name}", ObligationStatus.Failed, 0,
                    $"manifest/{name} FAILED: {name} is the conjunction of {string.Join(", ", parts)}" +
                    (missing.Count > 0 ? $"; obligations.txt leaves out {string.Join(", ", missing)}" : string.Empty) +
                    (extra.Count > 0 ? $"; obligations.txt lists {string.Join(", ", extra)}, which is not a conjunct" : string.Empty), null));
            }
        }
        foreach (SpecInvariant inv in spec.Invariants)
        {
            Compare(inv.Name, inv.Clauses);
        }
        Compare("Inv", spec.Invariants.Select(i => i.Name).ToList());
        return results;
    }
}
