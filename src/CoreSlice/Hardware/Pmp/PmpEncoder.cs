using System.Numerics;

namespace CoreSlice.Hardware.Pmp;

/// <summary>
/// Turns a slice's memory ranges (with their permissions) and the msip words of its
/// harts into PMP entries, fewest first: a naturally aligned power of two of at
/// least 8 bytes is one NAPOT entry, a 4-byte word one NA4 entry, anything else a
/// TOR entry — whose lower bound is the previous entry's pmpaddr, so a range that
/// starts where the previous TOR range ended (or at 0, in entry 0) costs one entry
/// and any other two (an OFF entry holding the bottom, then the TOR entry). Every
/// entry is locked (L), so it binds the M-mode guest too; the hart's last entry is
/// a locked NAPOT over every address with no permission (the deny-all), and the
/// entries between are locked OFF. Regions are placed in request order — the private
/// ranges, each with its permissions, then the windows, each with its permissions — then
/// the msip runs in hart order. What the encoding means is proved in spec/80-pmp.smt2
/// (<c>Pmp.encodeRegion</c> is this method's <c>Place</c>, line for line).
/// <para>Allocation-free and bounded: O(ranges + harts) steps.</para>
/// </summary>
public static class PmpEncoder
{
    /// <summary>Permissions of a slice's msip words: stores send IPIs, loads read them back; never executable.</summary>
    public const Permissions MsipPermissions = Permissions.Read | Permissions.Write;

    /// <summary>
    /// Entries the encoding of <paramref name="ranges"/> and the msip words of
    /// <paramref name="harts"/> needs, the deny-all included; -1 when some region cannot
    /// be encoded at the geometry's grain (or a hart has no msip word).
    /// </summary>
    public static int Cost(in PmpGeometry geometry, ReadOnlySpan<MemoryRange> ranges, in ResourceSet harts) =>
        Run(geometry, new Regions(ranges, [], Permissions.ReadWriteExecute, []), harts, [], write: false);

    /// <summary>
    /// Entries a slice needs: its private <paramref name="ranges"/> (with <paramref name="permissions"/>,
    /// one per range), then its <paramref name="windows"/> (with theirs), then the msip words of
    /// <paramref name="harts"/>, the deny-all included; -1 as <see cref="Cost(in PmpGeometry, ReadOnlySpan{MemoryRange}, in ResourceSet)"/>
    /// (or when the permissions are not one per range).
    /// </summary>
    public static int Cost(in PmpGeometry geometry, ReadOnlySpan<MemoryRange> ranges, ReadOnlySpan<Permissions> permissions, ReadOnlySpan<SharedWindow> windows, in ResourceSet harts) =>
        permissions.Length != ranges.Length ? -1 : Run(geometry, new Regions(ranges, permissions, Permissions.None, windows), harts, [], write: false);

    /// <summary>
    /// Fills all <see cref="PmpGeometry.Entries"/> entries of <paramref name="output"/> with what the
    /// sliceloader writes, and returns how many the slice uses (the deny-all included), or -1
    /// (then <paramref name="output"/> is all deny-all-safe: every entry the deny-all) when they do not fit
    /// or a region cannot be encoded. <paramref name="memory"/> is the permission of every memory range.
    /// </summary>
    public static int Encode(in PmpGeometry geometry, ReadOnlySpan<MemoryRange> ranges, Permissions memory, in ResourceSet harts, Span<PmpEntry> output) =>
        Encode(geometry, new Regions(ranges, [], memory, []), harts, output);

    /// <summary>
    /// As <see cref="Encode(in PmpGeometry, ReadOnlySpan{MemoryRange}, Permissions, in ResourceSet, Span{PmpEntry})"/>,
    /// for a slice: its private <paramref name="ranges"/> with <paramref name="permissions"/> (one per
    /// range), then its <paramref name="windows"/> with theirs, then the msip words of <paramref name="harts"/>.
    /// </summary>
    public static int Encode(in PmpGeometry geometry, ReadOnlySpan<MemoryRange> ranges, ReadOnlySpan<Permissions> permissions, ReadOnlySpan<SharedWindow> windows, in ResourceSet harts, Span<PmpEntry> output)
    {
        if (permissions.Length != ranges.Length)
        {
            if (output.Length >= geometry.Entries && geometry.Entries >= 2)
            {
                output[..geometry.Entries].Fill(PmpCfg.DenyAll);
            }
            return -1;
        }
        return Encode(geometry, new Regions(ranges, permissions, Permissions.None, windows), harts, output);
    }

    private static int Encode(in PmpGeometry geometry, in Regions regions, in ResourceSet harts, Span<PmpEntry> output)
    {
        if (output.Length < geometry.Entries || geometry.Entries < 2)
        {
            return -1;
        }
        Span<PmpEntry> table = output[..geometry.Entries];
        int used = Run(geometry, regions, harts, table, write: true);
        if (used < 0)
        {
            table.Fill(PmpCfg.DenyAll);
            return -1;
        }
        table[(used - 1)..^1].Fill(PmpCfg.LockedOff);
        table[^1] = PmpCfg.DenyAll;
        return used;
    }

