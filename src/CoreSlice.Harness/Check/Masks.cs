namespace CoreSlice.Harness.Check;

/// <summary>Way masks as the index lists people read.</summary>
internal static class Masks
{
    /// <summary>The indices of the set bits of <paramref name="mask"/>, lowest first.</summary>
    public static int[] Bits(ulong mask)
    {
        var list = new List<int>();
        for (int i = 0; i < 64; i++)
        {
            if ((mask >> i & 1) != 0)
            {
                list.Add(i);
            }
        }
        return [.. list];
    }
}
