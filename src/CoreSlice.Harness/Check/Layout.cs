using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Harness.Check;

/// <summary>One listed value (a core, device or way index) and where it is written.</summary>
internal readonly record struct Item(int Value, Position At);

/// <summary>One memory range of a slice, or one shared window, and where it is written.</summary>
internal sealed record RangeItem(string? Name, MemoryRange Range, Position At, Position BaseAt, Position SizeAt);

/// <summary>A slice as the layout declares it.</summary>
internal sealed record SliceSpec(
    string Name,
    Position At,
    Position CoresAt,
    IReadOnlyList<Item> Cores,
    Position MemoryAt,
    IReadOnlyList<RangeItem> Memory,
    Position DevicesAt,
    IReadOnlyList<Item> Devices,
    Position WaysAt,
    IReadOnlyList<Item> Ways,
    ulong? Entry,
    Position EntryAt,
    IReadOnlyList<RangeItem> Shared);

/// <summary>A layout file: named slices, created in this order.</summary>
internal sealed record Layout(string File, IReadOnlyList<SliceSpec> Slices);

/// <summary>
/// Reads a layout (format in docs/check.md). Every mistake of form — malformed JSON,
/// an unknown, missing or repeated field, a wrong type, a bad number — is an
/// <see cref="InputException"/> at file:line:column saying what was expected.
/// Whether the slices fit the machine is not decided here: that is the slicevisor's job.
/// </summary>
internal static class LayoutReader
{
    private static readonly string[] TopFields = ["slices"];
    private static readonly string[] SliceFields = ["name", "cores", "memory", "devices", "ways", "entry", "shared"];
    // Far more than any machine has slots (the extra ones are reported, not created); bounds the work on a runaway file.
    private const int MaxSlices = Limits.MaxSlots * 64;

