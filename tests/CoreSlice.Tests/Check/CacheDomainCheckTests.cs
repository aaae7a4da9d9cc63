using System.Text;
using CoreSlice.Harness.Check;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Check;

/// <summary>
/// `coreslice check` on cache domains: "d:w" ways in a layout, the domain refusals at the way
/// that caused them, and a two-socket machine holding more than 63 guest slices once each socket
/// has its own ways (the one-cache machine's ceiling was 63).
/// </summary>
public sealed class CacheDomainCheckTests : CheckTestFiles
{
    /// <summary>Two sockets of 64 cores each and 64 ways each (the control slice's way 0 on each).</summary>
    private string WideServer()
    {
        string text = File.ReadAllText(Server)
            .Replace("\"ways\": 16, \"controlWays\": [0, 1],", "\"ways\": 64, \"controlWays\": [0],", StringComparison.Ordinal)
            .Replace("\"maxClassesOfService\": 16", "\"maxClassesOfService\": 64", StringComparison.Ordinal);
        return Write("wide-server.json", text);
    }

    [Fact]
    public void A_two_socket_machine_holds_a_slice_per_guest_core_beyond_63()
    {
        var layout = new StringBuilder("{\"slices\": [\n");
        int slices = 0;
        for (int core = 1; core < 128; core++)
        {
            if (core == 64)
            {
                continue;
            }
            int socket = core / 64;
            string way = socket == 0 ? $"{core}" : $"\"1:{core - 64}\"";
            ulong @base = (socket == 0 ? 16UL << 30 : 0x81_0000_0000UL) + ((ulong)(core % 64) << 30);
            layout.Append(slices == 0 ? "" : ",\n").Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{{\"name\": \"s{core}\", \"cores\": [{core}], \"ways\": [{way}], \"memory\": [{{\"base\": {@base}, \"size\": \"1GiB\"}}]}}");
            slices++;
        }
        layout.Append("\n]}");
        CheckReport report = Check(WideServer(), Write("per-core.json", layout.ToString()));
        Assert.Empty(report.Problems);
        Assert.Equal(126, report.Slices.Count(s => s.Slot is not null));
    }

    [Fact]
    public void A_slice_across_sockets_needs_ways_on_both_and_they_are_one_run_each()
    {
        string layout = Write("cross.json", "{\"slices\": [\n"
            + "{\"name\": \"a\", \"cores\": [1, 65], \"ways\": [2, 3], \"memory\": [{\"base\": \"16GiB\", \"size\": \"1GiB\"}]},\n"
            + "{\"name\": \"b\", \"cores\": [2, 66], \"ways\": [4, \"1:2\", \"1:4\"], \"memory\": [{\"base\": \"18GiB\", \"size\": \"1GiB\"}]},\n"
            + "{\"name\": \"c\", \"cores\": [3], \"ways\": [\"3:1\"], \"memory\": [{\"base\": \"20GiB\", \"size\": \"1GiB\"}]}\n]}");
        CheckReport report = Check(Server, layout);
        Assert.Equal(
            [("WaysMissingInDomain", 2, 33), ("WaysNotContiguous", 3, 45), ("WaysDomainOutOfRange", 4, 38)],
            report.Problems.Where(p => !p.IsWarning).Select(p => (p.Error, p.At.Line, p.At.Column)).ToArray());
        Assert.Equal("cache domain 1", report.Problems[0].Item);
        Assert.All(report.Slices, s => Assert.Null(s.Slot));
    }

    [Theory]
    [InlineData("\"1:64\"")]
    [InlineData("\"8:1\"")]
    [InlineData("\"x:1\"")]
    public void A_malformed_domain_way_is_an_input_error(string way)
    {
        string layout = Write("bad.json", $"{{\"slices\": [{{\"name\": \"a\", \"cores\": [1], \"ways\": [{way}], \"memory\": []}}]}}");
        Assert.ThrowsAny<Exception>(() => Check(Server, layout));
    }

    [Fact]
    public void The_server_description_has_two_sockets_with_their_memory()
    {
        MachineConfig server = MachineDescription.Load(Server);
        Assert.Equal(2, server.CacheDomains.Length);
        Assert.Equal(Enumerable.Range(64, 64), server.CacheDomains[1].Cores);
        Assert.Equal(0x80_0000_0000UL, server.CacheDomains[1].LocalMemory[0].Base);
    }
}
