using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using CoreSlice.Mutants;

// Runs the bug catalogue (tests/README.md, "Bug catalogue"): every source mutant in catalogue/ is
// applied to a fresh copy of src/CoreSlice, built, swapped into copies of the built CLI and tests, and
// run through every layer; the unmodified copy is run first and must pass every layer.
//   --write   put the measured table into tests/README.md (between its markers)
//   --check   fail (exit 1) when tests/README.md does not hold the measured table (CI)
//   --only N  run only the mutant named N (and the unmodified build)
//   --jobs N  mutants built and run at once (default: the processor count)
// Exit 0: the unmodified build passes every layer, every mutant is caught by some layer (and, with
// --check, the README table is the measured one). 1: one of those fails. 2: setup or catalogue error.
string? root = FindRoot(Directory.GetCurrentDirectory()) ?? FindRoot(AppContext.BaseDirectory);
if (root is null)
{
    Console.Error.WriteLine("run-mutants: run inside the repository (no CoreSlice.sln found above here)");
    return 2;
}
bool write = args.Contains("--write");
bool check = args.Contains("--check");
string? only = Value("--only");
int jobs = int.TryParse(Value("--jobs"), out int j) && j > 0 ? j : Environment.ProcessorCount;
string cliBuild = Path.Combine(root, "src", "CoreSlice.Cli", "bin", "Release", "net10.0");
string testBuild = Path.Combine(root, "tests", "CoreSlice.Tests", "bin", "Release", "net10.0");
if (!File.Exists(Path.Combine(cliBuild, "CoreSlice.Cli.dll")) || !File.Exists(Path.Combine(testBuild, "CoreSlice.Tests.dll")))
{
    Console.Error.WriteLine("run-mutants: build first: dotnet build CoreSlice.sln -c Release");
    return 2;
}

IReadOnlyList<BugMutant> catalogue;
try
{
    catalogue = Catalogue.Load(Path.Combine(root, "tests", "CoreSlice.Mutants", "catalogue"));
}
catch (CatalogueException e)
{
    Console.Error.WriteLine("run-mutants: " + e.Message);
    return 2;
}
var selected = catalogue.Where(m => only is null || m.Name == only).ToList();
var none = new BugMutant("(none)", "", "", [], []);
var queue = new ConcurrentQueue<BugMutant>([none, .. selected]);
var results = new ConcurrentDictionary<string, (LayerOutcome[] Outcomes, string Error)>();
string work = Path.Combine(Path.GetTempPath(), $"coreslice-mutants-{Environment.ProcessId}");
string crowded = Path.Combine(root, "tests", "CoreSlice.Mutants", "crowded.json");
string board = Path.Combine(root, "examples", "machines", "polarfire-soc.json");
var clock = Stopwatch.StartNew();
Console.WriteLine($"run-mutants: {selected.Count} mutants, {jobs} at a time, in {work}");

var workers = Enumerable.Range(0, Math.Max(1, Math.Min(jobs, queue.Count))).Select(k => Task.Run(() =>
{
    string dir = Path.Combine(work, $"w{k}");
    while (queue.TryDequeue(out BugMutant? m))
    {
        var one = Stopwatch.StartNew();
        try
        {
            Prepare(root, dir, m);
            string built = Path.Combine(dir, "src", "CoreSlice", "bin", "Release", "net10.0");
            (int code, string output) = Layers.Run(Path.Combine(dir, "src", "CoreSlice"),
                ["build", "-c", "Release", "-nologo", "-v", "q", "-p:TreatWarningsAsErrors=false"]);
            if (code != 0)
            {
                throw new CatalogueException($"{m.Name} does not build:\n{output}");
            }
            CopyBuild(cliBuild, Path.Combine(dir, "cli"), built);
            CopyBuild(testBuild, Path.Combine(dir, "tests"), built);
            LayerOutcome[] outcomes = [Layers.ModelCheck(dir, m.ModelCheckSays), Layers.Simulate(dir, crowded), Layers.Unit(dir), Layers.Pmp(dir, board)];
            results[m.Name] = (outcomes, "");
            Console.WriteLine($"{m.Name} ({one.Elapsed.TotalSeconds:F0} s):");
            foreach (LayerOutcome o in outcomes)
            {
                Console.WriteLine($"  {o.Layer}: {(o.Caught ? "CAUGHT" : "passes")} - {o.Evidence}");
            }
        }
        catch (Exception e) when (e is CatalogueException or IOException or InvalidOperationException)
        {
            results[m.Name] = ([], e.Message);
            Console.WriteLine($"{m.Name}: ERROR {e.Message}");
        }
    }
})).ToArray();
Task.WaitAll(workers);
try
{
    Directory.Delete(work, recursive: true);
}
catch (IOException)
{
    // Leftovers in the temporary directory are harmless.
}

