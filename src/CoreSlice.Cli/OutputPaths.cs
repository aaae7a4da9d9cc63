namespace CoreSlice.Cli;

/// <summary>
/// Checks output paths before any long work starts, so a typo in a directory name
/// costs nothing: the command fails at once with exit 2 and has printed nothing.
/// </summary>
internal static class OutputPaths
{
    /// <summary>Throws unless <paramref name="file"/> (when given) can be created: its directory exists and it is not a directory.</summary>
    public static void MustBeWritableFile(FileInfo? file, string option)
    {
        if (file is null)
        {
            return;
        }
        if (Directory.Exists(file.FullName))
        {
            throw new UsageException($"{option} {file}: is a directory; give a file name");
        }
        string? parent = file.DirectoryName;
        if (parent is not null && !Directory.Exists(parent))
        {
            throw new UsageException($"{option} {file}: directory {parent} does not exist");
        }
    }

    /// <summary>Throws unless <paramref name="directory"/> exists or can be created (its parent exists).</summary>
    public static void MustBeUsableDirectory(DirectoryInfo? directory, string option)
    {
        if (directory is null)
        {
            return;
        }
        if (File.Exists(directory.FullName))
        {
            throw new UsageException($"{option} {directory}: is a file; give a directory");
        }
        string? parent = directory.Parent?.FullName;
        if (!directory.Exists && parent is not null && !Directory.Exists(parent))
        {
            throw new UsageException($"{option} {directory}: directory {parent} does not exist");
        }
    }
}
