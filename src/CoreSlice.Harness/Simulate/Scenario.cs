using System.Security.Cryptography;
using CoreSlice.Harness.Ports;
using CoreSlice.Harness.Steps;
using CoreSlice.Hardware;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;

namespace CoreSlice.Harness.Simulate;

/// <summary>
/// The built-in scenario of <c>coreslice simulate</c>: create several slices,
/// load and start them, then random steps of guest work, attacks of every class,
/// hostile manager requests, destroy/recreate with injected faults; finally
/// destroy everything and check that new owners read only zeros. Before all that, a
/// scripted sharing phase (Scenario.Sharing.cs) exercises windows and DMA ranges. The
/// invariant audit runs after every step. Deterministic for a given machine and seed.
/// </summary>
internal sealed partial class Scenario : IDisposable
{
    private const int MaxProbeAddresses = 512;

    private readonly MachineConfig config;
    private readonly Random random;
    private readonly int steps;
    private readonly SimulatedMachine machine;
    // The slicevisor, its first-fit manager and the guest side, on the run's port.
    private readonly Bench slicevisor;
    private readonly InvariantAudit audit;
    private readonly StepDriver driver;
    private readonly SimulationSummary summary;
    private readonly List<ulong> written = [];

    /// <summary>Where the decision log goes (<c>--log FILE</c>); null: drained and discarded.</summary>
    public string? LogPath { get; init; }

    /// <summary>When set, the run ends by asking for a signed attestation report of a running slice with this 64-byte nonce.</summary>
    public byte[]? AttestationNonce { get; init; }

    /// <summary>
    /// The <see cref="AttestationNonce"/> a verifier of the run with <paramref name="seed"/> sends: SHA-512 of
    /// "coreslice simulate --seed N", so a seeded run and its report replay, and the verifier can derive it.
    /// </summary>
    public static byte[] NonceFor(int seed) => SHA512.HashData(System.Text.Encoding.UTF8.GetBytes($"coreslice simulate --seed {seed}"));

    /// <summary>After <see cref="Run"/>: the report asked for by <see cref="AttestationNonce"/> (null if none was asked or none could be made).</summary>
    public Attested? Attestation { get; private set; }

    /// <summary>Called after every step with the number of steps done (for progress on a terminal); null: silent.</summary>
    public Action<int>? Progress { get; init; }

    /// <summary>The scenario on <paramref name="config"/> with the slicevisor on <paramref name="port"/> (the abstract port when null).</summary>
    public Scenario(MachineConfig config, int seed, int steps, Port? port = null)
    {
        this.config = config;
        this.steps = steps;
        random = new Random(seed);
        slicevisor = (port ?? Port.Abstract).Open(config, PlatformMeasurements.Measure(), Log.DecisionLog.DefaultCapacity);
        machine = slicevisor.Machine;
        audit = slicevisor.NewAudit();
        driver = new StepDriver(slicevisor);
        summary = new SimulationSummary { Seed = seed, Steps = steps, Cores = config.CoreCount, Port = slicevisor.PortName };
    }

    /// <summary>The slicevisor under test on its machine (for callers that want to look at the end state).</summary>
    public Bench Bench => slicevisor;

    public void Dispose() => slicevisor.Dispose();

    public SimulationSummary Run()
    {
        SharingPhase();
        int initial = Math.Min(4, config.SlotCapacity);
        for (int i = 0; i < initial; i++)
        {
            _ = CreateLoadStart();
        }
        Audit("after setup");
        // The decision log has a fixed capacity: the manager drains it between steps (see DecisionLogRecorder).
        using var recorder = new DecisionLogRecorder(LogPath);
        for (int step = 0; step < steps; step++)
        {
            slicevisor.Keep(recorder);
            MachineSnapshot before = audit.Snapshot();
            bool privileged = Step();
            // T1/T2 need the step's before-state: locked registers change, and cores reset, only through the slicevisor.
            Report($"after step {step}", audit.CheckStep(before, privileged));
            Progress?.Invoke(step + 1);
        }
        slicevisor.Keep(recorder);
        Finale();
        slicevisor.Keep(recorder);
        // The report is the last decision before the final drain, so the file's chain ends right after it.
        Attestation = AttestationNonce is null ? null : AttestRunningSlice(AttestationNonce);
        slicevisor.Finish(recorder);
        Audit("after the finale");
        return summary;
    }

