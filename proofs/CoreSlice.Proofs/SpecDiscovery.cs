namespace CoreSlice.Proofs;

/// <summary>
/// Which spec <c>coreslice verify</c> proves when it is not told: the repository's <c>spec/</c> when the
/// tool runs inside a checkout (so an edited spec is the one proved), else the copy built into this assembly.
/// </summary>
public static class SpecDiscovery
{
    /// <summary>
    /// The spec in <paramref name="directory"/> when given; else the <c>spec/</c> that <see cref="Find"/> finds
    /// from the current directory, then from the application's directory; else <see cref="Spec.BuiltIn"/>.
    /// Throws <see cref="SpecException"/> with a one-line reason when the spec cannot be read.
    /// </summary>
    public static Spec Load(string? directory)
    {
        if (directory is not null)
        {
            return Spec.FromDirectory(directory);
        }
        string? found = Find(Directory.GetCurrentDirectory(), AppContext.BaseDirectory);
        return found is null ? Spec.BuiltIn() : Spec.FromDirectory(found);
    }

    /// <summary>
    /// The first repository spec directory at or above each of <paramref name="starts"/>, tried in order: a
    /// <c>spec/</c> holding <c>obligations.txt</c> beside a <c>CoreSlice.sln</c>. Null when there is none.
    /// </summary>
    public static string? Find(params string[] starts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        foreach (string start in starts)
        {
            for (DirectoryInfo? d = new(start); d is not null; d = d.Parent)
            {
                string candidate = Path.Combine(d.FullName, "spec");
                if (File.Exists(Path.Combine(candidate, "obligations.txt")) && File.Exists(Path.Combine(d.FullName, "CoreSlice.sln")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
