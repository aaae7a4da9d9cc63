using System.Text.Json;
using System.Text.Json.Nodes;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Simulation.Pmp;

/// <summary>
/// A RISC-V machine description: an ordinary machine description (<see cref="MachineDescription"/>)
/// with one more field, <c>"pmp"</c>:
/// <code>
/// "pmp": { "entries": 16, "granularity": 0, "clint": "0x0200_0000" }
/// </code>
/// <c>entries</c> PMP entries per hart, granularity G, and the CLINT base (hart h's msip
/// word at clint + 4h; the harts are the machine's cores). Every field required, no others.
/// </summary>
public static class PmpMachineDescription
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>True when the description in <paramref name="path"/> has a <c>"pmp"</c> field (is a RISC-V PMP machine).</summary>
    public static bool IsPmp(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: Options) is JsonObject o && o.ContainsKey("pmp");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Reads a PMP machine description; a malformed one is a <see cref="DescriptionException"/>.</summary>
    public static (MachineConfig Config, PmpGeometry Geometry) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DescriptionException(path, 0, 0, $"cannot read the machine description: {e.Message}", innerException: e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses a PMP machine description given as text.</summary>
    public static (MachineConfig Config, PmpGeometry Geometry) Parse(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string where = path ?? "<description>";
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: Options) as JsonObject
                ?? throw new DescriptionException(where, 1, 1, "expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new DescriptionException(where, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, e.Message, innerException: e);
        }
        if (root["pmp"] is not JsonObject pmp)
        {
            throw new DescriptionException(where, 1, 1, "missing field \"pmp\" (expected { \"entries\", \"granularity\", \"clint\" })");
        }
        foreach (KeyValuePair<string, JsonNode?> field in pmp)
        {
            if (field.Key is not ("entries" or "granularity" or "clint"))
            {
                throw new DescriptionException(where, 1, 1, $"pmp: unknown field \"{field.Key}\" (expected one of: entries, granularity, clint)");
            }
        }
        int entries = Int(pmp, "entries", where);
        int granularity = Int(pmp, "granularity", where);
        ulong clint = Address(pmp, "clint", where);
        root.Remove("pmp");
        MachineConfig config = MachineDescription.Parse(root.ToJsonString());
        var geometry = new PmpGeometry(entries, granularity, clint, config.CoreCount);
        if (geometry.Problem(config.GranuleSize, config.CoreCount) is { } problem)
        {
            throw new DescriptionException(where, 1, 1, ConfigErrorText.Describe(config, problem));
        }
        return (config, geometry);
    }

    /// <summary>The description's <c>"pmp"</c> field, as written back by tools.</summary>
    public static string Describe(PmpGeometry g) =>
        $"{{ \"entries\": {g.Entries}, \"granularity\": {g.Granularity}, \"clint\": \"0x{g.MsipBase:x}\" }}";

    private static int Int(JsonObject o, string name, string where)
    {
        if (o[name] is JsonValue v && v.TryGetValue(out int i))
        {
            return i;
        }
        throw new DescriptionException(where, 1, 1, $"pmp.{name}: expected an integer");
    }

    private static ulong Address(JsonObject o, string name, string where)
    {
        if (o[name] is JsonValue v)
        {
            if (v.TryGetValue(out ulong u))
            {
                return u;
            }
            if (v.TryGetValue(out string? s) && s is not null && MachineDescription.TryParseQuantity(s, out ulong parsed))
            {
                return parsed;
            }
        }
        throw new DescriptionException(where, 1, 1, $"pmp.{name}: expected an address (a number or \"0x...\")");
    }
}
