namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// The bounds of one model-checking run: the machine, and the finite set of
/// arguments every operation is tried with. Granule 4 KiB. Physical layout:
/// RAM [0, (2 + Granules) granules): reserved "slicevisor" = granule 0, control
/// memory = granule 1, guest memory = granules 2 .. 2 + Granules - 1, cut into
/// blocks of <see cref="BlockGranules"/> granules that ranges are built from.
/// Cache ways: way 0 is the control slice's, ways 1..<see cref="GuestWays"/> are for guests.
/// </summary>
internal sealed record ModelCheckScope
{
    /// <summary>Bytes per granule.</summary>
    public const ulong Granule = 4096;

    /// <summary>Cores, control cores included.</summary>
    public int Cores { get; init; } = 3;

    /// <summary>Control cores: cores 0 .. ControlCores - 1.</summary>
    public int ControlCores { get; init; } = 1;

    /// <summary>Guest-usable RAM granules (besides one reserved and one control granule).</summary>
    public int Granules { get; init; } = 8;

    /// <summary>Granules per block: ranges are one or two blocks.</summary>
    public int BlockGranules { get; init; } = 4;

    /// <summary>Devices (SR-IOV virtual functions).</summary>
    public int Devices { get; init; } = 2;

    /// <summary>Cache ways for guests (the machine has one more, the control slice's).</summary>
    public int GuestWays { get; init; } = 2;

    /// <summary>Slice-table slots.</summary>
    public int Slots { get; init; } = 2;

    /// <summary>Range registers per core (and so ranges per slice).</summary>
    public int RangeRegisters { get; init; } = 2;

    /// <summary>Stop after this depth (0: no bound).</summary>
    public int MaxDepth { get; init; }

    /// <summary>Stop after this many states (0: no bound).</summary>
    public int MaxStates { get; init; }

    /// <summary>Stop after this many seconds (0: no bound).</summary>
    public double TimeLimitSeconds { get; init; }

    /// <summary>The executable model every call is compared with; a deliberately wrong variant shows the comparison can fail.</summary>
    public Model.ModelBug ModelVariant { get; init; }

    /// <summary>The port every state's slicevisor runs on (the PMP port: a geometry from <see cref="Ports.PmpLayout"/>).</summary>
    public Ports.Port Port { get; init; } = Ports.Port.Abstract;

    /// <summary>
    /// Also check noninterference on every edge (NI2_LocalRespect: a domain's view is unchanged by an action the
    /// policy does not let touch it), and try the actions only a view sees (IPIs, mailbox calls). Off by default: it
    /// builds every domain's view, twice, on every edge.
    /// </summary>
    public bool Noninterference { get; init; }

    /// <summary>Stop at the first violation (else: collect up to a few, one per check).</summary>
    public bool StopAtFirstViolation { get; init; } = true;

    /// <summary>The most operations per state a run may build (about 0.5 GiB of operations); larger scopes are refused before any work.</summary>
    public const long MaxOperations = 1_000_000;

    /// <summary>Bytes one operation takes in memory, measured on the default scope (its text, request arrays and record).</summary>
    public const long BytesPerOperation = 520;

    /// <summary>
    /// The number of operations <see cref="StepSpace.Build"/> makes, computed without building them:
    /// the create product (guest core sets x valid range lists x device subsets x guest way sets) dominates.
    /// </summary>
    public long EstimatedOperations()
    {
        int guests = Cores - ControlCores;
        long coreSets = guests >= 62 ? long.MaxValue / 4 : (1L << guests) - 1;
        long rangeLists = Blocks + Math.Max(0, Blocks - 1) + (RangeRegisters >= 2 && Blocks >= 2 ? 1 : 0);
        long deviceSets = Devices >= 62 ? long.MaxValue / 4 : 1L << Devices;
        long waySets = GuestWays >= 62 ? long.MaxValue / 4 : (1L << GuestWays) - 1;
        long creates = Saturating(Saturating(coreSets, rangeLists), Saturating(deviceSets, waySets));
        long others = 64 + (4L * (Slots + 2)) + (Slots * ((3L * guests) + (2L * Devices))) + (8L * (Cores + Devices)) + (4L * Blocks * (Slots + 2))
            + SharingOperations(guests);
        others += Noninterference ? StepSpace.ViewActions(this) : 0;
        return creates > long.MaxValue / 2 ? long.MaxValue / 2 : creates + others;
    }

    /// <summary>The sharing steps (StepSpace.Sharing.cs): ten requests, a load and a fetch per guest core, a control store, DMA reads.</summary>
    private long SharingOperations(int guests) => 10 + (2L * guests) + 1 + (Devices * (Blocks + 3L));

    /// <summary>What the operations of <see cref="EstimatedOperations"/> take in memory, roughly.</summary>
    public long EstimatedOperationBytes() => Saturating(EstimatedOperations(), BytesPerOperation);