    /// <summary>One random step; true when it called the slicevisor (the only party allowed to reset cores).</summary>
    private bool Step()
    {
        int roll = random.Next(100);
        switch (roll)
        {
            case < 15: OwnMemory(); return false;
            case < 30: ForeignMemory(); return false;
            case < 33: BeyondRam(); return false;
            case < 41: ForeignDma(); return false;
            case < 45: UnassignedDma(); return false;
            case < 53: ForeignIpi(); return false;
            case < 61: FilterWrite(); return false;
            case < 66: ResetRequest(); return false;
            case < 81: HostileRequest(); return true;
            case < 93: Recycle(injectFault: random.Next(3) == 0); return true;
            default: StartWithFault(); return true;
        }
    }

    // ---- Lifecycle ----

    private int CreateLoadStart()
    {
        SliceShape shape = RandomShape();
        return slicevisor.Plan(shape) is { } request ? Launch(request, random) : 0;
    }

    /// <summary>Creates, loads (a random image from <paramref name="source"/> at the first range's base) and starts <paramref name="request"/>; 0 when it was refused.</summary>
    private int Launch(SliceRequest request, Random source)
    {
        SliceResult created = Record("CreateSlice", slicevisor.CreateSlice(request));
        if (!created.Ok)
        {
            if (created.Error != SliceError.TableFull)
            {
                Functional($"a valid first-fit request was refused: {created.Error} (subject {created.Subject})");
            }
            return 0;
        }
        int slot = created.Slot;
        MemoryRange first = request.Ranges.Span[0];
        byte[] image = new byte[(int)Math.Min(first.Size, (ulong)(1 + source.Next(2 * (int)Math.Min(config.GranuleSize, 65536))))];
        source.NextBytes(image);
        Expect("LoadImage", slot, Record("LoadImage", slicevisor.LoadImage(slot, first.Base, image)));
        Remember(first.Base);
        Expect("StartSlice", slot, Record("StartSlice", slicevisor.StartSlice(slot)));
        return slot;
    }

    private void Recycle(bool injectFault)
    {
        int slot = RandomSlot(s => s != SliceState.Free);
        if (slot == 0)
        {
            _ = CreateLoadStart();
            return;
        }
        SliceEntry entry = slicevisor.Table[slot];
        bool faulted = false;
        if (injectFault)
        {
            faulted = InjectDestroyFault(entry);
        }
        SliceResult destroyed = Record("DestroySlice", slicevisor.DestroySlice(slot));
        if (faulted)
        {
            if (destroyed.Ok || slicevisor.Table[slot].State != SliceState.Destroying)
            {
                Functional($"slot {slot}: an injected fault during destroy was not reported, or the slot was not quarantined");
            }
            AuditQuarantine(slot);
            destroyed = Record("DestroySlice", slicevisor.DestroySlice(slot));
            if (destroyed.Ok)
            {
                summary.QuarantinesRecovered++;
            }
        }
        if (!destroyed.Ok)
        {
            Functional($"slot {slot}: destroy failed with {destroyed.Error} (subject {destroyed.Subject})");
            return;
        }
        int fresh = CreateLoadStart();
        if (fresh != 0)
        {
            ProbeResidue(fresh);
        }
    }

    private bool InjectDestroyFault(SliceEntry entry)
    {
        ResourceSet devices = entry.Devices;
        int device = devices.Next(0);
        summary.FaultsInjected++;
        Fault fault = device >= 0 && random.Next(2) == 0
            ? new Fault(FaultKind.IommuFails, device)
            : new Fault(FaultKind.ResetFails, entry.Cores.Next(0));
        fault.ArmOn(machine);
        return true;
    }

