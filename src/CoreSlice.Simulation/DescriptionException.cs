namespace CoreSlice.Simulation;

/// <summary>
/// A machine description that cannot be used: malformed JSON, an unknown or
/// missing field, a wrong type, a bad number, or a machine that
/// <see cref="ConfigErrorText.Problems"/> rejects. Carries where (file, 1-based line
/// and column) and what was expected; <see cref="Exception.Message"/> reads
/// <c>file:line:col: problem</c>.
/// </summary>
public sealed class DescriptionException : Exception
{
    /// <summary>Creates an exception with no position (prefer the positional constructor).</summary>
    public DescriptionException()
        : this("the machine description is unusable")
    {
    }

    /// <summary>Creates an exception with no position (prefer the positional constructor).</summary>
    public DescriptionException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates an exception with no position, wrapping <paramref name="innerException"/>.</summary>
    public DescriptionException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = message;
        Problems = [message];
    }

    /// <summary>A problem at <paramref name="line"/>:<paramref name="column"/> of <paramref name="file"/> (null: text given directly).</summary>
    public DescriptionException(string? file, int line, int column, string problem, IReadOnlyList<string>? problems = null, Exception? innerException = null)
        : base(line == 0 ? $"{file ?? "<description>"}: {problem}" : $"{file ?? "<description>"}:{line}:{column}: {problem}", innerException)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
        Problems = problems ?? [problem];
    }

    /// <summary>The file read, or null when the description was given as text.</summary>
    public string? File { get; }

    /// <summary>1-based line of the problem (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>1-based column (in characters) of the problem (0 when unknown).</summary>
    public int Column { get; }

    /// <summary>What is wrong and what was expected, without the position.</summary>
    public string Problem { get; }

    /// <summary>Every problem found (several when <see cref="ConfigErrorText.Problems"/> reports several); the first is <see cref="Problem"/>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