    private static long Saturating(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue / 2 : a * b;

    /// <summary>Number of blocks of guest memory.</summary>
    public int Blocks => Granules / BlockGranules;

    /// <summary>First guest address.</summary>
    public static ulong GuestBase => 2 * Granule;

    /// <summary>Exclusive end of RAM.</summary>
    public ulong RamEnd => (ulong)(2 + Granules) * Granule;

    /// <summary>Block <paramref name="b"/> (and <paramref name="count"/> blocks on) as a range.</summary>
    public MemoryRange Block(int b, int count = 1) =>
        new(GuestBase + ((ulong)b * (ulong)BlockGranules * Granule), (ulong)count * (ulong)BlockGranules * Granule);

    /// <summary>Every problem with the bounds, in words naming the option (empty when usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (Cores is < 2 or > 64)
        {
            p.Add($"--cores {Cores}: expected 2..64");
        }
        if (ControlCores < 1 || ControlCores >= Cores)
        {
            p.Add($"--control-cores {ControlCores}: expected 1..cores-1");
        }
        if (Granules is < 1 or > 4096)
        {
            p.Add($"--granules {Granules}: expected 1..4096");
        }
        if (BlockGranules < 1 || Granules % BlockGranules != 0)
        {
            p.Add($"--block {BlockGranules}: expected a divisor of --granules {Granules}");
        }
        if (Devices is < 0 or > 64)
        {
            p.Add($"--devices {Devices}: expected 0..64");
        }
        if (GuestWays is < 1 or > 63)
        {
            p.Add($"--ways {GuestWays}: expected 1..63");
        }
        if (Slots is < 1 or > 64)
        {
            p.Add($"--slots {Slots}: expected 1..64");
        }
        if (RangeRegisters is < 1 or > 8)
        {
            p.Add($"--range-registers {RangeRegisters}: expected 1..8");
        }
        if (MaxDepth < 0 || MaxStates < 0 || TimeLimitSeconds < 0)
        {
            p.Add("--max-depth, --max-states and --time-limit must not be negative");
        }
        if (p.Count == 0 && EstimatedOperations() > MaxOperations)
        {
            p.Add($"this scope tries {EstimatedOperations():N0} operations in every state (about {EstimatedOperationBytes() / (1 << 20):N0} MiB " +
                  $"before the first state); the limit is {MaxOperations:N0}: use fewer guest cores (--cores, --control-cores), --devices or --ways");
        }
        return p;
    }

    /// <summary>The machine this scope describes.</summary>
    public MachineConfig Machine()
    {
        var control = new int[ControlCores];
        for (int i = 0; i < control.Length; i++)
        {
            control[i] = i;
        }
        return new MachineConfig
        {
            CoreCount = Cores,
            ControlCores = [.. control],
            RamRegions = [new MemoryRange(0, RamEnd)],
            ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, Granule))],
            ControlMemory = [new MemoryRange(Granule, Granule)],
            DeviceCount = Devices,
            CacheWays = GuestWays + 1,
            ControlWays = 1,
            RangeRegistersPerCore = RangeRegisters,
            GranuleSize = Granule,
            SlotCapacity = Slots,
        };
    }

    /// <summary>The scope as the options that reproduce it.</summary>
    public string CommandLine() =>
        $"coreslice modelcheck --cores {Cores} --control-cores {ControlCores} --granules {Granules} --block {BlockGranules} " +
        $"--devices {Devices} --ways {GuestWays} --slots {Slots} --range-registers {RangeRegisters}" +
        (MaxDepth > 0 ? $" --max-depth {MaxDepth}" : "") + (MaxStates > 0 ? $" --max-states {MaxStates}" : "") +
        (TimeLimitSeconds > 0 ? $" --time-limit {TimeLimitSeconds}" : "") + (Port.Name == "abstract" ? "" : $" --port {Port.Name}") + (Noninterference ? " --noninterference" : "");

    /// <summary>The machine in one line.</summary>
    public string MachineText() =>
        $"{Cores} cores (control: {ControlCores}), RAM {2 + Granules} granules of 4 KiB " +
        $"(1 reserved, 1 control, {Granules} guest in {Blocks} blocks of {BlockGranules}), {Devices} devices, " +
        $"{GuestWays + 1} cache ways (1 control), {RangeRegisters} range registers per core, {Slots} slots" + PortText();

    /// <summary>Nothing on the abstract port; on the PMP port, the harts' geometry.</summary>
    private string PortText()
    {
        if (Port.Name == "abstract")
        {
            return "";
        }
        Hardware.Pmp.PmpGeometry g = Ports.PmpLayout.GeometryFor(Machine());
        return $"; port {Port.Name}: {g.Entries} PMP entries per hart, msip words at 0x{g.MsipBase:x}";
    }
}
