using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Harness.Check;

/// <summary>One listed value (a core, device or way index) and where it is written.</summary>
internal readonly record struct Item(int Value, Position At);

/// <summary>
/// One private memory range of a slice, or one window, and where it is written. <paramref name="PermAt"/>
/// is where "perm" is written, or the range itself when the permissions are the default.
/// </summary>
internal sealed record RangeItem(string? Name, MemoryRange Range, Permissions Permissions, Position At, Position PermAt);

/// <summary>One DMA range: what one device of the slice may reach, and where it is written.</summary>
internal sealed record DmaItem(int Device, MemoryRange Range, Permissions Permissions, Position At, Position DeviceAt, Position PermAt);

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
    string WindowsField,
    IReadOnlyList<RangeItem> Windows,
    Position DmaAt,
    IReadOnlyList<DmaItem> Dma);

/// <summary>A layout file: named slices, created in this order, in format <paramref name="SchemaVersion"/>.</summary>
internal sealed record Layout(string File, int SchemaVersion, IReadOnlyList<SliceSpec> Slices);

/// <summary>
/// Reads a layout (format in docs/check.md). Every mistake of form — malformed JSON,
/// an unknown, missing or repeated field, a wrong type, a bad number or permission — is an
/// <see cref="InputException"/> at file:line:column saying what was expected.
/// Whether the slices fit the machine is not decided here: that is the slicevisor's job.
/// </summary>
internal static class LayoutReader
{
    /// <summary>The newest layout format: version 2 added range permissions, windows and DMA ranges.</summary>
    public const int CurrentSchemaVersion = 2;

