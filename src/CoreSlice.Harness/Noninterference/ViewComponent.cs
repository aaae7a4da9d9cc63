namespace CoreSlice.Harness.Noninterference;

/// <summary>
/// The components of a domain's view, named and ordered as the conjuncts of <c>NI.eqv</c>
/// (spec/90-noninterference.smt2): <c>NI.eq.table</c>, <c>NI.eq.owners</c>, <c>NI.eq.cores</c>,
/// <c>NI.eq.mem</c>, <c>NI.eq.dma</c>, <c>NI.eq.log</c>.
/// </summary>
public enum ViewComponent
{
    /// <summary>What the slicevisor has recorded about the domain (a guest: its row; the control slice: the whole table).</summary>
    Table,

    /// <summary>Which cores, devices and ways it holds (the control slice: every owner map, memory, windows and permissions included).</summary>
    Owners,

    /// <summary>Its cores: mode, and for a core that is not Halted its lock, registers, masks and the interrupts it received.</summary>
    Cores,

    /// <summary>The memory it can reach: which granules, with what permission, their last writer and their contents.</summary>
    Mem,

    /// <summary>Its devices' DMA reach: each one's IOMMU window.</summary>
    Dma,

    /// <summary>The decision log (the control slice's only).</summary>
    Log,
}
