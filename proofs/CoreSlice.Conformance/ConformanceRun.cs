using System.Diagnostics;
using CoreSlice.Attestation;
using CoreSlice.Log;
using CoreSlice.Hardware;
using CoreSlice.Harness.Machines;
using CoreSlice.Manager;
using CoreSlice.Proofs;
using CoreSlice.Simulation;

namespace CoreSlice.Conformance;

/// <summary>Options of a conformance run.</summary>
public sealed class ConformanceOptions
{
    /// <summary>Random seed: the same seed replays the same trace.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Steps to run (the scripted tour counts).</summary>
    public int Steps { get; init; } = 300;

    /// <summary>The machine (default: <see cref="ConformanceRun.SmallMachine"/>).</summary>
    public MachineConfig? Machine { get; init; }

    /// <summary>The spec (default: the one built into CoreSlice.Proofs).</summary>
    public Spec? Spec { get; init; }

    /// <summary>
    /// Abstract a Free slot's table fields as the code holds them (zeros) instead of
    /// carrying them over: exposes the DestroySlice framing difference (see the report).
    /// </summary>
    public bool StrictFreeSlots { get; init; }

    /// <summary>Also drive guest filter writes from cores that run no software (Idle/Halted): exposes the GuestWriteFilter over-approximation.</summary>
    public bool FilterWritesFromStoppedCores { get; init; }

    /// <summary>Test hook: changes the abstract post-state of a step before it is checked (step index, post).</summary>
    public Action<int, AbstractState>? PerturbPost { get; init; }

    /// <summary>Test hook: changes the error the code reported at a step (step index, error) → error.</summary>
    public Func<int, int, int>? PerturbError { get; init; }

    /// <summary>Z3 timeout per query.</summary>
    public int TimeoutMs { get; init; } = 20_000;

    /// <summary>
    /// Every invariant clause is asked of the post-state of every this-many-th step and of the last
    /// one (1: every step). The clauses on a post-state follow from the clauses on the pre-state, the
    /// step's transition (asked at every step) and the preservation theorems <c>coreslice verify</c>
    /// proves, so a cadence above 1 loses no conformance; what it saves is most of the solver time
    /// (the clauses quantify over every address, core and slot and cost about three quarters of a
    /// step's queries).
    /// </summary>
    public int InvariantsEvery { get; init; } = 1;

    /// <summary>Called after each checked step with (steps checked, seconds); null: silent.</summary>
    public Action<int, double>? Progress { get; init; }

    /// <summary>The decision log's capacity: small, so the trace fills it and meets LogFull and every DrainLog branch.</summary>
    public int LogCapacity { get; init; } = 16;

    /// <summary>CreateSlice requests run first, in order, before the scripted tour (e.g. a two-domain machine's DomainWays requests).</summary>
    public IReadOnlyList<SliceRequest> Requests { get; init; } = [];

    /// <summary>After <see cref="Requests"/>, start slots 1 .. this many (the slots an empty table gives them), then destroy them.</summary>
    public int StartAndDestroy { get; init; }
}

/// <summary>A step that did not conform.</summary>
/// <param name="Step">0-based step index.</param>
/// <param name="Operation">Spec operation (or the unmodelled call).</param>
/// <param name="Arguments">The call's arguments.</param>
/// <param name="CodeError">What the code returned.</param>
/// <param name="Verdict">What failed.</param>
public sealed record Mismatch(int Step, string Operation, string Arguments, string CodeError, StepVerdict Verdict);

/// <summary>The outcome of a run.</summary>
public sealed class ConformanceResult
{
    /// <summary>Steps checked (up to and including a mismatch).</summary>
    public int Steps { get; init; }

    /// <summary>The first mismatch, or null when the trace conforms.</summary>
    public Mismatch? Mismatch { get; init; }

    /// <summary>Per (operation, result) the number of steps.</summary>
    public required SortedDictionary<string, int> Coverage { get; init; }

    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Z3 queries asked.</summary>
    public long Queries { get; init; }

    /// <summary>Whether the initial state satisfies the spec's Init ("unsat" of its negation means it does).</summary>
    public string InitAnswer { get; init; } = "";

    /// <summary>Seconds spent in Z3 per operation.</summary>
    public SortedDictionary<string, double> SolverSeconds { get; init; } = [];

    /// <summary>Steps per second.</summary>
    public double StepsPerSecond => Elapsed.TotalSeconds > 0 ? Steps / Elapsed.TotalSeconds : 0;

