using System.Globalization;
using System.Text;
using CoreSlice.Simulation.Json;
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
    /// <summary>True when the file is a JSON object with a "pmp" field (anything unreadable is not: its reader says why).</summary>
    public static bool IsPmp(string path)
    {
        try
        {
            return JNode.Parse(File.ReadAllBytes(path), path, MachineDescription.Wording) is { Kind: JsonKind.Object } root && root.Member("pmp") is not null;
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The machine a description file of either kind describes: a RISC-V description's machine part (its
    /// "pmp" field is for the PMP port), else <see cref="MachineDescription.Load"/>'s. Every problem is a <see cref="DescriptionException"/>.
    /// </summary>
    public static MachineConfig LoadMachine(string path) => IsPmp(path) ? Load(path).Config : MachineDescription.Load(path);

    /// <summary>Reads a RISC-V machine description; every problem is a <see cref="DescriptionException"/> at file:line:column.</summary>
    public static (MachineConfig Config, PmpGeometry Geometry) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DescriptionException(path, 0, 0, $"cannot read the machine description: {e.Message}", innerException: e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Reads a RISC-V machine description from text.</summary>
    public static (MachineConfig Config, PmpGeometry Geometry) Parse(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(Encoding.UTF8.GetBytes(text), path);
    }

    // One read of the file by the position-aware reader: the machine's fields go to MachineDescription's
    // parser, the "pmp" object is read here, and both report at the place in the file they are about.
    private static (MachineConfig Config, PmpGeometry Geometry) Parse(byte[] bytes, string? path)
    {
        JNode root;
        try
        {
            root = JNode.Parse(bytes, path ?? "<description>", MachineDescription.Wording);
        }
        catch (InputException e)
        {
            throw new DescriptionException(path, e.At.Line, e.At.Column, e.Problem, innerException: e);
        }
        return FromTree(root, path);
    }

    /// <summary>A RISC-V description already read into a tree (the layout checker reads the file once).</summary>
    internal static (MachineConfig Config, PmpGeometry Geometry) FromTree(JNode root, string? path)
    {
        if (root.Kind != JsonKind.Object)
        {
            throw Error(path, root.At, $"expected a JSON object, found {root.Describe()}");
        }
        if (root.Member("pmp") is not { } pmp)
        {
            throw Error(path, root.At, "missing field \"pmp\" (expected { \"entries\", \"granularity\", \"clint\" })");
        }
        if (pmp.Kind != JsonKind.Object)
        {
            throw Error(path, pmp.At, $"pmp: expected {{ \"entries\", \"granularity\", \"clint\" }}, found {pmp.Describe()}");
        }
        foreach ((string name, Position at, _) in pmp.Members)
        {
            if (name is not ("entries" or "granularity" or "clint"))
            {
                throw Error(path, at, $"pmp: unknown field \"{name}\" (expected one of: entries, granularity, clint)");
            }
        }
        int entries = Int(pmp, "entries", path);
        int granularity = Int(pmp, "granularity", path);
        ulong clint = Address(pmp, "clint", path);
        MachineConfig config = MachineDescription.FromTree(root, path, "pmp");
        var geometry = new PmpGeometry(entries, granularity, clint, config.CoreCount);
        if (geometry.Problem(config.GranuleSize, config.CoreCount) is { } problem)
        {
            throw Error(path, root.MemberAt("pmp"), ConfigErrorText.Describe(config, problem));
        }
        return (config, geometry);
    }

    /// <summary>The "pmp" object as it is written in a description.</summary>
    public static string Describe(PmpGeometry g) =>
        $"{{ \"entries\": {g.Entries}, \"granularity\": {g.Granularity}, \"clint\": \"0x{g.MsipBase:x}\" }}";

    private static DescriptionException Error(string? path, Position at, string problem) => new(path, at.Line, at.Column, problem);

    private static int Int(JNode pmp, string name, string? path)
    {
        if (pmp.Member(name) is { Kind: JsonKind.Number } v && int.TryParse(v.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i))
        {
            return i;
        }
        throw Error(path, pmp.Member(name)?.At ?? pmp.At, $"pmp.{name}: expected an integer");
    }

    private static ulong Address(JNode pmp, string name, string? path)
    {
        JNode? v = pmp.Member(name);
        if (v is { Kind: JsonKind.Number } && ulong.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u))
        {
            return u;
        }
        if (v is { Kind: JsonKind.String } && MachineDescription.TryParseQuantity(v.Text, out ulong parsed))
        {
            return parsed;
        }
        throw Error(path, v?.At ?? pmp.At, $"pmp.{name}: expected an address (a number or \"0x...\")");
    }
}
