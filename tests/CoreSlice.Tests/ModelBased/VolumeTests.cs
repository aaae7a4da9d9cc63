using System.Diagnostics;
using CoreSlice.Harness.Model;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using Xunit.Abstractions;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// Volume: at least 1,000,000 hostile manager requests per run checked against the model
/// (result on every request, a state fingerprint on every step, the full abstract state and
/// InvariantAudit every 64 steps and at the end of every run). ×100 with CORESLICE_LONG=1.
/// </summary>
public sealed class VolumeTests(ITestOutputHelper output)
{
    public const long RequiredPerRun = 1_000_000;
    private const int StepsPerRun = 1000;

    /// <summary>A tiny machine (the model-checking scope): 3 cores (1 control), 2 slots, 2 devices, 2 ways (1 control): full tables come fast.</summary>
    public static MachineConfig Tiny() => CoreSlice.Harness.Machines.MachineCatalogue.Tiny();

    /// <summary>
    /// The small machine with a third range register: room for a range and two windows, so two
    /// windows of one request can overlap (on two registers one range leaves room for one window).
    /// </summary>
    public static MachineConfig SmallWithThreeRegisters()
    {
        MachineConfig small = Machines.Small();
        return new MachineConfig
        {
            CoreCount = small.CoreCount, ControlCores = small.ControlCores, RamRegions = small.RamRegions,
            ReservedRegions = small.ReservedRegions, ControlMemory = small.ControlMemory, DeviceCount = small.DeviceCount,
            CacheWays = small.CacheWays, ControlWays = small.ControlWays, RangeRegistersPerCore = 3,
            GranuleSize = small.GranuleSize, SlotCapacity = small.SlotCapacity,
        };
    }

    private static (long requests, Dictionary<SliceError, int> seen) Bulk(MachineConfig config, int runs)
    {
        var seen = new Dictionary<SliceError, int>();
        long requests = 0;
        Gen<Intent[]> gen = Gen.ArrayOf(IntentGen.Step(config.SlotCapacity, managerHeavy: true), StepsPerRun);
        Prop.ForAll(Arb.From(gen, IntentGen.Shrink), run =>
            {
                using var runner = new Runner(config, Depth.Fast);
                runner.RunAll(run);
                lock (seen)
                {
                    foreach (KeyValuePair<SliceError, int> kv in runner.Seen)
                    {
                        seen[kv.Key] = seen.GetValueOrDefault(kv.Key) + kv.Value;
                        requests += kv.Value;
                    }
                }
                return true;
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(runs * Soak.Factor));
        return (requests, seen);
    }

    [Fact]
    public void A_million_hostile_manager_requests_agree_with_the_model()
    {
        var clock = Stopwatch.StartNew();
        (long small, Dictionary<SliceError, int> seenSmall) = Bulk(Machines.Small(), 550);
        (long three, Dictionary<SliceError, int> seenThree) = Bulk(SmallWithThreeRegisters(), 150);
        (long tiny, Dictionary<SliceError, int> seenTiny) = Bulk(Tiny(), 500);
        long total = small + three + tiny;
        output.WriteLine($"hostile manager requests checked: {total:N0} (small {small:N0}, small with 3 registers {three:N0}, tiny {tiny:N0}) in {clock.Elapsed.TotalSeconds:F1} s; long mode: {Soak.Long}");
        var seen = seenSmall.Concat(seenThree).Concat(seenTiny).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        output.WriteLine(string.Join(", ", seen.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.True(total >= RequiredPerRun * Soak.Factor, $"only {total} requests checked");
        // Not vacuous: every error a manager request can get (but LogFull: the log is drained) was produced.
        SliceError[] expected = Enum.GetValues<SliceError>()
            // PmpEntriesExceeded exists only on PMP machines; AttestationKeyFault needs hardware whose key derivation fails (AttestationTests uses such a port);
            // the cache-domain codes need a machine of several domains or CAT rules (CacheDomains/CacheDomainCreateTests produces each).
            .Where(e => e is not SliceError.LogFull and not SliceError.NotGuestCore and not SliceError.AttestationKeyFault and not SliceError.PmpEntriesExceeded
                and not SliceError.TooManyWayDomains and not SliceError.WaysDomainOutOfRange and not SliceError.WaysDomainDuplicated and not SliceError.WaysForeignDomain and not SliceError.WaysMissingInDomain
                and not SliceError.WaysNotContiguous and not SliceError.WaysTooNarrow and not SliceError.ClassesOfServiceExhausted)
            .ToArray();
        SliceError[] missing = expected.Where(e => !seen.ContainsKey(e)).ToArray();
        Assert.True(missing.Length == 0, "never produced: " + string.Join(", ", missing));
    }
}
