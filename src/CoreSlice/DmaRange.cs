using CoreSlice.Hardware;

namespace CoreSlice;

/// <summary>
/// One range a device of the slice may reach by DMA (one IOMMU mapping). It lies inside ONE
/// private range or ONE window of the same request, and its permissions are a non-empty
/// subset of Read|Write no wider than that range's or window's (devices never execute).
/// When a request lists no DMA ranges at all, every device of the slice reaches every
/// private range with that range's Read/Write permissions (the first wave's meaning);
/// once it lists any, a device reaches exactly the ranges listed for it, none when none is.
/// </summary>
/// <param name="Device">The device (SR-IOV virtual function); must be one of the request's devices.</param>
/// <param name="Range">The bytes the device may reach.</param>
/// <param name="Permissions">Read, Write, or Read|Write.</param>
public readonly record struct DmaRange(int Device, MemoryRange Range, Permissions Permissions);
