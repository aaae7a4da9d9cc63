using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Harness.Pmp;

/// <summary>One hart's programmed entries.</summary>
internal sealed record HartEntries(int Hart, string Slice, PmpEntry[] Entries, int Used);

/// <summary>A slice the slicevisor refused or could not start.</summary>
internal sealed record Refusal(string Slice, string Operation, SliceError Error, int Subject);

/// <summary>
/// What <see cref="PmpBoot"/> found: the machine's PMP geometry, the entries of every hart of every
/// started slice (in layout order), and every slice that was refused. Printed by <see cref="PmpReportWriter"/>.
/// </summary>
internal sealed record PmpBootReport(PmpGeometry Geometry, IReadOnlyList<HartEntries> Harts, IReadOnlyList<Refusal> Refusals)
{
    /// <summary>True when every slice was created and started.</summary>
    public bool AllStarted => Refusals.Count == 0;
}