    /// <summary>True when every step conformed.</summary>
    public bool Conforms => Mismatch is null;
}

/// <summary>
/// Runs the real slicevisor on a simulated machine, driving random and hostile
/// manager requests, guest actions and injected faults, and checks every step
/// against the spec with <see cref="ConformanceChecker"/>.
/// </summary>
public sealed class ConformanceRun : IDisposable
{
    private const ulong MiB = 1 << 20;
    private readonly ConformanceOptions options;
    private readonly MachineConfig config;
    private readonly SimulatedMachine machine;
    private readonly Slicevisor<SimulatedHardwarePort> visor;
    private readonly FirstFitAllocator<SimulatedHardwarePort> manager;
    private readonly ConformanceChecker checker;
    private readonly Random random;
    private static readonly int[] FiveCores = [1, 2, 3, 1, 2];
    private static readonly int[] ThreeDevices = [0, 1, 0];
    private readonly byte[] report = new byte[ReportLayout.ReportSize];
    private readonly byte[] drained = new byte[64 * 1024 * 4];

    /// <summary>The catalogue's small board (<see cref="MachineCatalogue.Small"/>) with 2 devices: 4 cores, 3 slots, 4 ways, RAM in two regions.</summary>
    public static MachineConfig SmallMachine() => MachineCatalogue.Small(devices: 2);

    /// <summary>Builds the machine, the slicevisor and the checker. Throws <see cref="SpecException"/> or <see cref="DllNotFoundException"/> when unusable.</summary>
    public ConformanceRun(ConformanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        config = options.Machine ?? SmallMachine();
        if (Z3Native.TryVersion() is null)
        {
            throw new DllNotFoundException("libz3.so.4 (Z3) cannot be loaded; install it with: apt-get install -y libz3-4");
        }
        checker = new ConformanceChecker(options.Spec ?? Spec.BuiltIn(), config, options.TimeoutMs);
        machine = new SimulatedMachine(config);
        visor = new Slicevisor<SimulatedHardwarePort>(config, machine.OpenPrivilegedPort(), PlatformIdentity.Unmeasured, options.LogCapacity);
        machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
        manager = new FirstFitAllocator<SimulatedHardwarePort>(visor);
        random = new Random(options.Seed);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        visor.Dispose();
        checker.Dispose();
    }

    /// <summary>Runs the trace; stops at the first mismatch.</summary>
    public ConformanceResult Run()
    {
        var watch = Stopwatch.StartNew();
        var coverage = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        var solverTime = new SortedDictionary<string, double>(StringComparer.Ordinal);
        AbstractState pre = Abstraction.Capture(visor, machine, true, options.StrictFreeSlots, problems);
        string init = checker.InitHolds(pre);
        Queue<Func<(SpecCall, int)>> tour = Tour();
        for (int step = 0; step < options.Steps; step++)
        {
            long[] received = StepObservation.IpisReceived(machine, config.CoreCount);
            // a full log is drained (a checked step) mostly, and sometimes left full so requests meet LogFull
            bool drain = !visor.Log.AcceptsRequests && (tour.Count > 0 || random.Next(3) != 0);
            (SpecCall call, int error) = drain ? Drain() : tour.Count > 0 ? tour.Dequeue()() : RandomStep(pre);
            problems.Clear();
            long t0 = Stopwatch.GetTimestamp();
            AbstractState post = StepObservation.Post(checker, visor, machine, pre, call, error, received, problems);
            options.PerturbPost?.Invoke(step, post);
            if (options.PerturbError is not null)
            {
                error = options.PerturbError(step, error);
            }
            string key = call.Operation + " " + ConformanceChecker.Name(error);
            coverage[key] = coverage.GetValueOrDefault(key) + 1;
            bool invariants = (step + 1) % Math.Max(1, options.InvariantsEvery) == 0 || step == options.Steps - 1;
            StepVerdict verdict = checker.Check(call, pre, post, error, problems, invariants);
            string opKey = call.Operation;
            solverTime[opKey] = solverTime.GetValueOrDefault(opKey) + Stopwatch.GetElapsedTime(t0).TotalSeconds;
            if (!verdict.Conforms)
            {
                return new ConformanceResult
                {
                    Steps = step + 1, Coverage = coverage, Elapsed = watch.Elapsed, Queries = checker.Queries, InitAnswer = init, SolverSeconds = solverTime,
                    Mismatch = new Mismatch(step, call.Operation, call.Describe(), ConformanceChecker.Name(error), verdict),
                };
            }
            pre = post;
            options.Progress?.Invoke(step + 1, watch.Elapsed.TotalSeconds);
        }
        return new ConformanceResult { Steps = options.Steps, Coverage = coverage, Elapsed = watch.Elapsed, Queries = checker.Queries, InitAnswer = init, SolverSeconds = solverTime };
    }

