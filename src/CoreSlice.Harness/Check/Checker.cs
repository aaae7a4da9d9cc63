using System.Globalization;
using System.Numerics;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Harness.Check;

/// <summary>
/// Checks a machine description and a layout. Every decision about a slice is the
/// real slicevisor's: a <see cref="SimulatedMachine"/> and a
/// <see cref="Slicevisor{THardware}"/> are built from the description and each
/// slice goes, in layout order, through <c>CreateSlice</c>. CreateSlice names only the
/// first failing check, so to find every problem the checker records it, drops the
/// failing item (a core, range, device or way) from a working copy of the request and
/// asks again — at most once per item — until the slice is created or nothing is left.
/// A slice created without its rejected items stays created, so later slices are
/// checked against what it really holds.
/// </summary>
internal sealed class Checker
{
    private readonly MachineConfig config;
    private readonly JNode? machineJson;
    private readonly string machineFile;
    private readonly Layout layout;
    private readonly List<Problem> problems = [];
    private readonly Dictionary<int, SliceSpec> bySlot = [];

    public Checker(MachineConfig config, JNode? machineJson, string machineFile, Layout layout)
    {
        this.config = config;
        this.machineJson = machineJson;
        this.machineFile = machineFile;
        this.layout = layout;
    }

    /// <summary>Loads both files and checks them; unreadable input is an <see cref="InputException"/> or <see cref="DescriptionException"/>.</summary>
    public static CheckReport Run(string machinePath, string layoutPath)
    {
        InputFiles.MustBeReadable(machinePath, "machine description");
        InputFiles.MustBeReadable(layoutPath, "layout");
        // One read of the machine file: the tree the machine parser interprets is the one the checker points into.
        JNode machineJson = MachineDescription.ReadTree(File.ReadAllBytes(machinePath), machinePath);
        // A RISC-V description ("pmp" field) is checked on PMP harts: the entry budget is the slicevisor's check too.
        MachineConfig config;
        PmpGeometry? pmp = null;
        if (machineJson.Member("pmp") is not null)
        {
            (config, PmpGeometry geometry) = PmpMachineDescription.FromTree(machineJson, machinePath);
            pmp = geometry;
        }
        else
        {
            config = MachineDescription.FromTree(machineJson, machinePath, extension: null, validate: false);
        }
        Layout layout = LayoutReader.Load(layoutPath);
        return new Checker(config, machineJson, machinePath, layout) { Pmp = pmp }.Run();
    }

    public CheckReport Run()
    {
        CheckMachine();
        if (problems.Any(p => !p.IsWarning))
        {
            return new CheckReport
            {
                MachineFile = machineFile, LayoutFile = layout.File, Machine = config,
                Slices = [], Problems = problems, Free = null,
            };
        }
        if (Pmp is { } geometry)
        {
            using var pmpVisor = new Slicevisor<PmpHardwarePort>(config, new PmpMachine(config, geometry).OpenPrivilegedPort());
            return RunSlices(pmpVisor);
        }
        var machine = new SimulatedMachine(config);
        using var slicevisor = new Slicevisor<SimulatedHardwarePort>(config, machine.OpenPrivilegedPort());
        return RunSlices(slicevisor);
    }

    /// <summary>On a RISC-V PMP machine: every hart's PMP geometry (null: the abstract range registers).</summary>
    public PmpGeometry? Pmp { get; init; }

    private CheckReport RunSlices<THardware>(Slicevisor<THardware> slicevisor)
        where THardware : IHardwarePort
    {
        var outcomes = new List<SliceOutcome>();
        foreach (SliceSpec slice in layout.Slices)
        {
            outcomes.Add(CheckSlice(slicevisor, slice));
        }
        for (int i = 0; i < outcomes.Count; i++)
        {
            outcomes[i] = outcomes[i] with { Shared = CheckShared(slicevisor, layout.Slices[i]) };
        }
        return new CheckReport
        {
            MachineFile = machineFile, LayoutFile = layout.File, Machine = config,
            Slices = outcomes, Problems = InFileOrder(), Free = FreeAfter(slicevisor.Table),
        };
    }