int exit = 0;
foreach ((string name, (LayerOutcome[] _, string error)) in results.Where(r => r.Value.Error.Length > 0))
{
    Console.Error.WriteLine($"run-mutants: {name}: {error}");
    exit = 2;
}
if (exit == 0 && results[none.Name].Outcomes.Any(o => o.Caught))
{
    Console.Error.WriteLine("run-mutants: the unmodified build fails a layer: " + string.Join("; ", results[none.Name].Outcomes.Where(o => o.Caught).Select(o => $"{o.Layer}: {o.Evidence}")));
    exit = 1;
}
foreach (BugMutant m in selected.Where(m => exit == 0 && results[m.Name].Outcomes.All(o => !o.Caught)))
{
    Console.Error.WriteLine($"run-mutants: {m.Name} is caught by no layer");
    exit = 1;
}
Console.WriteLine($"run-mutants: {selected.Count} mutants and the unmodified build in {clock.Elapsed.TotalSeconds:F0} s wall");
if (exit != 0 || only is not null)
{
    return exit;
}

string table = Table(selected, results.ToDictionary(r => r.Key, r => r.Value.Outcomes));
Console.Write(table);
string readmePath = Path.Combine(root, "tests", "README.md");
string readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
const string Begin = "<!-- bug table: measured by tests/CoreSlice.Mutants/run-mutants.sh; CI checks it -->\n";
const string End = "<!-- end of bug table -->";
int from = readme.IndexOf(Begin, StringComparison.Ordinal);
int to = readme.IndexOf(End, StringComparison.Ordinal);
if (from < 0 || to < from)
{
    Console.Error.WriteLine("run-mutants: tests/README.md has no bug-table markers");
    return 2;
}
string current = readme[(from + Begin.Length)..to];
if (write)
{
    File.WriteAllText(readmePath, readme[..(from + Begin.Length)] + table + readme[to..]);
    Console.WriteLine("run-mutants: table written to tests/README.md");
}
else if (check && current != table)
{
    Console.Error.WriteLine("run-mutants: tests/README.md does not hold the measured table; it should read:\n" + table);
    return 1;
}
return 0;

string? Value(string flag)
{
    int at = Array.IndexOf(args, flag);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static string? FindRoot(string start)
{
    for (string? d = start; d is not null; d = Path.GetDirectoryName(d))
    {
        if (File.Exists(Path.Combine(d, "CoreSlice.sln")))
        {
            return d;
        }
    }
    return null;
}

// A fresh copy of src/CoreSlice (sources only; the worker's obj/ is kept for incremental restore) with the mutant applied.
static void Prepare(string root, string dir, BugMutant m)
{
    string source = Path.Combine(root, "src", "CoreSlice");
    string target = Path.Combine(dir, "src", "CoreSlice");
    Directory.CreateDirectory(target);
    foreach (string f in Directory.GetFiles(target, "*", SearchOption.AllDirectories).Where(f => !IsBuildOutput(target, f)))
    {
        File.Delete(f);
    }
    foreach (string f in Directory.GetFiles(source, "*", SearchOption.AllDirectories).Where(f => !IsBuildOutput(source, f)))
    {
        string to = Path.Combine(target, Path.GetRelativePath(source, f));
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(f, to, overwrite: true);
    }
    File.Copy(Path.Combine(root, "Directory.Build.props"), Path.Combine(dir, "Directory.Build.props"), overwrite: true);
    File.Copy(Path.Combine(root, ".editorconfig"), Path.Combine(dir, ".editorconfig"), overwrite: true);
    m.ApplyTo(target);
}

static bool IsBuildOutput(string projectDir, string file)
{
    string rel = Path.GetRelativePath(projectDir, file).Replace('\\', '/');
    return rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal);
}

// A copy of a built output directory with the (mutant) CoreSlice.dll and .pdb swapped in.
static void CopyBuild(string from, string to, string coreSlice)
{
    if (Directory.Exists(to))
    {
        Directory.Delete(to, recursive: true);
    }
    foreach (string f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
    {
        string target = Path.Combine(to, Path.GetRelativePath(from, f));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(f, target);
    }
    foreach (string name in new[] { "CoreSlice.dll", "CoreSlice.pdb" })
    {
        File.Copy(Path.Combine(coreSlice, name), Path.Combine(to, name), overwrite: true);
    }
}

static string Table(IReadOnlyList<BugMutant> mutants, IReadOnlyDictionary<string, LayerOutcome[]> outcomes)
{
    var t = new StringBuilder();
    t.Append("| # | bug | mutated in `src/CoreSlice/` | the mistake |");
    foreach (string layer in Layers.Names)
    {
        t.Append($" {layer} |");
    }
    t.Append("\n|---|---|---|---|").Append(string.Concat(Layers.Names.Select(_ => ":-:|"))).Append('\n');
    int n = 1;
    foreach (BugMutant m in mutants)
    {
        t.Append($"| {n++} | `{m.Name}` | {m.Site} | {m.Mistake} |");
        foreach (LayerOutcome o in outcomes[m.Name])
        {
            t.Append(o.Caught ? " caught |" : " — |");
        }
        t.Append('\n');
    }
    return t.ToString();
}
