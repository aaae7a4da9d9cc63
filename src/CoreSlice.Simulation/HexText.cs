using System.Globalization;

namespace CoreSlice.Simulation;

/// <summary>
/// How the tools write addresses and ranges for people: lowercase hex with digits grouped
/// by four ("0x4000_0000"), which machine descriptions and layouts read back. One place, so
/// the layout checker's messages and the machine description's messages look alike.
/// </summary>
public static class HexText
{
    /// <summary>"0x4000_0000".</summary>
    public static string Of(ulong value)
    {
        string digits = value.ToString("x", CultureInfo.InvariantCulture);
        var groups = new System.Text.StringBuilder("0x", 2 + digits.Length + (digits.Length / 4));
        for (int i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % 4 == 0)
            {
                groups.Append('_');
            }
            groups.Append(digits[i]);
        }
        return groups.ToString();
    }

    /// <summary>
    /// The exclusive end of <paramref name="range"/> in words, exact even past 64 bits:
    /// "0x5000_0000", "2^64" (a range ending exactly at the top), or "2^64 + 0x1000".
    /// </summary>
    public static string End(MemoryRange range)
    {
        if (range.IsRepresentable)
        {
            return Of(range.Limit);
        }
        UInt128 end = (UInt128)range.Base + range.Size;
        UInt128 top = (UInt128)ulong.MaxValue + 1;
        return end == top ? "2^64" : $"2^64 + {Of((ulong)(end - top))}";
    }

    /// <summary>"[0x4000_0000, 0x5000_0000)"; a range past 64 bits shows its true end ("[0xffff_ffff_ffff_f000, 2^64)").</summary>
    public static string Range(MemoryRange range) => $"[{Of(range.Base)}, {End(range)})";

    /// <summary>
    /// Why a range whose end does not fit in 64 bits is refused: the slicevisor keeps every
    /// range's exclusive end in 64 bits, so the highest end is 0xffff_ffff_ffff_ffff.
    /// </summary>
    public static string WhyUnrepresentable(MemoryRange range) =>
        range.Size == 0 ? "the range is empty"
        : End(range) == "2^64"
            ? "it ends exactly at 2^64, but a range's end (base + size) must fit in 64 bits: the highest end is 0xffff_ffff_ffff_ffff, so the last byte of the address space cannot be covered"
            : $"base + size = {End(range)} passes the end of the 64-bit address space";
}
