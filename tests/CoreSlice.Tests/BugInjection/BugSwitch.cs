using CoreSlice.Faults;
using Xunit;

namespace CoreSlice.Tests.BugInjection;

/// <summary>
/// Every test that turns a bug on runs in this collection, one at a time. The switch is
/// [ThreadStatic], so tests elsewhere (other threads) never see a bug anyway; the
/// collection keeps these long tests from competing with each other for the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BugInjectionCollection
{
    public const string Name = "bug injection";
}

/// <summary>Turns a bug on for the current thread until disposed; restores <see cref="Bug.None"/> even when a check throws.</summary>
internal readonly struct BugSwitch : IDisposable
{
    private BugSwitch(Bug bug) => InjectedBug.Active = bug;

    public static BugSwitch Apply(Bug bug) => new(bug);

    /// <summary>The bug on this thread: a layer that runs checks on other threads must re-apply it there.</summary>
    public static Bug Current => InjectedBug.Active;

    public void Dispose() => InjectedBug.Active = Bug.None;
}