    /// <summary>Machine problems first, then the layout's, by line and column (a stable sort: ties keep the order found).</summary>
    private List<Problem> InFileOrder() =>
        [.. problems.OrderBy(p => p.Source == ProblemSource.Machine ? 0 : 1).ThenBy(p => p.At.Line).ThenBy(p => p.At.Column)];

    // ---------------------------------------------------------------- machine

    private void CheckMachine()
    {
        foreach (string problem in config.Problems())
        {
            (string field, Position at) = MachineField(problem);
            // Sentences read "field: value: what was expected"; the item is the value.
            string[] parts = problem.Split(": ", 3);
            problems.Add(new Problem
            {
                IsWarning = false, Source = ProblemSource.Machine, Error = "MachineDescription",
                Field = field, At = at, Item = parts.Length == 3 ? parts[1] : field, Message = problem,
            });
        }
        // Checks MachineConfig.Problems() does not make; warnings, because the slicevisor runs regardless.
        if (config.RamRegions.IsDefault || config.ReservedRegions.IsDefault || config.ControlMemory.IsDefault)
        {
            return;
        }
        for (int i = 0; i < config.ReservedRegions.Length; i++)
        {
            NamedRegion region = config.ReservedRegions[i];
            if (region.Range.Size == 0 || !region.Range.IsRepresentable || config.RamRegions.Any(r => r.Covers(region.Range)))
            {
                continue;
            }
            MemoryRange outside = OutsideRam(region.Range);
            problems.Add(new Problem
            {
                IsWarning = true, Source = ProblemSource.Machine, Error = "ReservedOutsideRam",
                Field = $"reserved[{i}]", At = MachineAt("reserved", i), Item = $"\"{region.Name}\" {Hex.Range(region.Range)}",
                Against = new Party("machine", "ram", "ram", MachineAt("ram", -1)), Interval = outside,
                Message = $"reserved region \"{region.Name}\" is not inside one RAM region ({Hex.Range(outside)} is outside); "
                    + "if it describes device or firmware space this is harmless, but check the addresses",
            });
        }
        if (config.ControlMemory.Length > config.RangeRegistersPerCore && config.RangeRegistersPerCore > 0)
        {
            problems.Add(new Problem
            {
                IsWarning = true, Source = ProblemSource.Machine, Error = "ControlMemoryExceedsRangeRegisters",
                Field = "controlMemory", At = MachineAt("controlMemory", -1), Item = $"{config.ControlMemory.Length} ranges",
                Against = new Party("machine", "rangeRegisters", "rangeRegisters", MachineAt("rangeRegisters", -1), $"{config.RangeRegistersPerCore} range registers"),
                Message = $"the control slice has {config.ControlMemory.Length} memory ranges but a core has {config.RangeRegistersPerCore} range registers: "
                    + $"control cores can reach only controlMemory[0..{config.RangeRegistersPerCore - 1}]",
            });
        }
    }

