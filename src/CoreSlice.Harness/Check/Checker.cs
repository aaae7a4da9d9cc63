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
/// failing item (a core, range, window, device, DMA range or way) from a working copy of
/// the request (<see cref="WorkingRequest"/>) and asks again — at most once per item —
/// until the slice is created or nothing is left. A slice created without its rejected
/// items stays created, so later slices are checked against what it really holds.
/// Windows and DMA ranges are explained in <c>Checker.Sharing.cs</c>.
/// </summary>
internal sealed partial class Checker
{
    private readonly MachineConfig config;
    private readonly JNode? machineJson;
    private readonly string machineFile;
    private readonly Layout layout;
    private readonly List<Problem> problems = [];
    private readonly Dictionary<int, SliceSpec> bySlot = [];
    // The slice table of the slicevisor being asked: what earlier slices really hold, for naming the parties of a refusal.
    private SliceTable? table;

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
        table = slicevisor.Table;
        var outcomes = new List<SliceOutcome>();
        foreach (SliceSpec slice in layout.Slices)
        {
            outcomes.Add(CheckSlice(slicevisor, slice));
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
        int before = problems.Count;
        var work = new WorkingRequest(spec, ReadWays(spec));
        string? notCreated = null;
        int bound = work.ItemCount + 8;
        for (int attempt = 0; attempt < bound; attempt++)
        {
            SliceRequest request = work.ToRequest();
            SliceResult result = slicevisor.CreateSlice(request);
            if (result.Ok)
            {
                bySlot[result.Slot] = spec;
                bool asDeclared = problems.Count == before;
                CrossSocketWarnings(spec, request, work);
                return new SliceOutcome
                {
                    Name = spec.Name, At = spec.At, Slot = result.Slot, AsDeclared = asDeclared,
                    Status = asDeclared ? $"created in slot {result.Slot}" : $"created in slot {result.Slot} without its rejected items (later slices are checked against it)",
                    Cores = [.. request.Cores.ToArray()], Memory = request.Ranges.ToArray(), MemoryPermissions = request.RangePermissions.ToArray(),
                    Devices = request.Devices.ToArray(), Ways = AllWays(request), Entry = request.EntryPoint,
                    Windows = WindowOutcomes(spec, work.Windows), DmaRanges = request.DmaRanges.ToArray(),
                };
            }
            notCreated = Explain(spec, result, work);
            if (notCreated is not null)
            {
                break;
            }
        }
        return new SliceOutcome
        {
            Name = spec.Name, At = spec.At, Slot = null, AsDeclared = false,
            Status = "not created: " + (notCreated ?? "too many attempts"),
            Cores = [], Memory = [], MemoryPermissions = [], Devices = [], Ways = [], Entry = null,
            Windows = WindowOutcomes(spec, mapped: []), DmaRanges = [],
        };
    }

    /// <summary>Every declared window, marked mapped when <paramref name="mapped"/> (indices into the slice's windows) holds it.</summary>
    private static WindowOutcome[] WindowOutcomes(SliceSpec spec, List<int> mapped) =>
        [.. spec.Windows.Select((w, i) => new WindowOutcome(w.Name!, w.Range, w.Permissions, w.At, mapped.Contains(i)))];

    /// <summary>Way indices a 64-bit mask cannot hold, and repeated ways, are caught here: a request could not even express them.</summary>
    private List<Item> ReadWays(SliceSpec spec)
    {
        var ways = new List<Item>();
        foreach (Item way in spec.Ways)
        {
            if (ForeignDomainItem(spec, way) is Problem foreign)
            {
                problems.Add(foreign);
            }
            else if (way.Value < 0 || way.Value % 64 >= Domains.Ways(way.Value / 64))
            {
                problems.Add(new Problem
                {
                    IsWarning = false, Source = ProblemSource.Layout, Error = nameof(SliceError.WaysOutOfRange), Code = (int)SliceError.WaysOutOfRange,
                    Slice = spec.Name, Field = "ways", At = way.At, Item = WayName(way.Value),
                    Against = MachineLimit("cacheWays", $"{Domains.Ways(way.Value / 64)} cache ways in domain {way.Value / 64}"),
                    Message = $"{WayName(way.Value)} does not exist: the domain has ways 0..{Domains.Ways(way.Value / 64) - 1}",
                });
            }
            else if (ways.Any(w => w.Value == way.Value))
            {
                Item first = ways.First(w => w.Value == way.Value);
                problems.Add(new Problem
                {
                    IsWarning = false, Source = ProblemSource.Layout, Error = "WayDuplicated",
                    Slice = spec.Name, Field = "ways", At = way.At, Item = WayName(way.Value),
                    Against = new Party("slice", spec.Name, "ways", first.At),
                    Message = $"{WayName(way.Value)} is listed twice",
                });
            }
            else
            {
                ways.Add(way);
            }
        }
        return ways;
    }

