using System.Text;
using CoreSlice.Harness.Check;
using CoreSlice.Tests.Support;
using Xunit;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Tests.Cli;

/// <summary>
/// The command line as a new user meets it, run as a process: mistakes are one line and a
/// hint with exit 2 and nothing on stdout; outputs are checked before any work; input files
/// are read as editors and generators write them.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly string SmallBoard = Path.Combine(Coreslice.RepositoryRoot, "examples", "machines", "small-board.json");
    private static readonly string SmallLayout = Path.Combine(Coreslice.RepositoryRoot, "examples", "layouts", "small-board-valid.json");
    private readonly string dir = Directory.CreateTempSubdirectory("coreslice-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(new string[0], "coreslice: no command given")]
    [InlineData(new[] { "simulate", "--seed", "text" }, "coreslice simulate: --seed text: expected a whole number")]
    [InlineData(new[] { "simulate", "--steps", "99999999999" }, "coreslice simulate: --steps 99999999999: expected a whole number")]
    [InlineData(new[] { "check", "--machine", "m.json" }, "coreslice check: the option --layout is required")]
    [InlineData(new[] { "frobnicate" }, "coreslice: unknown command or argument 'frobnicate'")]
    [InlineData(new[] { "modelcheck", "--time-limit", "soon" }, "coreslice modelcheck: --time-limit soon: expected a number")]
    public void Parse_errors_are_one_line_and_a_hint_with_exit_2(string[] args, string first)
    {
        CliRun run = Coreslice.Run(args);

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
        string[] lines = run.Stderr.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(first, lines[0], StringComparison.Ordinal);
        Assert.StartsWith("hint: ", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("System.", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_commands_under_the_name_coreslice_and_prints_each_default_once()
    {
        CliRun all = Coreslice.Run("help");
        CliRun one = Coreslice.Run("help", "modelcheck");

        Assert.Equal(0, all.Exit);
        Assert.Contains("coreslice [command] [options]", all.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("CoreSlice.Cli", all.Stdout, StringComparison.Ordinal);
        foreach (string command in new[] { "verify", "check", "simulate", "attest", "log", "conform", "modelcheck" })
        {
            Assert.Contains("  " + command + " ", all.Stdout, StringComparison.Ordinal);
        }
        Assert.Equal(0, one.Exit);
        Assert.Contains("coreslice modelcheck [options]", one.Stdout, StringComparison.Ordinal);
        string cores = one.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("--cores", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(cores, "default"));
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("conform")]
    [InlineData("modelcheck")]
    [InlineData("simulate")]
    [InlineData("check")]
    [InlineData("pmp")]
    public void No_option_states_its_default_twice(string command)
    {
        CliRun help = Coreslice.Run("help", command);

        Assert.Equal(0, help.Exit);
        foreach (string line in help.Stdout.Split('\n').Where(l => l.Contains("[default: ", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("(default", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verify_with_an_output_in_a_missing_directory_fails_at_once()
    {
        CliRun run = Coreslice.Run("verify", "--output", Path.Combine(dir, "missing", "report.txt"));

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
        Assert.Contains("does not exist", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public void Check_with_an_svg_in_a_missing_directory_prints_nothing_and_exits_2(string format)
    {
        CliRun run = Coreslice.Run("check", "--machine", SmallBoard, "--layout", SmallLayout, "--format", format, "--svg", Path.Combine(dir, "missing", "x.svg"));

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted_in_layouts_and_machine_descriptions()
    {
        string layout = Path.Combine(dir, "bom-layout.json");
        string machine = Path.Combine(dir, "bom-machine.json");
        File.WriteAllBytes(layout, [.. "\uFEFF"u8, .. File.ReadAllBytes(SmallLayout)]);
        File.WriteAllBytes(machine, [.. "\uFEFF"u8, .. File.ReadAllBytes(SmallBoard)]);

        CliRun run = Coreslice.Run("check", "--machine", machine, "--layout", layout);

        Assert.Equal(0, run.Exit);
        Assert.Contains("result: valid", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_inside_a_string_is_reported_at_its_position()
    {
        string layout = Path.Combine(dir, "latin1.json");
        File.WriteAllBytes(layout, [.. "{\"slices\": [\n  {\"name\": \"caf"u8, 0xE9, .. "\"}]}"u8]);

        var e = Assert.Throws<InputException>(() => Checker.Run(SmallBoard, layout));
        CliRun run = Coreslice.Run("check", "--machine", SmallBoard, "--layout", layout);

        Assert.Equal(new Position(layout, 2, 16), e.At);
        Assert.Contains("invalid UTF-8", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, run.Exit);
        Assert.StartsWith($"coreslice: {layout}:2:16: invalid UTF-8", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--machine")]
    [InlineData("--layout")]
    public void A_directory_given_as_a_file_is_named_as_such(string option)
    {
        string[] args = option == "--machine"
            ? ["check", "--machine", dir, "--layout", SmallLayout]
            : ["check", "--machine", SmallBoard, "--layout", dir];

        CliRun run = Coreslice.Run(args);

        Assert.Equal(2, run.Exit);
        Assert.Equal($"coreslice: {dir}: is a directory, not a {(option == "--machine" ? "machine description" : "layout")} file", run.Stderr.TrimEnd());
    }

    [Fact]
    public void Simulate_names_a_directory_given_as_the_machine()
    {
        CliRun run = Coreslice.Run("simulate", "--machine", dir);

        Assert.Equal(2, run.Exit);
        Assert.Contains("is a directory", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// A generated layout of 16,000 slices on one line (2 MB): read in linear time it takes about
    /// as long as its indented form (seconds); the column counting that started again from the
    /// start of the line for every token took minutes on half as many.
    /// </summary>
    [Fact]
    public async Task A_large_single_line_layout_is_read_in_linear_time()
    {
        var json = new StringBuilder("{\"slices\":[");
        for (int i = 0; i < 16_000; i++)
        {
            ulong b = 0x4_0000_0000UL + ((ulong)i * 0x10_0000);
            json.Append(i == 0 ? "" : ",").Append($"{{\"name\":\"s{i}\",\"cores\":[{1 + (i % 127)}],\"memory\":[{{\"base\":\"0x{b:x}\",\"size\":\"1MiB\"}}],\"devices\":[],\"ways\":[{2 + (i % 8)}],\"entry\":\"0x{b:x}\"}}");
        }
        json.Append("]}");
        byte[] bytes = Encoding.UTF8.GetBytes(json.ToString());

        Layout layout = await Task.Run(() => LayoutReader.Parse(bytes, "generated.json")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(16_000, layout.Slices.Count);
        int lastSlice = json.ToString().LastIndexOf("{\"name\"", StringComparison.Ordinal);
        Assert.Equal(new Position("generated.json", 1, lastSlice + 1), layout.Slices[^1].At);
    }

    [Fact]
    public void Simulate_report_writes_a_report_key_and_log_that_the_printed_commands_verify()
    {
        string reportDir = Path.Combine(dir, "report");

        CliRun run = Coreslice.Run("simulate", "--steps", "50", "--report", reportDir);

        Assert.Equal(0, run.Exit);
        string[] checks = [.. run.Stdout.Split('\n').Where(l => l.Contains("check it: coreslice ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf("coreslice ", StringComparison.Ordinal) + "coreslice ".Length)..].Trim())];
        Assert.Equal(2, checks.Length);
        Assert.StartsWith("log verify ", checks[0], StringComparison.Ordinal);
        Assert.StartsWith("attest verify ", checks[1], StringComparison.Ordinal);
        foreach (string check in checks)
        {
            CliRun verified = Coreslice.Run(check.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            Assert.True(verified.Exit == 0, $"coreslice {check}: exit {verified.Exit}: {verified.Stdout}{verified.Stderr}");
        }
        Assert.True(File.Exists(Path.Combine(reportDir, "report.bin")));
        Assert.True(File.Exists(Path.Combine(reportDir, "key.pem")));
        Assert.True(File.Exists(Path.Combine(reportDir, "decisions.log")));
    }

    [Fact]
    public void Progress_goes_to_stderr_only_when_asked_or_on_a_terminal()
    {
        CliRun quiet = Coreslice.Run("modelcheck", "--time-limit", "1.5");
        CliRun shown = Coreslice.Run("modelcheck", "--time-limit", "1.5", "--progress");

        Assert.Equal("", quiet.Stderr);
        Assert.Contains("modelcheck: ", shown.Stderr, StringComparison.Ordinal);
        Assert.Equal(quiet.Stdout.Split('\n')[0], shown.Stdout.Split('\n')[0]);
    }
}