    /// <summary>Problems() names its field first ("ram[1] …", "controlWays: …"): find it in the file.</summary>
    private (string Field, Position At) MachineField(string problem)
    {
        int end = 0;
        while (end < problem.Length && (char.IsAsciiLetterOrDigit(problem[end]) || problem[end] is '[' or ']'))
        {
            end++;
        }
        string key = problem[..end];
        int bracket = key.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && int.TryParse(key[(bracket + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return (key, MachineAt(key[..bracket], index));
        }
        return (key, MachineAt(key, -1));
    }

    /// <summary>Where the machine file writes <paramref name="field"/> (item <paramref name="index"/> of it when ≥ 0).</summary>
    private Position MachineAt(string field, int index)
    {
        Position fallback = machineJson?.At ?? new Position(machineFile, 1, 1);
        if (machineJson is null || machineJson.Kind != JsonKind.Object)
        {
            return fallback;
        }
        JNode? node = machineJson.Member(field);
        if (node is null)
        {
            return fallback;
        }
        if (index >= 0 && node.Kind == JsonKind.Array && index < node.Items.Count)
        {
            return node.Items[index].At;
        }
        return machineJson.MemberAt(field);
    }

    private MemoryRange OutsideRam(MemoryRange range)
    {
        foreach (MemoryRange ram in config.RamRegions)
        {
            if (ram.IsRepresentable && range.Overlaps(ram))
            {
                return range.Base < ram.Base
                    ? new MemoryRange(range.Base, ram.Base - range.Base)
                    : new MemoryRange(ram.Limit, range.Limit - ram.Limit);
            }
        }
        return range;
    }

    // ---------------------------------------------------------------- slices

    private SliceOutcome CheckSlice<THardware>(Slicevisor<THardware> slicevisor, SliceSpec spec)
        where THardware : IHardwarePort
    {
        var cores = new List<Item>(spec.Cores);
        var ranges = new List<int>(Enumerable.Range(0, spec.Memory.Count));
        var devices = new List<Item>(spec.Devices);
        var ways = new List<Item>();
        ulong entry = spec.Entry ?? (spec.Memory.Count > 0 ? spec.Memory[0].Range.Base : 0);
        int before = problems.Count;
        ReadWays(spec, ways);

        string? notCreated = null;
        int bound = cores.Count + ranges.Count + devices.Count + ways.Count + 8;
        for (int attempt = 0; attempt < bound; attempt++)
        {
            ulong mask = 0;
            foreach (Item way in ways)
            {
                mask |= 1UL << way.Value;
            }
            var request = new SliceRequest
            {
                Cores = cores.Select(c => c.Value).ToArray(),
                Ranges = ranges.Select(i => spec.Memory[i].Range).ToArray(),
                Devices = devices.Select(d => d.Value).ToArray(),
                Ways = mask,
                EntryPoint = entry,
            };
            SliceResult result = slicevisor.CreateSlice(request);
            if (result.Ok)
            {
                bySlot[result.Slot] = spec;
                bool asDeclared = problems.Count == before;
                return new SliceOutcome
                {
                    Name = spec.Name, At = spec.At, Slot = result.Slot, AsDeclared = asDeclared,
                    Status = asDeclared ? $"created in slot {result.Slot}" : $"created in slot {result.Slot} without its rejected items (later slices are checked against it)",
                    Cores = [.. request.Cores.ToArray()], Memory = request.Ranges.ToArray(), Devices = request.Devices.ToArray(),
                    Ways = Masks.Bits(mask), Entry = entry, Shared = [],
                };
            }
            notCreated = Explain(spec, result, cores, ranges, devices, ways, ref entry);
            if (notCreated is not null)
            {
                break;
            }
        }
        return new SliceOutcome
        {
            Name = spec.Name, At = spec.At, Slot = null, AsDeclared = false,
            Status = "not created: " + (notCreated ?? "too many attempts"),
            Cores = [], Memory = [], Devices = [], Ways = [], Entry = null, Shared = [],
        };
    }

    /// <summary>Way indices a 64-bit mask cannot hold, and repeated ways, are caught here: a request could not even express them.</summary>
    private void ReadWays(SliceSpec spec, List<Item> ways)
    {
        foreach (Item way in spec.Ways)
        {
            if (way.Value is < 0 or >= 64)
            {
                problems.Add(new Problem
                {
                    IsWarning = false, Source = ProblemSource.Layout, Error = nameof(SliceError.WaysOutOfRange), Code = (int)SliceError.WaysOutOfRange,
                    Slice = spec.Name, Field = "ways", At = way.At, Item = $"way {way.Value}",
                    Against = MachineLimit("cacheWays", $"{config.CacheWays} cache ways (a way mask has 64 bits)"),
                    Message = $"way {way.Value} does not exist: the machine has ways 0..{config.CacheWays - 1}",
                });
            }
            else if (ways.Any(w => w.Value == way.Value))
            {
                Item first = ways.First(w => w.Value == way.Value);
                problems.Add(new Problem
                {
                    IsWarning = false, Source = ProblemSource.Layout, Error = "WayDuplicated",
                    Slice = spec.Name, Field = "ways", At = way.At, Item = $"way {way.Value}",
                    Against = new Party("slice", spec.Name, "ways", first.At),
                    Message = $"way {way.Value} is listed twice",
                });
            }
            else
            {
                ways.Add(way);
            }
        }
    }

    /// <summary>Records the refusal and drops the failing item; returns why the slice cannot be created, or null to try again.</summary>
    private string? Explain(
        SliceSpec spec, SliceResult result,
        List<Item> cores, List<int> ranges, List<Item> devices, List<Item> ways, ref ulong entry)
    {
        SliceError error = result.Error;
        Problem Make(string field, Position at, string item, Party? against, MemoryRange? interval, string message) => new()
        {
            IsWarning = false, Source = ProblemSource.Slicevisor, Error = error.ToString(), Code = (int)error,
            Slice = spec.Name, Field = field, At = at, Item = item, Against = against, Interval = interval, Message = message,
        };
        switch (error)
        {
            case SliceError.TableFull:
                problems.Add(Make("", spec.At, $"slice \"{spec.Name}\"", MachineLimit("slots", $"{config.SlotCapacity} slots"), null,
                    $"the slice table is full: earlier slices hold all {config.SlotCapacity} slots"));
                return "the slice table is full";
            case SliceError.NoCores:
                if (spec.Cores.Count == 0)
                {
                    problems.Add(Make("cores", spec.CoresAt, "no cores", null, null, "the slice lists no cores"));
                }
                return "none of its cores can be given to it";
            case SliceError.NoMemory:
                if (spec.Memory.Count == 0)
                {
                    problems.Add(Make("memory", spec.MemoryAt, "no memory", null, null, "the slice lists no memory range"));
                }
                return "none of its memory ranges can be given to it";
            case SliceError.WaysEmpty:
                if (spec.Ways.Count == 0)
                {
                    problems.Add(Make("ways", spec.WaysAt, "no ways", null, null, "the slice lists no cache ways"));
                }
                return "none of its cache ways can be given to it";
            case SliceError.TooManyCores:
                problems.Add(Make("cores", spec.CoresAt, $"{cores.Count} cores", MachineLimit("cores", $"{config.CoreCount} cores"), null,
                    $"the slice lists {cores.Count} cores but the machine has {config.CoreCount}; cores beyond the first {config.CoreCount} listed are not checked"));
                cores.RemoveRange(config.CoreCount, cores.Count - config.CoreCount);
                return null;
            case SliceError.TooManyRanges:
            {
                int n = config.RangeRegistersPerCore;
                problems.Add(Make("memory", spec.MemoryAt, $"{ranges.Count} ranges", MachineLimit("rangeRegisters", $"{n} range registers per core"), null,
                    $"the slice lists {ranges.Count} memory ranges but a core has {n} range registers; memory[{ranges[n]}] and later are not checked"));
                ranges.RemoveRange(n, ranges.Count - n);
                return null;
            }
            case SliceError.TooManyDevices:
                problems.Add(Make("devices", spec.DevicesAt, $"{devices.Count} devices", MachineLimit("devices", $"{config.DeviceCount} devices"), null,
                    $"the slice lists {devices.Count} devices but the machine has {config.DeviceCount}; devices beyond the first {config.DeviceCount} listed are not checked"));
                devices.RemoveRange(config.DeviceCount, devices.Count - config.DeviceCount);
                return null;

            case SliceError.CoreOutOfRange:
            case SliceError.CoreReservedForControl:
            case SliceError.CoreDuplicated:
            case SliceError.CoreInUse:
            {
                int core = result.Subject;
                int index = error == SliceError.CoreDuplicated ? IndexOf(cores, core, second: true) : IndexOf(cores, core, second: false);
                Item item = cores[index];
                (Party against, string message) = error switch
                {
                    SliceError.CoreOutOfRange => (MachineLimit("cores", $"{config.CoreCount} cores"), $"core {core} does not exist: the machine has cores 0..{config.CoreCount - 1}"),
                    SliceError.CoreReservedForControl => (new Party("control", "control slice", "controlCores", MachineAt("controlCores", config.ControlCores.IndexOf(core))),
                        $"core {core} belongs to the control slice"),
                    SliceError.CoreDuplicated => (new Party("slice", spec.Name, "cores", cores[IndexOf(cores, core, second: false)].At), $"core {core} is listed twice"),
                    _ => (OwnerParty(result.Holder, s => s.Cores, core, "cores"), $"core {core} is already {OwnerPhrase(result.Holder)}"),
                };
                problems.Add(Make("cores", item.At, $"core {core}", against, null, message));
                cores.RemoveAt(index);
                return null;
            }

            case SliceError.RangeEmpty:
            case SliceError.RangeUnaligned:
            case SliceError.RangeWraps:
            case SliceError.RangeOutsideRam:
            case SliceError.RangeOverlapsReserved:
            case SliceError.RangeOverlapsControl:
            case SliceError.RangeOverlapsRequest:
            case SliceError.RangeInUse:
            {
                int specIndex = ranges[result.Subject];
                RangeItem r = spec.Memory[specIndex];
                string field = $"memory[{specIndex}]";
                string item = Hex.Range(r.Range);
                MemoryRange conflict = new(result.ConflictBase, result.ConflictSize);
                (Party? against, MemoryRange? interval, string message) = error switch
                {
                    SliceError.RangeEmpty => ((Party?)null, (MemoryRange?)null, "the range is empty (size 0)"),
                    SliceError.RangeUnaligned => (MachineLimit("granule", $"{Hex.Size(config.GranuleSize)} = {Hex.Of(config.GranuleSize)}"), r.Range,
                        $"base {Hex.Of(r.Range.Base)} or size {Hex.Of(r.Range.Size)} is not a multiple of the granule {Hex.Of(config.GranuleSize)} ({Hex.Size(config.GranuleSize)})"),
                    SliceError.RangeWraps => (MachineLimit("address space", "2^64"), null, HexText.WhyUnrepresentable(r.Range)),
                    SliceError.RangeOutsideRam => (RamParty(r.Range), OutsideRam(r.Range), OutsideRam(r.Range) == r.Range
                        ? "the range is not RAM: no RAM region contains any of it"
                        : $"the range is not inside one RAM region: {Hex.Range(OutsideRam(r.Range))} lies outside the region it starts or ends in"),
                    SliceError.RangeOverlapsReserved => (new Party("reserved", config.ReservedRegions[result.HolderRegion].Name, $"reserved[{result.HolderRegion}]", MachineAt("reserved", result.HolderRegion)),
                        conflict, $"overlaps reserved region \"{config.ReservedRegions[result.HolderRegion].Name}\" on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                    SliceError.RangeOverlapsControl => (new Party("control", "control slice", $"controlMemory[{result.HolderRegion}]", MachineAt("controlMemory", result.HolderRegion)),
                        conflict, $"overlaps the control slice's memory on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                    SliceError.RangeOverlapsRequest => (new Party("slice", spec.Name, $"memory[{ranges[result.HolderRegion]}]", spec.Memory[ranges[result.HolderRegion]].At),
                        conflict, $"overlaps memory[{ranges[result.HolderRegion]}] of the same slice on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                    _ => (HolderRangeParty(result.Holder, conflict), conflict,
                        $"overlaps memory of {OwnerName(result.Holder)} on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                };
                problems.Add(Make(field, r.At, item, against, interval, message));
                ranges.RemoveAt(result.Subject);
                return null;
            }

            case SliceError.DeviceOutOfRange:
            case SliceError.DeviceDuplicated:
            case SliceError.DeviceInUse:
            {
                int device = result.Subject;
                int index = IndexOf(devices, device, second: error == SliceError.DeviceDuplicated);
                (Party against, string message) = error switch
                {
                    SliceError.DeviceOutOfRange => (MachineLimit("devices", $"{config.DeviceCount} devices"),
                        config.DeviceCount == 0 ? $"device {device} does not exist: the machine has no devices" : $"device {device} does not exist: the machine has devices 0..{config.DeviceCount - 1}"),
                    SliceError.DeviceDuplicated => (new Party("slice", spec.Name, "devices", devices[IndexOf(devices, device, second: false)].At), $"device {device} is listed twice"),
                    _ => (OwnerParty(result.Holder, s => s.Devices, device, "devices"), $"device {device} is already {OwnerPhrase(result.Holder)}"),
                };
                problems.Add(Make("devices", devices[index].At, $"device {device}", against, null, message));
                devices.RemoveAt(index);
                return null;
            }

            case SliceError.WaysOutOfRange:
            case SliceError.WaysInUse:
            {
                int way = result.Subject;
                int index = IndexOf(ways, way, second: false);
                (Party against, string message) = error == SliceError.WaysOutOfRange
                    ? (MachineLimit("cacheWays", $"{config.CacheWays} cache ways"), $"way {way} does not exist: the machine has ways 0..{config.CacheWays - 1}")
                    : result.Holder == Owner.Control
                        ? (new Party("control", "control slice", "controlWays", MachineAt("controlWays", -1)), $"way {way} belongs to the control slice")
                        : (OwnerParty(result.Holder, s => s.Ways, way, "ways"), $"way {way} is already {OwnerPhrase(result.Holder)}");
                problems.Add(Make("ways", ways[index].At, $"way {way}", against, null, message));
                ways.RemoveAt(index);
                return null;
            }

            case SliceError.EntryOutsideMemory:
            {
                ulong first = spec.Memory[ranges[0]].Range.Base;
                ulong declared = entry;
                bool inDropped = spec.Memory.Any(m => m.Range.Contains(declared));
                // An entry point in a range that was itself rejected is a consequence, not a second mistake.
                if (spec.Entry is not null && !inDropped)
                {
                    problems.Add(Make("entry", spec.EntryAt, Hex.Of(entry), null, null,
                        $"the entry point {Hex.Of(entry)} is not inside any of the slice's memory ranges"));
                }
                if (entry == first)
                {
                    return "its entry point cannot be placed";
                }
                entry = first; // so the rest of the slice is still checked
                return null;
            }

            case SliceError.PmpEntriesExceeded:
                problems.Add(Make("memory", spec.MemoryAt, $"{ranges.Count} ranges, {cores.Count} harts", null, null,
                    $"a hart has {Pmp?.Entries} PMP entries but this slice needs {(result.Subject == int.MaxValue ? "more" : result.Subject)} (its ranges, its harts' msip words and the locked deny-all)"));
                return "its PMP entries do not fit a hart";

            default:
                problems.Add(Make("", spec.At, $"slice \"{spec.Name}\"", null, null, $"refused: {error}"));
                return $"refused ({error})";
        }
    }

    private static int IndexOf(List<Item> items, int value, bool second)
    {
        int seen = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].Value == value && (!second || seen++ == 1))
            {
                return i;
            }
        }
        // Subject names an item of the request; fall back to the first if it was a repeat.
        return Math.Max(0, items.FindIndex(x => x.Value == value));
    }

    private Party MachineLimit(string field, string detail) => new("machine", field, field, MachineAt(field, -1), detail);

    private Party RamParty(MemoryRange range)
    {
        for (int i = 0; i < config.RamRegions.Length; i++)
        {
            if (range.IsRepresentable && range.Overlaps(config.RamRegions[i]))
            {
                return new Party("machine", "ram", $"ram[{i}]", MachineAt("ram", i), Hex.Range(config.RamRegions[i]));
            }
        }
        return new Party("machine", "ram", "ram", MachineAt("ram", -1), "no RAM region");
    }

    private string OwnerName(int holder) => holder switch
    {
        Owner.Control => "the control slice",
        Owner.Reserved => "reserved memory",
        _ => bySlot.TryGetValue(holder, out SliceSpec? s) ? $"slice \"{s.Name}\"" : $"slot {holder}",
    };

    private string OwnerPhrase(int holder) => holder == Owner.Control ? "the control slice's" : $"held by {OwnerName(holder)}";

    /// <summary>The slice holding <paramref name="value"/> in the list <paramref name="list"/> picks, with where it lists it.</summary>
    private Party OwnerParty(int holder, Func<SliceSpec, IReadOnlyList<Item>> list, int value, string field)
    {
        if (holder == Owner.Control)
        {
            return new Party("control", "control slice", "control" + char.ToUpperInvariant(field[0]) + field[1..], MachineAt("control" + char.ToUpperInvariant(field[0]) + field[1..], -1));
        }
        if (!bySlot.TryGetValue(holder, out SliceSpec? other))
        {
            return new Party("slice", $"slot {holder}", null, null);
        }
        foreach (Item item in list(other))
        {
            if (item.Value == value)
            {
                return new Party("slice", other.Name, field, item.At);
            }
        }
        return new Party("slice", other.Name, field, other.At);
    }

    private Party HolderRangeParty(int holder, MemoryRange conflict)
    {
        if (!bySlot.TryGetValue(holder, out SliceSpec? other))
        {
            return new Party("slice", $"slot {holder}", null, null);
        }
        for (int i = 0; i < other.Memory.Count; i++)
        {
            if (other.Memory[i].Range.IsRepresentable && other.Memory[i].Range.Overlaps(conflict))
            {
                return new Party("slice", other.Name, $"memory[{i}]", other.Memory[i].At);
            }
        }
        return new Party("slice", other.Name, "memory", other.At);
    }

    // ---------------------------------------------------------------- shared windows

    /// <summary>
    /// The slicevisor has no shared-memory mechanism (the spec does not model sharing),
    /// so a window is only checked for consistency; it is never mapped.
    /// </summary>
    private SharedOutcome[] CheckShared<THardware>(Slicevisor<THardware> slicevisor, SliceSpec spec)
        where THardware : IHardwarePort
    {
        var outcomes = new List<SharedOutcome>();
        foreach (RangeItem w in spec.Shared)
        {
            string field = $"shared[{spec.Shared.ToList().IndexOf(w)}]";
            Problem? p = SharedProblem(slicevisor, spec, w, field);
            if (p is not null)
            {
                problems.Add(p);
            }
            outcomes.Add(new SharedOutcome(w.Name!, w.Range, w.At, p is null));
        }
        return [.. outcomes];
    }

    private Problem? SharedProblem<THardware>(Slicevisor<THardware> slicevisor, SliceSpec spec, RangeItem w, string field)
        where THardware : IHardwarePort
    {
        MemoryRange r = w.Range;
        Problem Make(string error, Party? against, MemoryRange? interval, string message) => new()
        {
            IsWarning = false, Source = ProblemSource.Layout, Error = error, Slice = spec.Name, Field = field, At = w.At,
            Item = $"\"{w.Name}\" {Hex.Range(r)}", Against = against, Interval = interval, Message = message,
        };
        if (r.Size == 0 || !r.IsRepresentable)
        {
            return Make("SharedEmptyOrWraps", null, null, $"shared window \"{w.Name}\": {HexText.WhyUnrepresentable(r)}");
        }
        if (((r.Base | r.Size) & (config.GranuleSize - 1)) != 0)
        {
            return Make("SharedUnaligned", MachineLimit("granule", $"{Hex.Size(config.GranuleSize)} = {Hex.Of(config.GranuleSize)}"), r,
                $"shared window \"{w.Name}\" is not aligned to the granule {Hex.Of(config.GranuleSize)}");
        }
        for (int c = 0; c < config.ControlMemory.Length; c++)
        {
            if (config.ControlMemory[c].Covers(r))
            {
                return OverlapsOtherWindow(spec, w, r, Make);
            }
        }
        // Outside control memory: name what it lands on.
        for (int i = 0; i < config.ReservedRegions.Length; i++)
        {
            if (r.Overlaps(config.ReservedRegions[i].Range))
            {
                MemoryRange o = r.Intersect(config.ReservedRegions[i].Range);
                return Make("SharedOutsideControlMemory", new Party("reserved", config.ReservedRegions[i].Name, $"reserved[{i}]", MachineAt("reserved", i)), o,
                    $"shared window \"{w.Name}\" must lie inside the control slice's memory, but overlaps reserved region \"{config.ReservedRegions[i].Name}\" on {Hex.Range(o)}");
            }
        }
        foreach ((int slot, SliceSpec s) in bySlot)
        {
            foreach (MemoryRange owned in slicevisor.Table[slot].Ranges)
            {
                if (owned.Overlaps(r))
                {
                    MemoryRange o = r.Intersect(owned);
                    return Make("SharedOutsideControlMemory", HolderRangeParty(slot, o), o,
                        $"shared window \"{w.Name}\" must lie inside the control slice's memory, but overlaps memory of slice \"{s.Name}\" on {Hex.Range(o)}");
                }
            }
        }
        return Make("SharedOutsideControlMemory", new Party("control", "control slice", "controlMemory", MachineAt("controlMemory", -1)), r,
            $"shared window \"{w.Name}\" is not inside one range of the control slice's memory");
    }

    private Problem? OverlapsOtherWindow(SliceSpec spec, RangeItem w, MemoryRange r, Func<string, Party?, MemoryRange?, string, Problem> make)
    {
        foreach (SliceSpec other in layout.Slices)
        {
            foreach (RangeItem v in other.Shared)
            {
                if (ReferenceEquals(v, w))
                {
                    return null; // only earlier windows: each overlap is reported once, at the later window
                }
                if (v.Range.IsRepresentable && v.Range.Overlaps(r))
                {
                    MemoryRange o = r.Intersect(v.Range);
                    int index = other.Shared.ToList().IndexOf(v);
                    return make("SharedOverlapsShared", new Party("slice", other.Name, $"shared[{index}]", v.At, $"window \"{v.Name}\""), o,
                        $"shared window \"{w.Name}\" overlaps shared window \"{v.Name}\" of slice \"{other.Name}\" on {Hex.Range(o)}: "
                        + "a window is shared with the control slice only, never between guests");
                }
            }
        }
        _ = spec;
        return null;
    }

    // ---------------------------------------------------------------- free

    private FreeResources FreeAfter(SliceTable table)
    {
        var cores = new List<int>();
        for (int c = 0; c < config.CoreCount; c++)
        {
            if (table.CoreOwner(c) == Owner.Free)
            {
                cores.Add(c);
            }
        }
        var devices = new List<int>();
        for (int d = 0; d < config.DeviceCount; d++)
        {
            if (table.DeviceOwner(d) == Owner.Free)
            {
                devices.Add(d);
            }
        }
        var ways = new List<int>();
        for (int w = 0; w < config.CacheWays; w++)
        {
            if (table.WayOwner(w) == Owner.Free)
            {
                ways.Add(w);
            }
        }
        var used = new List<MemoryRange>();
        used.AddRange(config.ReservedRegions.Select(r => r.Range));
        used.AddRange(config.ControlMemory);
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            foreach (MemoryRange r in table[slot].Ranges)
            {
                used.Add(r);
            }
        }
        var regions = new List<FreeRegion>();
        for (int i = 0; i < config.RamRegions.Length; i++)
        {
            MemoryRange[] free = Subtract(config.RamRegions[i], used);
            ulong bytes = 0;
            foreach (MemoryRange f in free)
            {
                bytes += f.Size;
            }
            regions.Add(new FreeRegion(i, config.RamRegions[i], bytes, free));
        }
        return new FreeResources([.. cores], [.. regions], [.. devices], [.. ways]);
    }

