using System.Reflection;

namespace CoreSlice.Proofs;

/// <summary>An operation of the model as the manifest lists it.</summary>
/// <param name="Name">The transition's name (CreateSlice).</param>
/// <param name="ArgsSort">The sort of its arguments (CreateArgs).</param>
/// <param name="IsGuest">True for guest (hardware-checked) actions: T3 applies.</param>
/// <param name="CanSucceed">False when success is unreachable by design (a reset request).</param>
/// <param name="IsObserver">True for calls that change nothing but the decision log (Attest, DrainLog): T4 applies.</param>
public sealed record SpecOperation(string Name, string ArgsSort, bool IsGuest, bool CanSucceed, bool IsObserver = false);

/// <summary>
/// A lemma proved as its own obligation. <paramref name="Kind"/> is "closed" (a Bool constant,
/// bit-blasted), "state" (a predicate of s) or an operation name (a predicate of s a s2).
/// <paramref name="Uses"/> are its hypotheses (invariants/clauses of s, pre, step, earlier lemmas).
/// <paramref name="InstanceOf"/>, when set, names the closed lemma it is nothing but instances of (checked
/// structurally by <see cref="SpecChecks"/>; no solver query).
/// </summary>
public sealed record SpecLemma(string Name, string Kind, IReadOnlyList<string> Uses, string? InstanceOf = null);

/// <summary>An invariant and the named clauses it is the conjunction of.</summary>
public sealed record SpecInvariant(string Name, IReadOnlyList<string> Clauses);

/// <summary>
/// A spec: the SMT-LIB2 text (files concatenated in name order) and the
/// manifest <c>obligations.txt</c> that names invariants, operations and properties.
/// </summary>
public sealed class Spec
{
    /// <summary>All spec files, concatenated in file-name order.</summary>
    public required string Text { get; init; }

    /// <summary>The manifest's text (obligations.txt).</summary>
    public string Manifest { get; init; } = string.Empty;

    /// <summary>Where the text leaves the closed spec language ("file:line: reason"); empty when it does not.</summary>
    public IReadOnlyList<string> LanguageProblems { get; init; } = [];

    /// <summary>Where it came from (a directory, or "built-in").</summary>
    public required string Source { get; init; }

    /// <summary>Invariants, in manifest order.</summary>
    public required IReadOnlyList<SpecInvariant> Invariants { get; init; }

    /// <summary>Operations, in manifest order.</summary>
    public required IReadOnlyList<SpecOperation> Operations { get; init; }

    /// <summary>State properties proved from the invariant.</summary>
    public required IReadOnlyList<string> Properties { get; init; }

    /// <summary>Closed lemmas (Bool define-funs) proved on their own by bit-blasting.</summary>
    public required IReadOnlyList<string> Lemmas { get; init; }

    /// <summary>
    /// Closed lemmas proved from instances of earlier closed lemmas: the spec's <c>&lt;name&gt;.steps</c> (same
    /// variables as the lemma's forall) is a conjunction of calls to lemmas listed before it, assumed in the proof.
    /// </summary>
    public IReadOnlySet<string> SteppedLemmas { get; init; } = new HashSet<string>();

    /// <summary>Lemmas about states and steps (proved, then assumable by step obligations).</summary>
    public IReadOnlyList<SpecLemma> StepLemmas { get; init; } = [];

    /// <summary>Operations whose noninterference unwinding conditions are proved (manifest <c>noninterference &lt;Op&gt;</c>).</summary>
    public IReadOnlyList<string> Noninterference { get; init; } = [];

