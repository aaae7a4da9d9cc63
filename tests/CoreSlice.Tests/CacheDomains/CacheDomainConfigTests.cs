using System.Collections.Immutable;
using CoreSlice;
using CoreSlice.Simulation;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;

namespace CoreSlice.Tests.CacheDomains;

/// <summary>
/// Hostile cache-domain descriptions: every one is a <see cref="ConfigError"/> value (never an
/// exception from the check), named by domain; the slicevisor refuses to start on any; and the
/// copy it makes at construction does not see later writes to the caller's arrays.
/// </summary>
public sealed class CacheDomainConfigTests
{
    private static ConfigError Single(MachineConfig config)
    {
        IReadOnlyList<ConfigError> errors = config.Check();
        Assert.True(errors.Count == 1, string.Join("; ", config.Problems()));
        return errors[0];
    }

    private static CacheDomain With(CacheDomain d, ImmutableArray<int>? cores = null, int? ways = null, ulong? control = null,
        bool? contiguous = null, int? classes = null, int? width = null) => new()
        {
            Cores = cores ?? d.Cores,
            Ways = ways ?? d.Ways,
            ControlWays = control ?? d.ControlWays,
            ContiguousMasks = contiguous ?? d.ContiguousMasks,
            MaxClassesOfService = classes ?? d.MaxClassesOfService,
            MinMaskWidth = width ?? d.MinMaskWidth,
        };

