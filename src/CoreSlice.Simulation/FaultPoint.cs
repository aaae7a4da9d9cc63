namespace CoreSlice.Simulation;

/// <summary>The kinds of hardware step <see cref="SimulatedMachine.FailAt"/> can fault, counted machine-wide.</summary>
public enum FaultPoint
{
    /// <summary>A filter-register write (range, IPI mask, way mask; on the PMP port a PMP entry) that is accepted: it stores a different value.</summary>
    RegisterWrite = 0,
    /// <summary>A readback through the port (range register, IPI mask, way mask, lock bit; on the PMP port a PMP entry): it returns a wrong value.</summary>
    Readback = 1,
    /// <summary>A secure reset: it fails and the core halts.</summary>
    Reset = 2,
    /// <summary>An IOMMU window change (set or close): it fails and the window stays as it was.</summary>
    IommuChange = 3,
}