    private static int Run(in PmpGeometry geometry, in Regions regions, in ResourceSet harts, Span<PmpEntry> table, bool write)
    {
        // In write mode the last slot of table is the deny-all's: regions may use the ones before it.
        var e = new Emitter(table, write ? table.Length - 1 : int.MaxValue, geometry.Grain);
        ReadOnlySpan<MemoryRange> ranges = regions.Ranges;
        ReadOnlySpan<SharedWindow> windows = regions.Windows;
        if (ranges.Length > Limits.MaxRangeRegisters || windows.Length > Limits.MaxRangeRegisters)
        {
            return -1;
        }
        for (int i = 0; i < ranges.Length; i++)
        {
            if (!e.Place(ranges[i].Base, ranges[i].Size, regions.PermissionBits(i)))
            {
                return -1;
            }
        }
        for (int k = 0; k < windows.Length; k++)
        {
            if (!e.Place(windows[k].Range.Base, windows[k].Range.Size, (byte)((byte)windows[k].Permissions & PmpCfg.Rwx)))
            {
                return -1;
            }
        }
        // One region per run of consecutive harts: their msip words are adjacent.
        int h = harts.Next(0);
        for (int steps = 0; h >= 0 && steps < ResourceSet.Capacity; steps++)
        {
            if (h >= geometry.Harts)
            {
                return -1;
            }
            int last = h;
            while (last + 1 < geometry.Harts && harts.Contains(last + 1))
            {
                last++;
            }
            ulong words = (ulong)(last - h + 1);
            if (!e.Place(geometry.MsipAddress(h), words * PmpGeometry.MsipWord, (byte)MsipPermissions))
            {
                return -1;
            }
            h = harts.Next(last + 1);
        }
        return e.Count + 1;
    }

    /// <summary>What a slice's memory regions are: private ranges (with their permissions, or one for all) and windows.</summary>
    private readonly ref struct Regions
    {
        private readonly ReadOnlySpan<Permissions> permissions;
        private readonly Permissions uniform;

        public Regions(ReadOnlySpan<MemoryRange> ranges, ReadOnlySpan<Permissions> permissions, Permissions uniform, ReadOnlySpan<SharedWindow> windows)
        {
            Ranges = ranges;
            this.permissions = permissions;
            this.uniform = uniform;
            Windows = windows;
        }

        public ReadOnlySpan<MemoryRange> Ranges { get; }

        public ReadOnlySpan<SharedWindow> Windows { get; }

        /// <summary>The pmpcfg R/W/X bits of private range <paramref name="i"/>.</summary>
        public byte PermissionBits(int i) =>
            (byte)((byte)(i < permissions.Length ? permissions[i] : uniform) & PmpCfg.Rwx);
    }

    /// <summary>Appends entries; remembers whether the last entry's pmpaddr is a TOR top a next range may start at.</summary>
    private ref struct Emitter
    {
        private readonly Span<PmpEntry> table;
        private readonly int room;
        private readonly ulong grain;
        private bool topValid;
        private ulong top;

        public Emitter(Span<PmpEntry> table, int room, ulong grain)
        {
            this.table = table;
            this.room = room;
            this.grain = grain;
            // Entry 0's TOR lower bound is address 0.
            topValid = true;
            top = 0;
            Count = 0;
        }

        public int Count { get; private set; }

        /// <summary>Pmp.encodeRegion of the spec: false when the region is empty, wraps, is off-grain, or does not fit.</summary>
        public bool Place(ulong baseAddress, ulong size, byte rwx)
        {
            if (size == 0 || size > ulong.MaxValue - baseAddress || ((baseAddress | size) & 3) != 0)
            {
                return false;
            }
            byte locked = (byte)(rwx | PmpCfg.L);
            if (size == 4 && grain == 4)
            {
                topValid = false;
                return Emit(new PmpEntry((byte)(locked | PmpCfg.Na4), baseAddress >> 2));
            }
            if (size >= 8 && size >= grain && BitOperations.IsPow2(size) && (baseAddress & (size - 1)) == 0)
            {
                topValid = false;
                return Emit(new PmpEntry((byte)(locked | PmpCfg.Napot), (baseAddress >> 2) | ((size >> 3) - 1)));
            }
            if (((baseAddress | size) & (grain - 1)) != 0)
            {
                return false;
            }
            if (!(topValid && top == baseAddress) && !Emit(new PmpEntry(PmpCfg.Off | PmpCfg.L, baseAddress >> 2)))
            {
                return false;
            }
            top = baseAddress + size;
            topValid = true;
            return Emit(new PmpEntry((byte)(locked | PmpCfg.Tor), top >> 2));
        }

        private bool Emit(PmpEntry entry)
        {
            if (Count >= room)
            {
                return false;
            }
            if (Count < table.Length)
            {
                table[Count] = entry;
            }
            Count++;
            return true;
        }
    }
}
