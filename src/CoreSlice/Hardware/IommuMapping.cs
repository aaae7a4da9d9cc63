namespace CoreSlice.Hardware;

/// <summary>
/// One entry of a device's IOMMU window: the device may reach <paramref name="Range"/> with
/// <paramref name="Permissions"/> (Read for DMA reads, Write for DMA writes; Execute means
/// nothing to a device). An entry whose permissions hold neither Read nor Write grants nothing.
/// </summary>
public readonly record struct IommuMapping(MemoryRange Range, Permissions Permissions);
