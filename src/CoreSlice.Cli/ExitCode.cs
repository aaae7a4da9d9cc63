namespace CoreSlice.Cli;

/// <summary>Every subcommand's exit codes (docs/design.md, "The coreslice command").</summary>
internal static class ExitCode
{
    /// <summary>What was checked holds.</summary>
    public const int Holds = 0;

    /// <summary>Something is wrong with what was checked.</summary>
    public const int Violated = 1;

    /// <summary>The input or the environment is unusable.</summary>
    public const int Unusable = 2;
}