    /// <summary><paramref name="region"/> minus every range of <paramref name="used"/>, as sorted disjoint intervals.</summary>
    internal static MemoryRange[] Subtract(MemoryRange region, IEnumerable<MemoryRange> used)
    {
        var clipped = used.Where(u => u.IsRepresentable && u.Overlaps(region)).Select(u => region.Intersect(u)).OrderBy(u => u.Base).ToList();
        var free = new List<MemoryRange>();
        ulong at = region.Base;
        foreach (MemoryRange u in clipped)
        {
            if (u.Base > at)
            {
                free.Add(new MemoryRange(at, u.Base - at));
            }
            at = Math.Max(at, u.Limit);
        }
        if (region.Limit > at)
        {
            free.Add(new MemoryRange(at, region.Limit - at));
        }
        return [.. free];
    }
}

/// <summary>Hex and size formatting shared by the text, JSON and SVG writers.</summary>
internal static class Hex
{
    /// <summary>"0x4000_0000": lowercase hex, digits grouped by four (readable, and machine descriptions read it back).</summary>
    public static string Of(ulong value) => HexText.Of(value);

    /// <summary>"0x40000000": plain hex, for JSON.</summary>
    public static string Plain(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>"[0x4000_0000, 0x5000_0000)"; the limit is computed without overflow.</summary>
    public static string Range(MemoryRange r) => HexText.Range(r);

    /// <summary>"512MiB", "1.5GiB", "4KiB", "12345B".</summary>
    public static string Size(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.Length - 1 && (bytes >> (10 * (u + 1))) != 0)
        {
            v /= 1024;
            u++;
        }
        string number = v == Math.Floor(v) ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
        return number + units[u];
    }

    /// <summary>"0-3, 6, 9-11".</summary>
    public static string List(IEnumerable<int> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }
            parts.Add(j == i ? sorted[i].ToString(CultureInfo.InvariantCulture) : j == i + 1 ? $"{sorted[i]}, {sorted[j]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>True when the number is a power of two (for the writers' granule lines).</summary>
    public static bool IsPow2(ulong v) => BitOperations.IsPow2(v);
}