    /// <summary>Records the refusal and drops the failing item; returns why the slice cannot be created, or null to try again.</summary>
    private string? Explain(SliceSpec spec, SliceResult result, WorkingRequest work)
    {
        SliceError error = result.Error;
        List<Item> cores = work.Cores, devices = work.Devices, ways = work.Ways;
        List<int> ranges = work.Ranges;
        Problem Make(string field, Position at, string item, Party? against, MemoryRange? interval, string message) =>
            Refusal(spec, error, field, at, item, against, interval, message);
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
                problems.Add(TooManyRanges(spec, work));
                return null;
            case SliceError.TooManyDmaRanges:
                problems.Add(Make("dma", spec.DmaAt, $"{work.Dma.Count} DMA ranges", new Party("machine", "slicevisor limit", null, null, $"{Limits.MaxDmaRanges} DMA ranges per slice"), null,
                    $"the slice lists {work.Dma.Count} DMA ranges but a slice may have {Limits.MaxDmaRanges}; dma[{work.Dma[Limits.MaxDmaRanges]}] and later are not checked"));
                work.Dma.RemoveRange(Limits.MaxDmaRanges, work.Dma.Count - Limits.MaxDmaRanges);
                return null;
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
            case SliceError.RangePermissionsInvalid:
            {
                int specIndex = ranges[result.Subject];
                RangeItem r = spec.Memory[specIndex];
                string field = $"memory[{specIndex}]";
                string item = Hex.Range(r.Range);
                MemoryRange conflict = new(result.ConflictBase, result.ConflictSize);
                (Party? against, MemoryRange? interval, string message) = error switch
                {
                    SliceError.RangeEmpty => ((Party?)null, (MemoryRange?)null, "the range is empty (size 0)"),
                    SliceError.RangeUnaligned => (GranuleParty(), r.Range, NotGranuleMultiple(r.Range)),
                    SliceError.RangeWraps => (AddressSpaceParty(), null, HexText.WhyUnrepresentable(r.Range)),
                    SliceError.RangeOutsideRam => (RamParty(r.Range), OutsideRam(r.Range), OutsideRam(r.Range) == r.Range
                        ? "the range is not RAM: no RAM region contains any of it"
                        : $"the range is not inside one RAM region: {Hex.Range(OutsideRam(r.Range))} lies outside the region it starts or ends in"),
                    SliceError.RangeOverlapsReserved => (new Party("reserved", config.ReservedRegions[result.HolderRegion].Name, $"reserved[{result.HolderRegion}]", MachineAt("reserved", result.HolderRegion)),
                        conflict, $"overlaps reserved region \"{config.ReservedRegions[result.HolderRegion].Name}\" on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                    SliceError.RangeOverlapsControl => (new Party("control", "control slice", $"controlMemory[{result.HolderRegion}]", MachineAt("controlMemory", result.HolderRegion)),
                        conflict, $"overlaps the control slice's memory on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                    SliceError.RangeOverlapsRequest => (new Party("slice", spec.Name, $"memory[{ranges[result.HolderRegion]}]", spec.Memory[ranges[result.HolderRegion]].At),
                        conflict, $"overlaps memory[{ranges[result.HolderRegion]}] of the same slice on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                    SliceError.RangePermissionsInvalid => (null, r.Range,
                        r.Permissions == Permissions.None
                            ? $"perm \"{PermissionText.Of(r.Permissions)}\": a range must give the guest at least one of read, write and execute (a register with none is a disabled one)"
                            : $"perm \"{PermissionText.Of(r.Permissions)}\": write without read is not a permission a range can have (RISC-V PMP reserves it); give \"r{PermissionText.Of(r.Permissions)}\""),
                    _ => (HolderParty(result.Holder, conflict, s => s.Memory, s => "memory"), conflict,
                        $"overlaps memory of {OwnerName(result.Holder)} on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
                };
                problems.Add(Make(field, error == SliceError.RangePermissionsInvalid ? r.PermAt : r.At, item, against, interval, message));
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
                        ? (new Party("control", "control slice", "controlWays", MachineAt("controlWays", -1)), $"{WayName(way)} belongs to the control slice")
                        : (OwnerParty(result.Holder, s => s.Ways, way, "ways"), $"{WayName(way)} is already {OwnerPhrase(result.Holder)}");
                problems.Add(Make("ways", ways[index].At, WayName(way), against, null, message));
                ways.RemoveAt(index);
                return null;
            }

            case SliceError.EntryOutsideMemory:
            {
                ulong declared = work.Entry;
                // An entry point in a range that was itself rejected is a consequence, not a second mistake.
                if (spec.Entry is not null && !work.EntrySubstituted && !spec.Memory.Any(m => m.Range.Contains(declared)))
                {
                    problems.Add(Make("entry", spec.EntryAt, Hex.Of(declared), null, null,
                        $"the entry point {Hex.Of(declared)} is not inside any of the slice's memory ranges"));
                }
                return SubstituteEntry(work, "its entry point cannot be placed");
            }

            case SliceError.EntryNotExecutable:
            {
                ulong declared = work.Entry;
                int holding = ranges.First(i => spec.Memory[i].Range.Contains(declared));
                RangeItem range = spec.Memory[holding];
                if (!work.EntrySubstituted)
                {
                    problems.Add(Make("entry", spec.EntryAt, Hex.Of(declared),
                        new Party("slice", spec.Name, $"memory[{holding}]", range.PermAt, $"perm \"{PermissionText.Of(range.Permissions)}\""), range.Range,
                        $"the entry point {Hex.Of(declared)} lies in memory[{holding}], which the guest may not execute (perm \"{PermissionText.Of(range.Permissions)}\"): it could not run its first instruction"));
                }
                return SubstituteEntry(work, "none of its memory ranges is executable, so it has no entry point");
            }

            case SliceError.WaysForeignDomain:
            case SliceError.WaysMissingInDomain:
            case SliceError.WaysNotContiguous:
            case SliceError.WaysTooNarrow:
            case SliceError.ClassesOfServiceExhausted:
                return DomainRefusal(spec, result, work);

            case SliceError.PmpEntriesExceeded:
                problems.Add(Make("memory", spec.MemoryAt, $"{ranges.Count} ranges, {cores.Count} harts", null, null,
                    $"a hart has {Pmp?.Entries} PMP entries but this slice needs {(result.Subject == int.MaxValue ? "more" : result.Subject)} (its ranges, its harts' msip words and the locked deny-all)"));
                return "its PMP entries do not fit a hart";

            case >= SliceError.WindowEmpty and <= SliceError.WindowInUse:
                problems.Add(WindowRefusal(spec, result, work));
                work.Windows.RemoveAt(result.Subject);
                return null;

            case >= SliceError.DmaDeviceNotInRequest and <= SliceError.DmaPermissionsExceedRange:
                // A DMA range refused only because its device or range was refused is a consequence, not a second mistake.
                if (DmaRefusal(spec, result, work) is Problem dma)
                {
                    problems.Add(dma);
                }
                work.Dma.RemoveAt(result.Subject);
                return null;

            default:
                problems.Add(Make("", spec.At, $"slice \"{spec.Name}\"", null, null, $"refused: {error}"));
                return $"refused ({error})";
        }
    }

