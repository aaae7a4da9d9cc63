using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Simulation;

public class DescriptionTests
{
    private const string Good = """
        {
          // a small machine
          "cores": 4,
          "controlCores": [0],
          "ram": [{ "base": 0, "size": "1GiB" }, { "base": "0x1_0000_0000", "size": "512MiB" }],
          "reserved": [{ "name": "slicevisor", "base": "0x10_0000", "size": "16MiB" }],
          "controlMemory": [{ "base": "32MiB", "size": 67108864 }],
          "devices": 2,
          "cacheWays": 8,
          "controlWays": [0, 1],
          "rangeRegisters": 4,
          "granule": "4 KiB",
          "slots": 8,
        }
        """;

    [Fact]
    public void Parses_numbers_hex_strings_and_units()
    {
        MachineConfig c = MachineDescription.Parse(Good);
        Assert.Equal(4, c.CoreCount);
        Assert.Equal([0], c.ControlCores.AsEnumerable());
        Assert.Equal([new MemoryRange(0, 1UL << 30), new MemoryRange(1UL << 32, 512UL << 20)], c.RamRegions.AsEnumerable());
        Assert.Equal("slicevisor", c.ReservedRegions[0].Name);
        Assert.Equal(new MemoryRange(1UL << 20, 16UL << 20), c.ReservedRegions[0].Range);
        Assert.Equal(new MemoryRange(32UL << 20, 64UL << 20), c.ControlMemory[0]);
        Assert.Equal(0b11UL, c.ControlWays);
        Assert.Equal(4096UL, c.GranuleSize);
        Assert.Equal(8, c.SlotCapacity);
        Assert.Empty(c.Problems());
    }

    [Fact]
    public void Default_is_the_documented_machine_and_round_trips()
    {
        MachineConfig d = MachineDescription.Default;
        Assert.Empty(d.Problems());
        Assert.Equal(16, d.CoreCount);
        Assert.Equal(64, d.SlotCapacity);
        Assert.Equal(12, d.CacheWays);
        Assert.Equal(new MemoryRange(32UL << 20, 512UL << 20), d.ControlMemory[0]);
        Assert.Equal(["firmware", "slicevisor", "slice-table"], d.ReservedRegions.Select(r => r.Name));
        string json = MachineDescription.ToJson(d);
        Assert.Contains("\"4GiB\"", json, StringComparison.Ordinal);
        MachineConfig back = MachineDescription.Parse(json);
        Assert.Equal(json, MachineDescription.ToJson(back));
        Assert.Equal(d.ReservedRegions.AsEnumerable(), back.ReservedRegions.AsEnumerable());
        Assert.Equal(d.ControlWays, back.ControlWays);
    }

    [Fact]
    public void Control_ways_may_be_a_mask()
    {
        MachineConfig c = MachineDescription.Parse(Good.Replace("\"controlWays\": [0, 1]", "\"controlWays\": \"0x6\"", StringComparison.Ordinal));
        Assert.Equal(0b110UL, c.ControlWays);
    }

