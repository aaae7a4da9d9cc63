using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// <c>verify --cache DIR</c>: a proved obligation is remembered under the SHA-256 of the exact query
/// text (spec included, the time limit excluded), the solver and its version. Any change to the spec,
/// the query, the solver or its version gives another key, so a changed obligation is always proved
/// again; only "proved" is remembered (a failure is always re-run, to print its counterexample).
/// The directory also keeps each obligation's last time, to run the longest first.
/// </summary>
public sealed class ProofCache
{
    private readonly string dir;
    private readonly object gate = new();
    private readonly Dictionary<string, long> timings = new(StringComparer.Ordinal);

    /// <summary>Opens (creates) the cache directory.</summary>
    public ProofCache(string dir)
    {
        this.dir = dir;
        Directory.CreateDirectory(dir);
        string t = Path.Combine(dir, "timings.tsv");
        if (File.Exists(t))
        {
            foreach (string line in File.ReadAllLines(t))
            {
                string[] p = line.Split('\t');
                if (p.Length == 2 && long.TryParse(p[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long ms))
                {
                    timings[p[0]] = ms;
                }
            }
        }
    }

    /// <summary>The key of a query for a solver.</summary>
    public static string Key(string solverDescription, string script)
    {
        // the time limit is not part of what is proved
        int at = script.IndexOf("(set-option :timeout ", StringComparison.Ordinal);
        if (at >= 0)
        {
            int end = script.IndexOf('\n', at);
            script = script.Remove(at, end - at + 1);
        }
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(solverDescription + "\n" + script));
        return Convert.ToHexString(hash).ToLowerInvariant();
    }

    /// <summary>True when this exact query was proved by this solver before.</summary>
    public bool IsProved(string key) => File.Exists(Path.Combine(dir, key + ".proved"));

    /// <summary>Remembers a proof.</summary>
    public void Proved(string key, string name) => File.WriteAllText(Path.Combine(dir, key + ".proved"), name + "\n");

    /// <summary>The last time of an obligation (0 when unknown).</summary>
    public long LastMs(string name)
    {
        lock (gate)
        {
            return timings.GetValueOrDefault(name);
        }
    }

    /// <summary>Records the times of a run (solver time, not cache hits).</summary>
    public void SaveTimings(IEnumerable<ObligationResult> results)
    {
        lock (gate)
        {
            foreach (ObligationResult r in results.Where(r => r.Detail != Cached))
            {
                timings[r.Name] = r.Milliseconds;
            }
            File.WriteAllLines(Path.Combine(dir, "timings.tsv"),
                timings.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}\t{t.Value.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    /// <summary>The detail of a result answered from the cache.</summary>
    public const string Cached = "cached: proved before by this solver, query unchanged";
}
