using CoreSlice.Hardware;
using CoreSlice.Simulation.Json;
namespace CoreSlice.Harness.Check;

/// <summary>Where a problem comes from.</summary>
internal enum ProblemSource
{
    /// <summary>The real slicevisor refused the slice (a <see cref="SliceError"/>).</summary>
    Slicevisor,

    /// <summary>The machine description (<see cref="ConfigErrorText.Problems"/>, or a check of this tool).</summary>
    Machine,

    /// <summary>The layout, by a rule a request cannot express (way indices past 63, a way listed twice).</summary>
    Layout,
}

/// <summary>The other party of a conflict.</summary>
/// <param name="Kind">slice, reserved, control, machine.</param>
/// <param name="Name">The other slice's name, the reserved region's name, "control slice", or the machine field.</param>
/// <param name="Field">The field of that party ("memory[0]", "cores", "controlCores", "reserved[1]", "granule"), or null.</param>
/// <param name="At">Where that party is written (layout or machine file), or null.</param>
/// <param name="Detail">The limit or value that was exceeded ("4 range registers"), or null.</param>
internal sealed record Party(string Kind, string Name, string? Field, Position? At, string? Detail = null);

/// <summary>One thing wrong with the machine or the layout.</summary>
internal sealed record Problem
{
    public required bool IsWarning { get; init; }

    public required ProblemSource Source { get; init; }

    /// <summary>The <see cref="SliceError"/> name for slicevisor decisions; a check name otherwise.</summary>
    public required string Error { get; init; }

    /// <summary>The <see cref="SliceError"/> number, when the slicevisor decided.</summary>
    public int? Code { get; init; }

    /// <summary>The slice concerned (null for machine problems).</summary>
    public string? Slice { get; init; }

    /// <summary>The field of the slice or machine: "cores", "memory[1]", "ram[0]".</summary>
    public required string Field { get; init; }

    /// <summary>Where it is written.</summary>
    public required Position At { get; init; }

    /// <summary>The failing item: "core 3", "[0x…, 0x…)", "device 2", "way 9".</summary>
    public required string Item { get; init; }

    /// <summary>The conflicting party, if any.</summary>
    public Party? Against { get; init; }

    /// <summary>The interval in question: the overlap, the part outside RAM, or the unaligned range.</summary>
    public MemoryRange? Interval { get; init; }

    /// <summary>A sentence for people.</summary>
    public required string Message { get; init; }
}

/// <summary>
/// A window the layout declares: control memory shared by the control slice and this one guest.
/// <paramref name="Mapped"/> is true when the slicevisor accepted it, so the slice holds it.
/// </summary>
internal sealed record WindowOutcome(string Name, MemoryRange Range, Permissions Permissions, Position At, bool Mapped);

/// <summary>What became of one slice of the layout.</summary>
internal sealed record SliceOutcome
{
    public required string Name { get; init; }

    public required Position At { get; init; }

    /// <summary>The slot the slicevisor created it in, or null if it could not be created.</summary>
    public int? Slot { get; init; }

    /// <summary>True when the slicevisor accepted the slice exactly as declared.</summary>
    public required bool AsDeclared { get; init; }

    /// <summary>"created", "created without the rejected items", or why it was not created.</summary>
    public required string Status { get; init; }

    public required int[] Cores { get; init; }

    public required MemoryRange[] Memory { get; init; }

    /// <summary>The guest's permissions on each range of <see cref="Memory"/>, in the same order.</summary>
    public required Permissions[] MemoryPermissions { get; init; }

    public required int[] Devices { get; init; }

    public required int[] Ways { get; init; }

    public ulong? Entry { get; init; }

    /// <summary>Every window the layout declares for the slice, mapped or refused.</summary>
    public required WindowOutcome[] Windows { get; init; }

    /// <summary>The DMA ranges the slice holds. None with devices: each device reaches every private range (read/write as the range allows).</summary>
    public required DmaRange[] DmaRanges { get; init; }
}

/// <summary>Free memory of one RAM region after every slice was created.</summary>
internal sealed record FreeRegion(int Index, MemoryRange Ram, ulong FreeBytes, MemoryRange[] Intervals);

/// <summary>What is still free after the layout: what an operator can still place.</summary>
internal sealed record FreeResources(int[] Cores, FreeRegion[] Memory, int[] Devices, int[] Ways);

/// <summary>Everything <c>coreslice check</c> found.</summary>
internal sealed record CheckReport
{
    public required string MachineFile { get; init; }

    public required string LayoutFile { get; init; }

    public required MachineConfig Machine { get; init; }

    /// <summary>Null when the machine description itself has problems (no slice was checked).</summary>
    public required IReadOnlyList<SliceOutcome> Slices { get; init; }

    public required IReadOnlyList<Problem> Problems { get; init; }

    /// <summary>Null when the machine description itself has problems.</summary>
    public FreeResources? Free { get; init; }

    public int ErrorCount => Problems.Count(p => !p.IsWarning);

    public int WarningCount => Problems.Count(p => p.IsWarning);

    /// <summary>True when nothing but warnings was found.</summary>
    public bool Valid => ErrorCount == 0;

    public int ExitCode => Valid ? 0 : 1;
}
