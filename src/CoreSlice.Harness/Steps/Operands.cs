namespace CoreSlice.Harness.Steps;

/// <summary>
/// A slot operand of a generated step: when <paramref name="Live"/>, the (<paramref name="N"/> mod count)-th
/// non-Free slot at the time the step runs (so runs keep hitting live slices); otherwise the raw number N
/// (invalid ones included).
/// </summary>
/// <param name="N">The index among live slots, or the raw slot number.</param>
/// <param name="Live">Whether <paramref name="N"/> picks among live slots.</param>
public readonly record struct SlotRef(int N, bool Live);

/// <summary>Where a generated step takes an address from, resolved against the state when the step runs.</summary>
public enum Target
{
    /// <summary>Memory the acting slice holds.</summary>
    Own,

    /// <summary>Memory another slice holds.</summary>
    OtherSlice,

    /// <summary>The control slice's memory.</summary>
    Control,

    /// <summary>A reserved region (the slicevisor's own memory among them).</summary>
    Reserved,

    /// <summary>RAM nobody holds.</summary>
    FreeRam,

    /// <summary>An address past the end of RAM.</summary>
    BeyondRam,

    /// <summary>The offset itself, as an address.</summary>
    Raw,
}