    private static readonly string[] TopFields = ["schemaVersion", "slices"];
    private static readonly string[] SliceFields = ["name", "cores", "memory", "devices", "ways", "entry", "shared", "windows", "dma"];
    private static readonly string[] MemoryFields = ["base", "size", "perm"];
    private static readonly string[] WindowFields = ["name", "base", "size", "perm"];
    private static readonly string[] DmaFields = ["device", "base", "size", "perm"];
    // Fields a version 1 layout does not have: a file using them says so with "schemaVersion": 2.
    private static readonly string[] Version2Fields = ["windows", "dma", "perm"];
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
        CheckFields(root, TopFields, "the layout", CurrentSchemaVersion);
        int version = ReadSchemaVersion(root);
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
            SliceSpec slice = ReadSlice(slicesNode.Items[i], $"slices[{i}]", version);
            if (names.TryGetValue(slice.Name, out Position first))
            {
                throw new InputException(slice.At, $"slices[{i}].name: the name \"{slice.Name}\" is already used at {first.Line}:{first.Column}; slice names must be unique");
            }
            names.Add(slice.Name, slice.At);
            slices.Add(slice);
        }
        return new Layout(file, version, slices);
    }

    /// <summary>Absent means 1, the format before permissions, windows and DMA ranges (its files keep their meaning).</summary>
    private static int ReadSchemaVersion(JNode root)
    {
        JNode? node = root.Member("schemaVersion");
        if (node is null)
        {
            return 1;
        }
        if (node.Kind == JsonKind.Number && int.TryParse(node.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v)
            && v is >= 1 and <= CurrentSchemaVersion)
        {
            return v;
        }
        throw new InputException(node.At, $"schemaVersion: expected 1 or {CurrentSchemaVersion}, found {node.Describe()}");
    }

    private static SliceSpec ReadSlice(JNode node, string where, int version)
    {
        Expect(node, JsonKind.Object, where, "a slice {\"name\", \"cores\", \"memory\", \"ways\", ...}");
        CheckFields(node, SliceFields, where, version);
        JNode nameNode = Required(node, "name", where, "a name");
        Expect(nameNode, JsonKind.String, where + ".name", "a non-empty string");
        string name = nameNode.Text;
        if (name.Length == 0 || name.Length > 64 || name.Any(char.IsControl))
        {
            throw new InputException(nameNode.At, $"{where}.name: expected a non-empty name of at most 64 printable characters");
        }
        string slice = $"slice \"{name}\"";
        List<Item> cores = ReadIndices(Required(node, "cores", where, "a list of core indices"), slice + " cores", allowSpans: true);
        List<RangeItem> memory = ReadRanges(Required(node, "memory", where, "a list of {\"base\", \"size\"} ranges"), slice + " memory", MemoryFields, version, Permissions.ReadWriteExecute);
        JNode? devicesNode = node.Member("devices");
        List<Item> devices = devicesNode is null ? [] : ReadIndices(devicesNode, slice + " devices", allowSpans: true);
        List<Item> ways = ReadWays(Required(node, "ways", where, "a list of cache-way indices"), slice + " ways");
        JNode? entryNode = node.Member("entry");
        ulong? entry = entryNode is null ? null : Quantity(entryNode, slice + " entry", "an address");
        (string windowsField, List<RangeItem> windows) = ReadWindows(node, slice, version);
        JNode? dmaNode = node.Member("dma");
        List<DmaItem> dma = dmaNode is null ? [] : ReadDma(dmaNode, slice + " dma", version);
        return new SliceSpec(
            name, node.At,
            node.MemberAt("cores"), cores,
            node.MemberAt("memory"), memory,
            node.MemberAt("devices"), devices,
            node.MemberAt("ways"), ways,
            entry, entryNode?.At ?? node.At,
            windowsField, windows,
            node.MemberAt("dma"), dma);
    }

    /// <summary>
    /// "windows" (version 2: "perm" required), or its version 1 spelling "shared", whose windows are
    /// read/write unless they say otherwise: a mailbox with the control slice, as they always meant.
    /// </summary>
    private static (string Field, List<RangeItem> Windows) ReadWindows(JNode slice, string where, int version)
    {
        JNode? windows = slice.Member("windows");
        JNode? shared = slice.Member("shared");
        if (windows is not null && shared is not null)
        {
            throw new InputException(slice.MemberAt("shared"), $"{where}: \"shared\" is the old spelling of \"windows\"; use one of them, not both");
        }
        if (windows is not null)
        {
            return ("windows", ReadRanges(windows, where + " windows", WindowFields, version, defaultPermissions: null));
        }
        return ("shared", shared is null ? [] : ReadRanges(shared, where + " shared", WindowFields, version, Permissions.Read | Permissions.Write));
    }

    /// <summary>Integers, or "a-b" spans (inclusive) for long runs of cores; each expanded item keeps the span's position.</summary>
    private static List<Item> ReadIndices(JNode node, string where, bool allowSpans)
    {
        Expect(node, JsonKind.Array, where, allowSpans ? "a list of indices (integers, or \"a-b\" spans)" : "a list of indices");
        var items = new List<Item>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            AddIndex(items, node.Items[i], where, i, allowSpans);
        }
        return items;
    }

    private static void AddIndex(List<Item> items, JNode v, string where, int i, bool allowSpans)
    {
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

    /// <summary>
    /// Ways: indices of cache domain 0 (integers or "a-b" spans), or of another domain (a socket)
    /// as "d:w" or "d:a-b" strings. An item's value is 64 * d + w, as the slicevisor names a way in
    /// its refusals; a way index past 63 cannot be written with a domain, so no two items alias.
    /// </summary>
    private static List<Item> ReadWays(JNode node, string where)
    {
        Expect(node, JsonKind.Array, where, "a list of way indices (integers, \"a-b\" spans, or \"d:w\" / \"d:a-b\" for cache domain d)");
        var items = new List<Item>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            JNode v = node.Items[i];
            int colon = v.Kind == JsonKind.String ? v.Text.IndexOf(':', StringComparison.Ordinal) : -1;
            if (colon < 0)
            {
                AddIndex(items, v, where, i, allowSpans: true);
                continue;
            }
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            string rest = v.Text[(colon + 1)..].Trim();
            int lo = 0, hi = 0;
            bool ok = int.TryParse(v.Text.AsSpan(0, colon).Trim(), System.Globalization.NumberStyles.None, inv, out int domain)
                && domain < Limits.MaxCacheDomains
                && (TryParseSpan(rest, out lo, out hi) || (int.TryParse(rest, System.Globalization.NumberStyles.None, inv, out lo) && (hi = lo) == lo))
                && hi < Limits.MaxCacheWays;
            if (!ok)
            {
                throw new InputException(v.At, $"{where}[{i}]: expected \"d:w\" or \"d:a-b\" with a cache domain d of 0..{Limits.MaxCacheDomains - 1} and ways of 0..{Limits.MaxCacheWays - 1}, found \"{v.Text}\"");
            }
            for (int k = lo; k <= hi; k++)
            {
                items.Add(new Item((64 * domain) + k, v.At));
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

    /// <summary>
    /// Ranges {"base", "size"} (windows with a "name"), each with "perm" in version 2:
    /// <paramref name="defaultPermissions"/> when it is absent, or required when that is null.
    /// </summary>
    private static List<RangeItem> ReadRanges(JNode node, string where, string[] fields, int version, Permissions? defaultPermissions)
    {
        bool named = fields.Contains("name");
        string shape = named ? "{\"name\", \"base\", \"size\"}" : "{\"base\", \"size\"}";
        Expect(node, JsonKind.Array, where, $"a list of {shape} ranges");
        var items = new List<RangeItem>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            JNode r = node.Items[i];
            string item = $"{where}[{i}]";
            Expect(r, JsonKind.Object, item, $"a range {shape}");
            CheckFields(r, fields, item, version);
            string? name = null;
            if (named)
            {
                JNode n = Required(r, "name", item, "a name");
                Expect(n, JsonKind.String, item + ".name", "a string");
                name = n.Text;
            }
            MemoryRange range = ReadBaseAndSize(r, item);
            (Permissions permissions, Position permAt) = ReadPermissions(r, item, defaultPermissions);
            items.Add(new RangeItem(name, range, permissions, r.At, permAt));
        }
        return items;
    }

    /// <summary>Version 2's "dma": {"device", "base", "size", "perm"}, each what one device may reach.</summary>
    private static List<DmaItem> ReadDma(JNode node, string where, int version)
    {
        Expect(node, JsonKind.Array, where, "a list of {\"device\", \"base\", \"size\", \"perm\"} DMA ranges");
        // Past the slicevisor's limit the extra ones are reported, not checked; this bounds the work on a runaway file.
        if (node.Items.Count > Limits.MaxDmaRanges * 4)
        {
            throw new InputException(node.At, $"{where}: {node.Items.Count} DMA ranges; at most {Limits.MaxDmaRanges * 4} are read");
        }
        var items = new List<DmaItem>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            JNode r = node.Items[i];
            string item = $"{where}[{i}]";
            Expect(r, JsonKind.Object, item, "a DMA range {\"device\", \"base\", \"size\", \"perm\"}");
            CheckFields(r, DmaFields, item, version);
            JNode device = Required(r, "device", item, "a device index");
            if (device.Kind != JsonKind.Number || !int.TryParse(device.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int index))
            {
                throw new InputException(device.At, $"{item}.device: expected an integer device index, found {device.Describe()}");
            }
            MemoryRange range = ReadBaseAndSize(r, item);
            (Permissions permissions, Position permAt) = ReadPermissions(r, item, defaultPermissions: null);
            items.Add(new DmaItem(index, range, permissions, r.At, device.At, permAt));
        }
        return items;
    }

    private static MemoryRange ReadBaseAndSize(JNode range, string where)
    {
        JNode b = Required(range, "base", where, "an address");
        JNode s = Required(range, "size", where, "a size");
        return new MemoryRange(Quantity(b, where + ".base", "an address"), Quantity(s, where + ".size", "a size"));
    }

    /// <summary>
    /// "perm": the letters r, w and x, each at most once ("" is no permission at all). Which
    /// sets a range, window or DMA range may have is the slicevisor's decision, not the reader's.
    /// </summary>
    private static (Permissions Permissions, Position At) ReadPermissions(JNode range, string where, Permissions? defaultPermissions)
    {
        JNode? node = range.Member("perm");
        if (node is null)
        {
            return defaultPermissions is Permissions p
                ? (p, range.At)
                : throw new InputException(range.At, $"{where}: missing field \"perm\" (expected permissions such as \"r\" or \"rw\")");
        }
        Permissions permissions = Permissions.None;
        bool wellFormed = node.Kind == JsonKind.String;
        foreach (char c in wellFormed ? node.Text : "")
        {
            Permissions bit = PermissionText.Bit(c);
            wellFormed &= bit != Permissions.None && (permissions & bit) == 0;
            permissions |= bit;
        }
        return wellFormed
            ? (permissions, node.At)
            : throw new InputException(node.At, $"{where}.perm: expected permissions written with the letters r, w and x, each at most once (\"r\", \"rw\", \"rx\", \"rwx\"), found {node.Describe()}");
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

    /// <summary>Unknown fields are errors; a version 2 field in a version 1 layout says which version it needs.</summary>
    private static void CheckFields(JNode obj, string[] known, string where, int version)
    {
        string[] allowed = version >= 2 ? known : [.. known.Where(f => !Version2Fields.Contains(f))];
        foreach ((string name, Position at, _) in obj.Members)
        {
            if (Array.IndexOf(allowed, name) >= 0)
            {
                continue;
            }
            string hint = Array.IndexOf(known, name) >= 0 ? $"; \"{name}\" needs \"schemaVersion\": {CurrentSchemaVersion} at the top of the layout" : "";
            throw new InputException(at, $"{where}: unknown field \"{name}\" (expected one of: {string.Join(", ", allowed)}){hint}");
        }
    }
}