    /// <summary>Hypothesis selection: obligation name → the only items it assumes.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Uses { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// Instance hints: <c>at Inv/&lt;P&gt;#k (&lt;clause&gt; s x...)</c> → the hint terms of the k-th conjunct of property P,
    /// over that conjunct's own bound variables. A property with hints is proved conjunct by conjunct (Inv/P#k), each at
    /// fresh constants for its variables, with each hint asserted: the clause's forall body at those points, written out
    /// from its definition (<see cref="ConjunctObligations"/>). The clause must be among the obligation's hypotheses
    /// (<see cref="SpecChecks"/> reports a hint that is not, and it is dropped).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Hints { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// Opaque functions: obligation name → the define-funs its script declares without their bodies
    /// (<see cref="OpaqueFunctions"/>; manifest <c>opaque &lt;obligation&gt; &lt;define-fun&gt;...</c>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Opaque { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Loads a spec directory. Throws <see cref="SpecException"/> with a one-line reason.</summary>
    public static Spec FromDirectory(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new SpecException($"spec directory not found: {dir}");
        }
        string[] files = Directory.GetFiles(dir, "*.smt2");
        Array.Sort(files, StringComparer.Ordinal);
        string manifest = Path.Combine(dir, "obligations.txt");
        if (files.Length == 0 || !File.Exists(manifest))
        {
            throw new SpecException($"{dir} holds no *.smt2 files or no obligations.txt");
        }
        var text = new System.Text.StringBuilder();
        foreach (string f in files)
        {
            text.Append(SpecLanguage.FileMarker).Append(Path.GetFileName(f)).Append('\n').Append(File.ReadAllText(f)).Append('\n');
        }
        return Parse(text.ToString(), File.ReadAllText(manifest), Path.GetFullPath(dir));
    }

    /// <summary>The spec embedded in this assembly at build time.</summary>
    public static Spec BuiltIn()
    {
        Assembly asm = typeof(Spec).Assembly;
        var names = new List<string>();
        foreach (string n in asm.GetManifestResourceNames())
        {
            if (n.StartsWith("spec/", StringComparison.Ordinal) && n.EndsWith(".smt2", StringComparison.Ordinal))
            {
                names.Add(n);
            }
        }
        names.Sort(StringComparer.Ordinal);
        var text = new System.Text.StringBuilder();
        foreach (string n in names)
        {
            text.Append(SpecLanguage.FileMarker).Append(n["spec/".Length..]).Append('\n').Append(ReadResource(asm, n)).Append('\n');
        }
        return Parse(text.ToString(), ReadResource(asm, "spec/obligations.txt"), "built-in");
    }

    private static string ReadResource(Assembly asm, string name)
    {
        using Stream s = asm.GetManifestResourceStream(name) ?? throw new SpecException($"built-in spec resource {name} is missing");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>Parses the manifest against the spec text.</summary>
    public static Spec Parse(string text, string manifest, string source)
    {
        var invariants = new List<SpecInvariant>();
        var operations = new List<SpecOperation>();
        var properties = new List<string>();
        var lemmas = new List<string>();
        var stepLemmas = new List<SpecLemma>();
        var stepped = new HashSet<string>(StringComparer.Ordinal);
        var uses = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var hints = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var noninterference = new List<string>();
        var opaque = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (string raw in manifest.Split('\n'))
        {
            lineNo++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (w[0])
            {
                case "invariant" when w.Length >= 2:
                    invariants.Add(new SpecInvariant(w[1], w.Length > 2 ? w[2..] : [w[1]]));
                    break;
                case "operation" when w.Length >= 3:
                    operations.Add(new SpecOperation(w[1], w[2], Array.IndexOf(w, "guest") >= 0, Array.IndexOf(w, "no-success") < 0, Array.IndexOf(w, "observer") >= 0));
                    break;
                case "noninterference" when w.Length == 2:
                    if (!operations.Exists(o => o.Name == w[1]))
                    {
                        throw new SpecException($"obligations.txt line {lineNo}: noninterference names {w[1]}, which is no operation listed before it");
                    }
                    noninterference.Add(w[1]);
                    break;
                case "property" when w.Length == 2:
                    properties.Add(w[1]);
                    break;
                case "lemma" when w.Length == 2:
                    lemmas.Add(w[1]);
                    break;
                case "lemma" when w.Length == 3 && w[2] == "steps":
                    lemmas.Add(w[1]);
                    stepped.Add(w[1]);
                    break;
                case "lemma" when w.Length >= 4 && w[3] == "uses":
                    foreach (string item in w[4..])
                    {
                        if (item is not ("pre" or "step") && !IsClause(item, invariants) && !stepLemmas.Exists(l => l.Name == item))
                        {
                            throw new SpecException($"obligations.txt line {lineNo}: lemma {w[1]} uses unknown item \"{item}\" (a clause, pre, step or an earlier lemma)");
                        }
                        if (w[2] == "state" && item is "pre" or "step")
                        {
                            throw new SpecException($"obligations.txt line {lineNo}: state lemma {w[1]} cannot use {item}");
                        }
                    }
                    stepLemmas.Add(new SpecLemma(w[1], w[2], w[4..]));
                    break;
                case "lemma" when w.Length == 4 && w[2] != "state" && w[3] == "instance":
                    throw new SpecException($"obligations.txt line {lineNo}: lemma {w[1]} instance names no closed lemma");
                case "lemma" when w.Length == 5 && w[2] != "state" && w[3] == "instance":
                    if (!lemmas.Contains(w[4]))
                    {
                        throw new SpecException($"obligations.txt line {lineNo}: lemma {w[1]} is an instance of {w[4]}, which is no closed lemma listed before it");
                    }
                    stepLemmas.Add(new SpecLemma(w[1], w[2], [], w[4]));
                    break;
                case "at" when w.Length >= 3 && w[1].Contains('/', StringComparison.Ordinal) && w[1].Contains('#', StringComparison.Ordinal):
                    {
                        string term = line[(line.IndexOf(w[1], StringComparison.Ordinal) + w[1].Length)..].Trim();
                        if (!term.StartsWith('(') || Sx.ParseAll(term).Count != 1)
                        {
                            throw new SpecException($"obligations.txt line {lineNo}: a hint is one term (<clause> s x...) or (<lemma> s a s2 x...), not \"{term}\"");
                        }
                        if (!hints.TryGetValue(w[1], out List<string>? list))
                        {
                            hints[w[1]] = list = [];
                        }
                        list.Add(term);
                        break;
                    }
                case "prove" when w.Length >= 3 && w[2] == "uses" && w[1].Contains('/', StringComparison.Ordinal):
                    foreach (string item in w[3..])
                    {
                        if (w[1].StartsWith("Inv/", StringComparison.Ordinal) && (item is "pre" or "step" || stepLemmas.Exists(l => l.Name == item && l.Kind != "state")))
                        {
                            throw new SpecException($"obligations.txt line {lineNo}: {w[1]} is about one state; it may use Inv, its clauses and state lemmas, not \"{item}\"");
                        }
                        if (item is not ("pre" or "step" or "Inv") && !IsClause(item, invariants) && !stepLemmas.Exists(l => l.Name == item)
                            && !(lemmas.Contains(item) && w[1].Contains("/NI", StringComparison.Ordinal)))
                        {
                            throw new SpecException($"obligations.txt line {lineNo}: {w[1]} uses unknown item \"{item}\" (Inv, a clause, pre, step or a lemma listed above)");
                        }
                    }
                    uses[w[1]] = w[3..];
                    break;
                case "opaque" when w.Length >= 3 && w[1].Contains('/', StringComparison.Ordinal):
                    if (opaque.ContainsKey(w[1]))
                    {
                        throw new SpecException($"obligations.txt line {lineNo}: {w[1]} has an opaque line already (list every function on one line)");
                    }
                    opaque[w[1]] = w[2..];
                    break;
                default:
                    throw new SpecException($"obligations.txt line {lineNo}: cannot read \"{line}\"");
            }
        }
        if (invariants.Count == 0 || operations.Count == 0)
        {
            throw new SpecException("obligations.txt names no invariant or no operation");
        }
        return new Spec
        {
            Text = text, Manifest = manifest, LanguageProblems = SpecLanguage.Check(text), Source = source, Invariants = invariants, Operations = operations,
            Properties = properties, Lemmas = lemmas, SteppedLemmas = stepped, StepLemmas = stepLemmas, Uses = uses,
            Hints = hints.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal),
            Noninterference = noninterference, Opaque = opaque,
        };
    }

    private static bool IsClause(string item, List<SpecInvariant> invariants) =>
        invariants.Exists(i => i.Name == item || i.Clauses.Contains(item));
}

/// <summary>The spec cannot be read: a one-line reason for the user.</summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SpecException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SpecException() { }

    /// <summary>Creates the exception.</summary>
    public SpecException(string message, Exception inner) : base(message, inner) { }
}
