using System.Globalization;
using System.Text;
using System.Text.Json;

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
/// </para>
/// </summary>
public static class MachineDescription
{
    private const ulong KiB = 1UL << 10;
    private const ulong MiB = 1UL << 20;
    private const ulong GiB = 1UL << 30;
    private const ulong TiB = 1UL << 40;

    private static readonly string[] Fields =
        ["cores", "controlCores", "ram", "reserved", "controlMemory", "devices", "cacheWays", "controlWays", "rangeRegisters", "granule", "slots"];

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

    /// <summary>A recursive-descent reader over <see cref="Utf8JsonReader"/> that knows where every token is.</summary>
    private ref struct Parser
    {
        private readonly byte[] bytes;
        private readonly string? file;
        private readonly Dictionary<string, long> positions = [];
        private Utf8JsonReader reader;

        /// <summary>When false, a description that <see cref="ConfigErrorText.Problems"/> rejects is returned as is.</summary>
        public bool Validate { get; init; }

        public Parser(byte[] bytes, string? file)
        {
            Validate = true;
            // A byte-order mark is not part of the text: positions count from the first character after it.
            this.bytes = Utf8Input.ByteOrderMarkLength(bytes) > 0 ? bytes[3..] : bytes;
            this.file = file;
            reader = new Utf8JsonReader(this.bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }

        public MachineConfig Parse()
        {
            long invalid = Utf8Input.FirstInvalidByte(bytes);
            if (invalid >= 0)
            {
                throw Error(invalid, $"invalid UTF-8 (byte 0x{bytes[invalid]:x2}): the description must be UTF-8 text");
            }
            try
            {
                return ParseDocument();
            }
            catch (JsonException e)
            {
                // The reader's positions are 0-based, in bytes within the line.
                int line = (int)(e.LineNumber ?? 0) + 1;
                int column = (int)(e.BytePositionInLine ?? 0) + 1;
                throw new DescriptionException(file, line, column, "malformed JSON: " + FirstSentence(e.Message), innerException: e);
            }
        }

        private MachineConfig ParseDocument()
        {
            Next("a JSON object describing the machine");
            long objectStart = reader.TokenStartIndex;
            Expect(JsonTokenType.StartObject, "a JSON object describing the machine");
            int? cores = null, devices = null, cacheWays = null, rangeRegisters = null, slots = null;
            int[]? controlCores = null;
            MemoryRange[]? ram = null, controlMemory = null;
            NamedRegion[]? reserved = null;
            ulong? controlWays = null, granule = null;
            while (true)
            {
                Next("a field name or '}'");
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }
                string name = reader.GetString()!;
                long at = reader.TokenStartIndex;
                if (Array.IndexOf(Fields, name) < 0)
                {
                    throw Error(at, $"unknown field \"{name}\" (expected one of: {string.Join(", ", Fields)})");
                }
                if (!positions.TryAdd(name, at))
                {
                    throw Error(at, $"field \"{name}\" appears twice");
                }
                Next($"a value for \"{name}\"");
                switch (name)
                {
                    case "cores": cores = ReadInt(name); break;
                    case "controlCores": controlCores = ReadIntArray(name); break;
                    case "ram": ram = ReadRanges(name); break;
                    case "reserved": reserved = ReadNamedRegions(name); break;
                    case "controlMemory": controlMemory = ReadRanges(name); break;
                    case "devices": devices = ReadInt(name); break;
                    case "cacheWays": cacheWays = ReadInt(name); break;
                    case "controlWays": controlWays = ReadWays(name); break;
                    case "rangeRegisters": rangeRegisters = ReadInt(name); break;
                    case "granule": granule = ReadQuantity(name, "a size"); break;
                    default: slots = ReadInt(name); break;
                }
            }
            if (reader.Read())
            {
                throw Error(reader.TokenStartIndex, "unexpected content after the machine description's closing '}'");
            }
            foreach (string field in Fields)
            {
                if (!positions.ContainsKey(field))
                {
                    throw Error(objectStart, $"missing field \"{field}\" (expected {Expected(field)})");
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
            };
            IReadOnlyList<string> problems = Validate ? config.Problems() : [];
            if (problems.Count != 0)
            {
                throw Error(PositionOf(problems[0], objectStart), problems[0], problems);
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

        private int ReadInt(string field)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int value))
            {
                throw Error(reader.TokenStartIndex, $"{field}: expected an integer, found {Found()}");
            }
            return value;
        }

        private int[] ReadIntArray(string field)
        {
            Expect(JsonTokenType.StartArray, $"{field}: expected a list of integers");
            var list = new List<int>();
            while (true)
            {
                Next($"{field}: an integer or ']'");
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return [.. list];
                }
                positions.TryAdd($"{field}[{list.Count}]", reader.TokenStartIndex);
                list.Add(ReadInt($"{field}[{list.Count}]"));
            }
        }

