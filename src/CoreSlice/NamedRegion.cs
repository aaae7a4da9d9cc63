namespace CoreSlice;

/// <summary>A reserved memory region with a name a person can recognise ("slicevisor", "slice-table", "firmware").</summary>
public sealed record NamedRegion(string Name, MemoryRange Range);
