using CoreSlice.Simulation.Json;
namespace CoreSlice.Harness.Check;

/// <summary>
/// Checks that an input path names a readable file before anything reads it, so a
/// directory, a missing file or an unreadable one is one positioned line
/// ("file:0:0: ...") rather than an operating-system message about access.
/// </summary>
internal static class InputFiles
{
    /// <summary>Throws <see cref="InputException"/> unless <paramref name="path"/> is a readable file.</summary>
    public static void MustBeReadable(string path, string what)
    {
        var at = new Position(path, 0, 0);
        if (Directory.Exists(path))
        {
            throw new InputException(at, $"is a directory, not a {what} file");
        }
        if (!File.Exists(path))
        {
            throw new InputException(at, $"no such {what} file");
        }
        try
        {
            using FileStream probe = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(at, $"cannot read the {what} file (permission denied or locked)");
        }
    }
}
