using CoreSlice;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;
using Xunit;

namespace CoreSlice.Tests.Pmp;

/// <summary>An unusable PMP geometry is a closed <see cref="ConfigError"/> value from the trusted core; the words come from the simulation.</summary>
public sealed class PmpGeometryTests
{
    [Theory]
    [InlineData(1, 0, PmpRig.Clint, 5, ConfigField.PmpEntries, ConfigProblem.OutOfRange)]
    [InlineData(65, 0, PmpRig.Clint, 5, ConfigField.PmpEntries, ConfigProblem.OutOfRange)]
    [InlineData(16, 1, PmpRig.Clint, 5, ConfigField.PmpGranularity, ConfigProblem.PmpGrainTooCoarse)]
    [InlineData(16, 0, PmpRig.Clint, 0, ConfigField.PmpHarts, ConfigProblem.OutOfRange)]
    [InlineData(16, 0, PmpRig.Clint, 4, ConfigField.PmpHarts, ConfigProblem.HartsDifferFromCores)]
    [InlineData(16, 0, PmpRig.Clint + 2, 5, ConfigField.PmpClint, ConfigProblem.Unaligned)]
    [InlineData(16, 0, 0xffff_ffff_ffff_fff0, 5, ConfigField.PmpClint, ConfigProblem.EmptyOrWraps)]
    public void Each_problem_is_named_by_field_and_kind(int entries, int g, ulong clint, int harts, ConfigField field, ConfigProblem problem)
    {
        ConfigError? e = new PmpGeometry(entries, g, clint, harts).Problem(4096, 5);

        Assert.NotNull(e);
        Assert.Equal(field, e.Value.Field);
        Assert.Equal(problem, e.Value.Problem);
    }

    [Fact]
    public void The_PolarFire_geometry_has_no_problem_and_a_granule_below_the_grain_has_one()
    {
        var geometry = new PmpGeometry(16, 0, PmpRig.Clint, 5);

        Assert.Null(geometry.Problem(4096, 5));
        Assert.Equal(ConfigProblem.GranuleFinerThanPmpGrain, geometry.Problem(2, 5)!.Value.Problem);
    }

    [Fact]
    public void A_slicevisor_on_a_port_with_fewer_harts_than_cores_refuses_with_a_value()
    {
        MachineConfig board = PmpRig.Board();
        var machine = new PmpMachine(board, new PmpGeometry(16, 0, PmpRig.Clint, 5));
        var wider = new MachineConfig
        {
            CoreCount = 6,
            ControlCores = board.ControlCores,
            RamRegions = board.RamRegions,
            ReservedRegions = board.ReservedRegions,
            ControlMemory = board.ControlMemory,
            DeviceCount = board.DeviceCount,
            CacheWays = board.CacheWays,
            ControlWays = board.ControlWays,
            RangeRegistersPerCore = board.RangeRegistersPerCore,
            GranuleSize = board.GranuleSize,
            SlotCapacity = board.SlotCapacity,
        };

        MachineConfigException e = Assert.Throws<MachineConfigException>(() => new Slicevisor<PmpHardwarePort>(wider, machine.OpenPrivilegedPort()));

        ConfigError error = Assert.Single(e.Errors);
        Assert.Equal(ConfigProblem.HartsDifferFromCores, error.Problem);
        Assert.Equal(5UL, error.Value);
        Assert.Equal(6UL, error.Size);
    }

    [Fact]
    public void The_simulation_describes_the_problem_in_the_description_style()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new PmpMachine(PmpRig.Board(), new PmpGeometry(16, 1, PmpRig.Clint, 5)));

        Assert.Contains("pmp.granularity: G = 1: expected 0", e.Message, StringComparison.Ordinal);
    }
}
