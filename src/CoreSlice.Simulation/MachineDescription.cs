using System.Globalization;
using System.Text;
using System.Text.Json;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Simulation;

/// <summary>
/// Machine descriptions as JSON, to and from <see cref="MachineConfig"/>.
/// <para>
/// Format (every field required, no others; comments and trailing commas allowed):
/// <code>
/// {
///   "cores": 16, "controlCores": [0],
///   "ram": [{ "base": 0, "size": "4GiB" }],
///   "reserved": [{ "name": "slicevisor", "base": "1MiB", "size": "16MiB" }],
///   "controlMemory": [{ "base": "0x200_0000", "size": "512MiB" }],
///   "devices": 8, "cacheWays": 12, "controlWays": [0, 1],
///   "rangeRegisters": 16, "granule": "4KiB", "slots": 64
/// }
/// </code>
/// Addresses and sizes are JSON numbers or strings: decimal or hex ("0x8000_0000";
/// underscores separate digits), optionally followed by a unit B, KiB, MiB, GiB or
/// TiB ("512MiB", "4 KiB"). <c>controlWays</c> is a list of way indices, or a mask
/// (a number or hex string). Field names match those of <see cref="ConfigErrorText.Problems"/>.
/// Optional <c>"cacheDomains"</c>: a list of last-level-cache domains (sockets), each
/// <c>{"cores": [..], "ways": 16, "controlWays": [0]}</c> with optional CAT rules
/// <c>"contiguousMasks": true, "maxClassesOfService": 16, "minMaskWidth": 2</c> and the
/// socket's local <c>"memory"</c> regions (for <c>coreslice check</c>'s cross-socket warning);
/// <c>cacheWays</c>/<c>controlWays</c> may then be left out and mean domain 0's.
/// </para>
/// </summary>
public static class MachineDescription
{
    private const ulong KiB = 1UL << 10;
    private const ulong MiB = 1UL << 20;
    private const ulong GiB = 1UL << 30;
    private const ulong TiB = 1UL << 40;

    private static readonly string[] Fields =
        ["cores", "controlCores", "ram", "reserved", "controlMemory", "devices", "cacheWays", "controlWays", "rangeRegisters", "granule", "slots", "cacheDomains"];

    // Optional: without it the machine is one cache domain; with it, cacheWays and controlWays may be left out (domain 0's).
    private static readonly string[] DomainFields =
        ["cores", "ways", "controlWays", "contiguousMasks", "maxClassesOfService", "minMaskWidth", "memory"];

    /// <summary>
    /// The built-in machine (a fresh copy each time): 16 cores, core 0 for the control
    /// slice; 4 GiB RAM at 0; reserved "firmware" [0, 1 MiB), "slicevisor" [1 MiB, 17 MiB),
    /// "slice-table" [17 MiB, 18 MiB); control memory [32 MiB, 544 MiB); 8 devices;
    /// 12 cache ways, ways 0–1 for the control slice; 16 range registers per core;
    /// 4 KiB granule; 64 slots.
    /// </summary>
    public static MachineConfig Default => new()
    {
        CoreCount = 16,
        ControlCores = [0],
        RamRegions = [new MemoryRange(0, 4 * GiB)],
        ReservedRegions =
        [
            new NamedRegion("firmware", new MemoryRange(0, 1 * MiB)),
            new NamedRegion("slicevisor", new MemoryRange(1 * MiB, 16 * MiB)),
            new NamedRegion("slice-table", new MemoryRange(17 * MiB, 1 * MiB)),
        ],
        ControlMemory = [new MemoryRange(32 * MiB, 512 * MiB)],
        DeviceCount = 8,
        CacheWays = 12,
        ControlWays = 0b11,
        RangeRegistersPerCore = 16,
        GranuleSize = 4 * KiB,
        SlotCapacity = 64,
    };

