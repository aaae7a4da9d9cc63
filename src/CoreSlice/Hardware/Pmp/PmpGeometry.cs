using System.Numerics;

namespace CoreSlice.Hardware.Pmp;

/// <summary>
/// What a RISC-V hart's PMP looks like to the sliceloader: how many entries each
/// hart has (16 or 64 on real parts), the granularity G (regions of at least
/// 2^(G+2) bytes), and where the CLINT's <c>msip</c> words are (hart h's word at
/// <see cref="MsipBase"/> + 4h). A hart sends an IPI by storing to another hart's
/// <c>msip</c> word, so PMP entries over those words are the IPI filter.
/// </summary>
/// <param name="Entries">PMP entries per hart.</param>
/// <param name="Granularity">G: the smallest region is 2^(G+2) bytes.</param>
/// <param name="MsipBase">Physical address of hart 0's msip word (CLINT base).</param>
/// <param name="Harts">Number of harts (the machine's cores), so of msip words.</param>
public readonly record struct PmpGeometry(int Entries, int Granularity, ulong MsipBase, int Harts)
{
    /// <summary>Most entries the privileged specification allows.</summary>
    public const int MaxEntries = 64;

    /// <summary>Bytes of one msip word.</summary>
    public const ulong MsipWord = 4;

    /// <summary>The smallest region size, 2^(G+2) bytes.</summary>
    public ulong Grain => 1UL << (Granularity + 2);

    /// <summary>The msip word of <paramref name="hart"/>.</summary>
    public ulong MsipAddress(int hart) => MsipBase + (MsipWord * (ulong)hart);

    /// <summary>The problem with this geometry on a machine of <paramref name="granule"/>-byte granules, or null.</summary>
    public string? Problem(ulong granule)
    {
        if (Entries < 2 || Entries > MaxEntries)
        {
            return $"pmp.entries: {Entries} is not in 2..{MaxEntries}";
        }
        if (Granularity != 0)
        {
            // One hart's msip word is 4 bytes: any coarser grain would hand a slice its neighbours' words too (S4).
            return $"pmp.granularity: G = {Granularity} cannot fence one hart's 4-byte msip word (G must be 0)";
        }
        if (granule < Grain || !BitOperations.IsPow2(granule))
        {
            return $"pmp.granularity: the granule 0x{granule:x} is not a multiple of 2^(G+2)";
        }
        if (Harts < 1 || Harts > Limits.MaxCores)
        {
            return $"pmp.harts: {Harts} is not in 1..{Limits.MaxCores}";
        }
        if ((MsipBase & (MsipWord - 1)) != 0 || MsipBase > ulong.MaxValue - (MsipWord * (ulong)Harts))
        {
            return $"pmp.clint: 0x{MsipBase:x} is not 4-byte aligned or its {Harts} msip words wrap past 2^64";
        }
        return null;
    }
}