    [Theory]
    [InlineData("0x8000_0000", 0x8000_0000UL)]
    [InlineData("512MiB", 512UL << 20)]
    [InlineData("4KiB", 4096UL)]
    [InlineData("1GiB", 1UL << 30)]
    [InlineData("2 TiB", 2UL << 40)]
    [InlineData("4096", 4096UL)]
    [InlineData("0xFFFFFFFFFFFFFFFF", ulong.MaxValue)]
    [InlineData("16B", 16UL)]
    public void Quantities_parse(string text, ulong expected)
    {
        Assert.True(MachineDescription.TryParseQuantity(text, out ulong value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("-1")]
    [InlineData("1.5GiB")]
    [InlineData("12 parsecs")]
    [InlineData("16777216TiB")]
    [InlineData("0x1_0000_0000_0000_0000")]
    [InlineData("4kib")]
    public void Bad_quantities_do_not_parse(string text) =>
        Assert.False(MachineDescription.TryParseQuantity(text, out _));

    [Fact]
    public void Malformed_json_reports_line_and_column()
    {
        string text = "{\n  \"cores\": 4,\n  \"devices\": ]\n}";
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Equal(3, e.Line);
        Assert.Equal(14, e.Column);
        Assert.StartsWith("<description>:3:14: malformed JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_field_is_named_with_its_position()
    {
        string text = Good.Replace("\"devices\": 2,", "\"devices\": 2, \"gpus\": 1,", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Equal(8, e.Line);
        Assert.Equal(17, e.Column);
        Assert.Contains("unknown field \"gpus\"", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_says_what_was_expected()
    {
        string text = Good.Replace("\"cores\": 4", "\"cores\": \"four\"", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Equal((3, 12), (e.Line, e.Column));
        Assert.Equal("cores: expected an integer, found the string \"four\"", e.Problem);
    }

    [Fact]
    public void Bad_size_string_points_at_the_value()
    {
        string text = Good.Replace("\"size\": \"1GiB\"", "\"size\": \"1 gigabyte\"", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Equal((5, 32), (e.Line, e.Column));
        Assert.StartsWith("ram[0].size: expected a size", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_field_points_at_the_object()
    {
        string text = Good.Replace("\"slots\": 8,", "", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.Contains("missing field \"slots\"", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_region_field_points_at_the_region()
    {
        string text = Good.Replace("{ \"name\": \"slicevisor\", ", "{ ", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Equal((6, 16), (e.Line, e.Column));
        Assert.Equal("reserved[0]: missing field \"name\" (expected {\"name\", \"base\", \"size\"})", e.Problem);
    }

    [Fact]
    public void Duplicate_field_is_rejected()
    {
        string text = Good.Replace("\"devices\": 2,", "\"devices\": 2, \"devices\": 3,", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Contains("appears twice", e.Problem, StringComparison.Ordinal);
        Assert.Equal(8, e.Line);
    }

    [Fact]
    public void Config_problems_are_reported_at_the_field()
    {
        string text = Good.Replace("\"controlMemory\": [{ \"base\": \"32MiB\"", "\"controlMemory\": [{ \"base\": \"16MiB\"", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.Contains("overlaps controlMemory[0]", e.Problem, StringComparison.Ordinal);
        Assert.Equal((6, 16), (e.Line, e.Column)); // reserved[0]
    }

    [Fact]
    public void Several_config_problems_are_all_listed()
    {
        string text = Good.Replace("\"cores\": 4", "\"cores\": 0", StringComparison.Ordinal).Replace("\"slots\": 8", "\"slots\": 0", StringComparison.Ordinal);
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text));
        Assert.True(e.Problems.Count >= 2, string.Join("; ", e.Problems));
        Assert.Equal((3, 3), (e.Line, e.Column));
    }

    [Fact]
    public void Trailing_content_and_early_end_are_errors()
    {
        Assert.Throws<DescriptionException>(() => MachineDescription.Parse(Good + " {}"));
        DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Parse("{ \"cores\": 4,"));
        Assert.Equal(1, e.Line);
        Assert.Throws<DescriptionException>(() => MachineDescription.Parse(""));
        Assert.Throws<DescriptionException>(() => MachineDescription.Parse("[]"));
    }

    [Fact]
    public void Load_reports_the_file_name()
    {
        string path = Path.Combine(Path.GetTempPath(), $"coreslice-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\n  \"cores\": true\n}");
        try
        {
            DescriptionException e = Assert.Throws<DescriptionException>(() => MachineDescription.Load(path));
            Assert.Equal(path, e.File);
            Assert.StartsWith($"{path}:2:12: cores: expected an integer, found a boolean", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
        DescriptionException missing = Assert.Throws<DescriptionException>(() => MachineDescription.Load(path));
        Assert.Equal("no such machine description file", missing.Problem);
        Assert.Equal($"{path}: no such machine description file", missing.Message);
        DescriptionException directory = Assert.Throws<DescriptionException>(() => MachineDescription.Load(Path.GetTempPath()));
        Assert.Equal("is a directory, not a machine description file", directory.Problem);
    }

    [Fact]
    public void Description_problems_name_the_field_the_value_and_what_was_expected()
    {
        string cores = Problem("\"cores\": 4", "\"cores\": 0");
        string top = Problem("\"size\": \"1GiB\" }]", "\"size\": \"1GiB\" }, { \"base\": \"0xffff_ffff_ffff_0000\", \"size\": \"64KiB\" }]");

        Assert.Contains("cores: 0: expected 1..", cores, StringComparison.Ordinal);
        Assert.DoesNotContain("0..-1", cores, StringComparison.Ordinal);
        Assert.Contains("ram[1]: base 0xffff_ffff_ffff_0000 size 0x1_0000: it ends exactly at 2^64", top, StringComparison.Ordinal);
        Assert.DoesNotContain("passes the end", top, StringComparison.Ordinal);
    }

    /// <summary>The first problem of the small-board example with one text replaced.</summary>
    private static string Problem(string find, string replace)
    {
        string text = File.ReadAllText(Path.Combine(CoreSlice.Tests.Support.Coreslice.RepositoryRoot, "examples", "machines", "small-board.json"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        return Assert.Throws<DescriptionException>(() => MachineDescription.Parse(text.Replace(find, replace, StringComparison.Ordinal))).Problem;
    }
}