    /// <summary>Reads and parses the description in <paramref name="path"/>; a missing or unreadable file is a <see cref="DescriptionException"/> too.</summary>
    public static MachineConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Parser(ReadFile(path), path).Parse();
    }

    /// <summary>
    /// Like <see cref="Load"/>, but a well-formed description that <see cref="ConfigErrorText.Problems"/>
    /// rejects is returned rather than thrown, so that a checker can report every problem
    /// (<c>coreslice check</c>). Malformed JSON, unknown, missing or mistyped fields still throw.
    /// </summary>
    public static MachineConfig LoadUnvalidated(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Parser(ReadFile(path), path) { Validate = false }.Parse();
    }

    private static byte[] ReadFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DescriptionException(path, 0, 0, "is a directory, not a machine description file");
        }
        if (!File.Exists(path))
        {
            throw new DescriptionException(path, 0, 0, "no such machine description file");
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DescriptionException(path, 0, 0, e is UnauthorizedAccessException ? "cannot read the machine description file: permission denied" : $"cannot read the machine description file: {e.Message}", innerException: e);
        }
    }

    /// <summary>Parses a description given as text (positions then refer to <c>&lt;description&gt;</c>).</summary>
    public static MachineConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(Encoding.UTF8.GetBytes(text), null).Parse();
    }

    /// <summary>Writes <paramref name="config"/> as a description that <see cref="Parse"/> reads back to an equal config.</summary>
    public static string ToJson(MachineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("cores", config.CoreCount);
            w.WriteStartArray("controlCores");
            foreach (int core in config.ControlCores)
            {
                w.WriteNumberValue(core);
            }
            w.WriteEndArray();
            WriteRegions(w, "ram", [.. config.RamRegions], null);
            WriteRegions(w, "reserved", [.. config.ReservedRegions.Select(r => r.Range)], [.. config.ReservedRegions.Select(r => r.Name)]);
            WriteRegions(w, "controlMemory", [.. config.ControlMemory], null);
            w.WriteNumber("devices", config.DeviceCount);
            w.WriteNumber("cacheWays", config.CacheWays);
            w.WriteStartArray("controlWays");
            for (int way = 0; way < 64; way++)
            {
                if ((config.ControlWays >> way & 1) != 0)
                {
                    w.WriteNumberValue(way);
                }
            }
            w.WriteEndArray();
            w.WriteNumber("rangeRegisters", config.RangeRegistersPerCore);
            w.WriteString("granule", FormatSize(config.GranuleSize));
            w.WriteNumber("slots", config.SlotCapacity);
            if (!config.CacheDomains.IsDefault)
            {
                WriteDomains(w, config.CacheDomains);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>"4GiB", "512MiB", "4KiB" when exact; otherwise hex ("0x1800").</summary>
    public static string FormatSize(ulong value)
    {
        if (value == 0)
        {
            return "0";
        }
        foreach ((ulong unit, string name) in new[] { (TiB, "TiB"), (GiB, "GiB"), (MiB, "MiB"), (KiB, "KiB") })
        {
            if (value % unit == 0)
            {
                return (value / unit).ToString(CultureInfo.InvariantCulture) + name;
            }
        }
        return $"0x{value:x}";
    }

    /// <summary>Parses an address or size as the description allows ("0x8000_0000", "512MiB", "4096"); false when malformed or past 2^64 - 1.</summary>
    public static bool TryParseQuantity(string text, out ulong value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = 0;
        string s = text.Trim().Replace("_", "", StringComparison.Ordinal);
        ulong unit = 1;
        foreach ((string suffix, ulong size) in new[] { ("TiB", TiB), ("GiB", GiB), ("MiB", MiB), ("KiB", KiB), ("B", 1UL) })
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                unit = size;
                s = s[..^suffix.Length].TrimEnd();
                break;
            }
        }
        bool hex = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        ulong number = 0;
        bool ok = hex
            ? s.Length > 2 && ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number)
            : s.Length > 0 && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        if (!ok || number > ulong.MaxValue / unit)
        {
            return false;
        }
        value = number * unit;
        return true;
    }

    private static void WriteDomains(Utf8JsonWriter w, System.Collections.Immutable.ImmutableArray<CacheDomain> domains)
    {
        w.WriteStartArray("cacheDomains");
        foreach (CacheDomain d in domains)
        {
            w.WriteStartObject();
            w.WriteStartArray("cores");
            foreach (int core in d.Cores)
            {
                w.WriteNumberValue(core);
            }
            w.WriteEndArray();
            w.WriteNumber("ways", d.Ways);
            w.WriteString("controlWays", $"0x{d.ControlWays:x}");
            w.WriteBoolean("contiguousMasks", d.ContiguousMasks);
            w.WriteNumber("maxClassesOfService", d.MaxClassesOfService);
            w.WriteNumber("minMaskWidth", d.MinMaskWidth);
            if (!d.LocalMemory.IsDefaultOrEmpty)
            {
                WriteRegions(w, "memory", [.. d.LocalMemory], null);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteRegions(Utf8JsonWriter w, string field, MemoryRange[] ranges, string[]? names)
    {
        w.WriteStartArray(field);
        for (int i = 0; i < ranges.Length; i++)
        {
            w.WriteStartObject();
            if (names is not null)
            {
                w.WriteString("name", names[i]);
            }
            w.WriteString("base", $"0x{ranges[i].Base:x}");
            w.WriteString("size", FormatSize(ranges[i].Size));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// Reads a machine description from the position-aware JSON tree (<see cref="JNode"/>, the one
    /// JSON reader the layout checker uses too): every problem is reported at file:line:column of
    /// the value or field it is about. Linear in the input: the tree is read once, and each field
    /// once; positions are computed by the reader as it goes.
    /// </summary>
    /// <summary>How the JSON reader names a machine description in its messages.</summary>
    internal static JsonWording Wording { get; } = new("the description", "a JSON object describing the machine", "the machine description's closing '}'");

    /// <summary>
    /// The machine of a description already read into a tree (a RISC-V description adds a "pmp" object,
    /// named by <paramref name="extension"/>, which is left to its own reader); validated unless
    /// <paramref name="validate"/> is false (the layout checker reports those problems itself).
    /// </summary>
    internal static MachineConfig FromTree(JNode root, string? file, string? extension, bool validate = true) =>
        new Parser([], file) { Extension = extension, Validate = validate }.ParseDocument(root);

    /// <summary>Reads <paramref name="bytes"/> as a machine description's tree; malformed JSON is a <see cref="DescriptionException"/>.</summary>
    internal static JNode ReadTree(byte[] bytes, string file)
    {
        try
        {
            return JNode.Parse(bytes, file, Wording);
        }
        catch (InputException e)
        {
            throw new DescriptionException(file, e.At.Line, e.At.Column, e.Problem, innerException: e);
        }
    }

    private sealed class Parser
    {
        private readonly byte[] bytes;
        private readonly string? file;
        private readonly Dictionary<string, Position> positions = [];

        public Parser(byte[] bytes, string? file)
        {
            this.bytes = bytes;
            this.file = file;
        }

        public bool Validate { get; init; } = true;

        /// <summary>A top-level field another reader owns (null: none).</summary>
        public string? Extension { get; init; }

        public MachineConfig Parse()
        {
            JNode root;
            try
            {
                root = JNode.Parse(bytes, file ?? "<description>", Wording);
            }
            catch (InputException e)
            {
                throw new DescriptionException(file, e.At.Line, e.At.Column, e.Problem, innerException: e);
            }
            return ParseDocument(root);
        }

        public MachineConfig ParseDocument(JNode root)
        {
            if (root.Kind != JsonKind.Object)
            {
                throw Error(root.At, $"a JSON object describing the machine, found {Found(root)}");
            }
            int? cores = null, devices = null, cacheWays = null, rangeRegisters = null, slots = null;
            int[]? controlCores = null;
            MemoryRange[]? ram = null, controlMemory = null;
            NamedRegion[]? reserved = null;
            ulong? controlWays = null, granule = null;
            CacheDomain[]? domains = null;
            foreach ((string name, Position at, JNode value) in root.Members)
            {
                if (name == Extension)
                {
                    continue;
                }
                if (Array.IndexOf(Fields, name) < 0)
                {
                    throw Error(at, $"unknown field \"{name}\" (expected one of: {string.Join(", ", Fields)})");
                }
                positions[name] = at;
                switch (name)
                {
                    case "cores": cores = ReadInt(value, name); break;
                    case "controlCores": controlCores = ReadIntArray(value, name); break;
                    case "ram": ram = ReadRanges(value, name); break;
                    case "reserved": reserved = ReadNamedRegions(value, name); break;
                    case "controlMemory": controlMemory = ReadRanges(value, name); break;
                    case "devices": devices = ReadInt(value, name); break;
                    case "cacheWays": cacheWays = ReadInt(value, name); break;
                    case "controlWays": controlWays = ReadWays(value, name); break;
                    case "rangeRegisters": rangeRegisters = ReadInt(value, name); break;
                    case "granule": granule = ReadQuantity(value, name, "a size"); break;
                    case "cacheDomains": domains = ReadDomains(value, name); break;
                    default: slots = ReadInt(value, name); break;
                }
            }
            if (domains is { Length: > 0 })
            {
                cacheWays ??= domains[0]?.Ways;
                controlWays ??= domains[0]?.ControlWays;
            }
            foreach (string field in Fields)
            {
                bool optional = field == "cacheDomains" || (domains is { Length: > 0 } && field is "cacheWays" or "controlWays");
                if (!optional && !positions.ContainsKey(field))
                {
                    throw Error(root.At, $"missing field \"{field}\" (expected {Expected(field)})");
                }
            }
            var config = new MachineConfig
            {
                CoreCount = cores!.Value,
                ControlCores = [.. controlCores!],
                RamRegions = [.. ram!],
                ReservedRegions = [.. reserved!],
                ControlMemory = [.. controlMemory!],
                DeviceCount = devices!.Value,
                CacheWays = cacheWays!.Value,
                ControlWays = controlWays!.Value,
                RangeRegistersPerCore = rangeRegisters!.Value,
                GranuleSize = granule!.Value,
                SlotCapacity = slots!.Value,
                CacheDomains = domains is null ? default : [.. domains],
            };
            IReadOnlyList<string> problems = Validate ? config.Problems() : [];
            if (problems.Count != 0)
            {
                throw Error(PositionOf(problems[0], root.At), problems[0], problems);
            }
            return config;
        }

        private static string Expected(string field) => field switch
        {
            "controlCores" => "a list of core indices",
            "ram" or "controlMemory" => "a list of {\"base\", \"size\"} regions",
            "reserved" => "a list of {\"name\", \"base\", \"size\"} regions",
            "controlWays" => "a list of way indices, or a way mask",
            "granule" => "a size such as \"4KiB\"",
            _ => "an integer",
        };

        private DescriptionException Error(Position at, string problem, IReadOnlyList<string>? problems = null) =>
            new(file, at.Line, at.Column, problem, problems);

        private int ReadInt(JNode value, string field)
        {
            // JSON's integer syntax only: no fraction or exponent, as a 32-bit number.
            if (value.Kind != JsonKind.Number || !int.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
            {
                throw Error(value.At, $"{field}: expected an integer, found {Found(value)}");
            }
            return number;
        }

        private int[] ReadIntArray(JNode value, string field)
        {
            Expect(value, JsonKind.Array, $"{field}: expected a list of integers");
            var list = new int[value.Items.Count];
            for (int i = 0; i < list.Length; i++)
            {
                positions.TryAdd($"{field}[{i}]", value.Items[i].At);
                list[i] = ReadInt(value.Items[i], $"{field}[{i}]");
            }
            return list;
        }

        /// <summary>A domain's cores: integers or "a-b" spans (a socket's cores are usually one span).</summary>
        private int[] ReadCores(JNode value, string field)
        {
            Expect(value, JsonKind.Array, $"{field}: expected a list of cores (integers or \"a-b\" spans)");
            var list = new List<int>();
            for (int i = 0; i < value.Items.Count; i++)
            {
                JNode item = value.Items[i];
                string[] ends = item.Kind == JsonKind.String ? item.Text.Split('-') : [];
                if (ends.Length == 2
                    && int.TryParse(ends[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                    && int.TryParse(ends[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int hi)
                    && lo <= hi && hi - lo < Limits.MaxCores)
                {
                    list.AddRange(Enumerable.Range(lo, hi - lo + 1));
                }
                else
                {
                    list.Add(ReadInt(item, $"{field}[{i}]"));
                }
                if (list.Count > Limits.MaxCores * 2)
                {
                    throw Error(item.At, $"{field}: more than {Limits.MaxCores * 2} cores");
                }
            }
            return [.. list];
        }

        private ulong ReadWays(JNode value, string field)
        {
            if (value.Kind != JsonKind.Array)
            {
                return ReadQuantity(value, field, "a list of way indices, or a way mask");
            }
            ulong mask = 0;
            for (int i = 0; i < value.Items.Count; i++)
            {
                JNode item = value.Items[i];
                int way = ReadInt(item, $"{field}[{i}]");
                if (way < 0 || way >= Limits.MaxCacheWays)
                {
                    throw Error(item.At, $"{field}[{i}]: way {way} is not in 0..{Limits.MaxCacheWays - 1}");
                }
                if ((mask >> way & 1) != 0)
                {
                    throw Error(item.At, $"{field}[{i}]: way {way} is listed twice");
                }
                mask |= 1UL << way;
            }
            return mask;
        }

        private CacheDomain[] ReadDomains(JNode value, string field)
        {
            return ReadObjects(value, field, "a list of cache domains {\"cores\", \"ways\"}", "a cache domain {\"cores\", \"ways\"}", ReadDomain);
        }

        private CacheDomain ReadDomain(JNode domain, string item)
        {
            int[]? cores = null;
            int? ways = null;
            ulong controlWays = 0;
            bool contiguous = false;
            int classes = 0, width = 0;
            MemoryRange[] memory = [];
            foreach ((string key, Position at, JNode v) in domain.Members)
            {
                positions.TryAdd($"{item}.{key}", at);
                switch (key)
                {
                    case "cores": cores = ReadCores(v, $"{item}.cores"); break;
                    case "ways": ways = ReadInt(v, $"{item}.ways"); break;
                    case "controlWays": controlWays = ReadWays(v, $"{item}.controlWays"); break;
                    case "contiguousMasks":
                        contiguous = v.Kind == JsonKind.Boolean ? v.Boolean : throw Error(v.At, $"{item}.contiguousMasks: expected true or false, found {Found(v)}");
                        break;
                    case "maxClassesOfService": classes = ReadInt(v, $"{item}.maxClassesOfService"); break;
                    case "minMaskWidth": width = ReadInt(v, $"{item}.minMaskWidth"); break;
                    case "memory": memory = ReadRanges(v, $"{item}.memory"); break;
                    default: throw Error(at, $"{item}: unknown field \"{key}\" (expected one of: {string.Join(", ", DomainFields)})");
                }
            }
            if (cores is null || ways is null)
            {
                throw Error(domain.At, $"{item}: missing field \"{(cores is null ? "cores" : "ways")}\" (expected {{\"cores\", \"ways\"}})");
            }
            return new CacheDomain
            {
                Cores = [.. cores],
                Ways = ways.Value,
                ControlWays = controlWays,
                ContiguousMasks = contiguous,
                MaxClassesOfService = classes,
                MinMaskWidth = width,
                LocalMemory = [.. memory],
            };
        }

        /// <summary>A list of objects: each checked to be an object, its position recorded under "field[i]", then read.</summary>
        private T[] ReadObjects<T>(JNode value, string field, string listWhat, string itemWhat, Func<JNode, string, T> readOne)
        {
            Expect(value, JsonKind.Array, $"{field}: expected {listWhat}");
            var list = new T[value.Items.Count];
            for (int i = 0; i < list.Length; i++)
            {
                JNode node = value.Items[i];
                string item = $"{field}[{i}]";
                positions.TryAdd(item, node.At);
                Expect(node, JsonKind.Object, $"{item}: expected {itemWhat}");
                list[i] = readOne(node, item);
            }
            return list;
        }

        private ulong ReadQuantity(JNode value, string field, string what)
        {
            if (value.Kind == JsonKind.Number)
            {
                if (ulong.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number))
                {
                    return number;
                }
                throw Error(value.At, $"{field}: expected {what} (a whole number from 0 to 2^64-1), found {Found(value)}");
            }
            if (value.Kind == JsonKind.String)
            {
                if (TryParseQuantity(value.Text, out ulong parsed))
                {
                    return parsed;
                }
                throw Error(value.At, $"{field}: expected {what} such as 4096, \"0x8000_0000\" or \"512MiB\", found \"{value.Text}\"");
            }
            throw Error(value.At, $"{field}: expected {what} (a number or a string such as \"512MiB\"), found {Found(value)}");
        }

        private MemoryRange[] ReadRanges(JNode value, string field) =>
            Array.ConvertAll(ReadRegions(value, field, named: false), r => r.Range);

        private NamedRegion[] ReadNamedRegions(JNode value, string field) => ReadRegions(value, field, named: true);

        private NamedRegion[] ReadRegions(JNode value, string field, bool named)
        {
            string shape = named ? "{\"name\", \"base\", \"size\"}" : "{\"base\", \"size\"}";
            return ReadObjects(value, field, $"a list of {shape} regions", $"a region {shape}", (region, item) => ReadRegion(region, item, named, shape));
        }

        private NamedRegion ReadRegion(JNode region, string item, bool named, string shape)
        {
            string? name = null;
            ulong? @base = null, size = null;
            foreach ((string key, Position at, JNode v) in region.Members)
            {
                switch (key)
                {
                    case "name" when named:
                        name = v.Kind == JsonKind.String ? v.Text : throw Error(v.At, $"{item}.name: expected a string, found {Found(v)}");
                        break;
                    case "base":
                        @base = ReadQuantity(v, $"{item}.base", "an address");
                        break;
                    case "size":
                        size = ReadQuantity(v, $"{item}.size", "a size");
                        break;
                    default:
                        throw Error(at, $"{item}: unknown field \"{key}\" (expected {shape})");
                }
            }
            string? missing = (named && name is null) ? "name" : @base is null ? "base" : size is null ? "size" : null;
            if (missing is not null)
            {
                throw Error(region.At, $"{item}: missing field \"{missing}\" (expected {shape})");
            }
            return new NamedRegion(name ?? "", new MemoryRange(@base!.Value, size!.Value));
        }

        private void Expect(JNode value, JsonKind kind, string message)
        {
            if (value.Kind != kind)
            {
                throw Error(value.At, $"{message}, found {Found(value)}");
            }
        }

        /// <summary>The value in a message: as the reader describes it, but a boolean is "a boolean" (which one does not matter).</summary>
        private static string Found(JNode value) => value.Kind == JsonKind.Boolean ? "a boolean" : value.Describe();

        /// <summary>Where a validation problem points: the field (or list item) its text starts with, else the object.</summary>
        private Position PositionOf(string problem, Position fallback)
        {
            int end = 0;
            while (end < problem.Length && (char.IsAsciiLetterOrDigit(problem[end]) || problem[end] is '[' or ']'))
            {
                end++;
            }
            string key = problem[..end];
            if (positions.TryGetValue(key, out Position at))
            {
                return at;
            }
            int bracket = key.IndexOf('[', StringComparison.Ordinal);
            return bracket > 0 && positions.TryGetValue(key[..bracket], out at) ? at : fallback;
        }
    }
}
