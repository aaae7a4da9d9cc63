using System.Globalization;
using System.Text;

namespace CoreSlice.Conformance;

/// <summary>Ground SMT-LIB2 terms for concrete values: bit-vector literals, const arrays with store chains, interval maps.</summary>
internal static class Smt
{
    public const string Addr = "(_ BitVec 64)";
    public const string Idx16 = "(_ BitVec 16)";

    /// <summary>A 16-bit literal (indices, slots: two's complement for the negative sentinels).</summary>
    public static string B16(int v) => "#x" + ((ushort)(short)v).ToString("x4", CultureInfo.InvariantCulture);

    /// <summary>A 64-bit literal.</summary>
    public static string B64(ulong v) => "#x" + v.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>An 8-bit literal (errors).</summary>
    public static string B8(int v) => "#x" + ((byte)v).ToString("x2", CultureInfo.InvariantCulture);

    /// <summary>A 2- or 3-bit literal (slice state, mode, permissions).</summary>
    public static string Bits(int v, int width)
    {
        var sb = new StringBuilder("#b", width + 2);
        for (int i = width - 1; i >= 0; i--)
        {
            sb.Append(((v >> i) & 1) != 0 ? '1' : '0');
        }
        return sb.ToString();
    }

    public static string Bool(bool b) => b ? "true" : "false";

    /// <summary><c>(store ... ((as const (Array I V)) default) ...)</c> with one store per entry whose value differs from the default.</summary>
    public static string Array(string indexSort, string valueSort, string defaultValue, IEnumerable<(string Index, string Value)> entries)
    {
        var sb = new StringBuilder();
        int n = 0;
        var tail = new StringBuilder();
        foreach ((string i, string v) in entries)
        {
            if (v == defaultValue)
            {
                continue;
            }
            sb.Append("(store ");
            tail.Append(' ').Append(i).Append(' ').Append(v).Append(')');
            n++;
        }
        sb.Append("((as const (Array ").Append(indexSort).Append(' ').Append(valueSort).Append(")) ").Append(defaultValue).Append(')');
        // stores apply innermost first: reverse the tail order so entries nest correctly
        return n == 0 ? sb.ToString() : Nest(sb.ToString(), tail.ToString());
    }

    private static string Nest(string head, string tail) => head + tail;

    /// <summary>An address-indexed map given by intervals, first match wins: <c>(lambda ((x Addr)) (ite (inRange x b z) v ...))</c>.</summary>
    public static string Intervals(string valueSort, string defaultValue, IEnumerable<(ulong Base, ulong Size, string Value)> intervals)
    {
        _ = valueSort;
        var sb = new StringBuilder("(lambda ((x (_ BitVec 64))) ");
        int n = 0;
        foreach ((ulong b, ulong z, string v) in intervals)
        {
            sb.Append("(ite (inRange x ").Append(B64(b)).Append(' ').Append(B64(z)).Append(") ").Append(v).Append(' ');
            n++;
        }
        sb.Append(defaultValue).Append(')', n).Append(')');
        return sb.ToString();
    }
}
