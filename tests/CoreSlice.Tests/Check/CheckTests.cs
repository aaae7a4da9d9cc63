using System.Text.Json;
using System.Xml.Linq;
using CoreSlice.Harness.Check;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Tests.Check;

public sealed class CheckTests : CheckTestFiles
{
    private static readonly string[] Sources = ["slicevisor", "layout", "machine"];

    // ------------------------------------------------------------ the examples

    [Theory]
    [InlineData("small-board.json", "small-board-valid.json")]
    [InlineData("server-2s-128c.json", "server-2s-128c-valid.json")]
    public void Valid_examples_exit_0_with_no_problems(string machine, string layout)
    {
        CheckReport report = Check(Path.Combine(Examples, "machines", machine), Example(layout));

        Assert.Empty(report.Problems);
        Assert.True(report.Valid);
        Assert.Equal(0, report.ExitCode);
        Assert.All(report.Slices, s => Assert.True(s.AsDeclared && s.Slot is not null, s.Status));
    }

    [Fact]
    public void Small_board_mistakes_report_every_mistake_in_file_order()
    {
        CheckReport report = Check(SmallBoard, Example("small-board-mistakes.json"));

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(
            [
                ("DmaPermissionsExceedRange", 13, 78), ("WindowPermissionsInvalid", 18, 74),
                ("CoreInUse", 23, 17), ("RangeInUse", 25, 9), ("DeviceInUse", 28, 19), ("DmaRangeOutsideSlice", 29, 15),
                ("WaysInUse", 30, 16), ("WaysOutOfRange", 30, 22), ("EntryOutsideMemory", 31, 16),
                ("WindowOutsideControl", 33, 9), ("WindowInUse", 34, 9), ("CoreReservedForControl", 39, 17),
                ("RangeOverlapsReserved", 41, 9), ("RangeUnaligned", 42, 9), ("RangeOverlapsControl", 43, 9),
                ("DeviceOutOfRange", 46, 19),
            ],
            report.Problems.Select(Key).ToArray());
        // Partly rejected slices stay created, so later slices are checked against them.
        Assert.Equal([1, 2, 3], report.Slices.Select(s => s.Slot ?? 0).ToArray());
        Assert.Equal([2], report.Slices[1].Cores);
    }

    [Fact]
    public void Server_mistakes_report_every_mistake()
    {
        CheckReport report = Check(Server, Example("server-2s-128c-mistakes.json"));

        Assert.Equal(1, report.ExitCode);
        Assert.Equal(
            [
                ("CoreInUse", 14, 17), ("CoreReservedForControl", 14, 21), ("RangeInUse", 24, 9), ("RangeOutsideRam", 25, 9),
                ("DeviceInUse", 28, 19), ("WaysOutOfRange", 29, 20), ("RangeOutsideRam", 36, 9), ("RangeUnaligned", 37, 9),
                ("CoreOutOfRange", 46, 17), ("DeviceOutOfRange", 48, 19),
                ("WaysNotContiguous", 56, 16), ("WaysForeignDomain", 56, 32),
            ],
            report.Problems.Where(p => !p.IsWarning).Select(Key).ToArray());
        // Memory on the other socket than every core of the slice: allowed, and warned about.
        Assert.Equal(
            [("MemoryOnOtherSocket", "web", 26, 9), ("MemoryOnOtherSocket", "remote", 62, 18)],
            report.Problems.Where(p => p.IsWarning).Select(p => (p.Error, p.Slice, p.At.Line, p.At.Column)).ToArray());
        Assert.Equal(45, report.Free!.Cores.Length);
    }

    // ------------------------------------------------------------ each kind of mistake, every field

    [Fact]
    public void CoreInUse_names_both_slices_and_both_positions()
    {
        Problem p = Only(Check(SmallBoard, Example("small-board-mistakes.json")), "CoreInUse");

        Assert.Equal(ProblemSource.Slicevisor, p.Source);
        Assert.Equal((int)SliceError.CoreInUse, p.Code);
        Assert.Equal("net", p.Slice);
        Assert.Equal("cores", p.Field);
        Assert.Equal("core 1", p.Item);
        Assert.Equal(new Party("slice", "sensor", "cores", new Position(Example("small-board-mistakes.json"), 7, 17)), p.Against);
        Assert.Null(p.Interval);
    }

