using CoreSlice.Hardware;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Ports;
using CoreSlice.Simulation;

namespace CoreSlice.Harness.Steps;

/// <summary>
/// What a step returned: the slicevisor's result for a call (as the spec states results), or the
/// hardware's verdict for a guest or device action. <see cref="Called"/> says which one holds.
/// </summary>
public readonly record struct Observation(ModelResult Result, AccessOutcome Access, bool Called)
{
    /// <summary>A slicevisor call's result.</summary>
    public static Observation Of(SliceResult r) => new(new ModelResult(r.Error, r.Slot, r.Subject, r.Holder, r.HolderRegion, r.ConflictBase, r.ConflictSize), default, true);

    /// <summary>The executable model's result for a call.</summary>
    public static Observation Of(ModelResult r) => new(r, default, true);

    /// <summary>The hardware's (or the model's) verdict on a guest action.</summary>
    public static Observation Of(AccessOutcome a) => new(default, a, false);

    /// <summary>An armed fault: nothing to observe.</summary>
    public static Observation None => default;

    /// <inheritdoc/>
    public override string ToString() => Called ? Result.ToString() : Access.ToString();
}

/// <summary>
/// The one driver that applies a <see cref="Step"/>: to a slicevisor and its simulated machine on either port (<see cref="Bench"/>)
/// (<see cref="Apply(Step)"/>), or to the executable model (<see cref="Apply(Step, SpecModel)"/>),
/// with the same bytes, masks and fault arming on both sides. A fault carried by a call is armed
/// just before it and withdrawn after it, so it never lingers into later steps.
/// </summary>
public sealed class StepDriver
{
    // The slicevisor and the guest side, on either port: guest accesses go through the port's filter.
    private readonly Bench visor;
    private readonly Bench machine;
    // Per thread: the linearizability tests apply steps to one slicevisor from several threads at once.
    [ThreadStatic]
    private static byte[]? scratch;
    [ThreadStatic]
    private static int lastRead;

    /// <summary>A driver for a slicevisor on the abstract port and its machine.</summary>
    public StepDriver(Slicevisor<SimulatedHardwarePort> visor, SimulatedMachine machine)
        : this(Benches.Over(visor ?? throw new ArgumentNullException(nameof(visor)), machine ?? throw new ArgumentNullException(nameof(machine))))
    {
    }

    /// <summary>A driver for <paramref name="bench"/>, on whichever port it was opened.</summary>
    public StepDriver(Bench bench)
    {
        ArgumentNullException.ThrowIfNull(bench);
        visor = bench;
        machine = bench;
    }

    /// <summary>The report buffer of the last Attest or GuestAttest step.</summary>
    public byte[] LastReport { get; private set; } = [];

    /// <summary>The bytes the last GuestLoad or DmaRead on this thread read (valid until its next step).</summary>
#pragma warning disable CA1822 // an instance property on purpose: it belongs to the driver's last step
    public ReadOnlySpan<byte> LastRead => (scratch ?? []).AsSpan(0, lastRead);
#pragma warning restore CA1822