    private void StartWithFault()
    {
        SliceShape shape = RandomShape();
        if (slicevisor.Plan(shape) is not { } request)
        {
            return;
        }
        SliceResult created = Record("CreateSlice", slicevisor.CreateSlice(request));
        if (!created.Ok)
        {
            if (created.Error != SliceError.TableFull)
            {
                Functional($"a valid first-fit request was refused: {created.Error} (subject {created.Subject})");
            }
            return;
        }
        int slot = created.Slot;
        int core = slicevisor.Table[slot].Cores.Next(0);
        summary.FaultsInjected++;
        bool reset = random.Next(2) == 0;
        new Fault(reset ? FaultKind.ResetFails : FaultKind.CorruptRegister, core).ArmOn(machine);
        SliceError expected = reset ? SliceError.CoreResetFault : SliceError.LoaderFault;
        SliceResult started = Record("StartSlice", slicevisor.StartSlice(slot));
        if (started.Error != expected || slicevisor.Table[slot].State != SliceState.Destroying)
        {
            Functional($"slot {slot}: start with an injected fault returned {started.Error}, expected {expected} and quarantine");
        }
        if (machine.Mode(core) == CoreMode.Guest)
        {
            Isolation($"core {core} runs guest code after its reset or register programming failed");
        }
        AuditQuarantine(slot);
        if (Record("DestroySlice", slicevisor.DestroySlice(slot)).Ok)
        {
            summary.QuarantinesRecovered++;
        }
        else
        {
            Functional($"slot {slot}: destroy after a start fault did not complete");
        }
    }

    private void HostileRequest()
    {
        if (slicevisor.Plan(RandomShape()) is not { } valid)
        {
            return;
        }
        IReadOnlyList<Perturbation> all = HostileRequests.All;
        Perturbation how = all[1 + random.Next(all.Count - 1)];
        SliceRequest hostile = HostileRequests.Perturb(valid, how, config, slicevisor.Table, random);
        summary.HostileRequests++;
        SliceResult result = Record("CreateSlice", slicevisor.CreateSlice(hostile));
        if (!result.Ok)
        {
            summary.HostileRejected++;
            return;
        }
        // Accepted: the perturbation found nothing to break (e.g. no other slice to steal from).
        // The audit after this step decides whether the new slice is sound.
        Expect("StartSlice", result.Slot, Record("StartSlice", slicevisor.StartSlice(result.Slot)));
    }

    /// <summary>A call that must succeed (no fault armed, arguments valid): anything else is a functional failure.</summary>
    private void Expect(string operation, int slot, SliceResult result)
    {
        if (!result.Ok)
        {
            Functional($"slot {slot}: {operation} failed with {result.Error} (subject {result.Subject}) where it must succeed");
        }
    }

    /// <summary>
    /// A quarantined slot (Destroying after a fault) is audited before it is destroyed: I1-I6
    /// must hold with it in the table, since it keeps its resources until a destroy completes.
    /// (Cores a failed destroy had not reached yet may still run the slice's own code: the
    /// invariants, not a stricter rule of this scenario's, say whether that is sound.)
    /// </summary>
    private void AuditQuarantine(int slot)
    {
        if (slicevisor.Table[slot].State == SliceState.Destroying)
        {
            Audit($"with slot {slot} quarantined");
        }
    }

    private void Finale()
    {
        for (int slot = 1; slot <= slicevisor.Table.Capacity; slot++)
        {
            if (slicevisor.Table[slot].State != SliceState.Free && !Record("DestroySlice", slicevisor.DestroySlice(slot)).Ok)
            {
                Functional($"slot {slot}: final destroy did not complete");
            }
        }
        int initial = Math.Min(4, config.SlotCapacity);
        for (int i = 0; i < initial; i++)
        {
            int slot = CreateLoadStart();
            if (slot != 0)
            {
                ProbeResidue(slot);
            }
        }
    }

    /// <summary>A signed report of the first running slice, checked as every result is: an error is a functional failure.</summary>
    private Attested? AttestRunningSlice(byte[] nonce)
    {
        for (int slot = 1; slot <= slicevisor.Table.Capacity; slot++)
        {
            if (slicevisor.Table[slot].State != SliceState.Running)
            {
                continue;
            }
            var report = new byte[CoreSlice.Attestation.ReportLayout.ReportSize];
            SliceResult result = Record("Attest", slicevisor.Attest(slot, nonce, report));
            if (!result.Ok)
            {
                Functional($"slot {slot}: Attest of a running slice returned {result.Error}");
                return null;
            }
            return new Attested(slot, report, slicevisor.AttestationPublicKey.ToArray(), slicevisor.Table[slot].Measurement.ToArray());
        }
        Functional("no running slice to attest at the end of the run");
        return null;
    }

