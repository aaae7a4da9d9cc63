namespace CoreSlice.Hardware.Pmp;

/// <summary>
/// One RISC-V PMP entry as software writes it: the entry's byte of <c>pmpcfg</c>
/// and its <c>pmpaddr</c> register (the architectural value: physical address bits
/// 63..2, so an address <c>a</c> is written as <c>a &gt;&gt; 2</c>).
/// </summary>
public readonly record struct PmpEntry(byte Config, ulong Address)
{
    /// <summary>Reset value: OFF, unlocked, no permissions, address 0.</summary>
    public static PmpEntry Off => default;

    /// <summary>The address-matching mode (the A field, bits 4..3).</summary>
    public byte Mode => (byte)(Config & PmpCfg.AMask);

    /// <summary>True when the L bit is set: the entry applies to M-mode and is read-only until reset.</summary>
    public bool Locked => (Config & PmpCfg.L) != 0;

    /// <summary>The R/W/X bits as <see cref="Permissions"/> (same bit order).</summary>
    public Permissions Permissions => (Permissions)(Config & PmpCfg.Rwx);
}

/// <summary>The bits of one <c>pmpcfg</c> byte (privileged specification, PMP chapter).</summary>
public static class PmpCfg
{
    /// <summary>Read permission.</summary>
    public const byte R = 0x01;

    /// <summary>Write permission.</summary>
    public const byte W = 0x02;

    /// <summary>Execute permission.</summary>
    public const byte X = 0x04;

    /// <summary>The three permission bits.</summary>
    public const byte Rwx = 0x07;

    /// <summary>The A field.</summary>
    public const byte AMask = 0x18;

    /// <summary>A = OFF: the entry matches nothing.</summary>
    public const byte Off = 0x00;

    /// <summary>A = TOR: matches pmpaddr[i-1] &lt;= a &gt;&gt; 2 &lt; pmpaddr[i] (0 below entry 0).</summary>
    public const byte Tor = 0x08;

    /// <summary>A = NA4: matches the one 4-byte word pmpaddr names.</summary>
    public const byte Na4 = 0x10;

    /// <summary>A = NAPOT: a naturally aligned power of two of at least 8 bytes, size in the trailing ones of pmpaddr.</summary>
    public const byte Napot = 0x18;

    /// <summary>The lock bit.</summary>
    public const byte L = 0x80;

    /// <summary>The pmpaddr bits that exist: address bits 63..2 of a 64-bit physical address.</summary>
    public const ulong AddressMask = ulong.MaxValue >> 2;

    /// <summary>The locked NAPOT entry covering every address with no permission: the sliceloader's last entry.</summary>
    public static PmpEntry DenyAll => new(Napot | L, AddressMask);

    /// <summary>A locked OFF entry: matches nothing, and no software can ever change it.</summary>
    public static PmpEntry LockedOff => new(Off | L, 0);
}
