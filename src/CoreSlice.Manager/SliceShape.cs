namespace CoreSlice.Manager;

/// <summary>What an operator asks the manager for: sizes, not addresses.</summary>
/// <param name="Cores">Number of cores.</param>
/// <param name="MemoryBytes">Bytes of memory (rounded up to the granule).</param>
/// <param name="Devices">Number of devices.</param>
/// <param name="Ways">Number of cache ways.</param>
public sealed record SliceShape(int Cores, ulong MemoryBytes, int Devices, int Ways);