    /// <summary>A refusal by the slicevisor, as a problem of <paramref name="spec"/>.</summary>
    private static Problem Refusal(SliceSpec spec, SliceError error, string field, Position at, string item, Party? against, MemoryRange? interval, string message) => new()
    {
        IsWarning = false, Source = ProblemSource.Slicevisor, Error = error.ToString(), Code = (int)error,
        Slice = spec.Name, Field = field, At = at, Item = item, Against = against, Interval = interval, Message = message,
    };

    /// <summary>Puts the checker's stand-in in place of an unusable entry point, so the rest of the slice is still checked; <paramref name="otherwise"/> when there is none left to try.</summary>
    private static string? SubstituteEntry(WorkingRequest work, string otherwise)
    {
        ulong standIn = work.StandInEntry();
        if (work.EntrySubstituted && work.Entry == standIn)
        {
            return otherwise;
        }
        work.Entry = standIn;
        work.EntrySubstituted = true;
        return null;
    }

    /// <summary>
    /// Private ranges and windows take one range register each. Reported once, at "memory"; the
    /// registers go to the private ranges first (a slice runs without a window, not without memory),
    /// and what does not fit is dropped unchecked.
    /// </summary>
    private Problem TooManyRanges(SliceSpec spec, WorkingRequest work)
    {
        int registers = config.RangeRegistersPerCore;
        List<int> ranges = work.Ranges, windows = work.Windows;
        string item = windows.Count == 0 ? $"{ranges.Count} ranges" : $"{ranges.Count} ranges + {windows.Count} windows";
        string firstDropped = ranges.Count > registers ? $"memory[{ranges[registers]}]" : $"{spec.WindowsField}[{windows[registers - ranges.Count]}]";
        string message = windows.Count == 0
            ? $"the slice lists {ranges.Count} memory ranges but a core has {registers} range registers; {firstDropped} and later are not checked"
            : $"the slice lists {ranges.Count} memory ranges and {windows.Count} windows, one range register each, but a core has {registers}; {firstDropped} and later are not checked";
        if (ranges.Count > registers)
        {
            ranges.RemoveRange(registers, ranges.Count - registers);
            windows.Clear();
        }
        else
        {
            windows.RemoveRange(registers - ranges.Count, windows.Count - (registers - ranges.Count));
        }
        return Refusal(spec, SliceError.TooManyRanges, "memory", spec.MemoryAt, item,
            MachineLimit("rangeRegisters", $"{registers} range registers per core"), null, message);
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

    /// <summary>
    /// The slice in slot <paramref name="holder"/>, with the first of its ranges in the list
    /// <paramref name="list"/> picks (its private memory or its windows, called <paramref name="field"/>)
    /// that overlaps <paramref name="conflict"/>: where the layout writes what it holds.
    /// </summary>
    private Party HolderParty(int holder, MemoryRange conflict, Func<SliceSpec, IReadOnlyList<RangeItem>> list, Func<SliceSpec, string> field)
    {
        if (!bySlot.TryGetValue(holder, out SliceSpec? other))
        {
            return new Party("slice", $"slot {holder}", null, null);
        }
        IReadOnlyList<RangeItem> ranges = list(other);
        for (int i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Range.IsRepresentable && ranges[i].Range.Overlaps(conflict))
            {
                string? window = ranges[i].Name is string name ? $"window \"{name}\" {PermissionText.Of(ranges[i].Permissions)}" : null;
                return new Party("slice", other.Name, $"{field(other)}[{i}]", ranges[i].At, window);
            }
        }
        return new Party("slice", other.Name, field(other), other.At);
    }