    [Fact]
    public void RangeInUse_gives_the_other_slice_its_range_and_the_overlap()
    {
        Problem p = Only(Check(SmallBoard, Example("small-board-mistakes.json")), "RangeInUse");

        Assert.Equal("net", p.Slice);
        Assert.Equal("memory[0]", p.Field);
        Assert.Equal("[0x5800_0000, 0x6800_0000)", p.Item);
        Assert.Equal(new Party("slice", "sensor", "memory[0]", new Position(Example("small-board-mistakes.json"), 9, 9)), p.Against);
        Assert.Equal(new MemoryRange(0x5800_0000, 0x700_0000), p.Interval);
    }

    [Fact]
    public void RangeOverlapsReserved_names_the_region_where_the_machine_declares_it()
    {
        Problem p = Only(Check(SmallBoard, Example("small-board-mistakes.json")), "RangeOverlapsReserved");

        Assert.Equal(new Party("reserved", "slicevisor", "reserved[1]", new Position(SmallBoard, 8, 5)), p.Against);
        Assert.Equal(new MemoryRange(0x4080_0000, 0x10_0000), p.Interval);
        Assert.Equal((41, 9), (p.At.Line, p.At.Column));
    }

    [Fact]
    public void RangeOverlapsControl_names_the_control_slice()
    {
        Problem p = Only(Check(SmallBoard, Example("small-board-mistakes.json")), "RangeOverlapsControl");

        Assert.Equal(new Party("control", "control slice", "controlMemory[0]", new Position(SmallBoard, 11, 21)), p.Against);
        Assert.Equal(new MemoryRange(0x4800_0000, 0x10_0000), p.Interval);
    }

    [Fact]
    public void RangeUnaligned_names_the_granule()
    {
        Problem p = Only(Check(SmallBoard, Example("small-board-mistakes.json")), "RangeUnaligned");

        Assert.Equal("machine", p.Against!.Kind);
        Assert.Equal("granule", p.Against.Field);
        Assert.Equal(new Position(SmallBoard, 16, 3), p.Against.At);
        Assert.Equal(new MemoryRange(0x7000_0800, 0x1_0000), p.Interval);
    }

    [Fact]
    public void RangeOutsideRam_gives_the_part_outside_the_region()
    {
        CheckReport report = Check(Server, Example("server-2s-128c-mistakes.json"));
        Problem straddle = report.Problems.Single(p => p.Error == "RangeOutsideRam" && p.Slice == "batch");
        Problem gap = report.Problems.Single(p => p.Error == "RangeOutsideRam" && p.Slice == "web");

        Assert.Equal("ram[1]", straddle.Against!.Field);
        Assert.Equal(new MemoryRange(0xc0_0000_0000, 0x4000_0000), straddle.Interval);
        Assert.Equal(new MemoryRange(0x40_0000_0000, 0x2_0000_0000), gap.Interval);
    }

    [Fact]
    public void Cores_devices_and_ways_name_the_control_slice_or_the_machine_limit()
    {
        CheckReport report = Check(SmallBoard, Example("small-board-mistakes.json"));

        Problem control = Only(report, "CoreReservedForControl");
        Assert.Equal(new Party("control", "control slice", "controlCores", new Position(SmallBoard, 4, 20)), control.Against);
        Problem device = Only(report, "DeviceOutOfRange");
        Assert.Equal(("machine", "devices", "4 devices"), (device.Against!.Kind, device.Against.Name, device.Against.Detail));
        Assert.Equal("device 5", device.Item);
        Problem wayUsed = Only(report, "WaysInUse");
        Assert.Equal(("slice", "sensor", 14, 19), (wayUsed.Against!.Kind, wayUsed.Against.Name, wayUsed.Against.At!.Value.Line, wayUsed.Against.At.Value.Column));
        Problem wayBeyond = Only(report, "WaysOutOfRange");
        Assert.Equal(("way 9", "cacheWays"), (wayBeyond.Item, wayBeyond.Against!.Field));
        Problem entry = Only(report, "EntryOutsideMemory");
        Assert.Equal(("entry", "0x6c00_0000"), (entry.Field, entry.Item));
    }

    private const string SmallLayoutHead = "{\"slices\": [\n";

