namespace CoreSlice.Manager;

/// <summary>What an operator asks the manager for: sizes, not addresses.</summary>
/// <param name="Cores">Number of cores.</param>
/// <param name="MemoryBytes">Bytes of memory (rounded up to the granule).</param>
/// <param name="Devices">Number of devices.</param>
/// <param name="Ways">Number of cache ways.</param>
/// <param name="DmaBytesPerDevice">
/// Each device's own read-write DMA buffer (rounded up to the granule), carved from the top of the
/// slice's first private range, one after another in device order; 0 (the default) lists no DMA
/// ranges, so every device reaches all of the slice's memory.
/// </param>
public sealed record SliceShape(int Cores, ulong MemoryBytes, int Devices, int Ways, ulong DmaBytesPerDevice = 0);
