using CoreSlice.Hardware;

namespace CoreSlice.Harness.Noninterference;

/// <summary>
/// The facts a view is built from, read from one state: the real slicevisor and its simulated machine
/// (<see cref="RealViewSource"/>) or the executable model (<see cref="ModelViewSource"/>). Which facts belong
/// to which domain is decided in one place, <see cref="DomainViews"/>, after the spec; a source only reads.
/// Owners use the sentinels of <see cref="Owner"/>.
/// </summary>
public interface IViewSource
{
    MachineConfig Config { get; }

    /// <summary>The state of <paramref name="slot"/>'s row.</summary>
    SliceState State(int slot);

    /// <summary>Row <paramref name="slot"/> as <c>NI.eq.table</c> compares it: state, entry, measurement, ranges, windows, DMA rows, with permissions.</summary>
    void Row(int slot, ViewWriter w);

    /// <summary>The owner of a core, <see cref="Owner.None"/> past the last.</summary>
    int CoreOwner(int core);

    /// <summary>The owner of a device, <see cref="Owner.None"/> past the last.</summary>
    int DeviceOwner(int device);

    int WayOwner(int way);

    /// <summary>The owner of the granule at <paramref name="address"/> (<c>memOwner</c>).</summary>
    int MemoryOwner(ulong address);

    /// <summary>The guest holding a window on <paramref name="address"/>, <see cref="Owner.Free"/> when none (<c>winOwner</c>).</summary>
    int WindowHolder(ulong address);

    /// <summary>What the guest owning or holding <paramref name="address"/> may do there (<c>addrPerm</c>; 0 when none).</summary>
    int Permission(ulong address);

    CoreMode Mode(int core);

    /// <summary>A core's lock bit, registers, IPI and way masks, entry point and the interrupts it received (what a non-Halted core shows).</summary>
    void CoreRegisters(int core, ViewWriter w);

    /// <summary>The granule at <paramref name="address"/>: its last writer and, where the source has them, its bytes.</summary>
    void Memory(ulong address, ViewWriter w);

    /// <summary>A device's IOMMU window.</summary>
    void Dma(int device, ViewWriter w);

    /// <summary>The decision log's counters and head (nothing where the source has no log).</summary>
    void Log(ViewWriter w);
}