    // ---- Guest actions ----

    private void OwnMemory()
    {
        if (!PickGuest(out int slot, out int core))
        {
            return;
        }
        ulong address = AddressIn(slicevisor.Table[slot].Ranges);
        AccessCounts counts = summary.Access(AttackClass.OwnMemory);
        byte fill = RandomFill();
        AccessOutcome stored = Guest(new Step(StepKind.GuestStore) { Actor = core, Address = address, Length = 8, Fill = fill });
        AccessOutcome loaded = Guest(new Step(StepKind.GuestLoad) { Actor = core, Address = address, Length = 8 });
        bool readBack = Written(fill, driver.LastRead);
        AccessOutcome fetched = Guest(new Step(StepKind.GuestFetch) { Actor = core, Address = address });
        counts.Attempted += 3;
        foreach (AccessOutcome outcome in (ReadOnlySpan<AccessOutcome>)[stored, loaded, fetched])
        {
            if (outcome == AccessOutcome.Allowed)
            {
                counts.Allowed++;
            }
            else
            {
                counts.Blocked++;
                Functional($"core {core} of slot {slot} was refused its own memory at 0x{address:x}: {outcome.Describe()}");
            }
        }
        if (stored == AccessOutcome.Allowed && loaded == AccessOutcome.Allowed && !readBack)
        {
            Functional($"core {core} read back different bytes at 0x{address:x}");
        }
        Remember(address);
    }

    private void ForeignMemory()
    {
        if (!PickGuest(out int slot, out int core) || !ForeignAddress(slot, out ulong address))
        {
            return;
        }
        GuestAttack(AttackClass.ForeignMemory, slot, core, address);
    }

    private void BeyondRam()
    {
        if (!PickGuest(out int slot, out int core))
        {
            return;
        }
        ulong top = 0;
        foreach (MemoryRange ram in config.RamRegions)
        {
            top = Math.Max(top, ram.Limit);
        }
        ulong address = top + (ulong)random.Next(1 << 20) * 8;
        GuestAttack(AttackClass.BeyondRam, slot, core, address);
    }

    private void GuestAttack(AttackClass kind, int slot, int core, ulong address)
    {
        byte fill = RandomFill();
        StepKind access = random.Next(3) switch
        {
            0 => StepKind.GuestLoad,
            1 => StepKind.GuestStore,
            _ => StepKind.GuestFetch,
        };
        AccessOutcome outcome = Guest(new Step(access) { Actor = core, Address = address, Length = 8, Fill = fill });
        Count(kind, outcome, $"core {core} of slot {slot} reached 0x{address:x}, owned by {OwnerText.Describe(slicevisor.Table.MemoryOwner(address))}");
    }

    private void ForeignDma()
    {
        int slot = RandomSlot(s => s == SliceState.Running);
        if (slot == 0)
        {
            return;
        }
        ResourceSet devices = slicevisor.Table[slot].Devices;
        int device = devices.Next(0);
        if (device < 0 || !ForeignAddress(slot, out ulong address))
        {
            return;
        }
        StepKind dma = random.Next(2) == 0 ? StepKind.DmaRead : StepKind.DmaWrite;
        AccessOutcome outcome = Guest(new Step(dma) { Actor = device, Address = address, Length = 8 });
        Count(AttackClass.ForeignDma, outcome, $"device {device} of slot {slot} reached 0x{address:x} by DMA");
    }

    private void UnassignedDma()
    {
        if (config.DeviceCount == 0)
        {
            return;
        }
        int device = random.Next(config.DeviceCount);
        int owner = slicevisor.Table.DeviceOwner(device);
        if (owner > 0 && slicevisor.Table[owner].State == SliceState.Running)
        {
            return;
        }
        ulong address = AddressIn(config.RamRegions.AsSpan());
        AccessOutcome outcome = Guest(new Step(StepKind.DmaWrite) { Actor = device, Address = address, Length = 8 });
        Count(AttackClass.UnassignedDma, outcome, $"device {device}, owned by no running slice, wrote 0x{address:x} by DMA");
    }

