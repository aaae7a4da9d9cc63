namespace CoreSlice.Harness.Noninterference;

/// <summary>Shows what changed between two views in words: the facts between their common beginning and end.</summary>
public static class ViewText
{
    /// <summary>Facts kept on each side of a change, so the reader sees which core, granule or row it is in.</summary>
    private const int Context = 3;

    /// <summary>"before: … after: …" with only the differing facts (and a little context).</summary>
    public static string Change(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        string[] a = before.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] b = after.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }
        int tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }
        int from = Math.Max(0, head - Context);
        return $"before: {Slice(a, from, a.Length - tail)} | after: {Slice(b, from, b.Length - tail)}";
    }

    private static string Slice(string[] facts, int from, int end)
    {
        string middle = string.Join(' ', facts[from..end]);
        return (from > 0 ? "… " : "") + (middle.Length == 0 ? "(nothing)" : middle) + (end < facts.Length ? " …" : "");
    }
}
