namespace CoreSlice.Mutants;

/// <summary>One search/replace in one file of src/CoreSlice: <see cref="Original"/> must occur there exactly once.</summary>
public sealed record Rewrite(string File, string Original, string Mutant);

/// <summary>
/// One bug of the catalogue: a source mutant of the trusted core. <see cref="ModelCheckSays"/>
/// lists text the model checker's report must contain when the mutant is applied (optional).
/// </summary>
public sealed record BugMutant(string Name, string Site, string Mistake, IReadOnlyList<Rewrite> Rewrites, IReadOnlyList<string> ModelCheckSays)
{
    /// <summary>
    /// Applies every rewrite to the copy of src/CoreSlice at <paramref name="sourceRoot"/>;
    /// throws <see cref="CatalogueException"/> when an original text is not there exactly once
    /// (the code moved: the mutant must be updated, never silently skipped).
    /// </summary>
    public void ApplyTo(string sourceRoot)
    {
        foreach (Rewrite r in Rewrites)
        {
            string path = Path.Combine(sourceRoot, r.File);
            string text = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
            int found = Occurrences(text, r.Original);
            if (found != 1)
            {
                throw new CatalogueException($"{Name}: the expected original text occurs {found} times in src/CoreSlice/{r.File} (must be exactly once):\n{r.Original}");
            }
            File.WriteAllText(path, text.Replace(r.Original, r.Mutant, StringComparison.Ordinal));
        }
    }

    /// <summary>The number of (non-overlapping) occurrences of <paramref name="what"/> in <paramref name="text"/>.</summary>
    public static int Occurrences(string text, string what)
    {
        int n = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}

/// <summary>A catalogue file that cannot be read or applied.</summary>
public sealed class CatalogueException(string message) : Exception(message);

/// <summary>
/// The catalogue: tests/CoreSlice.Mutants/catalogue/NN-Name.mutant, in file-name order. A file is
/// header lines (<c>site:</c>, <c>mistake:</c>, optional <c>modelcheck-says:</c>) and then one or more
/// blocks <c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; file</c> / original lines / <c>=======</c> / mutant lines / <c>&gt;&gt;&gt;&gt;&gt;&gt;&gt;</c>.
/// </summary>
public static class Catalogue
{
    public static IReadOnlyList<BugMutant> Load(string directory)
    {
        var all = new List<BugMutant>();
        foreach (string file in Directory.GetFiles(directory, "*.mutant").Order(StringComparer.Ordinal))
        {
            all.Add(Parse(Path.GetFileNameWithoutExtension(file), File.ReadAllText(file)));
        }
        return all;
    }

    public static BugMutant Parse(string fileName, string content)
    {
        string name = fileName.Contains('-', StringComparison.Ordinal) ? fileName[(fileName.IndexOf('-', StringComparison.Ordinal) + 1)..] : fileName;
        string[] lines = content.ReplaceLineEndings("\n").Split('\n');
        string? site = null, mistake = null;
        var says = new List<string>();
        var rewrites = new List<Rewrite>();
        int i = 0;
        for (; i < lines.Length && !lines[i].StartsWith("<<<<<<< ", StringComparison.Ordinal); i++)
        {
            string line = lines[i];
            if (line.StartsWith("site: ", StringComparison.Ordinal)) { site = line[6..]; }
            else if (line.StartsWith("mistake: ", StringComparison.Ordinal)) { mistake = line[9..]; }
            else if (line.StartsWith("modelcheck-says: ", StringComparison.Ordinal)) { says.Add(line[17..]); }
            else if (line.Length > 0) { throw new CatalogueException($"{fileName}: line {i + 1} is not a header (site:, mistake:, modelcheck-says:)"); }
        }
        while (i < lines.Length && lines[i].StartsWith("<<<<<<< ", StringComparison.Ordinal))
        {
            string file = lines[i][8..].Trim();
            int sep = Array.IndexOf(lines, "=======", i + 1);
            int end = sep < 0 ? -1 : Array.IndexOf(lines, ">>>>>>>", sep + 1);
            if (sep < 0 || end < 0)
            {
                throw new CatalogueException($"{fileName}: block at line {i + 1} has no ======= or >>>>>>>");
            }
            string original = string.Join('\n', lines[(i + 1)..sep]) + "\n";
            string mutant = end == sep + 1 ? "" : string.Join('\n', lines[(sep + 1)..end]) + "\n";
            if (original.Trim().Length == 0)
            {
                throw new CatalogueException($"{fileName}: block at line {i + 1} has an empty original");
            }
            rewrites.Add(new Rewrite(file, original, mutant));
            i = end + 1;
            while (i < lines.Length && lines[i].Length == 0)
            {
                i++;
            }
        }
        if (i < lines.Length || site is null || mistake is null || rewrites.Count == 0)
        {
            throw new CatalogueException($"{fileName}: needs site:, mistake: and at least one block, and nothing after the last block");
        }
        return new BugMutant(name, site, mistake, rewrites, says);
    }
}