    [Fact]
    public void The_two_socket_machine_is_usable()
    {
        Assert.Empty(Config().Problems());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Too_few_or_too_many_domains_are_refused(int count)
    {
        CacheDomain[] domains = Enumerable.Range(0, count).Select(i => With(Socket0, cores: i == 0 ? [0, 1, 2, 3, 4, 5, 6, 7] : [])).ToArray();
        MachineConfig config = count == 0 ? new MachineConfig
        {
            CoreCount = 8, ControlCores = [0], RamRegions = Config().RamRegions, ReservedRegions = Config().ReservedRegions,
            ControlMemory = Config().ControlMemory, DeviceCount = 2, CacheWays = 8, ControlWays = 1, RangeRegistersPerCore = 16,
            GranuleSize = 4096, SlotCapacity = 8, CacheDomains = [],
        } : Config(domains);
        Assert.Contains(config.Check(), e => e.Field == ConfigField.CacheDomains && e.Problem == ConfigProblem.BadLength);
    }

    [Fact]
    public void A_null_domain_is_refused() =>
        Assert.Equal(ConfigProblem.MissingEntry, Single(Config(Socket0, null!)).Problem);

    [Fact]
    public void A_core_in_no_domain_is_refused()
    {
        ConfigError e = Single(Config(Socket0, With(Socket1, cores: [4, 5, 6])));
        Assert.Equal((ConfigProblem.CoreInNoDomain, 7UL), (e.Problem, e.Value));
    }

    [Fact]
    public void A_core_in_two_domains_is_refused()
    {
        IReadOnlyList<ConfigError> errors = Config(Socket0, With(Socket1, cores: [3, 4, 5, 6, 7])).Check();
        Assert.Contains(errors, e => e.Problem == ConfigProblem.CoreInTwoDomains && e.Index == 1 && e.Other == 0 && e.Value == 3);
    }

    [Fact]
    public void A_core_out_of_range_or_twice_in_one_domain_is_refused()
    {
        Assert.Contains(Config(Socket0, With(Socket1, cores: [4, 5, 6, 7, 8])).Check(),
            e => e.Field == ConfigField.CacheDomainCores && e.Problem == ConfigProblem.OutOfRange && e.Value == 8);
        Assert.Contains(Config(Socket0, With(Socket1, cores: [4, 5, 6, 7, 5])).Check(),
            e => e.Field == ConfigField.CacheDomainCores && e.Problem == ConfigProblem.Duplicate && e.Other == 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-1)]
    public void A_domain_way_count_out_of_range_is_refused(int ways)
    {
        ConfigError e = Single(Config(Socket0, With(Socket1, ways: ways, control: 0, classes: 0, width: 0)));
        Assert.Equal((ConfigField.CacheDomainWays, ConfigProblem.OutOfRange, 1), (e.Field, e.Problem, e.Index));
    }

    [Fact]
    public void Control_ways_beyond_or_holding_every_way_or_breaking_cat_are_refused()
    {
        Assert.Equal(ConfigProblem.WaysBeyondMachine, Single(Config(Socket0, With(Socket1, control: 1UL << 8))).Problem);
        Assert.Equal(ConfigProblem.HoldsEveryWay, Single(Config(Socket0, With(Socket1, control: 0xFF, width: 0))).Problem);
        Assert.Equal(ConfigProblem.BreaksCatRules, Single(Config(Socket0, With(Socket1, control: 0b101))).Problem);
        Assert.Equal(ConfigProblem.BreaksCatRules, Single(Config(Socket0, With(Socket1, control: 0b1, width: 2))).Problem);
    }

    [Fact]
    public void Cat_numbers_out_of_range_are_refused()
    {
        // The control slice holds ways in socket 1: one class is not enough for a guest too.
        Assert.Equal(ConfigField.CacheDomainClasses, Single(Config(Socket0, With(Socket1, classes: 1))).Field);
        Assert.Equal(ConfigField.CacheDomainClasses, Single(Config(Socket0, With(Socket1, classes: 65))).Field);
        Assert.Contains(Config(Socket0, With(Socket1, width: 7)).Check(), e => e.Field == ConfigField.CacheDomainMinWidth);
        Assert.Equal(ConfigField.CacheDomainMinWidth, Single(Config(Socket0, With(Socket1, width: -1))).Field);
    }

    [Fact]
    public void Top_level_ways_must_be_domain_0s()
    {
        MachineConfig c = Config();
        var bad = new MachineConfig
        {
            CoreCount = c.CoreCount, ControlCores = c.ControlCores, RamRegions = c.RamRegions, ReservedRegions = c.ReservedRegions,
            ControlMemory = c.ControlMemory, DeviceCount = c.DeviceCount, CacheWays = 12, ControlWays = 0b11,
            RangeRegistersPerCore = c.RangeRegistersPerCore, GranuleSize = c.GranuleSize, SlotCapacity = c.SlotCapacity,
            CacheDomains = c.CacheDomains,
        };
        Assert.Equal(2, bad.Check().Count(e => e.Problem == ConfigProblem.DisagreesWithDomain0));
    }

    [Fact]
    public void Every_problem_has_a_sentence_naming_its_domain()
    {
        MachineConfig c = Config(Socket0, With(Socket1, cores: [3, 4, 5, 9], control: 0b101, classes: 70));
        IReadOnlyList<string> problems = c.Problems();
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.StartsWith("cacheDomains", p, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("problem ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_slicevisor_refuses_a_bad_description_and_copies_a_good_one()
    {
        Assert.ThrowsAny<ArgumentException>(() => new SimulatedMachine(Config(Socket0, With(Socket1, cores: [4, 5, 6]))));
        int[] cores = [4, 5, 6, 7];
        MachineConfig config = Config(Socket0, With(Socket1, cores: ImmutableArray.Create(cores)));
        var machine = new SimulatedMachine(config);
        using var visor = new Slicevisor<SimulatedHardwarePort>(config, machine.OpenPrivilegedPort());
        Assert.Equal(2, visor.Table.CacheDomains);
        Assert.Equal(1, visor.Table.CacheDomainOf(7));
        Assert.Equal(2, visor.Config.CacheDomains.Length);
    }

    [Fact]
    public void A_description_with_cache_domains_reads_and_writes_back()
    {
        MachineConfig config = Config();
        MachineConfig back = MachineDescription.Parse(MachineDescription.ToJson(config));
        Assert.Equal(2, back.CacheDomains.Length);
        Assert.Equal([4, 5, 6, 7], back.CacheDomains[1].Cores.ToArray());
        Assert.True(back.CacheDomains[1].ContiguousMasks);
        Assert.Equal((3, 2, 0b11UL), (back.CacheDomains[1].MaxClassesOfService, back.CacheDomains[1].MinMaskWidth, back.CacheDomains[1].ControlWays));
        Assert.Equal(MachineDescription.ToJson(config), MachineDescription.ToJson(back));
    }
}
