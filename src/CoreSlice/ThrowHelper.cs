using System.Diagnostics.CodeAnalysis;

namespace CoreSlice;

/// <summary>
/// The trusted core's throws, out of line: only construction paths and broken
/// internal invariants reach them, never a caller's request (those get a
/// <see cref="SliceError"/>). Keeping them here keeps the hot paths free of
/// exception construction and makes every throw site easy to list.
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void UnusableMachine(IReadOnlyList<ConfigError> errors) => throw new MachineConfigException(errors);

    [DoesNotReturn]
    public static void ArgumentOutOfRange(string name) => throw new ArgumentOutOfRangeException(name);

    [DoesNotReturn]
    public static void Argument(string name) => throw new ArgumentException(null, name);

    [DoesNotReturn]
    public static void PlatformNotSupported() => throw new PlatformNotSupportedException();
}

/// <summary>The slicevisor was given a machine description with problems: <see cref="Errors"/> lists them (the first is the first the checks found).</summary>
public sealed class MachineConfigException : ArgumentException
{
    /// <summary>A description with the problems <paramref name="errors"/>.</summary>
    public MachineConfigException(IReadOnlyList<ConfigError> errors)
        : base("unusable machine description", "config") => Errors = errors;

    /// <summary>An exception with no listed problem (for serializers and analyzers).</summary>
    public MachineConfigException()
        : this([])
    {
    }

    /// <summary>An exception with a message and no listed problem.</summary>
    public MachineConfigException(string message)
        : base(message) => Errors = [];

    /// <summary>An exception with a message, a cause and no listed problem.</summary>
    public MachineConfigException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Every problem found, in check order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }
}