    [Fact]
    public void Duplicates_within_a_slice_name_the_first_listing()
    {
        string layout = Write("dup.json", SmallLayoutHead
            + "{\"name\": \"a\", \"cores\": [1, 2, 1], \"devices\": [3, 3], \"ways\": [2],\n"
            + " \"memory\": [{\"base\": \"0x5000_0000\", \"size\": \"64MiB\"}, {\"base\": \"0x5200_0000\", \"size\": \"64MiB\"}]}\n]}");

        CheckReport report = Check(SmallBoard, layout);

        Problem core = Only(report, "CoreDuplicated");
        Assert.Equal((2, 31), (core.At.Line, core.At.Column));
        Assert.Equal(new Party("slice", "a", "cores", new Position(layout, 2, 25)), core.Against);
        Problem device = Only(report, "DeviceDuplicated");
        Assert.Equal((2, 50), (device.At.Line, device.At.Column));
        Problem overlap = Only(report, "RangeOverlapsRequest");
        Assert.Equal(new Party("slice", "a", "memory[0]", new Position(layout, 3, 13)), overlap.Against);
        Assert.Equal(new MemoryRange(0x5200_0000, 0x200_0000), overlap.Interval);
        Assert.Equal([1, 2], report.Slices[0].Cores);
    }

    [Fact]
    public void Too_many_ranges_and_a_full_table_name_the_machine_limit()
    {
        string machine = Write("m.json", File.ReadAllText(SmallBoard).Replace("\"slots\": 8", "\"slots\": 1", StringComparison.Ordinal));
        string ranges = string.Join(", ", Enumerable.Range(0, 5).Select(i => $"{{\"base\": \"0x{0x5000_0000 + (i * 0x100_0000):x}\", \"size\": \"4KiB\"}}"));
        string layout = Write("full.json", SmallLayoutHead
            + $"{{\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{ranges}]}},\n"
            + "{\"name\": \"b\", \"cores\": [2], \"ways\": [3], \"memory\": [{\"base\": \"0x7000_0000\", \"size\": \"4KiB\"}]}\n]}");

        CheckReport report = Check(machine, layout);

        Problem tooMany = Only(report, "TooManyRanges");
        Assert.Equal(("rangeRegisters", "4 range registers per core"), (tooMany.Against!.Field, tooMany.Against.Detail));
        Problem full = Only(report, "TableFull");
        Assert.Equal(("b", "slots"), (full.Slice, full.Against!.Field));
        Assert.Equal(4, report.Slices[0].Memory.Length);
        Assert.Null(report.Slices[1].Slot);
    }

    // ------------------------------------------------------------ the machine itself

    [Fact]
    public void Machine_problems_are_each_reported_at_their_field_and_no_slice_is_checked()
    {
        string machine = Write("bad.json", """
            {
              "cores": 4, "controlCores": [0],
              "ram": [{ "base": 0, "size": "1GiB" }, { "base": "512MiB", "size": "1GiB" }],
              "reserved": [],
              "controlMemory": [{ "base": "1MiB", "size": "1MiB" }],
              "devices": 1, "cacheWays": 4, "controlWays": [0],
              "rangeRegisters": 4, "granule": "3KiB", "slots": 2
            }
            """);

        CheckReport report = Check(machine, Example("small-board-valid.json"));

        Assert.Equal(1, report.ExitCode);
        Assert.Empty(report.Slices);
        Assert.Null(report.Free);
        Assert.All(report.Problems, p => Assert.Equal(ProblemSource.Machine, p.Source));
        Assert.Contains(report.Problems, p => p.Field == "granule" && p.At.Line == 7);
        Problem ram = Assert.Single(report.Problems, p => p.Field == "ram[1]");
        Assert.Equal((3, 42), (ram.At.Line, ram.At.Column));
    }

    [Fact]
    public void A_reserved_region_outside_ram_is_a_warning_not_an_error()
    {
        string machine = Write("warn.json", File.ReadAllText(SmallBoard).Replace(
            "{ \"name\": \"firmware\", \"base\": \"0x4000_0000\", \"size\": \"1MiB\" }",
            "{ \"name\": \"firmware\", \"base\": \"0x3ff0_0000\", \"size\": \"2MiB\" }", StringComparison.Ordinal));

        CheckReport report = Check(machine, Example("small-board-valid.json"));

        Problem p = Assert.Single(report.Problems);
        Assert.True(p.IsWarning);
        Assert.Equal(("ReservedOutsideRam", "reserved[0]", 7, 5), (p.Error, p.Field, p.At.Line, p.At.Column));
        Assert.Equal(new MemoryRange(0x3ff0_0000, 0x10_0000), p.Interval);
        Assert.Equal(0, report.ExitCode);
    }