    private Party GranuleParty() => MachineLimit("granule", $"{Hex.Size(config.GranuleSize)} = {Hex.Of(config.GranuleSize)}");

    private static Party AddressSpaceParty() => new("machine", "address space", "address space", null, "2^64");

    private string NotGranuleMultiple(MemoryRange r) =>
        $"base {Hex.Of(r.Base)} or size {Hex.Of(r.Size)} is not a multiple of the granule {Hex.Of(config.GranuleSize)} ({Hex.Size(config.GranuleSize)})";

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
        // Every domain's free ways, as 64 * domain + way (domain 0's are the way indices).
        var ways = new List<int>();
        for (int d = 0; d < table.CacheDomains; d++)
        {
            for (int w = 0; w < table.WaysOfDomain(d); w++)
            {
                if (table.WayOwner(d, w) == Owner.Free)
                {
                    ways.Add((64 * d) + w);
                }
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
    /// <summary>Ways as a layout writes them: domain 0's as indices, another domain's as "d:w" spans ("1:2-5").</summary>
    public static string WayList(IEnumerable<int> values) =>
        string.Join(", ", values.GroupBy(v => v / 64).OrderBy(g => g.Key)
            .Select(g => g.Key == 0 ? List(g) : string.Join(", ", List(g.Select(v => v % 64)).Split(", ").Select(p => $"{g.Key}:{p}"))))
        is { Length: > 0 } text ? text : "none";

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
