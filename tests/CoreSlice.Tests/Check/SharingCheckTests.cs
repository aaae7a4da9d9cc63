using System.Text.Json;
using CoreSlice.Hardware;
using CoreSlice.Harness.Check;
using CoreSlice.Simulation.Json;
using Xunit;

namespace CoreSlice.Tests.Check;

/// <summary>
/// Windows, range permissions and DMA ranges (layout format 2): each refusal by the slicevisor
/// at its field's file:line:column with both parties and the interval; the old format still read.
/// </summary>
public sealed class SharingCheckTests : CheckTestFiles
{
    private const string Head = "{\"schemaVersion\": 2, \"slices\": [\n";
    private const string MistakesLayout = "small-board-mistakes.json";

    /// <summary>Where <paramref name="marker"/> (unique in <paramref name="text"/>) starts, 1-based, columns in characters.</summary>
    private static Position At(string path, string text, string marker)
    {
        int index = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0 && text.IndexOf(marker, index + 1, StringComparison.Ordinal) < 0, $"marker {marker} must occur once");
        int lineStart = text.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return new Position(path, text[..index].Count(c => c == '\n') + 1, index - lineStart + 1);
    }

    private (string Path, string Text, CheckReport Report) CheckText(string text)
    {
        string path = Write("layout.json", text);
        return (path, text, Check(SmallBoard, path));
    }

    // ------------------------------------------------------------ the examples

    [Fact]
    public void The_valid_example_maps_its_windows_permissions_and_dma_ranges()
    {
        CheckReport report = Check(SmallBoard, Example("small-board-valid.json"));

        Assert.True(report.Valid);
        SliceOutcome sensor = report.Slices[0];
        Assert.Equal([Permissions.ReadWriteExecute, Permissions.Read | Permissions.Write], sensor.MemoryPermissions);
        Assert.Equal(["mailbox", "config"], sensor.Windows.Select(w => w.Name).ToArray());
        Assert.All(sensor.Windows, w => Assert.True(w.Mapped));
        Assert.Equal(Permissions.Read, sensor.Windows[1].Permissions);
        Assert.Equal(new DmaRange(0, new MemoryRange(0x5f00_0000, 0x100_0000), Permissions.Read | Permissions.Write), Assert.Single(sensor.DmaRanges));
        Assert.Equal(2, report.Slices[1].DmaRanges.Length);
        string text = ReportWriter.Text(report);
        Assert.Contains("window \"mailbox\" [0x4800_0000, 0x4801_0000) 64KiB rw: mapped, shared by the control slice and \"sensor\"", text, StringComparison.Ordinal);
        Assert.Contains("dma device 2: [0x7200_0000, 0x7400_0000) 32MiB r", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT mapped by this slicevisor", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_lists_windows_dma_ranges_and_range_permissions()
    {
        using JsonDocument json = JsonDocument.Parse(ReportWriter.Json(Check(SmallBoard, Example("small-board-valid.json"))));

        JsonElement sensor = json.RootElement.GetProperty("slices")[0];
        Assert.Equal("rw", sensor.GetProperty("memory")[1].GetProperty("perm").GetString());
        JsonElement window = sensor.GetProperty("windows")[0];
        Assert.Equal(("mailbox", "0x48000000", "rw", true), (window.GetProperty("name").GetString(), window.GetProperty("base").GetString(),
            window.GetProperty("perm").GetString(), window.GetProperty("mapped").GetBoolean()));
        Assert.Equal(["control slice", "sensor"], window.GetProperty("sharedBy").EnumerateArray().Select(e => e.GetString() ?? "").ToArray());
        JsonElement dma = Assert.Single(sensor.GetProperty("dmaRanges").EnumerateArray().ToArray());
        Assert.Equal((0, "0x5f000000", "0x1000000", "rw"), (dma.GetProperty("device").GetInt32(), dma.GetProperty("base").GetString(),
            dma.GetProperty("size").GetString(), dma.GetProperty("perm").GetString()));
        Assert.False(sensor.GetProperty("dmaEveryPrivateRange").GetBoolean());
    }

    [Fact]
    public void The_mistakes_example_names_the_other_guest_of_every_sharing_attempt()
    {
        CheckReport report = Check(SmallBoard, Example(MistakesLayout));
        string layout = Example(MistakesLayout);

        Problem inUse = Only(report, "WindowInUse");
        Assert.Equal(("net", "windows[1]", 86), (inUse.Slice, inUse.Field, inUse.Code));
        Assert.Equal(new Party("slice", "sensor", "windows[0]", new Position(layout, 17, 9), "window \"mailbox\" rw"), inUse.Against);
        Assert.Equal(new MemoryRange(0x4800_8000, 0x1000), inUse.Interval);
        Problem onPrivate = Only(report, "WindowOutsideControl");
        Assert.Equal(("net", "windows[0]"), (onPrivate.Slice, onPrivate.Field));
        Assert.Equal(new Party("slice", "sensor", "memory[0]", new Position(layout, 9, 9)), onPrivate.Against);
        Assert.Equal(new MemoryRange(0x5000_0000, 0x1000), onPrivate.Interval);
        Problem dmaOutside = Only(report, "DmaRangeOutsideSlice");
        Assert.Equal(("net", "dma[0]", "sensor", "memory[0]"), (dmaOutside.Slice, dmaOutside.Field, dmaOutside.Against!.Name, dmaOutside.Against.Field));
        Assert.Equal(new MemoryRange(0x5100_0000, 0x1000), dmaOutside.Interval);
        Problem executable = Only(report, "WindowPermissionsInvalid");
        Assert.Equal(("sensor", "windows[1]", 18, 74), (executable.Slice, executable.Field, executable.At.Line, executable.At.Column));
        Problem exceeds = Only(report, "DmaPermissionsExceedRange");
        Assert.Equal(new Party("slice", "sensor", "memory[1]", new Position(layout, 10, 59), "perm \"r\""), exceeds.Against);
        Assert.Equal(new MemoryRange(0x5f00_0000, 0x100_0000), exceeds.Interval);
        // The refused windows stay listed, as not mapped.
        Assert.Equal([true, false], report.Slices[0].Windows.Select(w => w.Mapped).ToArray());
        Assert.Equal([false, false], report.Slices[1].Windows.Select(w => w.Mapped).ToArray());
    }

    // ------------------------------------------------------------ each window refusal

    [Fact]
    public void Each_window_refusal_is_at_its_window_with_its_party()
    {
        (string path, string text, CheckReport report) = CheckText(Head
            + "{\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{\"base\": \"0x5000_0000\", \"size\": \"64MiB\"}], \"windows\": [\n"
            + "  {\"name\": \"empty\", \"base\": \"0x4800_0000\", \"size\": 0, \"perm\": \"r\"},\n"
            + "  {\"name\": \"odd\", \"base\": \"0x4800_0100\", \"size\": \"4KiB\", \"perm\": \"r\"},\n"
            + "  {\"name\": \"fw\", \"base\": \"0x4000_0000\", \"size\": \"4KiB\", \"perm\": \"r\"}]},\n"
            + "{\"name\": \"b\", \"cores\": [2], \"ways\": [3], \"memory\": [{\"base\": \"0x5400_0000\", \"size\": \"64MiB\"}], \"windows\": [\n"
            + "  {\"name\": \"wrap\", \"base\": \"0xffff_ffff_ffff_f000\", \"size\": \"8KiB\", \"perm\": \"r\"},\n"
            + "  {\"name\": \"edge\", \"base\": \"0x48ff_f000\", \"size\": \"8KiB\", \"perm\": \"rw\"},\n"
            + "  {\"name\": \"own\", \"base\": \"0x5400_0000\", \"size\": \"4KiB\", \"perm\": \"rw\"}]},\n"
            + "{\"name\": \"c\", \"cores\": [3], \"ways\": [4], \"memory\": [{\"base\": \"0x5800_0000\", \"size\": \"64MiB\"}], \"windows\": [\n"
            + "  {\"name\": \"one\", \"base\": \"0x4800_0000\", \"size\": \"8KiB\", \"perm\": \"rw\"},\n"
            + "  {\"name\": \"two\", \"base\": \"0x4800_1000\", \"size\": \"4KiB\", \"perm\": \"r\"},\n"
            + "  {\"name\": \"x\", \"base\": \"0x4801_0000\", \"size\": \"4KiB\", \"perm\": \"x\"}]}\n]}");

        Assert.Equal(
            [
                ("WindowEmpty", At(path, text, "{\"name\": \"empty\"")), ("WindowUnaligned", At(path, text, "{\"name\": \"odd\"")),
                ("WindowOutsideControl", At(path, text, "{\"name\": \"fw\"")), ("WindowWraps", At(path, text, "{\"name\": \"wrap\"")),
                ("WindowOutsideControl", At(path, text, "{\"name\": \"edge\"")), ("WindowOutsideControl", At(path, text, "{\"name\": \"own\"")),
                ("WindowOverlapsRequest", At(path, text, "{\"name\": \"two\"")), ("WindowPermissionsInvalid", At(path, text, "\"x\"}")),
            ],
            report.Problems.Select(p => (p.Error, p.At)).ToArray());
        Assert.All(report.Problems, p => Assert.Equal(ProblemSource.Slicevisor, p.Source));
        Problem[] p = [.. report.Problems];
        Assert.Equal(("machine", "granule"), (p[1].Against!.Kind, p[1].Against!.Field));
        Assert.Equal(new MemoryRange(0x4800_0100, 0x1000), p[1].Interval);
        Assert.Equal(("reserved", "firmware", "reserved[0]"), (p[2].Against!.Kind, p[2].Against!.Name, p[2].Against!.Field));
        Assert.Equal(new MemoryRange(0x4000_0000, 0x1000), p[2].Interval);
        // Straddling the end of control memory: the part outside it, and nobody holds that part.
        Assert.Equal(("control", "controlMemory"), (p[4].Against!.Kind, p[4].Against!.Field));
        Assert.Equal(new MemoryRange(0x4900_0000, 0x1000), p[4].Interval);
        Assert.Equal(new Party("slice", "b", "memory[0]", At(path, text, "{\"base\": \"0x5400_0000\"")), p[5].Against);
        Assert.Equal(new Party("slice", "c", "windows[0]", At(path, text, "{\"name\": \"one\""), "window \"one\""), p[6].Against);
        Assert.Equal(new MemoryRange(0x4800_1000, 0x1000), p[6].Interval);
        Assert.Equal("window \"x\" [0x4801_0000, 0x4801_1000) x", p[7].Item);
        Assert.Equal([true, false, false], report.Slices[2].Windows.Select(w => w.Mapped).ToArray());
    }

    [Fact]
    public void Windows_take_range_registers_after_the_private_ranges()
    {
        string ranges = string.Join(", ", Enumerable.Range(0, 3).Select(i => $"{{\"base\": \"0x{0x5000_0000 + (i * 0x100_0000):x}\", \"size\": \"4KiB\"}}"));
        (_, _, CheckReport report) = CheckText(Head
            + $"{{\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{ranges}], \"windows\": [\n"
            + "  {\"name\": \"w0\", \"base\": \"0x4800_0000\", \"size\": \"4KiB\", \"perm\": \"rw\"},\n"
            + "  {\"name\": \"w1\", \"base\": \"0x4800_1000\", \"size\": \"4KiB\", \"perm\": \"rw\"}]}\n]}");

        Problem tooMany = Only(report, "TooManyRanges");
        Assert.Equal(("memory", "3 ranges + 2 windows", "rangeRegisters"), (tooMany.Field, tooMany.Item, tooMany.Against!.Field));
        Assert.Contains("windows[1] and later are not checked", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal([true, false], report.Slices[0].Windows.Select(w => w.Mapped).ToArray());
    }

    // ------------------------------------------------------------ permissions and the entry point

    [Fact]
    public void A_range_with_no_permission_and_an_entry_point_that_cannot_execute_are_both_reported()
    {
        (string path, string text, CheckReport report) = CheckText(Head
            + "{\"name\": \"e\", \"cores\": [1], \"ways\": [2], \"entry\": \"0x5000_0000\", \"memory\": [\n"
            + "  {\"base\": \"0x5000_0000\", \"size\": \"16MiB\", \"perm\": \"rw\"},\n"
            + "  {\"base\": \"0x5100_0000\", \"size\": \"16MiB\", \"perm\": \"\"},\n"
            + "  {\"base\": \"0x5200_0000\", \"size\": \"16MiB\", \"perm\": \"xr\"}]}\n]}");

        Problem none = Only(report, "RangePermissionsInvalid");
        Assert.Equal(("memory[1]", 28, At(path, text, "\"\"}")), (none.Field, none.Code!.Value, none.At));
        Problem entry = Only(report, "EntryNotExecutable");
        Assert.Equal(("entry", 45, At(path, text, "\"0x5000_0000\", \"memory\"")), (entry.Field, entry.Code!.Value, entry.At));
        Assert.Equal(new Party("slice", "e", "memory[0]", At(path, text, "\"rw\"}"), "perm \"rw\""), entry.Against);
        // The rest is still checked: the slice runs from its executable range.
        Assert.Equal(0x5200_0000UL, report.Slices[0].Entry);
        Assert.Equal([Permissions.Read | Permissions.Write, Permissions.Read | Permissions.Execute], report.Slices[0].MemoryPermissions);
    }

    // ------------------------------------------------------------ each DMA refusal

    [Fact]
    public void Each_dma_refusal_is_at_its_dma_range_with_its_party()
    {
        (string path, string text, CheckReport report) = CheckText(Head
            + "{\"name\": \"d\", \"cores\": [1], \"ways\": [2], \"devices\": [0, 1], \"memory\": [\n"
            + "  {\"base\": \"0x5000_0000\", \"size\": \"16MiB\"},\n"
            + "  {\"base\": \"0x5100_0000\", \"size\": \"16MiB\", \"perm\": \"r\"}],\n"
            + " \"dma\": [\n"
            + "  {\"device\": 2, \"base\": \"0x5000_0000\", \"size\": \"4KiB\", \"perm\": \"r\"},\n"
            + "  {\"device\": 0, \"base\": \"0x5000_1000\", \"size\": 0, \"perm\": \"r\"},\n"
            + "  {\"device\": 0, \"base\": \"0x5000_0800\", \"size\": \"4KiB\", \"perm\": \"r\"},\n"
            + "  {\"device\": 0, \"base\": \"0xffff_ffff_ffff_f000\", \"size\": \"8KiB\", \"perm\": \"r\"},\n"
            + "  {\"device\": 0, \"base\": \"0x5000_2000\", \"size\": \"4KiB\", \"perm\": \"x\"},\n"
            + "  {\"device\": 0, \"base\": \"0x50ff_f000\", \"size\": \"8KiB\", \"perm\": \"r\"},\n"
            + "  {\"device\": 1, \"base\": \"0x4100_0000\", \"size\": \"4KiB\", \"perm\": \"r\"},\n"
            + "  {\"device\": 1, \"base\": \"0x5100_0000\", \"size\": \"4KiB\", \"perm\": \"w\"},\n"
            + "  {\"device\": 1, \"base\": \"0x5000_0000\", \"size\": \"4KiB\", \"perm\": \"rw\"}]}\n]}");

        Assert.Equal(
            [
                ("DmaDeviceNotInRequest", At(path, text, "2, \"base\"")), ("DmaRangeEmpty", At(path, text, "{\"device\": 0, \"base\": \"0x5000_1000\"")),
                ("DmaRangeUnaligned", At(path, text, "{\"device\": 0, \"base\": \"0x5000_0800\"")), ("DmaRangeWraps", At(path, text, "{\"device\": 0, \"base\": \"0xffff")),
                ("DmaPermissionsInvalid", At(path, text, "\"x\"}")), ("DmaRangeOutsideSlice", At(path, text, "{\"device\": 0, \"base\": \"0x50ff_f000\"")),
                ("DmaRangeOutsideSlice", At(path, text, "{\"device\": 1, \"base\": \"0x4100_0000\"")), ("DmaPermissionsExceedRange", At(path, text, "\"w\"}")),
            ],
            report.Problems.Select(p => (p.Error, p.At)).ToArray());
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"dma[{i}]").ToArray(), report.Problems.Select(p => p.Field).ToArray());
        Problem[] p = [.. report.Problems];
        Assert.Equal(("slice", "d", "devices"), (p[0].Against!.Kind, p[0].Against!.Name, p[0].Against!.Field));
        // Spanning two ranges of its own slice: every byte is the slice's, but one mapping lies in one range.
        Assert.Equal(new Party("slice", "d", "memory[0]", At(path, text, "{\"base\": \"0x5000_0000\", \"size\": \"16MiB\"}")), p[5].Against);
        Assert.Equal(new Party("control", "control slice", "controlMemory[0]", new Position(SmallBoard, 11, 21)), p[6].Against);
        Assert.Equal(new MemoryRange(0x4100_0000, 0x1000), p[6].Interval);
        Assert.Equal(new Party("slice", "d", "memory[1]", At(path, text, "\"r\"}],"), "perm \"r\""), p[7].Against);
        Assert.Equal(new DmaRange(1, new MemoryRange(0x5000_0000, 0x1000), Permissions.Read | Permissions.Write), Assert.Single(report.Slices[0].DmaRanges));
    }

    [Fact]
    public void A_dma_range_refused_because_its_device_or_range_was_is_not_a_second_mistake()
    {
        (_, _, CheckReport report) = CheckText(Head
            + "{\"name\": \"f\", \"cores\": [1], \"ways\": [2], \"devices\": [9, 0], \"memory\": [\n"
            + "  {\"base\": \"0x4800_0000\", \"size\": \"4KiB\"}, {\"base\": \"0x5000_0000\", \"size\": \"16MiB\"}],\n"
            + " \"dma\": [{\"device\": 9, \"base\": \"0x5000_0000\", \"size\": \"4KiB\", \"perm\": \"r\"},\n"
            + "         {\"device\": 0, \"base\": \"0x4800_0000\", \"size\": \"4KiB\", \"perm\": \"r\"}]}\n]}");

        Assert.Equal(["DeviceOutOfRange", "RangeOverlapsControl"], report.Problems.Select(p => p.Error).ToArray());
        Assert.NotNull(report.Slices[0].Slot);
    }

    [Fact]
    public void Too_many_dma_ranges_are_reported_once_and_the_first_ones_still_checked()
    {
        string dma = string.Join(",\n", Enumerable.Range(0, Limits.MaxDmaRanges + 1).Select(_ => "{\"device\": 0, \"base\": \"0x5000_0000\", \"size\": \"4KiB\", \"perm\": \"rw\"}"));
        (string path, string text, CheckReport report) = CheckText(Head
            + "{\"name\": \"g\", \"cores\": [1], \"ways\": [2], \"devices\": [0], \"memory\": [{\"base\": \"0x5000_0000\", \"size\": \"16MiB\"}],\n"
            + $" \"dma\": [{dma}]}}\n]}}");

        Problem tooMany = Assert.Single(report.Problems);
        Assert.Equal(("TooManyDmaRanges", 8, "dma", At(path, text, "\"dma\"")), (tooMany.Error, tooMany.Code!.Value, tooMany.Field, tooMany.At));
        Assert.Equal(Limits.MaxDmaRanges, report.Slices[0].DmaRanges.Length);
    }

    // ------------------------------------------------------------ the old format

    [Fact]
    public void A_version_1_layout_still_reads_and_its_shared_windows_are_mapped_read_write()
    {
        (_, _, CheckReport report) = CheckText("{\"slices\": [\n"
            + "{\"name\": \"old\", \"cores\": [1], \"devices\": [0], \"ways\": [2], \"memory\": [{\"base\": \"0x5000_0000\", \"size\": \"64MiB\"}],\n"
            + " \"shared\": [{\"name\": \"mailbox\", \"base\": \"0x4800_0000\", \"size\": \"64KiB\"}]}\n]}");

        Assert.True(report.Valid);
        SliceOutcome old = report.Slices[0];
        Assert.Equal([Permissions.ReadWriteExecute], old.MemoryPermissions);
        Assert.Equal(new WindowOutcome("mailbox", new MemoryRange(0x4800_0000, 0x1_0000), Permissions.Read | Permissions.Write, old.Windows[0].At, Mapped: true), Assert.Single(old.Windows));
        Assert.Empty(old.DmaRanges);
        Assert.Contains("each device reaches every private range", ReportWriter.Text(report), StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_with_an_old_shared_window_is_named_by_its_old_field()
    {
        CheckReport report = Check(Server, Example("server-2s-128c-mistakes.json"));

        Assert.True(Assert.Single(report.Slices.Single(s => s.Name == "batch").Windows).Mapped);
        (_, _, CheckReport clash) = CheckText("{\"slices\": [\n"
            + "{\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{\"base\": \"0x5000_0000\", \"size\": \"64MiB\"}], \"shared\": [{\"name\": \"m\", \"base\": \"0x4800_0000\", \"size\": \"4KiB\"}]},\n"
            + "{\"name\": \"b\", \"cores\": [2], \"ways\": [3], \"memory\": [{\"base\": \"0x5400_0000\", \"size\": \"64MiB\"}], \"shared\": [{\"name\": \"n\", \"base\": \"0x4800_0000\", \"size\": \"4KiB\"}]}\n]}");
        Problem p = Only(clash, "WindowInUse");
        Assert.Equal(("shared[0]", "a", "shared[0]"), (p.Field, p.Against!.Name, p.Against.Field));
    }

    [Theory]
    [InlineData("{\"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{\"base\": 0, \"size\": 4096, \"perm\": \"r\"}]}]}", 2, 80, "\"perm\" needs \"schemaVersion\": 2")]
    [InlineData("{\"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [], \"dma\": []}]}", 2, 57, "\"dma\" needs \"schemaVersion\": 2")]
    [InlineData("{\"schemaVersion\": 3, \"slices\": []}", 1, 19, "expected 1 or 2")]
    [InlineData("{\"schemaVersion\": 2, \"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{\"base\": 0, \"size\": 4096, \"perm\": \"rwz\"}]}]}", 2, 88, "expected permissions written with the letters r, w and x")]
    [InlineData("{\"schemaVersion\": 2, \"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [{\"base\": 0, \"size\": 4096, \"perm\": \"rr\"}]}]}", 2, 88, "each at most once")]
    [InlineData("{\"schemaVersion\": 2, \"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [], \"windows\": [{\"name\": \"w\", \"base\": 0, \"size\": 4096}]}]}", 2, 69, "missing field \"perm\"")]
    [InlineData("{\"schemaVersion\": 2, \"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [], \"windows\": [], \"shared\": []}]}", 2, 72, "not both")]
    [InlineData("{\"schemaVersion\": 2, \"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [], \"dma\": [{\"device\": \"0\", \"base\": 0, \"size\": 4096, \"perm\": \"r\"}]}]}", 2, 76, "expected an integer device index")]
    [InlineData("{\"schemaVersion\": 2, \"slices\": [\n {\"name\": \"a\", \"cores\": [1], \"ways\": [2], \"memory\": [], \"dma\": [{\"device\": 0, \"range\": 0}]}]}", 2, 79, "unknown field \"range\"")]
    public void Malformed_sharing_fields_exit_2_with_a_position(string text, int line, int column, string expected)
    {
        string layout = Write("bad-layout.json", text);

        var e = Assert.Throws<InputException>(() => Checker.Run(SmallBoard, layout));

        Assert.StartsWith($"{layout}:{line}:{column}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------ the picture

    [Fact]
    public void The_svg_draws_a_window_in_the_colours_of_both_parties()
    {
        string svg = SvgMap.Render(Check(SmallBoard, Example("small-board-valid.json")));

        Assert.Contains("window mailbox rw: control + sensor", svg, StringComparison.Ordinal);
        Assert.Contains("window: control slice (above) + one guest (below)", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("does not map them", svg, StringComparison.Ordinal);
    }
}
