using System.Globalization;
using CoreSlice.Simulation;

namespace CoreSlice;

/// <summary>
/// Sentences for the trusted core's <see cref="ConfigError"/> values. The words live
/// here, outside the TCB; each begins with the field it names ("ram[1] …",
/// "controlWays: …") so tools can point at that field in a file.
/// </summary>
public static class ConfigErrorText
{
    /// <summary>Every problem of <paramref name="config"/>, as sentences (empty when it is usable).</summary>
    public static IReadOnlyList<string> Problems(this MachineConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        IReadOnlyList<ConfigError> errors = config.Check();
        var text = new string[errors.Count];
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = Describe(config, errors[i]);
        }
        return text;
    }

    /// <summary>
    /// One problem as a sentence in the layout checker's style: the field (with its index),
    /// the value found, then what was expected; addresses in hex grouped by four.
    /// <paramref name="config"/> supplies names and the other region of a conflict.
    /// </summary>
    public static string Describe(MachineConfig config, ConfigError e)
    {
        ArgumentNullException.ThrowIfNull(config);
        string field = Name(e.Field);
        string item = e.Index >= 0 ? $"{field}[{e.Index}]" : field;
        long number = unchecked((long)e.Value);
        var range = new MemoryRange(e.Value, e.Size);
        string region = HexText.Range(range);
        return e.Problem switch
        {
            ConfigProblem.OutOfRange when e.Field == ConfigField.PmpEntries => $"pmp.entries: {number}: expected 2..{Hardware.Pmp.PmpGeometry.MaxEntries}",
            ConfigProblem.OutOfRange when e.Field == ConfigField.PmpHarts => $"pmp.harts: {number}: expected 1..{Limits.MaxCores}",
            ConfigProblem.PmpGrainTooCoarse => $"pmp.granularity: G = {number}: expected 0 (a coarser grain cannot fence one hart's 4-byte msip word)",
            ConfigProblem.GranuleFinerThanPmpGrain => $"granule: {HexText.Of(e.Value)}: expected a power of two, a multiple of the PMP grain {HexText.Of(e.Size)}",
            ConfigProblem.HartsDifferFromCores => $"pmp.harts: {number} msip words: expected one per core ({e.Size} cores)",
            ConfigProblem.Unaligned when e.Field == ConfigField.PmpClint => $"pmp.clint: {HexText.Of(e.Value)}: expected a 4-byte-aligned address",
            ConfigProblem.EmptyOrWraps when e.Field == ConfigField.PmpClint => $"pmp.clint: {HexText.Of(e.Value)}: its {e.Size / 4} msip words wrap past 2^64",
            ConfigProblem.BadLength when e.Field == ConfigField.CacheDomains => $"cacheDomains: {number} domains: expected 1..{Limits.MaxCacheDomains}",
            ConfigProblem.MissingEntry when e.Field == ConfigField.CacheDomains => $"cacheDomains[{e.Index}]: nothing given: expected a domain {{\"cores\", \"ways\"}}",
            ConfigProblem.CoreInNoDomain => $"cacheDomains: core {number} is in no domain: expected every core in exactly one",
            ConfigProblem.BadLength when e.Field == ConfigField.CacheDomainCores => $"cacheDomains[{e.Index}].cores: {number} cores: expected 1..{Limits.MaxCores}",
            ConfigProblem.OutOfRange when e.Field == ConfigField.CacheDomainCores => $"cacheDomains[{e.Index}].cores[{e.Other}]: core {number}: expected a core 0..{config.CoreCount - 1}",
            ConfigProblem.CoreInTwoDomains => $"cacheDomains[{e.Index}].cores: core {number} is also in cacheDomains[{e.Other}]: expected every core in exactly one domain",
            ConfigProblem.Duplicate when e.Field == ConfigField.CacheDomainCores => $"cacheDomains[{e.Index}].cores[{e.Other}]: core {number} is listed twice: expected each core once",
            ConfigProblem.OutOfRange when e.Field == ConfigField.CacheDomainWays => $"cacheDomains[{e.Index}].ways: {number}: expected 1..{Limits.MaxCacheWays}",
            ConfigProblem.WaysBeyondMachine when e.Field == ConfigField.CacheDomainControlWays => $"cacheDomains[{e.Index}].controlWays: mask {HexText.Of(e.Value)}: expected ways of the domain only",
            ConfigProblem.HoldsEveryWay when e.Field == ConfigField.CacheDomainControlWays => $"cacheDomains[{e.Index}].controlWays: mask {HexText.Of(e.Value)}: expected at least one way of the domain left for guests",
            ConfigProblem.BreaksCatRules => $"cacheDomains[{e.Index}].controlWays: mask {HexText.Of(e.Value)}: expected a mask the domain's CAT rules allow (contiguous, at least minMaskWidth ways)",
            ConfigProblem.OutOfRange when e.Field == ConfigField.CacheDomainClasses => $"cacheDomains[{e.Index}].maxClassesOfService: {number}: expected 0 (no limit) or enough for the control slice and one guest, at most {Limits.MaxCacheWays}",
            ConfigProblem.OutOfRange when e.Field == ConfigField.CacheDomainMinWidth => $"cacheDomains[{e.Index}].minMaskWidth: {number}: expected 0..the ways the control slice leaves",
            ConfigProblem.DisagreesWithDomain0 => $"{field}: {HexText.Of(e.Value)}: expected domain 0's {HexText.Of(e.Size)} (with cacheDomains, {field} is domain 0's)",
            ConfigProblem.OutOfRange when e.Field == ConfigField.ControlCores => config.CoreCount < 1
                ? $"controlCores: core {number}: expected a core of the machine, but cores is {config.CoreCount}"
                : $"controlCores: core {number}: expected a core 0..{config.CoreCount - 1} (the machine has {config.CoreCount})",
            ConfigProblem.OutOfRange => $"{field}: {number}: expected {Minimum(e.Field)}..{Maximum(e.Field)}",
            ConfigProblem.BadLength when e.Field == ConfigField.ControlCores => number == 0
                ? "controlCores: none listed: expected at least one core for the control slice"
                : $"controlCores: {number} cores listed: expected at most {Limits.MaxCores}",
            ConfigProblem.BadLength =>
                $"{field}: {number} regions: expected {(e.Field == ConfigField.Ram ? 1 : 0)}..{Limits.MaxRegions}",
            ConfigProblem.LeavesNoGuestCore =>
                $"controlCores: {number} control core(s) of {config.CoreCount}: expected at least one core left for guests",
            ConfigProblem.Duplicate => $"controlCores[{e.Index}]: core {number} is listed twice: expected each core once",
            ConfigProblem.NotPowerOfTwo =>
                $"granule: {HexText.Of(e.Value)}: expected a power of two of at least {HexText.Of(Limits.MinGranule)}",
            ConfigProblem.EmptyOrWraps => $"{item}: base {HexText.Of(e.Value)} size {HexText.Of(e.Size)}: {HexText.WhyUnrepresentable(range)}",
            ConfigProblem.Unaligned => $"{item}: {region}: expected base and size multiples of the granule {HexText.Of(config.GranuleSize)}",
            ConfigProblem.OutsideRam => $"{item}: {region}: expected a region inside one RAM region",
            ConfigProblem.OverlapsEarlier =>
                $"{item}: {region}: overlaps {field}[{e.Other}] {Region(config, e.Field, e.Other)}: expected regions that do not overlap",
            ConfigProblem.OverlapsControlMemory =>
                $"reserved[{e.Index}] \"{ReservedName(config, e.Index)}\": {region}: overlaps controlMemory[{e.Other}] {Region(config, ConfigField.ControlMemory, e.Other)}: expected reserved memory apart from the control slice's",
            ConfigProblem.MissingEntry => $"reserved[{e.Index}]: nothing given: expected a region {{\"name\", \"base\", \"size\"}}",
            ConfigProblem.WaysBeyondMachine =>
                $"controlWays: mask {HexText.Of(e.Value)}: expected ways 0..{config.CacheWays - 1} only (the machine has {config.CacheWays})",
            ConfigProblem.HoldsEveryWay => $"controlWays: mask {HexText.Of(e.Value)}: expected at least one way left for guests",
            _ => string.Create(CultureInfo.InvariantCulture, $"{field}: problem {e.Problem}"),
        };
    }

    private static string Name(ConfigField field) => field switch
    {
        ConfigField.Cores => "cores",
        ConfigField.ControlCores => "controlCores",
        ConfigField.Granule => "granule",
        ConfigField.Ram => "ram",
        ConfigField.ControlMemory => "controlMemory",
        ConfigField.Reserved => "reserved",
        ConfigField.Devices => "devices",
        ConfigField.CacheWays => "cacheWays",
        ConfigField.ControlWays => "controlWays",
        ConfigField.RangeRegisters => "rangeRegisters",
        ConfigField.PmpEntries => "pmp.entries",
        ConfigField.PmpGranularity => "pmp.granularity",
        ConfigField.PmpHarts => "pmp.harts",
        ConfigField.PmpClint => "pmp.clint",
        ConfigField.CacheDomains => "cacheDomains",
        _ => "slots",
    };

    private static int Minimum(ConfigField field) => field == ConfigField.Devices ? 0 : 1;

    private static int Maximum(ConfigField field) => field switch
    {
        ConfigField.Cores => Limits.MaxCores,
        ConfigField.Devices => Limits.MaxDevices,
        ConfigField.CacheWays => Limits.MaxCacheWays,
        ConfigField.RangeRegisters => Limits.MaxRangeRegisters,
        _ => Limits.MaxSlots,
    };

    private static string Region(MachineConfig config, ConfigField field, int index)
    {
        MemoryRange? r = field switch
        {
            ConfigField.Ram when !config.RamRegions.IsDefault && (uint)index < (uint)config.RamRegions.Length => config.RamRegions[index],
            ConfigField.ControlMemory when !config.ControlMemory.IsDefault && (uint)index < (uint)config.ControlMemory.Length => config.ControlMemory[index],
            ConfigField.Reserved when !config.ReservedRegions.IsDefault && (uint)index < (uint)config.ReservedRegions.Length => config.ReservedRegions[index]?.Range,
            _ => null,
        };
        return r is { } known ? HexText.Range(known) : "(changed since checked)";
    }

    private static string ReservedName(MachineConfig config, int index) =>
        !config.ReservedRegions.IsDefault && (uint)index < (uint)config.ReservedRegions.Length
            ? config.ReservedRegions[index]?.Name ?? "?"
            : "?";
}