    /// <summary>Applies <paramref name="step"/> to the slicevisor and the machine.</summary>
    public Observation Apply(Step step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Kind == StepKind.ArmFault)
        {
            step.Fault.ArmOn(machine.Machine);
            return Observation.None;
        }
        step.Fault.ArmOn(machine.Machine);
        try
        {
            return ApplyArmed(step);
        }
        finally
        {
            step.Fault.DisarmOn(machine.Machine);
        }
    }

    private Observation ApplyArmed(Step step)
    {
        switch (step.Kind)
        {
            case StepKind.Create:
                return Observation.Of(visor.CreateSlice(step.Request));
            case StepKind.Load:
                return Observation.Of(visor.LoadImage(step.Slot, step.Address, Bytes(step)));
            case StepKind.Start:
                return Observation.Of(visor.StartSlice(step.Slot));
            case StepKind.Destroy:
                return Observation.Of(visor.DestroySlice(step.Slot));
            case StepKind.Attest:
                LastReport = new byte[Math.Max(step.Buffer, 0)];
                return Observation.Of(visor.Attest(step.Slot, new byte[Math.Max(step.Length, 0)], LastReport));
            case StepKind.GuestAttest:
                LastReport = new byte[Math.Max(step.Buffer, 0)];
                return Observation.Of(visor.GuestAttest(step.Actor, new byte[Math.Max(step.Length, 0)], LastReport));
            case StepKind.GuestLoad:
                return Observation.Of(machine.GuestLoad(step.Actor, step.Address, ReadBuffer(step)));
            case StepKind.GuestStore:
                return Observation.Of(machine.GuestStore(step.Actor, step.Address, Bytes(step)));
            case StepKind.GuestFetch:
                return Observation.Of(machine.GuestFetch(step.Actor, step.Address));
            case StepKind.DmaRead:
                return Observation.Of(machine.DeviceDmaRead(step.Actor, step.Address, ReadBuffer(step)));
            case StepKind.DmaWrite:
                return Observation.Of(machine.DeviceDmaWrite(step.Actor, step.Address, Bytes(step)));
            case StepKind.SendIpi:
                return Observation.Of(machine.GuestSendIpi(step.Actor, step.Target));
            case StepKind.WriteRangeRegister:
                return Observation.Of(machine.GuestWriteRangeRegister(step.Actor, step.Register, new RangeRegister(step.Address, step.Value, step.Permissions)));
            case StepKind.WriteIpiMask:
                ResourceSet mask = default;
                foreach (int c in MaskCores(step.Value, machine.Config.CoreCount))
                {
                    mask.Add(c);
                }
                return Observation.Of(machine.GuestWriteIpiMask(step.Actor, mask));
            case StepKind.WriteWayMask:
                return Observation.Of(machine.GuestWriteWayMask(step.Actor, step.Value));
            case StepKind.RequestReset:
                return Observation.Of(machine.GuestRequestReset(step.Actor, step.Target));
            default:
                throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "not a step kind");
        }
    }

    /// <summary>Applies <paramref name="step"/> to the executable model, with the same arguments and fault.</summary>
    public static Observation Apply(Step step, SpecModel model)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(model);
        Arm(step.Fault, model);
        if (step.Kind == StepKind.ArmFault)
        {
            return Observation.None;
        }
        try
        {
            return ApplyArmed(step, model);
        }
        finally
        {
            // As on the machine: an unused reset or IOMMU fault does not linger (a corruption stays until a write uses it).
            Disarm(step.Fault, model);
        }
    }

    private static Observation ApplyArmed(Step step, SpecModel m) => step.Kind switch
    {
        StepKind.Create => Observation.Of(m.Create(step.Request)),
        StepKind.Load => Observation.Of(m.Load(step.Slot, step.Address, Pattern(step))),
        StepKind.Start => Observation.Of(m.Start(step.Slot)),
        StepKind.Destroy => Observation.Of(m.Destroy(step.Slot)),
        StepKind.Attest => Observation.Of(m.Attest(step.Slot, step.Length, step.Buffer)),
        StepKind.GuestAttest => Observation.Of(m.GuestAttest(step.Actor, step.Length, step.Buffer)),
        StepKind.GuestLoad => Observation.Of(m.GuestLoad(step.Actor, step.Address, step.Length)),
        StepKind.GuestStore => Observation.Of(m.GuestStore(step.Actor, step.Address, step.Length)),
        StepKind.GuestFetch => Observation.Of(m.GuestFetch(step.Actor, step.Address)),
        StepKind.DmaRead => Observation.Of(m.DmaRead(step.Actor, step.Address, step.Length)),
        StepKind.DmaWrite => Observation.Of(m.DmaWrite(step.Actor, step.Address, step.Length)),
        StepKind.SendIpi => Observation.Of(m.SendIpi(step.Actor, step.Target)),
        StepKind.WriteRangeRegister => Observation.Of(m.GuestWriteRegister(step.Actor, step.Register, new ModelRegister(step.Address, step.Value, (byte)((int)step.Permissions & 7)))),
        StepKind.WriteIpiMask => Observation.Of(m.GuestWriteIpi(step.Actor, [.. MaskCores(step.Value, m.Config.CoreCount)])),
        StepKind.WriteWayMask => Observation.Of(m.GuestWriteWays(step.Actor, step.Value)),
        StepKind.RequestReset => Observation.Of(m.GuestRequestReset(step.Actor)),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "not a step kind"),
    };

    private static void Arm(Fault fault, SpecModel m)
    {
        switch (fault.Kind)
        {
            case FaultKind.ResetFails: m.InjectResetFaults(fault.Target, fault.Count); break;
            case FaultKind.IommuFails: m.InjectIommuFaults(fault.Target, fault.Count); break;
            case FaultKind.CorruptRegister: m.InjectCorruption(fault.Target); break;
            default: break;
        }
    }

    private static void Disarm(Fault fault, SpecModel m)
    {
        switch (fault.Kind)
        {
            case FaultKind.ResetFails: m.FailResets[fault.Target] = 0; break;
            case FaultKind.IommuFails: m.FailIommu[fault.Target] = 0; break;
            default: break;
        }
    }

    /// <summary>The cores whose bits are set in <paramref name="mask"/>, below <paramref name="cores"/> (at most 64).</summary>
    private static IEnumerable<int> MaskCores(ulong mask, int cores)
    {
        for (int c = 0; c < Math.Min(cores, 64); c++)
        {
            if ((mask >> c & 1) != 0)
            {
                yield return c;
            }
        }
    }

    /// <summary>The bytes a step writes: Fill, Fill + 1, …; built in a reused buffer.</summary>
    private static ReadOnlySpan<byte> Bytes(Step step)
    {
        Span<byte> bytes = Room(step.Length);
        FillPattern(bytes, step.Fill);
        return bytes;
    }

    private static void FillPattern(Span<byte> bytes, byte fill)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(fill + i);
        }
    }

    private static Span<byte> ReadBuffer(Step step)
    {
        Span<byte> bytes = Room(step.Length);
        bytes.Clear();
        lastRead = bytes.Length;
        return bytes;
    }

    private static Span<byte> Room(int length)
    {
        int n = Math.Max(length, 0);
        if (scratch is null || scratch.Length < n)
        {
            scratch = new byte[Math.Max(n, 64)];
        }
        return scratch.AsSpan(0, n);
    }

    /// <summary>The same bytes as <see cref="Bytes"/>, as a fresh array (the model keeps what it is given).</summary>
    private static byte[] Pattern(Step step)
    {
        var bytes = new byte[Math.Max(step.Length, 0)];
        FillPattern(bytes, step.Fill);
        return bytes;
    }
}