        private ulong ReadWays(string field)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return ReadQuantity(field, "a list of way indices, or a way mask");
            }
            ulong mask = 0;
            for (int i = 0; ; i++)
            {
                Next($"{field}: a way index or ']'");
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return mask;
                }
                long at = reader.TokenStartIndex;
                int way = ReadInt($"{field}[{i}]");
                if (way < 0 || way >= Limits.MaxCacheWays)
                {
                    throw Error(at, $"{field}[{i}]: way {way} is not in 0..{Limits.MaxCacheWays - 1}");
                }
                if ((mask >> way & 1) != 0)
                {
                    throw Error(at, $"{field}[{i}]: way {way} is listed twice");
                }
                mask |= 1UL << way;
            }
        }

        private ulong ReadQuantity(string field, string what)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (reader.TryGetUInt64(out ulong number))
                {
                    return number;
                }
                throw Error(reader.TokenStartIndex, $"{field}: expected {what} (a whole number from 0 to 2^64-1), found {Found()}");
            }
            if (reader.TokenType == JsonTokenType.String)
            {
                string text = reader.GetString()!;
                if (TryParseQuantity(text, out ulong value))
                {
                    return value;
                }
                throw Error(reader.TokenStartIndex, $"{field}: expected {what} such as 4096, \"0x8000_0000\" or \"512MiB\", found \"{text}\"");
            }
            throw Error(reader.TokenStartIndex, $"{field}: expected {what} (a number or a string such as \"512MiB\"), found {Found()}");
        }

        private MemoryRange[] ReadRanges(string field)
        {
            NamedRegion[] regions = ReadRegions(field, named: false);
            return Array.ConvertAll(regions, r => r.Range);
        }

        private NamedRegion[] ReadNamedRegions(string field) => ReadRegions(field, named: true);

        private NamedRegion[] ReadRegions(string field, bool named)
        {
            string shape = named ? "{\"name\", \"base\", \"size\"}" : "{\"base\", \"size\"}";
            Expect(JsonTokenType.StartArray, $"{field}: expected a list of {shape} regions");
            var list = new List<NamedRegion>();
            while (true)
            {
                Next($"{field}: a region or ']'");
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    return [.. list];
                }
                string item = $"{field}[{list.Count}]";
                long start = reader.TokenStartIndex;
                positions.TryAdd(item, start);
                Expect(JsonTokenType.StartObject, $"{item}: expected a region {shape}");
                string? name = null;
                ulong? @base = null, size = null;
                while (true)
                {
                    Next($"{item}: a field name or '}}'");
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        break;
                    }
                    string key = reader.GetString()!;
                    long at = reader.TokenStartIndex;
                    bool known = key is "base" or "size" || (named && key == "name");
                    if (!known)
                    {
                        throw Error(at, $"{item}: unknown field \"{key}\" (expected {shape})");
                    }
                    if ((key == "base" && @base is not null) || (key == "size" && size is not null) || (key == "name" && name is not null))
                    {
                        throw Error(at, $"{item}: field \"{key}\" appears twice");
                    }
                    Next($"{item}: a value for \"{key}\"");
                    if (key == "name")
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            throw Error(reader.TokenStartIndex, $"{item}.name: expected a string, found {Found()}");
                        }
                        name = reader.GetString()!;
                    }
                    else if (key == "base")
                    {
                        @base = ReadQuantity($"{item}.base", "an address");
                    }
                    else
                    {
                        size = ReadQuantity($"{item}.size", "a size");
                    }
                }
                string? missing = (named && name is null) ? "name" : @base is null ? "base" : size is null ? "size" : null;
                if (missing is not null)
                {
                    throw Error(start, $"{item}: missing field \"{missing}\" (expected {shape})");
                }
                list.Add(new NamedRegion(name ?? "", new MemoryRange(@base!.Value, size!.Value)));
            }
        }

        private void Next(string expected)
        {
            if (!reader.Read())
            {
                throw Error(bytes.Length, $"the description ends early: expected {expected}");
            }
        }

        private void Expect(JsonTokenType type, string message)
        {
            if (reader.TokenType != type)
            {
                throw Error(reader.TokenStartIndex, $"{message}, found {Found()}");
            }
        }

        private readonly string Found() => reader.TokenType switch
        {
            JsonTokenType.String => $"the string \"{reader.GetString()}\"",
            JsonTokenType.Number => $"the number {Encoding.UTF8.GetString(reader.ValueSpan)}",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "a list",
            _ => reader.TokenType.ToString(),
        };

        /// <summary>Problems() names its field first ("ram[1] ...", "controlWays: ..."): point at that field.</summary>
        private readonly long PositionOf(string problem, long fallback)
        {
            int end = 0;
            while (end < problem.Length && (char.IsAsciiLetterOrDigit(problem[end]) || problem[end] is '[' or ']'))
            {
                end++;
            }
            string key = problem[..end];
            if (positions.TryGetValue(key, out long at))
            {
                return at;
            }
            int bracket = key.IndexOf('[', StringComparison.Ordinal);
            return bracket > 0 && positions.TryGetValue(key[..bracket], out at) ? at : fallback;
        }

        private readonly DescriptionException Error(long byteIndex, string problem, IReadOnlyList<string>? problems = null)
        {
            int line = 1;
            int column = 1;
            long end = Math.Min(byteIndex, bytes.Length);
            for (long i = 0; i < end; i++)
            {
                byte b = bytes[i];
                if (b == (byte)'\n')
                {
                    line++;
                    column = 1;
                }
                else if ((b & 0xC0) != 0x80)
                {
                    column++; // count characters, not UTF-8 continuation bytes
                }
            }
            return new DescriptionException(file, line, column, problem, problems);
        }

        private static string FirstSentence(string message)
        {
            int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            return (cut > 0 ? message[..cut] : message).Trim();
        }
    }
}
