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

    /// <summary>
    /// The first problem with this geometry on a machine of <paramref name="granule"/>-byte
    /// granules and <paramref name="cores"/> cores, as a value (the trusted core builds no text),
    /// or null when it is usable.
    /// </summary>
    public ConfigError? Problem(ulong granule, int cores)
    {
        if (Entries < 2 || Entries > MaxEntries)
        {
            return new ConfigError(ConfigField.PmpEntries, ConfigProblem.OutOfRange, -1, -1, (ulong)Entries, 0);
        }
        if (Granularity != 0)
        {
            // One hart's msip word is 4 bytes: any coarser grain would hand a slice its neighbours' words too (S4).
            return new ConfigError(ConfigField.PmpGranularity, ConfigProblem.PmpGrainTooCoarse, -1, -1, unchecked((ulong)Granularity), 0);
        }
        if (granule < Grain || !BitOperations.IsPow2(granule))
        {
            return new ConfigError(ConfigField.Granule, ConfigProblem.GranuleFinerThanPmpGrain, -1, -1, granule, Grain);
        }
        if (Harts < 1 || Harts > Limits.MaxCores)
        {
            return new ConfigError(ConfigField.PmpHarts, ConfigProblem.OutOfRange, -1, -1, unchecked((ulong)Harts), 0);
        }
        if (Harts != cores)
        {
            return new ConfigError(ConfigField.PmpHarts, ConfigProblem.HartsDifferFromCores, -1, -1, (ulong)Harts, unchecked((ulong)cores));
        }
        if ((MsipBase & (MsipWord - 1)) != 0)
        {
            return new ConfigError(ConfigField.PmpClint, ConfigProblem.Unaligned, -1, -1, MsipBase, MsipWord * (ulong)Harts);
        }
        if (MsipBase > ulong.MaxValue - (MsipWord * (ulong)Harts))
        {
            return new ConfigError(ConfigField.PmpClint, ConfigProblem.EmptyOrWraps, -1, -1, MsipBase, MsipWord * (ulong)Harts);
        }
        return null;
    }
}
