namespace CoreSlice.Hardware.Pmp;

/// <summary>
/// A hardware port whose memory and IPI filters are RISC-V PMP entries (and CLINT
/// <c>msip</c> words behind them) rather than abstract range registers. The
/// sliceloader programs such a core with <see cref="PmpEncoder"/>'s entries; the
/// slicevisor's validator refuses a slice whose entries would not fit.
/// <para>
/// Hardware semantics the port must have (privileged specification): a write to an
/// entry whose L bit is set is ignored, and so is a write to pmpaddr[i] when entry
/// i+1 is a locked TOR entry; only the core-local secure reset clears L. The abstract
/// range-register and IPI-mask methods of <see cref="IHardwarePort"/> do not exist on
/// such a core (writes are refused, reads are disabled/empty); the way mask and
/// <see cref="IHardwarePort.LockFilters"/> keep their meaning.
/// </para>
/// </summary>
public interface IPmpPort : IHardwarePort
{
    /// <summary>The PMP geometry of every hart (fixed by the hardware).</summary>
    PmpGeometry Geometry { get; }

    /// <summary>Writes entry <paramref name="index"/> of <paramref name="core"/>. False when the hardware ignored the write (locked).</summary>
    bool WritePmpEntry(int core, int index, PmpEntry value);

    /// <summary>Reads entry <paramref name="index"/> of <paramref name="core"/> back (WARL-legalized values).</summary>
    PmpEntry ReadPmpEntry(int core, int index);
}
