using System.Text.Json;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Simulate;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;

namespace CoreSlice.Tests.Cli;

public class SimulateTests
{
    private static readonly string[] AttackClasses =
        ["ForeignMemory", "BeyondRam", "ForeignDma", "UnassignedDma", "ForeignIpi", "FilterWrite", "ResetRequest", "ForeignWindow", "WindowMisuse", "DmaOutsideRows"];

    /// <summary>Legitimate actions of the sharing phase: every one tried must be allowed.</summary>
    private static readonly string[] SharingControls = ["WindowExchange", "DmaInRows", "WindowResidue"];

    private static SimulationSummary Run(MachineConfig config, int seed, int steps, string port = "abstract")
    {
        using var scenario = new Scenario(config, seed, steps, Port.Named(port));
        return scenario.Run();
    }

    [Theory]
    [InlineData(1, "abstract")]
    [InlineData(2, "abstract")]
    [InlineData(3, "abstract")]
    [InlineData(1, "pmp")] // the same attacks through the harts' PMP entries and msip words
    [InlineData(2, "pmp")]
    public void Default_machine_holds_and_every_attack_class_is_tried_and_blocked(int seed, string port)
    {
        SimulationSummary summary = Run(MachineDescription.Default, seed, 400, port);
        Assert.Equal(port, summary.Port);

        Assert.True(summary.Holds, string.Join("\n", summary.Findings));
        Assert.Equal(0, summary.IsolationViolations);
        Assert.Equal(0, summary.ResidueFound);
        foreach (string kind in AttackClasses)
        {
            AccessCounts counts = summary.Accesses[kind];
            Assert.True(counts.Attempted > 0, $"{kind} was never tried");
            Assert.Equal(counts.Attempted, counts.Blocked);
        }
        AccessCounts own = summary.Accesses["OwnMemory"];
        Assert.True(own.Attempted > 0);
        Assert.Equal(own.Attempted, own.Allowed);
        Assert.True(summary.Accesses["ResidueProbe"].Attempted > 0, "no residue probe read memory a previous owner wrote");
        Assert.True(summary.HostileRejected > 0);
        Assert.True(summary.FaultsInjected > 0);
        Assert.Equal(summary.FaultsInjected, summary.QuarantinesRecovered);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_sharing_phase_exchanges_through_a_window_keeps_outsiders_and_dma_out_and_leaves_no_residue(int seed)
    {
        SimulationSummary summary = Run(MachineDescription.Default, seed, 0);

        Assert.True(summary.Holds, string.Join("\n", summary.Findings));
        Assert.Equal(4, summary.WindowExchanges);
        foreach (string kind in SharingControls)
        {
            AccessCounts counts = summary.Accesses[kind];
            Assert.True(counts.Attempted > 0, $"{kind} was never tried");
            Assert.Equal(counts.Attempted, counts.Allowed);
        }
        // Load, store and fetch at each granule of both windows (2 + 1 granules).
        Assert.Equal(9, summary.Accesses["ForeignWindow"].Blocked);
        Assert.Equal(summary.Accesses["DmaOutsideRows"].Attempted, summary.Accesses["DmaOutsideRows"].Blocked);
        Assert.True(summary.Accesses["DmaOutsideRows"].Attempted >= 9, "the device tried too few places outside its rows");
    }

    [Fact]
    public void A_small_crowded_machine_holds()
    {
        var config = new MachineConfig
        {
            CoreCount = 4, ControlCores = [0],
            RamRegions = [new MemoryRange(0, 0x40000)],
            ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, 0x4000))],
            ControlMemory = [new MemoryRange(0x4000, 0x4000)],
            DeviceCount = 2, CacheWays = 4, ControlWays = 1, RangeRegistersPerCore = 2,
            GranuleSize = 0x1000, SlotCapacity = 3,
        };

        SimulationSummary summary = Run(config, 7, 600);

        Assert.True(summary.Holds, string.Join("\n", summary.Findings));
        Assert.True(summary.Operations["CreateSlice"].Rejected > 0);
        Assert.Equal(4, summary.WindowExchanges);
        Assert.Equal(summary.Accesses["WindowResidue"].Attempted, summary.Accesses["WindowResidue"].Allowed);
    }

    [Fact]
    public void The_same_seed_replays_the_same_run()
    {
        string a = JsonSerializer.Serialize(Run(MachineDescription.Default, 42, 150));
        string b = JsonSerializer.Serialize(Run(MachineDescription.Default, 42, 150));

        Assert.Equal(a, b);
    }

    [Fact]
    public void Json_output_has_the_documented_fields()
    {
        CliRun run = Coreslice.Run("simulate", "--seed", "5", "--steps", "100", "--format", "json");

        Assert.Equal(0, run.Exit);
        using JsonDocument json = JsonDocument.Parse(run.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(5, root.GetProperty("seed").GetInt32());
        Assert.Equal(0, root.GetProperty("isolationViolations").GetInt64());
        Assert.Equal(0, root.GetProperty("residueFound").GetInt64());
        Assert.True(root.GetProperty("operations").GetProperty("CreateSlice").GetProperty("accepted").GetInt64() > 0);
        Assert.True(root.GetProperty("accesses").GetProperty("ForeignMemory").GetProperty("blocked").GetInt64() > 0);
        Assert.Equal(4, root.GetProperty("windowExchanges").GetInt64());
        Assert.True(root.GetProperty("accesses").GetProperty("ForeignWindow").GetProperty("blocked").GetInt64() > 0);
    }

    [Theory]
    [InlineData("--steps", "-1")]
    [InlineData("--machine", "/nonexistent/machine.json")]
    public void Bad_input_exits_2(string option, string value)
    {
        CliRun run = Coreslice.Run("simulate", option, value);

        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Stdout);
    }
}
