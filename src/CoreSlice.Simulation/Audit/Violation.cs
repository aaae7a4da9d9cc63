namespace CoreSlice.Simulation.Audit;

/// <summary>One broken invariant: its name as in docs/design.md and spec/ (e.g. <c>I2_FilterSoundness</c>) and a sentence naming the core, slot, device or range.</summary>
public readonly record struct Violation(string Invariant, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Invariant}: {Message}";
}

/// <summary>How the audit and the oracle name owners and writers in their sentences.</summary>
public static class OwnerText
{
    /// <summary>"slot 3", "the control slice", "reserved memory", "nobody (free)", "no RAM", "an unknown writer".</summary>
    public static string Describe(int owner) => owner switch
    {
        Owner.Control => "the control slice",
        Owner.Free => "nobody (free)",
        Owner.Reserved => "reserved memory",
        Owner.None => "nobody",
        MemoryWriter.Unknown => "an unknown writer",
        _ => $"slot {owner}",
    };
}
