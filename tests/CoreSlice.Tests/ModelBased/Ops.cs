using CoreSlice.Hardware;
using CoreSlice.Harness.Steps;
using CoreSlice.Simulation;
using CoreSlice.Harness.Model;

namespace CoreSlice.Tests.ModelBased;

/// <summary>What an operation returned: a slicevisor result (manager calls) or a hardware verdict (guest actions).</summary>
public readonly record struct Observation(ModelResult Result, AccessOutcome Access)
{
    public static Observation Of(SliceResult r) => new(new ModelResult(r.Error, r.Slot, r.Subject, r.Holder, r.HolderRegion, r.ConflictBase, r.ConflictSize), default);

    public static Observation Of(ModelResult r) => new(r, default);

    public static Observation Of(AccessOutcome a) => new(default, a);

    public static Observation None => default;

    public override string ToString() => Access != default ? Access.ToString() : Result.ToString();
}

public enum GuestKind { Load, Store, Fetch, DmaRead, DmaWrite, Ipi, WriteRangeRegister, WriteIpiMask, WriteWayMask, RequestReset, GuestAttest }

/// <summary>
/// A concrete operation (arguments fixed), runnable on the model and on the real system.
/// Manager operations are the hostile requests that are counted.
/// </summary>
public abstract record Op
{
    public abstract bool IsManager { get; }

    public abstract Observation OnModel(SpecModel m);

    public abstract Observation OnActual(Sut s);

    /// <summary>The slot whose cores the step may legitimately reset (for T2), 0 if none.</summary>
    public virtual int ActsOn => 0;

    /// <summary>The decision-log entry this step appends (null: the step is not a slicevisor request and logs nothing).</summary>
    public virtual CoreSlice.Log.DecisionOperation? Logged => null;
}

public sealed record CreateOp(int[] Cores, MemoryRange[] Ranges, int[] Devices, ulong Ways, ulong Entry) : Op
{
    public override CoreSlice.Log.DecisionOperation? Logged => CoreSlice.Log.DecisionOperation.CreateSlice;

    public override bool IsManager => true;

    public SliceRequest Request => new() { Cores = Cores, Ranges = Ranges, Devices = Devices, Ways = Ways, EntryPoint = Entry };

    public override Observation OnModel(SpecModel m) => Observation.Of(m.Create(Request));

    public override Observation OnActual(Sut s) => Observation.Of(s.Visor.CreateSlice(Request));

    public override string ToString() =>
        $"Create(cores [{string.Join(',', Cores)}], ranges [{string.Join(", ", Ranges.Select(r => $"0x{r.Base:x}+0x{r.Size:x}"))}], devices [{string.Join(',', Devices)}], ways 0x{Ways:x}, entry 0x{Entry:x})";
}

public sealed record LoadOp(int Slot, ulong Address, int Length, byte Fill) : Op
{
    public override CoreSlice.Log.DecisionOperation? Logged => CoreSlice.Log.DecisionOperation.LoadImage;

    public override bool IsManager => true;

    public byte[] Bytes() => Enumerable.Range(0, Length).Select(i => (byte)(Fill + i)).ToArray();

    public override Observation OnModel(SpecModel m) => Observation.Of(m.Load(Slot, Address, Bytes()));

    public override Observation OnActual(Sut s) => Observation.Of(s.Visor.LoadImage(Slot, Address, Bytes()));

    public override string ToString() => $"Load(slot {Slot}, 0x{Address:x}, {Length} bytes)";
}

public sealed record StartOp(int Slot) : Op
{
    public override CoreSlice.Log.DecisionOperation? Logged => CoreSlice.Log.DecisionOperation.StartSlice;

    public override bool IsManager => true;

    public override int ActsOn => Slot;

    public override Observation OnModel(SpecModel m) => Observation.Of(m.Start(Slot));

    public override Observation OnActual(Sut s) => Observation.Of(s.Visor.StartSlice(Slot));
}

public sealed record DestroyOp(int Slot) : Op
{
    public override CoreSlice.Log.DecisionOperation? Logged => CoreSlice.Log.DecisionOperation.DestroySlice;

    public override bool IsManager => true;

    public override int ActsOn => Slot;

    public override Observation OnModel(SpecModel m) => Observation.Of(m.Destroy(Slot));

    public override Observation OnActual(Sut s) => Observation.Of(s.Visor.DestroySlice(Slot));
}

public sealed record AttestOp(int Slot, int Nonce, int Buffer) : Op
{
    public override bool IsManager => true;

    public override Observation OnModel(SpecModel m) => Observation.Of(m.Attest(Slot, Nonce, Buffer));

    public override Observation OnActual(Sut s)
    {
        s.LastReport = new byte[Buffer];
        return Observation.Of(s.Visor.Attest(Slot, new byte[Nonce], s.LastReport));
    }

