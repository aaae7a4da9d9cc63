namespace CoreSlice.Cli;

/// <summary>
/// Runs a subcommand so that a bad input or a broken environment is one line on
/// stderr and exit 2, never a stack trace.
/// </summary>
internal static class Guard
{
    /// <summary>Runs <paramref name="body"/>; maps any escaping exception to one line and <see cref="ExitCode.Unusable"/>.</summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("coreslice: " + e.Message);
            return ExitCode.Unusable;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException or DllNotFoundException)
        {
            Console.Error.WriteLine("coreslice: " + OneLine(e.Message));
            return ExitCode.Unusable;
        }
        catch (Exception e)
        {
            // A bug of ours, not the user's input: still one line, but say that it is one.
            Console.Error.WriteLine($"coreslice: internal error ({e.GetType().Name}): {OneLine(e.Message)}");
            return ExitCode.Unusable;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}

/// <summary>A problem with what the user gave us, worded for the user.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates one.</summary>
    public UsageException(string message) : base(message)
    {
    }

    /// <summary>Creates one.</summary>
    public UsageException()
    {
    }

    /// <summary>Creates one.</summary>
    public UsageException(string message, Exception inner) : base(message, inner)
    {
    }
}
