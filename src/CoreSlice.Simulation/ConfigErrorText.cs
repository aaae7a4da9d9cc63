using System.Globalization;

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

    /// <summary>One problem as a sentence; <paramref name="config"/> supplies names and the other region of a conflict.</summary>
    public static string Describe(MachineConfig config, ConfigError e)
    {
        ArgumentNullException.ThrowIfNull(config);
        string field = Name(e.Field);
        int number = unchecked((int)(long)e.Value);
        string region = $"[0x{e.Value:x}, 0x{unchecked(e.Value + e.Size):x})";
        return e.Problem switch
        {
            ConfigProblem.OutOfRange when e.Field == ConfigField.ControlCores =>
                $"controlCores: core {number} is not in 0..{config.CoreCount - 1}",
            ConfigProblem.OutOfRange => $"{field}: {number} is not in {Minimum(e.Field)}..{Maximum(e.Field)}",
            ConfigProblem.BadLength when e.Field == ConfigField.ControlCores => number == 0
                ? "controlCores: the control slice needs at least one core"
                : $"controlCores: {number} entries, more than the {Limits.MaxCores} cores a machine may have",
            ConfigProblem.BadLength =>
                $"{field}: between {(e.Field == ConfigField.Ram ? 1 : 0)} and {Limits.MaxRegions} regions are needed",
            ConfigProblem.LeavesNoGuestCore =>
                $"controlCores: {number} control cores leave none of the {config.CoreCount} for guests",
            ConfigProblem.Duplicate => $"controlCores: core {number} is listed twice",
            ConfigProblem.NotPowerOfTwo =>
                $"granule: {e.Value} is not a power of two of at least {Limits.MinGranule}",
            ConfigProblem.EmptyOrWraps => $"{field}[{e.Index}] {e.Value:x}+{e.Size:x}: empty or wraps past 2^64",
            ConfigProblem.Unaligned => $"{field}[{e.Index}] {region}: not aligned to the granule 0x{config.GranuleSize:x}",
            ConfigProblem.OutsideRam => $"{field}[{e.Index}] {region}: not inside one RAM region",
            ConfigProblem.OverlapsEarlier =>
                $"{field}[{e.Index}] {region} overlaps {field}[{e.Other}] {Region(config, e.Field, e.Other)}",
            ConfigProblem.OverlapsControlMemory =>
                $"reserved[{e.Index}] ({ReservedName(config, e.Index)}) {region} overlaps controlMemory[{e.Other}] {Region(config, ConfigField.ControlMemory, e.Other)}",
            ConfigProblem.MissingEntry => $"reserved[{e.Index}]: no region given",
            ConfigProblem.WaysBeyondMachine =>
                $"controlWays: mask 0x{e.Value:x} names ways beyond the {config.CacheWays} the machine has",
            ConfigProblem.HoldsEveryWay => "controlWays: the control slice holds every way, so no slice could be created",
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
        return r?.ToString() ?? "(changed since checked)";
    }

    private static string ReservedName(MachineConfig config, int index) =>
        !config.ReservedRegions.IsDefault && (uint)index < (uint)config.ReservedRegions.Length
            ? config.ReservedRegions[index]?.Name ?? "?"
            : "?";
}
