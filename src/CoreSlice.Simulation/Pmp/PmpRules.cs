using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Simulation.Pmp;

/// <summary>
/// The privileged specification's PMP rules, as pure functions over a hart's
/// entries: which addresses an entry matches (with granularity G), which entry
/// decides an access (the lowest-numbered one matching any byte of it), what
/// M-mode and S/U-mode may do, and how a software write is legalized or ignored
/// (L freezes the entry, and a locked TOR entry freezes the pmpaddr below it).
/// </summary>
public static class PmpRules
{
    /// <summary>pmpaddr as the hart reads it: with G &gt;= 2 a NAPOT entry's low G-1 bits read as ones, with G &gt;= 1 an OFF/TOR entry's low G bits as zeros.</summary>
    public static ulong EffectiveAddress(PmpEntry e, int granularity)
    {
        ulong y = e.Address & PmpCfg.AddressMask;
        if (e.Mode == PmpCfg.Napot && granularity >= 2)
        {
            return y | ((1UL << (granularity - 1)) - 1);
        }
        if ((e.Mode == PmpCfg.Off || e.Mode == PmpCfg.Tor) && granularity >= 1)
        {
            return y & ~((1UL << granularity) - 1);
        }
        return y;
    }

    /// <summary>
    /// The bytes entry <paramref name="index"/> matches, as an inclusive interval [first, last];
    /// false when it matches nothing (OFF, or a TOR entry whose bottom is not below its top).
    /// </summary>
    public static bool Interval(ReadOnlySpan<PmpEntry> entries, int index, int granularity, out ulong first, out ulong last)
    {
        PmpEntry e = entries[index];
        ulong y = EffectiveAddress(e, granularity);
        first = 0;
        last = 0;
        switch (e.Mode)
        {
            case PmpCfg.Tor:
                ulong bottom = index == 0 ? 0 : EffectiveAddress(entries[index - 1], granularity);
                if (bottom >= y)
                {
                    return false;
                }
                first = bottom << 2;
                last = (y << 2) - 1;
                return true;
            case PmpCfg.Na4:
                first = y << 2;
                last = first + 3;
                return true;
            case PmpCfg.Napot:
                // Trailing ones of pmpaddr, and the zero above them, are the size: mask = y ^ (y + 1).
                ulong mask = y ^ (y + 1);
                first = (y & ~mask) << 2;
                last = first | (mask << 2) | 3;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Whether a hart with these entries may perform <paramref name="need"/> (one of R, W, X) on
    /// [<paramref name="address"/>, +<paramref name="length"/>) in M-mode (<paramref name="machineMode"/>)
    /// or S/U-mode; <paramref name="decidingEntry"/> is the entry that decided, or -1 when none matched.
    /// </summary>
    public static bool Allows(ReadOnlySpan<PmpEntry> entries, int granularity, ulong address, ulong length, Permissions need, bool machineMode, out int decidingEntry)
    {
        length = Math.Max(length, 1);
        ulong end = address + (length - 1);
        bool wraps = end < address;
        for (int i = 0; i < entries.Length; i++)
        {
            if (!Interval(entries, i, granularity, out ulong first, out ulong last))
            {
                continue;
            }
            bool touches = wraps ? (last >= address || first <= end) : (first <= end && last >= address);
            if (!touches)
            {
                continue;
            }
            decidingEntry = i;
            // The lowest entry matching any byte decides; it must match them all.
            if (wraps || first > address || last < end)
            {
                return false;
            }
            PmpEntry e = entries[i];
            if (machineMode && !e.Locked)
            {
                return true;
            }
            return need != Permissions.None && (e.Permissions & need) == need;
        }
        decidingEntry = -1;
        // No match: M-mode succeeds, S/U-mode fails (the hart implements at least one entry).
        return machineMode;
    }

    /// <summary>A pmpcfg byte as the hardware stores it: reserved bits 6..5 zero, R=0/W=1 read as no access, NA4 not selectable when G &gt;= 1.</summary>
    public static byte LegalizeConfig(byte config, int granularity)
    {
        byte c = (byte)(config & (PmpCfg.L | PmpCfg.AMask | PmpCfg.Rwx));
        if ((c & PmpCfg.W) != 0 && (c & PmpCfg.R) == 0)
        {
            c = (byte)(c & ~(PmpCfg.W | PmpCfg.R));
        }
        if ((c & PmpCfg.AMask) == PmpCfg.Na4 && granularity >= 1)
        {
            c = (byte)(c & ~PmpCfg.AMask);
        }
        return c;
    }

    /// <summary>True when software may write entry <paramref name="index"/>'s pmpcfg byte: not while L is set.</summary>
    public static bool ConfigWritable(ReadOnlySpan<PmpEntry> entries, int index) => !entries[index].Locked;

    /// <summary>True when software may write pmpaddr[<paramref name="index"/>]: not while L is set, nor while entry index+1 is a locked TOR entry.</summary>
    public static bool AddressWritable(ReadOnlySpan<PmpEntry> entries, int index) =>
        !entries[index].Locked
        && !(index + 1 < entries.Length && entries[index + 1].Locked && entries[index + 1].Mode == PmpCfg.Tor);
}
