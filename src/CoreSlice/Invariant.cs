namespace CoreSlice;

/// <summary>
/// TigerBeetle-style assertions on the trusted core's own invariants (never on caller
/// input, which gets a <see cref="SliceError"/>). A broken invariant means the slicevisor's
/// state can no longer be trusted, so it halts the process rather than continue or throw
/// an exception that a caller might catch and carry on past: failing stop is the safe state.
/// </summary>
internal static class Invariant
{
    /// <summary>Halts the process with <paramref name="what"/> when <paramref name="condition"/> is false.</summary>
    public static void Holds(bool condition, string what)
    {
        if (!condition)
        {
            Halt(what);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Halt(string what) => Environment.FailFast("CoreSlice invariant broken: " + what);
}
