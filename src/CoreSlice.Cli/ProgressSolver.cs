using System.Globalization;
using CoreSlice.Proofs;

namespace CoreSlice.Cli;

/// <summary>
/// A solver that counts its answers (one-shot runs and its sessions' queries) for <c>verify</c>'s progress
/// line and otherwise passes every script and session through unchanged: the runner asks from two threads, so the count is atomic and the line
/// is written under a lock. Cached proofs never reach the solver and are not counted.
/// </summary>
internal sealed class ProgressSolver(ISolver inner, Progress shown, int obligations) : ISolver
{
    private readonly object gate = new();
    private readonly long started = Environment.TickCount64;
    private int answered;

    /// <inheritdoc/>
    public string Description => inner.Description;

    /// <inheritdoc/>
    public bool IsZ3 => inner.IsZ3;

    /// <inheritdoc/>
    public string Run(string script, int timeoutMs)
    {
        string output = inner.Run(script, timeoutMs);
        Answered();
        return output;
    }

    /// <inheritdoc/>
    public PreludeSession? OpenSession(string specText, int budgetMs)
    {
        PreludeSession? session = inner.OpenSession(specText, budgetMs);
        if (session is not null)
        {
            session.Answered += Answered;
        }
        return session;
    }

    private void Answered()
    {
        int done = Interlocked.Increment(ref answered);
        lock (gate)
        {
            shown.Every(string.Create(CultureInfo.InvariantCulture,
                $"verify: {done} solver answers, {obligations} obligations, {(Environment.TickCount64 - started) / 1000.0:F0} s"));
        }
    }
}