    public override CoreSlice.Log.DecisionOperation? Logged => CoreSlice.Log.DecisionOperation.Attest;
}

/// <summary>A guest action, checked by the hardware (or the mailbox, for GuestAttest).</summary>
public sealed record GuestOp(GuestKind Kind, int Actor, ulong Address, int Length, int Aux, ulong Value) : Op
{
    public override CoreSlice.Log.DecisionOperation? Logged => Kind == GuestKind.GuestAttest ? CoreSlice.Log.DecisionOperation.GuestAttest : null;

    public override bool IsManager => false;

    private ModelRegister Register => new(Address, Value, (byte)(Aux & 7));

    private int[] Mask(int cores) => Enumerable.Range(0, Math.Min(cores, 64)).Where(c => ((Value >> c) & 1) != 0).ToArray();

    public override Observation OnModel(SpecModel m) => Kind switch
    {
        GuestKind.Load => Observation.Of(m.GuestLoad(Actor, Address, Length)),
        GuestKind.Store => Observation.Of(m.GuestStore(Actor, Address, Length)),
        GuestKind.Fetch => Observation.Of(m.GuestFetch(Actor, Address)),
        GuestKind.DmaRead => Observation.Of(m.DmaRead(Actor, Address, Length)),
        GuestKind.DmaWrite => Observation.Of(m.DmaWrite(Actor, Address, Length)),
        GuestKind.Ipi => Observation.Of(m.SendIpi(Actor, Aux)),
        GuestKind.WriteRangeRegister => Observation.Of(m.GuestWriteRegister(Actor, Length, Register)),
        GuestKind.WriteIpiMask => Observation.Of(m.GuestWriteIpi(Actor, Mask(m.Config.CoreCount))),
        GuestKind.WriteWayMask => Observation.Of(m.GuestWriteWays(Actor, Value)),
        GuestKind.RequestReset => Observation.Of(m.GuestRequestReset(Actor)),
        GuestKind.GuestAttest => Observation.Of(m.GuestAttest(Actor, Length, Aux)),
        _ => throw new InvalidOperationException(),
    };

    public override Observation OnActual(Sut s)
    {
        SimulatedMachine hw = s.Machine;
        switch (Kind)
        {
            case GuestKind.Load: return Observation.Of(hw.GuestLoad(Actor, Address, new byte[Length]));
            case GuestKind.Store: return Observation.Of(hw.GuestStore(Actor, Address, new byte[Length]));
            case GuestKind.Fetch: return Observation.Of(hw.GuestFetch(Actor, Address));
            case GuestKind.DmaRead: return Observation.Of(hw.DeviceDmaRead(Actor, Address, new byte[Length]));
            case GuestKind.DmaWrite: return Observation.Of(hw.DeviceDmaWrite(Actor, Address, new byte[Length]));
            case GuestKind.Ipi: return Observation.Of(hw.GuestSendIpi(Actor, Aux));
            case GuestKind.WriteRangeRegister:
                return Observation.Of(hw.GuestWriteRangeRegister(Actor, Length, new RangeRegister(Address, Value, (Permissions)(Aux & 7))));
            case GuestKind.WriteIpiMask:
                ResourceSet set = default;
                foreach (int c in Mask(hw.CoreCount)) { set.Add(c); }
                return Observation.Of(hw.GuestWriteIpiMask(Actor, set));
            case GuestKind.WriteWayMask: return Observation.Of(hw.GuestWriteWayMask(Actor, Value));
            case GuestKind.RequestReset: return Observation.Of(hw.GuestRequestReset(Actor, Aux));
            case GuestKind.GuestAttest:
                s.LastReport = new byte[Aux];
                return Observation.Of(s.Visor.GuestAttest(Actor, new byte[Length], s.LastReport));
            default: throw new InvalidOperationException();
        }
    }

    public override string ToString() => $"Guest {Kind}(actor {Actor}, 0x{Address:x}, len {Length}, aux {Aux}, value 0x{Value:x})";
}

/// <summary>Injected hardware fault (the simulator's fault-injection hooks).</summary>
public sealed record FaultOp(FaultKind Kind, int Index, int Count) : Op
{
    public override bool IsManager => false;

    public override Observation OnModel(SpecModel m)
    {
        switch (Kind)
        {
            case FaultKind.ResetFails: m.InjectResetFaults(Index, Count); break;
            case FaultKind.IommuFails: m.InjectIommuFaults(Index, Count); break;
            default: m.InjectCorruption(Index); break;
        }
        return Observation.None;
    }

    public override Observation OnActual(Sut s)
    {
        new Fault(Kind, Index, Count).ArmOn(s.Machine);
        return Observation.None;
    }
}