    // ------------------------------------------------------------ input errors: exit 2, file:line:column

    [Theory]
    [InlineData("{\"slices\": [\n  {\"name\": \"a\",, }]}", 2, 16, "malformed JSON")]
    [InlineData("{\"slices\": [\n  {\"name\": \"a\", \"colour\": 1}]}", 2, 17, "unknown field \"colour\"")]
    [InlineData("{\"slices\": [\n  {\"name\": \"a\", \"cores\": \"all\", \"memory\": [], \"ways\": []}]}", 2, 26, "expected a list of indices")]
    [InlineData("{\"slices\": [\n  {\"name\": \"a\", \"cores\": [1], \"ways\": [2]}]}", 2, 3, "missing field \"memory\"")]
    [InlineData("{\"slices\": [\n  {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{\"base\": \"12 parsecs\", \"size\": 4096}]}]}", 2, 64, "expected an address")]
    [InlineData("{\"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": []},\n {\"name\": \"a\", \"cores\": [2], \"ways\": [3], \"memory\": []}]}", 3, 2, "already used at 2:2")]
    [InlineData("{\"slices\": []", 1, 14, "")]
    [InlineData("", 1, 1, "")]
    public void Malformed_layouts_exit_2_with_a_position(string text, int line, int column, string expected)
    {
        string layout = Write("bad-layout.json", text);

        var e = Assert.Throws<InputException>(() => Checker.Run(SmallBoard, layout));

        Assert.StartsWith($"{layout}:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_malformed_machine_exits_2_with_the_machine_parsers_position()
    {
        string machine = Write("m.json", File.ReadAllText(SmallBoard).Replace("\"devices\": 4", "\"devices\": \"four\"", StringComparison.Ordinal));

        var e = Assert.Throws<DescriptionException>(() => Checker.Run(machine, Example("small-board-valid.json")));

        Assert.StartsWith($"{machine}:12:14: devices: expected an integer", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("small-board-valid.json", 0)]
    [InlineData("small-board-mistakes.json", 1)]
    [InlineData("/nonexistent/layout.json", 2)]
    public void Exit_codes_through_the_command_line(string layout, int expected)
    {
        CliRun run = Coreslice.Run("check", "--machine", SmallBoard, "--layout", layout.StartsWith('/') ? layout : Example(layout), "--format", "json");

        Assert.Equal(expected, run.Exit);
    }

    // ------------------------------------------------------------ the JSON schema (docs/check.md)

    [Fact]
    public void Json_output_follows_the_documented_schema()
    {
        CliRun run = Coreslice.Run("check", "--machine", SmallBoard, "--layout", Example("small-board-mistakes.json"), "--format", "json");
        int exit = run.Exit;

        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(1, exit);
        Assert.Equal(2, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("rejected", root.GetProperty("result").GetString());
        Assert.Equal(1, root.GetProperty("exitCode").GetInt32());
        Assert.Equal(4, root.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.Equal("0x1000", root.GetProperty("machine").GetProperty("granule").GetString());
        Assert.Equal(16, root.GetProperty("errorCount").GetInt32());
        Assert.Equal(0, root.GetProperty("warningCount").GetInt32());
        foreach (JsonElement slice in root.GetProperty("slices").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, slice.GetProperty("name").ValueKind);
            Assert.True(slice.GetProperty("created").GetBoolean());
            Assert.Equal(JsonValueKind.Number, slice.GetProperty("slot").ValueKind);
            Assert.Equal(JsonValueKind.Array, slice.GetProperty("cores").ValueKind);
            Assert.StartsWith("0x", slice.GetProperty("entry").GetString(), StringComparison.Ordinal);
            foreach (JsonElement r in slice.GetProperty("memory").EnumerateArray())
            {
                Assert.StartsWith("0x", r.GetProperty("base").GetString(), StringComparison.Ordinal);
                Assert.StartsWith("0x", r.GetProperty("limit").GetString(), StringComparison.Ordinal);
                Assert.Equal(JsonValueKind.String, r.GetProperty("perm").ValueKind);
            }
            Assert.Equal(JsonValueKind.Array, slice.GetProperty("windows").ValueKind);
            Assert.Equal(JsonValueKind.Array, slice.GetProperty("dmaRanges").ValueKind);
            Assert.True(slice.GetProperty("dmaEveryPrivateRange").ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.False(slice.TryGetProperty("shared", out _));
        }
        JsonElement[] problems = [.. root.GetProperty("problems").EnumerateArray()];
        Assert.Equal(16, problems.Length);
        foreach (JsonElement p in problems)
        {
            Assert.Equal("error", p.GetProperty("severity").GetString());
            Assert.Contains(p.GetProperty("source").GetString(), Sources);
            Assert.Equal(JsonValueKind.String, p.GetProperty("error").ValueKind);
            Assert.True(p.GetProperty("at").GetProperty("line").GetInt32() > 0);
            Assert.True(p.GetProperty("at").GetProperty("column").GetInt32() > 0);
            Assert.Equal(JsonValueKind.String, p.GetProperty("field").ValueKind);
            Assert.Equal(JsonValueKind.String, p.GetProperty("item").ValueKind);
            Assert.Equal(JsonValueKind.String, p.GetProperty("message").ValueKind);
            Assert.True(p.TryGetProperty("against", out _) && p.TryGetProperty("interval", out _) && p.TryGetProperty("code", out _));
        }
        JsonElement rangeInUse = problems.Single(p => p.GetProperty("error").GetString() == "RangeInUse");
        Assert.Equal(27, rangeInUse.GetProperty("code").GetInt32());
        Assert.Equal("net", rangeInUse.GetProperty("slice").GetString());
        Assert.Equal("sensor", rangeInUse.GetProperty("against").GetProperty("name").GetString());
        Assert.Equal(9, rangeInUse.GetProperty("against").GetProperty("at").GetProperty("line").GetInt32());
        Assert.Equal("0x58000000", rangeInUse.GetProperty("interval").GetProperty("base").GetString());
        Assert.Equal("0x5f000000", rangeInUse.GetProperty("interval").GetProperty("limit").GetString());
        JsonElement free = root.GetProperty("free");
        Assert.Equal([2, 3], free.GetProperty("devices").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        Assert.Equal([5, 6], free.GetProperty("ways").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        JsonElement region = Assert.Single(free.GetProperty("memory").EnumerateArray().ToArray());
        Assert.Equal("534MiB", region.GetProperty("free").GetString());
        Assert.Equal(5, region.GetProperty("intervals").GetArrayLength());
    }

    // ------------------------------------------------------------ the picture

    [Fact]
    public void The_svg_is_well_formed_and_shows_every_slice()
    {
        string svg = Path.Combine(Dir, "map.svg");

        File.WriteAllText(svg, SvgMap.Render(Checker.Run(Server, Example("server-2s-128c-valid.json"))));

        XDocument doc = XDocument.Load(svg);
        Assert.Equal("svg", doc.Root!.Name.LocalName);
        string text = File.ReadAllText(svg);
        foreach (string name in new[] { "db-primary", "db-replica", "web", "batch", "control slice", "reserved", "RAM region 1" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
        XNamespace ns = "http://www.w3.org/2000/svg";
        // 128 cores + 64 devices + 2 sockets × 16 ways are drawn as cells with a tooltip each.
        Assert.True(doc.Descendants(ns + "title").Count() >= 128 + 64 + 32);
        // One row of ways per cache domain, each with its own free count, and socket 1's ways owned by the slices holding them.
        Assert.Contains("Cache ways, domain 0 (cores 0-63) (16; 6 free)", text, StringComparison.Ordinal);
        Assert.Contains("Cache ways, domain 1 (cores 64-127) (16; 8 free)", text, StringComparison.Ordinal);
        CheckReport report = Checker.Run(Server, Example("server-2s-128c-valid.json"));
        string socket1 = text[text.IndexOf("Cache ways, domain 1", StringComparison.Ordinal)..];
        foreach (SliceOutcome slice in report.Slices)
        {
            foreach (int way in slice.Ways.Where(w => w >= 64))
            {
                Assert.Contains($"<title>{way - 64}: {slice.Name}</title>", socket1, StringComparison.Ordinal);
            }
        }
        Assert.Equal(8, socket1.Split("</title>").Count(t => t.EndsWith(": free", StringComparison.Ordinal)));
    }
}