    private void ForeignIpi()
    {
        if (!PickGuest(out int slot, out int core))
        {
            return;
        }
        int target = random.Next(config.CoreCount);
        if (slicevisor.Table.CoreOwner(target) == slot)
        {
            return;
        }
        AccessOutcome outcome = Guest(new Step(StepKind.SendIpi) { Actor = core, Target = target });
        Count(AttackClass.ForeignIpi, outcome, $"core {core} of slot {slot} interrupted core {target} of {OwnerText.Describe(slicevisor.Table.CoreOwner(target))}");
    }

    private void FilterWrite()
    {
        if (!PickGuest(out int slot, out int core))
        {
            return;
        }
        Step write = random.Next(3) switch
        {
            0 => new Step(StepKind.WriteRangeRegister)
            {
                Actor = core, Register = random.Next(config.RangeRegistersPerCore), Address = 0, Value = ulong.MaxValue, Permissions = Permissions.ReadWriteExecute,
            },
            1 => new Step(StepKind.WriteIpiMask) { Actor = core, Value = config.CoreCount >= 64 ? ulong.MaxValue : (1UL << config.CoreCount) - 1 },
            _ => new Step(StepKind.WriteWayMask) { Actor = core, Value = config.AllWaysMask },
        };
        AccessOutcome outcome = Guest(write);
        Count(AttackClass.FilterWrite, outcome, $"core {core} of slot {slot} rewrote its own filter registers");
    }

    private void ResetRequest()
    {
        if (!PickGuest(out int slot, out int core))
        {
            return;
        }
        int target = random.Next(config.CoreCount);
        AccessOutcome outcome = Guest(new Step(StepKind.RequestReset) { Actor = core, Target = target });
        Count(AttackClass.ResetRequest, outcome, $"core {core} of slot {slot} reset core {target}");
    }

    /// <summary>A fresh slice's core reads every remembered address it now owns: each must read zero unless it wrote it itself.</summary>
    private void ProbeResidue(int slot)
    {
        SliceEntry entry = slicevisor.Table[slot];
        if (entry.State != SliceState.Running)
        {
            return;
        }
        int core = entry.Cores.Next(0);
        AccessCounts counts = summary.Access(AttackClass.ResidueProbe);
        foreach (ulong address in written)
        {
            if (!entry.OwnsAddress(address) || machine.Memory.LastWriter(address) == slot)
            {
                continue;
            }
            counts.Attempted++;
            if (Guest(new Step(StepKind.GuestLoad) { Actor = core, Address = address, Length = 8 }) != AccessOutcome.Allowed)
            {
                counts.Blocked++;
                Functional($"core {core} of slot {slot} could not read its own memory at 0x{address:x}");
                continue;
            }
            counts.Allowed++;
            RecordResidue(slot, address, "at");
        }
    }

    // ---- Bookkeeping ----

    /// <summary>A guest or device action, applied through the harness's one step driver.</summary>
    private AccessOutcome Guest(Step step) => driver.Apply(step).Access;

    /// <summary>A random first byte for written data (eight random bytes drawn, as the scenario always has, so runs stay comparable).</summary>
    private byte RandomFill()
    {
        Span<byte> data = stackalloc byte[8];
        random.NextBytes(data);
        return data[0];
    }

    /// <summary>Whether <paramref name="read"/> holds the bytes a step with <paramref name="fill"/> wrote.</summary>
    private static bool Written(byte fill, ReadOnlySpan<byte> read)
    {
        for (int i = 0; i < read.Length; i++)
        {
            if (read[i] != (byte)(fill + i))
            {
                return false;
            }
        }
        return true;
    }

    private SliceResult Record(string operation, SliceResult result)
    {
        OperationCounts counts = summary.Operation(operation);
        if (result.Ok)
        {
            counts.Accepted++;
        }
        else if (result.Error is SliceError.CoreResetFault or SliceError.IommuFault or SliceError.LoaderFault)
        {
            counts.Faulted++;
        }
        else
        {
            counts.Rejected++;
        }
        return result;
    }

    private void Count(AttackClass kind, AccessOutcome outcome, string ifAllowed)
    {
        AccessCounts counts = summary.Access(kind);
        counts.Attempted++;
        if (outcome == AccessOutcome.Allowed)
        {
            counts.Allowed++;
            Isolation(ifAllowed);
        }
        else
        {
            counts.Blocked++;
        }
    }