    // ------------------------------------------------------------------ driving

    private static int Code(SliceResult r) => (int)r.Error;

    private static int Code(AccessOutcome o) => o == AccessOutcome.Allowed ? 0 : 0xff;

    private (SpecCall, int) Create(SliceRequest request) => (new CreateCall(request), Code(visor.CreateSlice(request)));

    private (SpecCall, int) Load(int slot, ulong address, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return (new LoadCall(slot, address, length), Code(visor.LoadImage(slot, address, bytes)));
    }

    private (SpecCall, int) Start(int slot, Fault fault)
    {
        // a refused (LogFull) call runs nothing: an armed fault would wait for a later step
        fault = visor.Log.AcceptsRequests ? fault : Fault.None;
        Inject(fault, start: true);
        int e = Code(visor.StartSlice(slot));
        ClearFaults();
        return (new SlotCall(true, slot, fault), e);
    }

    private (SpecCall, int) Destroy(int slot, Fault fault)
    {
        fault = visor.Log.AcceptsRequests ? fault : Fault.None;
        Inject(fault, start: false);
        int e = Code(visor.DestroySlice(slot));
        ClearFaults();
        return (new SlotCall(false, slot, fault), e);
    }

    private void Inject(Fault fault, bool start)
    {
        switch (fault.Error)
        {
            case SliceError.IommuFault:
                machine.FailNextIommuChanges(fault.Device);
                break;
            case SliceError.CoreResetFault:
                machine.FailNextResets(fault.Core);
                break;
            case SliceError.LoaderFault when start:
                machine.CorruptNextRegisterWrite(fault.Core);
                break;
            default:
                break;
        }
    }

    private void ClearFaults()
    {
        for (int c = 0; c < config.CoreCount; c++)
        {
            machine.FailNextResets(c, 0);
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            machine.FailNextIommuChanges(d, 0);
        }
    }

    private (SpecCall, int) Access(int core, ulong address, Permissions perm)
    {
        byte[] one = new byte[1];
        if (config.ControlCores.Contains(core))
        {
            return (new ControlStoreCall(address), Code(machine.GuestStore(core, address, [0x5a])));
        }
        AccessOutcome o = perm switch
        {
            Permissions.Read => machine.GuestLoad(core, address, one),
            Permissions.Write => machine.GuestStore(core, address, [(byte)random.Next(1, 256)]),
            _ => machine.GuestFetch(core, address),
        };
        return (new AccessCall(core, address, perm), Code(o));
    }

    private (SpecCall, int) Dma(int device, ulong address, bool write)
    {
        byte[] one = [0xd0];
        AccessOutcome o = write ? machine.DeviceDmaWrite(device, address, one) : machine.DeviceDmaRead(device, address, one);
        return (new DmaCall(device, address, write), Code(o));
    }

    private (SpecCall, int) Filter(int core, int kind)
    {
        int reg = random.Next(config.RangeRegistersPerCore);
        var value = new RangeRegister((ulong)random.Next(0, 48) * MiB, MiB * (ulong)random.Next(0, 4), (Permissions)random.Next(0, 8));
        int[] ipi = Enumerable.Range(0, config.CoreCount).Where(_ => random.Next(2) == 0).ToArray();
        ulong ways = (ulong)random.Next(0, 1 << config.CacheWays);
        AccessOutcome o;
        switch (kind)
        {
            case 0:
                o = machine.GuestWriteRangeRegister(core, reg, value);
                break;
            case 1:
                ResourceSet set = default;
                foreach (int c in ipi)
                {
                    set.Add(c);
                }
                o = machine.GuestWriteIpiMask(core, set);
                break;
            default:
                o = machine.GuestWriteWayMask(core, ways);
                break;
        }
        return (new FilterCall(core, kind, reg, value, ipi, ways), Code(o));
    }

    private (SpecCall, int) Attest(int slot, bool hostile = true) => Attest(false, slot, hostile);

    private (SpecCall, int) GuestAttest(int core, bool hostile = true) => Attest(true, core, hostile);