    public static Layout Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException(new Position(path, 0, 0), $"cannot read the layout: {e.Message}");
        }
        return Parse(bytes, path);
    }

    public static Layout Parse(byte[] bytes, string file)
    {
        JNode root = JNode.Parse(bytes, file);
        Expect(root, JsonKind.Object, "the layout", "an object {\"slices\": [...]}");
        CheckFields(root, TopFields, "the layout");
        JNode slicesNode = Required(root, "slices", "the layout", "a list of slices");
        Expect(slicesNode, JsonKind.Array, "slices", "a list of slices");
        if (slicesNode.Items.Count > MaxSlices)
        {
            throw new InputException(slicesNode.At, $"slices: {slicesNode.Items.Count} slices; at most {MaxSlices} are read");
        }
        var slices = new List<SliceSpec>();
        var names = new Dictionary<string, Position>(StringComparer.Ordinal);
        for (int i = 0; i < slicesNode.Items.Count; i++)
        {
            SliceSpec slice = ReadSlice(slicesNode.Items[i], $"slices[{i}]");
            if (names.TryGetValue(slice.Name, out Position first))
            {
                throw new InputException(slice.At, $"slices[{i}].name: the name \"{slice.Name}\" is already used at {first.Line}:{first.Column}; slice names must be unique");
            }
            names.Add(slice.Name, slice.At);
            slices.Add(slice);
        }
        return new Layout(file, slices);
    }

    private static SliceSpec ReadSlice(JNode node, string where)
    {
        Expect(node, JsonKind.Object, where, "a slice {\"name\", \"cores\", \"memory\", \"ways\", ...}");
        CheckFields(node, SliceFields, where);
        JNode nameNode = Required(node, "name", where, "a name");
        Expect(nameNode, JsonKind.String, where + ".name", "a non-empty string");
        string name = nameNode.Text;
        if (name.Length == 0 || name.Length > 64 || name.Any(char.IsControl))
        {
            throw new InputException(nameNode.At, $"{where}.name: expected a non-empty name of at most 64 printable characters");
        }
        string slice = $"slice \"{name}\"";
        List<Item> cores = ReadIndices(Required(node, "cores", where, "a list of core indices"), slice + " cores", allowSpans: true);
        List<RangeItem> memory = ReadRanges(Required(node, "memory", where, "a list of {\"base\", \"size\"} ranges"), slice + " memory", named: false);
        JNode? devicesNode = node.Member("devices");
        List<Item> devices = devicesNode is null ? [] : ReadIndices(devicesNode, slice + " devices", allowSpans: true);
        List<Item> ways = ReadIndices(Required(node, "ways", where, "a list of cache-way indices"), slice + " ways", allowSpans: true);
        JNode? entryNode = node.Member("entry");
        ulong? entry = entryNode is null ? null : Quantity(entryNode, slice + " entry", "an address");
        JNode? sharedNode = node.Member("shared");
        List<RangeItem> shared = sharedNode is null ? [] : ReadRanges(sharedNode, slice + " shared", named: true);
        return new SliceSpec(
            name, node.At,
            node.MemberAt("cores"), cores,
            node.MemberAt("memory"), memory,
            node.MemberAt("devices"), devices,
            node.MemberAt("ways"), ways,
            entry, entryNode?.At ?? node.At,
            shared);
    }

    /// <summary>Integers, or "a-b" spans (inclusive) for long runs of cores; each expanded item keeps the span's position.</summary>
    private static List<Item> ReadIndices(JNode node, string where, bool allowSpans)
    {
        Expect(node, JsonKind.Array, where, allowSpans ? "a list of indices (integers, or \"a-b\" spans)" : "a list of indices");
        var items = new List<Item>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            JNode v = node.Items[i];
            if (v.Kind == JsonKind.Number && int.TryParse(v.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int n))
            {
                items.Add(new Item(n, v.At));
            }
            else if (allowSpans && v.Kind == JsonKind.String && TryParseSpan(v.Text, out int lo, out int hi))
            {
                for (int k = lo; k <= hi; k++)
                {
                    items.Add(new Item(k, v.At));
                }
            }
            else
            {
                throw new InputException(v.At, $"{where}[{i}]: expected an integer index{(allowSpans ? " or a span such as \"4-7\"" : "")}, found {v.Describe()}");
            }
            if (items.Count > Limits.MaxCores * 4)
            {
                throw new InputException(v.At, $"{where}: more than {Limits.MaxCores * 4} indices");
            }
        }
        return items;
    }

    private static bool TryParseSpan(string text, out int lo, out int hi)
    {
        lo = hi = 0;
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return dash > 0
            && int.TryParse(text.AsSpan(0, dash).Trim(), System.Globalization.NumberStyles.None, inv, out lo)
            && int.TryParse(text.AsSpan(dash + 1).Trim(), System.Globalization.NumberStyles.None, inv, out hi)
            && lo <= hi && hi - lo < Limits.MaxCores * 4;
    }

    private static List<RangeItem> ReadRanges(JNode node, string where, bool named)
    {
        string shape = named ? "{\"name\", \"base\", \"size\"}" : "{\"base\", \"size\"}";
        Expect(node, JsonKind.Array, where, $"a list of {shape} ranges");
        string[] fields = named ? ["name", "base", "size"] : ["base", "size"];
        var items = new List<RangeItem>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            JNode r = node.Items[i];
            string item = $"{where}[{i}]";
            Expect(r, JsonKind.Object, item, $"a range {shape}");
            CheckFields(r, fields, item);
            string? name = null;
            if (named)
            {
                JNode n = Required(r, "name", item, "a name");
                Expect(n, JsonKind.String, item + ".name", "a string");
                name = n.Text;
            }
            JNode b = Required(r, "base", item, "an address");
            JNode s = Required(r, "size", item, "a size");
            items.Add(new RangeItem(name, new MemoryRange(Quantity(b, item + ".base", "an address"), Quantity(s, item + ".size", "a size")), r.At, b.At, s.At));
        }
        return items;
    }

    /// <summary>An address or size, read exactly as machine descriptions read them (hex, underscores, units).</summary>
    private static ulong Quantity(JNode node, string where, string what)
    {
        if (node.Kind == JsonKind.Number && ulong.TryParse(node.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong n))
        {
            return n;
        }
        if (node.Kind == JsonKind.String && MachineDescription.TryParseQuantity(node.Text, out ulong v))
        {
            return v;
        }
        throw new InputException(node.At, $"{where}: expected {what} such as 4096, \"0x8000_0000\" or \"512MiB\", found {node.Describe()}");
    }

    private static void Expect(JNode node, JsonKind kind, string where, string expected)
    {
        if (node.Kind != kind)
        {
            throw new InputException(node.At, $"{where}: expected {expected}, found {node.Describe()}");
        }
    }

    private static JNode Required(JNode obj, string field, string where, string expected) =>
        obj.Member(field) ?? throw new InputException(obj.At, $"{where}: missing field \"{field}\" (expected {expected})");

    private static void CheckFields(JNode obj, string[] allowed, string where)
    {
        foreach ((string name, Position at, _) in obj.Members)
        {
            if (Array.IndexOf(allowed, name) < 0)
            {
                throw new InputException(at, $"{where}: unknown field \"{name}\" (expected one of: {string.Join(", ", allowed)})");
            }
        }
    }
}