    private void Audit(string when) => Report(when, audit.CheckAll());

    private void Report(string when, IReadOnlyList<Violation> violations)
    {
        foreach (Violation violation in violations)
        {
            Isolation($"{when}: {violation}");
        }
    }

    private void Isolation(string finding)
    {
        summary.IsolationViolations++;
        summary.Find("isolation: " + finding);
    }

    private void Functional(string finding)
    {
        summary.FunctionalFailures++;
        summary.Find("functional: " + finding);
    }

    private void Remember(ulong address)
    {
        if (written.Count < MaxProbeAddresses)
        {
            written.Add(address);
        }
        else
        {
            written[random.Next(MaxProbeAddresses)] = address;
        }
    }

    private SliceShape RandomShape()
    {
        int cores = 1 + random.Next(Math.Min(3, config.CoreCount - config.ControlCores.Length));
        ulong granules = 1 + (ulong)random.Next(16);
        int devices = config.DeviceCount == 0 ? 0 : random.Next(Math.Min(3, config.DeviceCount + 1));
        return new SliceShape(cores, granules * config.GranuleSize, devices, 1 + random.Next(2));
    }

    private int RandomSlot(Func<SliceState, bool> wanted)
    {
        int capacity = slicevisor.Table.Capacity;
        int start = random.Next(capacity);
        for (int k = 0; k < capacity; k++)
        {
            int slot = 1 + ((start + k) % capacity);
            if (wanted(slicevisor.Table[slot].State))
            {
                return slot;
            }
        }
        return 0;
    }

    private bool PickGuest(out int slot, out int core)
    {
        slot = RandomSlot(s => s == SliceState.Running);
        core = -1;
        if (slot == 0)
        {
            return false;
        }
        ResourceSet cores = slicevisor.Table[slot].Cores;
        int skip = random.Next(cores.Count);
        core = cores.Next(0);
        for (int i = 0; i < skip; i++)
        {
            core = cores.Next(core + 1);
        }
        return core >= 0 && machine.Mode(core) == CoreMode.Guest;
    }

    /// <summary>A random 8-aligned address not owned by <paramref name="slot"/>: another slice's, control, reserved or free.</summary>
    private bool ForeignAddress(int slot, out ulong address)
    {
        for (int attempt = 0; attempt < 16; attempt++)
        {
            address = random.Next(4) switch
            {
                0 when config.ReservedRegions.Length > 0 => AddressIn([config.ReservedRegions[random.Next(config.ReservedRegions.Length)].Range]),
                1 when config.ControlMemory.Length > 0 => AddressIn(config.ControlMemory.AsSpan()),
                2 when RandomSlot(s => s != SliceState.Free) is int other && other != 0 && other != slot => AddressIn(slicevisor.Table[other].Ranges),
                _ => AddressIn(config.RamRegions.AsSpan()),
            };
            if (slicevisor.Table.MemoryOwner(address) != slot)
            {
                return true;
            }
        }
        address = 0;
        return false;
    }

    private ulong AddressIn(ReadOnlySpan<MemoryRange> ranges)
    {
        MemoryRange range = ranges[random.Next(ranges.Length)];
        ulong words = Math.Max(1, range.Size / 8);
        return range.Base + ((ulong)random.NextInt64((long)Math.Min(words, long.MaxValue)) * 8);
    }

    // Every byte the last load read must be zero (scrubbed) or the reader's own: a non-zero byte there is residue.
    private void RecordResidue(int slot, ulong address, string where)
    {
        int nonZero = 0;
        foreach (byte b in driver.LastRead)
        {
            nonZero += b != 0 ? 1 : 0;
        }
        if (nonZero > 0)
        {
            summary.ResidueFound += nonZero;
            summary.Find($"residue: slot {slot} read {nonZero} non-zero bytes {where} 0x{address:x}, last written by {OwnerText.Describe(machine.Memory.LastWriter(address))}");
        }
    }
}

/// <summary>A signed report made at the end of a run: the slot, the report bytes, the slicevisor's public key (DER) and the slice's image measurement.</summary>
internal sealed record Attested(int Slot, byte[] Report, byte[] PublicKey, byte[] Measurement);