    private (SpecCall, int) Attest(bool guest, int who, bool hostile)
    {
        byte[] nonce = new byte[hostile && random.Next(5) == 0 ? 32 : ReportLayout.NonceSize];
        int room = hostile && random.Next(6) == 0 ? ReportLayout.ReportSize - 1 : ReportLayout.ReportSize;
        SliceResult r = guest ? visor.GuestAttest(who, nonce, report.AsSpan(0, room)) : visor.Attest(who, nonce, report.AsSpan(0, room));
        var call = new AttestCall(guest, who, nonce.Length == ReportLayout.NonceSize, room >= ReportLayout.ReportSize) { CodeError = Code(r) };
        return (call, Code(r));
    }

    private (SpecCall, int) Drain()
    {
        int held = visor.Log.Count;
        int room = random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(0, held + 2), _ => held + 1 };
        // a destination of `room` whole entries and a ragged tail that holds no further entry
        int bytes = (room * DecisionLogLayout.EntrySize) + random.Next(DecisionLogLayout.EntrySize);
        SliceResult r = visor.DrainLog(drained.AsSpan(0, Math.Min(bytes, drained.Length)), out _);
        return (new DrainCall(room), Code(r));
    }

    private SliceRequest Valid(int cores = 1, ulong granules = 2, int devices = 1, int ways = 1) =>
        manager.Plan(new SliceShape(cores, granules * config.GranuleSize, devices, ways)) ?? new SliceRequest
        {
            Cores = new[] { 1 }, Ranges = new[] { new MemoryRange(4 * MiB, config.GranuleSize) }, Devices = Array.Empty<int>(),
            Ways = 0b10, EntryPoint = 4 * MiB,
        };

    private List<int> Live(SliceState? state = null) =>
        Enumerable.Range(1, config.SlotCapacity).Where(t => state is null ? visor.Table[t].State != SliceState.Free : visor.Table[t].State == state).ToList();

    private int FirstCore(int slot) => visor.Table[slot].Cores.Next(0);

    private int FirstDevice(int slot) => visor.Table[slot].Devices.Next(0);

    /// <summary>A scripted prefix that reaches every operation and error class on the small machine.</summary>
    private Queue<Func<(SpecCall, int)>> Tour()
    {
        var q = new Queue<Func<(SpecCall, int)>>();
        foreach (SliceRequest request in options.Requests)
        {
            q.Enqueue(() => Create(request));
        }
        for (int t = 1; t <= options.StartAndDestroy; t++)
        {
            int slot = t;
            q.Enqueue(() => Start(slot, Fault.None));
        }
        for (int t = 1; t <= options.StartAndDestroy; t++)
        {
            int slot = t;
            q.Enqueue(() => Destroy(slot, Fault.None));
        }
        ulong g = config.GranuleSize;
        // every CreateSlice error class, from an empty table
        foreach (Perturbation p in HostileRequests.All)
        {
            if (p is Perturbation.None or Perturbation.StolenCore or Perturbation.StolenDevice or Perturbation.StolenMemory or Perturbation.StolenWay)
            {
                continue;
            }
            q.Enqueue(() => Create(HostileRequests.Perturb(Valid(), p, config, visor.Table, random)));
        }
        q.Enqueue(() => Create(Valid() with { Cores = FiveCores }));                        // TooManyCores
        q.Enqueue(() => Create(Valid() with { Ranges = Array.Empty<MemoryRange>() }));                   // NoMemory
        q.Enqueue(() => Create(Valid() with { Devices = ThreeDevices }));                           // TooManyDevices
        q.Enqueue(() => Create(Valid() with { Ways = 0b1 }));                                            // WaysInUse (control way)
        // slot A: created, loaded, started
        q.Enqueue(() => Create(Valid(1, 2, 1, 1)));
        q.Enqueue(() => Load(1, visor.Table[1].Ranges[0].Base + 16, 100));
        q.Enqueue(() => Load(1, visor.Table[1].Ranges[0].Base + 2 * g - 10, 100));                       // ImageOutsideMemory
        q.Enqueue(() => Load(0, 0, 1));                                                                  // SlotOutOfRange
        q.Enqueue(() => Load(2, 0, 1));                                                                  // WrongState (Free)
        q.Enqueue(() => Attest(1, hostile: false));
        q.Enqueue(() => Start(1, Fault.None));
        q.Enqueue(() => Load(1, visor.Table[1].Ranges[0].Base, 1));                                      // WrongState (Running)
        q.Enqueue(() => Start(1, Fault.None));                                                           // WrongState
        q.Enqueue(() => Start(9, Fault.None));                                                           // SlotOutOfRange
        q.Enqueue(() => GuestAttest(FirstCore(1), hostile: false));
        q.Enqueue(() => Drain());
        // stolen resources, now that slot 1 holds some
        foreach (Perturbation p in new[] { Perturbation.StolenCore, Perturbation.StolenDevice, Perturbation.StolenMemory, Perturbation.StolenWay })
        {
            q.Enqueue(() => Create(HostileRequests.Perturb(Valid(), p, config, visor.Table, random)));
        }
        // guest actions on slot 1
        q.Enqueue(() => Access(FirstCore(1), visor.Table[1].Ranges[0].Base + 5, Permissions.Write));
        q.Enqueue(() => Access(FirstCore(1), visor.Table[1].Ranges[0].Base + 5, Permissions.Read));
        q.Enqueue(() => Access(FirstCore(1), visor.Table[1].EntryPoint, Permissions.Execute));
        q.Enqueue(() => Access(FirstCore(1), 1 * MiB + 8, Permissions.Write));                           // refused: control memory
        q.Enqueue(() => Access(0, 1 * MiB + 8, Permissions.Write));                                      // ControlStore allowed
        q.Enqueue(() => Access(0, 8 * MiB, Permissions.Write));                                          // ControlStore refused
        q.Enqueue(() => Dma(FirstDevice(1), visor.Table[1].Ranges[0].Base + g, true));
        q.Enqueue(() => Dma(FirstDevice(1), 1 * MiB, true));                                             // refused
        q.Enqueue(() => (new IpiCall(FirstCore(1), FirstCore(1)), Code(machine.GuestSendIpi(FirstCore(1), FirstCore(1)))));
        q.Enqueue(() => (new IpiCall(FirstCore(1), 0), Code(machine.GuestSendIpi(FirstCore(1), 0))));
        q.Enqueue(() => Filter(FirstCore(1), 0));
        q.Enqueue(() => Filter(FirstCore(1), 1));
        q.Enqueue(() => Filter(0, 2));
        q.Enqueue(() => (new ResetRequestCall(FirstCore(1), 0), Code(machine.GuestRequestReset(FirstCore(1), 0))));
        // faults: Start with an IOMMU fault, a reset fault, a loader fault; Destroy with each
        q.Enqueue(() => Create(Valid(1, 1, 1, 1)));
        q.Enqueue(() => Start(2, new Fault(SliceError.IommuFault, 0, FirstDevice(2))));
        q.Enqueue(() => Destroy(2, new Fault(SliceError.IommuFault, 0, FirstDevice(2))));
        q.Enqueue(() => Destroy(2, new Fault(SliceError.CoreResetFault, FirstCore(2), 0)));
        q.Enqueue(() => Destroy(2, Fault.None));
        q.Enqueue(() => Create(Valid(1, 1, 0, 1)));
        q.Enqueue(() => Start(2, new Fault(SliceError.CoreResetFault, FirstCore(2), 0)));
        q.Enqueue(() => Destroy(2, Fault.None));
        q.Enqueue(() => Create(Valid(1, 1, 0, 1)));
        q.Enqueue(() => Start(2, new Fault(SliceError.LoaderFault, FirstCore(2), 0)));
        q.Enqueue(() => Destroy(2, Fault.None));
        q.Enqueue(() => Destroy(2, Fault.None));                                                         // WrongState (Free)
        q.Enqueue(() => Destroy(-1, Fault.None));                                                        // SlotOutOfRange
        // TableFull
        q.Enqueue(() => Create(Valid(1, 1, 0, 1)));
        q.Enqueue(() => Create(Valid(1, 1, 0, 1)));
        q.Enqueue(() => Create(Valid(1, 1, 0, 1)));
        q.Enqueue(() => Destroy(1, Fault.None));
        SharingTour(q);
        DmaTour(q);
        return q;
    }

    /// <summary>
    /// Per-device DMA ranges: a slice whose device reaches a read-only window and one granule of its
    /// read-write range; DMA inside, outside and against the permissions; every DMA range refusal.
    /// </summary>
    private void DmaTour(Queue<Func<(SpecCall, int)>> q)
    {
        ulong g = config.GranuleSize;
        SharedWindow window = new(new MemoryRange(config.ControlMemory[0].Base, g), Permissions.Read);
        SliceRequest WithRows(params DmaRange[] rows)
        {
            SliceRequest v = Valid(1, 2, 1, 1);
            int device = v.Devices.Length > 0 ? v.Devices.Span[0] : 0;
            MemoryRange r = v.Ranges.Span[0];
            DmaRange[] fixedRows = rows.Select(x => x with { Device = x.Device < 0 ? device : x.Device, Range = x.Range.Base == 0 && x.Range.Size == 1 ? new MemoryRange(r.Base, g) : x.Range }).ToArray();
            return v with { Windows = new[] { window }, DmaRanges = fixedRows };
        }
        DmaRange Own(Permissions p) => new(-1, new MemoryRange(0, 1), p);         // the request's device on its range's first granule
        int Holder() => Live().FirstOrDefault(t => visor.Table[t].DmaRanges.Length > 0);
        q.Enqueue(() => Destroy(Live().FirstOrDefault(), Fault.None));
        q.Enqueue(() => Create(WithRows(Own(Permissions.Read) with { Device = 1 << 20 })));                       // DmaDeviceNotInRequest
        q.Enqueue(() => Create(WithRows(Own(Permissions.Read) with { Range = new MemoryRange(window.Range.Base, 0) }))); // DmaRangeEmpty
        q.Enqueue(() => Create(WithRows(Own(Permissions.Read) with { Range = new MemoryRange(window.Range.Base + 8, g) }))); // DmaRangeUnaligned
        q.Enqueue(() => Create(WithRows(Own(Permissions.Read) with { Range = new MemoryRange(ulong.MaxValue - g + 1, 2 * g) }))); // DmaRangeWraps
        q.Enqueue(() => Create(WithRows(Own(Permissions.Execute))));                                              // DmaPermissionsInvalid
        q.Enqueue(() => Create(WithRows(Own(Permissions.Read) with { Range = new MemoryRange(40 * MiB, g) })));    // DmaRangeOutsideSlice
        q.Enqueue(() => Create(WithRows(Own(Permissions.Write) with { Range = window.Range })));                 // DmaPermissionsExceedRange
        q.Enqueue(() => Create(WithRows(Enumerable.Repeat(Own(Permissions.Read), Limits.MaxDmaRanges + 1).ToArray()))); // TooManyDmaRanges
        q.Enqueue(() => Create(WithRows(Own(Permissions.Read | Permissions.Write), Own(Permissions.Read) with { Range = window.Range })));
        q.Enqueue(() => Start(Holder(), Fault.None));
        q.Enqueue(() => Dma(FirstDevice(Holder()), visor.Table[Holder()].Ranges[0].Base + 8, true));              // inside its row
        q.Enqueue(() => Dma(FirstDevice(Holder()), visor.Table[Holder()].Ranges[0].Base + g + 8, true));          // refused: its range, not its row
        q.Enqueue(() => Dma(FirstDevice(Holder()), window.Range.Base + 8, false));                                // reads the read-only window
        q.Enqueue(() => Dma(FirstDevice(Holder()), window.Range.Base + 8, true));                                 // refused: read-only
        q.Enqueue(() => Destroy(Holder(), Fault.None));
    }

    /// <summary>
    /// Sharing: a window onto the first control page, read-write, and a read-execute private range; the
    /// guest and the control slice exchange data through the window; every window and permission refusal;
    /// the window lent again after a destroy (scrubbed).
    /// </summary>
    private void SharingTour(Queue<Func<(SpecCall, int)>> q)
    {
        ulong g = config.GranuleSize;
        MemoryRange page = new(config.ControlMemory[0].Base, g);
        SharedWindow rw = new(page, Permissions.Read | Permissions.Write);
        SliceRequest Shared(SharedWindow w) => Valid(1, 1, 0, 1) with { Windows = new[] { w }, RangePermissions = new[] { Permissions.Read | Permissions.Execute } };
        int Holder() => Live().FirstOrDefault(t => visor.Table[t].Windows.Length > 0);
        q.Enqueue(() => Destroy(Live().FirstOrDefault(), Fault.None));                                   // room for the requests below
        q.Enqueue(() => Destroy(Live().FirstOrDefault(), Fault.None));
        q.Enqueue(() => Create(Shared(rw)));
        q.Enqueue(() => Create(Shared(rw)));                                                             // WindowInUse
        q.Enqueue(() => Create(Shared(rw with { Permissions = Permissions.ReadWriteExecute })));         // WindowPermissionsInvalid
        q.Enqueue(() => Create(Shared(new SharedWindow(new MemoryRange(40 * MiB, g), Permissions.Read)))); // WindowOutsideControl
        q.Enqueue(() => Create(Shared(new SharedWindow(new MemoryRange(page.Base, 0), Permissions.Read)))); // WindowEmpty
        q.Enqueue(() => Create(Valid(1, 1, 0, 1) with { RangePermissions = new[] { Permissions.Read, Permissions.Read } })); // PermissionsCountMismatch
        q.Enqueue(() => Create(Valid(1, 1, 0, 1) with { RangePermissions = new[] { Permissions.None } }));  // RangePermissionsInvalid
        q.Enqueue(() => Create(Valid(1, 1, 0, 1) with { RangePermissions = new[] { Permissions.Write | Permissions.Execute } })); // RangePermissionsInvalid: write without read
        q.Enqueue(() => Create(Valid(1, 1, 0, 1) with { RangePermissions = new[] { Permissions.Read | Permissions.Write } })); // EntryNotExecutable
        q.Enqueue(() => Start(Holder(), Fault.None));
        q.Enqueue(() => Access(FirstCore(Holder()), page.Base + 8, Permissions.Write));                   // the guest writes the window
        q.Enqueue(() => Access(0, page.Base + 16, Permissions.Write));                                    // the control slice writes it
        q.Enqueue(() => Access(FirstCore(Holder()), page.Base + 16, Permissions.Read));                   // the guest reads it
        q.Enqueue(() => Access(FirstCore(Holder()), page.Base + 16, Permissions.Execute));                // refused: never execute a window
        q.Enqueue(() => Access(FirstCore(Holder()), visor.Table[Holder()].Ranges[0].Base, Permissions.Write)); // refused: read-execute range
        q.Enqueue(() => Access(FirstCore(Holder()), page.Base + g, Permissions.Read));                    // refused: past the window
        q.Enqueue(() => Destroy(Holder(), Fault.None));                                                    // scrubs the window
        q.Enqueue(() => Create(Shared(rw with { Permissions = Permissions.Read })));                       // lent again, read-only
        q.Enqueue(() => Start(Holder(), Fault.None));
        q.Enqueue(() => Access(FirstCore(Holder()), page.Base + 8, Permissions.Write));                   // refused: read-only window
        q.Enqueue(() => Access(FirstCore(Holder()), page.Base + 8, Permissions.Read));
        q.Enqueue(() => Destroy(Holder(), Fault.None));
    }

    private (SpecCall, int) RandomStep(AbstractState pre)
    {
        _ = pre;
        int roll = random.Next(100);
        List<int> live = Live();
        int AnySlot() => random.Next(8) == 0 ? random.Next(-1, config.SlotCapacity + 2) : live.Count > 0 ? live[random.Next(live.Count)] : random.Next(1, config.SlotCapacity + 1);
        int NonControlCore() => random.Next(1, config.CoreCount);
        ulong Address()
        {
            if (live.Count > 0 && random.Next(4) != 0)
            {
                SliceEntry e = visor.Table[live[random.Next(live.Count)]];
                MemoryRange r = e.Windows.Length > 0 && random.Next(3) == 0 ? e.Windows[0].Range : e.Ranges[random.Next(e.Ranges.Length)];
                return r.Base + (ulong)random.NextInt64((long)r.Size + 8) - 4;
            }
            return random.Next(3) switch { 0 => 1 * MiB + (ulong)random.Next(1 << 20), 1 => (ulong)random.NextInt64(48 * (long)MiB), _ => (ulong)random.NextInt64() };
        }
        switch (roll)
        {
            case < 25:
            {
                SliceRequest valid = Valid(random.Next(1, 3), (ulong)random.Next(1, 5), random.Next(0, 2), random.Next(1, 3));
                if (random.Next(3) == 0)
                {
                    // sometimes a window onto one of the first control pages, and permissions per range
                    ulong page = config.ControlMemory[0].Base + ((ulong)random.Next(2) * config.GranuleSize);
                    var window = new SharedWindow(new MemoryRange(page, config.GranuleSize), (Permissions)random.Next(0, 8));
                    Permissions[] perms = valid.Ranges.ToArray().Select(_ => (Permissions)random.Next(0, 8)).ToArray();
                    valid = valid with { Windows = new[] { window }, RangePermissions = random.Next(2) == 0 ? perms : Array.Empty<Permissions>() };
                }
                if (random.Next(4) == 0)
                {
                    // sometimes DMA rows: a device of the request (or another) on a granule of a range or the window
                    int[] devs = valid.Devices.ToArray();
                    MemoryRange[] holders = [.. valid.Ranges.ToArray(), .. valid.Windows.ToArray().Select(w => w.Range)];
                    DmaRange[] rows = Enumerable.Range(0, random.Next(1, 3)).Select(_ => new DmaRange(
                        devs.Length > 0 && random.Next(4) != 0 ? devs[random.Next(devs.Length)] : random.Next(config.DeviceCount),
                        new MemoryRange(holders[random.Next(holders.Length)].Base + (random.Next(5) == 0 ? config.GranuleSize : 0), config.GranuleSize),
                        (Permissions)random.Next(0, 8))).ToArray();
                    valid = valid with { DmaRanges = rows };
                }
                Perturbation p = random.Next(2) == 0 ? Perturbation.None : HostileRequests.All[random.Next(HostileRequests.All.Count)];
                return Create(HostileRequests.Perturb(valid, p, config, visor.Table, random));
            }
            case < 35:
            {
                int slot = AnySlot();
                ulong address = Address();
                if (visor.Table.IsSlot(slot) && visor.Table[slot].Ranges.Length > 0 && random.Next(3) != 0)
                {
                    MemoryRange r = visor.Table[slot].Ranges[0];
                    address = r.Base + (ulong)random.NextInt64((long)r.Size);
                }
                return Load(slot, address, random.Next(0, 200));
            }
            case < 45:
            {
                int slot = AnySlot();
                Fault fault = Fault.None;
                if (visor.Table.IsSlot(slot) && visor.Table[slot].State == SliceState.Created && random.Next(3) == 0)
                {
                    int which = random.Next(3);
                    fault = which == 0 && FirstDevice(slot) >= 0 ? new Fault(SliceError.IommuFault, 0, LastOf(visor.Table[slot].Devices))
                        : which == 1 ? new Fault(SliceError.CoreResetFault, LastOf(visor.Table[slot].Cores), 0)
                        : new Fault(SliceError.LoaderFault, LastOf(visor.Table[slot].Cores), 0);
                }
                return Start(slot, fault);
            }
            case < 53:
            {
                int slot = AnySlot();
                Fault fault = Fault.None;
                if (visor.Table.IsSlot(slot) && visor.Table[slot].State != SliceState.Free && random.Next(4) == 0)
                {
                    fault = random.Next(2) == 0 && FirstDevice(slot) >= 0 ? new Fault(SliceError.IommuFault, 0, LastOf(visor.Table[slot].Devices))
                        : new Fault(SliceError.CoreResetFault, LastOf(visor.Table[slot].Cores), 0);
                }
                return Destroy(slot, fault);
            }
            case < 70:
            {
                int core = random.Next(6) == 0 ? 0 : NonControlCore();
                var perm = (Permissions)(1 << random.Next(3));
                return Access(core, Address(), perm);
            }
            case < 80:
                return Dma(random.Next(config.DeviceCount), Address(), random.Next(2) == 0);
            case < 85:
            {
                int from = NonControlCore();
                int to = random.Next(config.CoreCount);
                return (new IpiCall(from, to), Code(machine.GuestSendIpi(from, to)));
            }
            case < 91:
            {
                List<int> running = Enumerable.Range(0, config.CoreCount)
                    .Where(c => options.FilterWritesFromStoppedCores || machine.Mode(c) is CoreMode.Guest or CoreMode.Control).ToList();
                return Filter(running[random.Next(running.Count)], random.Next(3));
            }
            case < 94:
            {
                int core = NonControlCore();
                int target = random.Next(config.CoreCount);
                return (new ResetRequestCall(core, target), Code(machine.GuestRequestReset(core, target)));
            }
            case < 96:
                return Attest(AnySlot());
            case < 98:
                return Drain();
            default:
                return GuestAttest(random.Next(8) == 0 ? random.Next(-1, config.CoreCount + 2) : random.Next(config.CoreCount));
        }
    }

    private static int LastOf(in ResourceSet set)
    {
        int last = -1;
        for (int i = set.Next(0); i >= 0; i = set.Next(i + 1))
        {
            last = i;
        }
        return last;
    }
}
