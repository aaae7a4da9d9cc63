namespace CoreSlice.Cli;

/// <summary>
/// Progress for long jobs: one line on stderr, rewritten in place, when stderr is a
/// terminal (or <c>--progress</c> forces it); nothing otherwise, so logs and pipes stay clean.
/// </summary>
internal sealed class Progress
{
    private readonly bool enabled;
    private readonly bool terminal;
    private int width;
    private long next;

    private Progress(bool enabled)
    {
        this.enabled = enabled;
        terminal = !Console.IsErrorRedirected;
    }

    /// <summary>Progress on when stderr is a terminal or <paramref name="forced"/>.</summary>
    public static Progress For(bool forced) => new(forced || !Console.IsErrorRedirected);

    /// <summary>Shows <paramref name="line"/> (replacing the previous one on a terminal).</summary>
    public void Show(string line)
    {
        if (!enabled)
        {
            return;
        }
        if (terminal)
        {
            Console.Error.Write("\r" + line.PadRight(width));
            width = line.Length;
        }
        else
        {
            Console.Error.WriteLine(line);
        }
    }

    /// <summary>Shows <paramref name="line"/> at most about once a second (for callers that report every step).</summary>
    public void Every(string line)
    {
        if (!enabled || Environment.TickCount64 < next)
        {
            return;
        }
        next = Environment.TickCount64 + 1000;
        Show(line);
    }

    /// <summary>Clears the line before the result is printed.</summary>
    public void Done()
    {
        if (enabled && terminal && width > 0)
        {
            Console.Error.Write("\r" + new string(' ', width) + "\r");
            width = 0;
        }
    }
}
