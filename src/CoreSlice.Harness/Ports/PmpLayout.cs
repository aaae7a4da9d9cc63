using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Harness.Ports;

/// <summary>
/// The PMP geometry given to a machine that has none of its own (the model checker's scopes, the
/// built-in machines): enough entries that every slice the abstract machine accepts fits, so the two
/// ports agree on every call, and the CLINT's msip words where no memory is.
/// </summary>
public static class PmpLayout
{
    /// <summary>Where the CLINT goes when nothing is there: its usual address on RISC-V boards.</summary>
    public const ulong UsualClint = 0x0200_0000;

    private const ulong Far = 1UL << 40;

    /// <summary>
    /// 2 entries per range register (a TOR region takes a bottom and a top), 2 per run of consecutive harts (at
    /// most one run per two cores, plus one), the deny-all: at least 16 (the smaller real parts), at most 64.
    /// G = 0; the msip words at <see cref="UsualClint"/>, or that far above the next 1 TiB boundary over every region when that is taken.
    /// </summary>
    public static PmpGeometry GeometryFor(MachineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int runs = (config.CoreCount / 2) + 1;
        int entries = Math.Clamp((2 * config.RangeRegistersPerCore) + (2 * runs) + 1, 16, PmpGeometry.MaxEntries);
        ulong words = PmpGeometry.MsipWord * (ulong)config.CoreCount;
        IEnumerable<MemoryRange> taken = config.RamRegions.Concat(config.ControlMemory).Concat(config.ReservedRegions.Select(r => r.Range));
        ulong clint = UsualClint;
        if (taken.Any(r => r.Overlaps(new MemoryRange(UsualClint, words))))
        {
            // Far above memory, not right after it: the model has no CLINT, and the layers' "just beyond RAM" probes
            // must meet no msip word (a hart's own word is device memory its entries let it reach).
            ulong top = taken.Max(r => r.Base + r.Size);
            clint = top <= ulong.MaxValue - (2 * Far) ? ((top + Far - 1) & ~(Far - 1)) + UsualClint : (top + 0xFFFF) & ~0xFFFFUL;
        }
        return new PmpGeometry(entries, 0, clint, config.CoreCount);
    }
}
