using System.Text;
using CoreSlice.Hardware;

namespace CoreSlice.Harness.Steps;

/// <summary>What a <see cref="Step"/> does: a slicevisor call, a guest or device action checked by the hardware, or an armed fault.</summary>
public enum StepKind : byte
{
    /// <summary>Slicevisor CreateSlice(<see cref="Step.Request"/>).</summary>
    Create,

    /// <summary>Slicevisor LoadImage(<see cref="Step.Slot"/>, <see cref="Step.Address"/>, <see cref="Step.Length"/> bytes from <see cref="Step.Fill"/>).</summary>
    Load,

    /// <summary>Slicevisor StartSlice(<see cref="Step.Slot"/>).</summary>
    Start,

    /// <summary>Slicevisor DestroySlice(<see cref="Step.Slot"/>).</summary>
    Destroy,

    /// <summary>Slicevisor Attest(<see cref="Step.Slot"/>) with a <see cref="Step.Length"/>-byte nonce into a <see cref="Step.Buffer"/>-byte report.</summary>
    Attest,

    /// <summary>Core <see cref="Step.Actor"/> loads <see cref="Step.Length"/> bytes at <see cref="Step.Address"/>.</summary>
    GuestLoad,

    /// <summary>Core <see cref="Step.Actor"/> stores <see cref="Step.Length"/> bytes from <see cref="Step.Fill"/> at <see cref="Step.Address"/>.</summary>
    GuestStore,

    /// <summary>Core <see cref="Step.Actor"/> fetches an instruction at <see cref="Step.Address"/>.</summary>
    GuestFetch,

    /// <summary>Device <see cref="Step.Actor"/> DMA-reads <see cref="Step.Length"/> bytes at <see cref="Step.Address"/>.</summary>
    DmaRead,

    /// <summary>Device <see cref="Step.Actor"/> DMA-writes <see cref="Step.Length"/> bytes from <see cref="Step.Fill"/> at <see cref="Step.Address"/>.</summary>
    DmaWrite,

    /// <summary>Core <see cref="Step.Actor"/> sends an IPI to core <see cref="Step.Target"/>.</summary>
    SendIpi,

    /// <summary>Core <see cref="Step.Actor"/> writes its range register <see cref="Step.Register"/> := (<see cref="Step.Address"/>, size <see cref="Step.Value"/>, <see cref="Step.Permissions"/>).</summary>
    WriteRangeRegister,

    /// <summary>Core <see cref="Step.Actor"/> writes its IPI mask := the cores whose bits are set in <see cref="Step.Value"/>.</summary>
    WriteIpiMask,

    /// <summary>Core <see cref="Step.Actor"/> writes its way mask := <see cref="Step.Value"/>.</summary>
    WriteWayMask,

    /// <summary>Core <see cref="Step.Actor"/> asks to reset core <see cref="Step.Target"/>.</summary>
    RequestReset,

    /// <summary>Core <see cref="Step.Actor"/> asks the mailbox for a report: <see cref="Step.Length"/>-byte nonce, <see cref="Step.Buffer"/>-byte report.</summary>
    GuestAttest,

    /// <summary>Arms <see cref="Step.Fault"/> on the machine and leaves it armed (it hits whichever later call reaches it).</summary>
    ArmFault,
}

/// <summary>
/// One operation applied to the machine, with every argument fixed: the single step vocabulary
/// of the harness. The model checker explores steps, the simulation scenario and the random-run
/// tests generate them, and <see cref="StepDriver"/> applies a step to a slicevisor and its
/// simulated machine, or to the executable model, the same way for all of them. Fields a kind
/// does not use stay at their defaults. A <see cref="Fault"/> on a call is armed just before it
/// and withdrawn right after (<see cref="StepKind.ArmFault"/> is the one that leaves it armed).
/// </summary>
public sealed record Step(StepKind Kind)
{
    /// <summary>Create: the request.</summary>
    public SliceRequest Request { get; init; }

    /// <summary>Load, Start, Destroy, Attest: the slot (may be invalid).</summary>
    public int Slot { get; init; }

    /// <summary>Guest actions: the acting core (the device for DMA).</summary>
    public int Actor { get; init; }

    /// <summary>SendIpi, RequestReset: the core aimed at.</summary>
    public int Target { get; init; }

    /// <summary>Load and accesses: the address; WriteRangeRegister: the register's base.</summary>
    public ulong Address { get; init; }

    /// <summary>Load and accesses: the number of bytes; Attest, GuestAttest: the nonce's length.</summary>
    public int Length { get; init; }

    /// <summary>Attest, GuestAttest: the report buffer's length.</summary>
    public int Buffer { get; init; }

    /// <summary>WriteRangeRegister: the register index.</summary>
    public int Register { get; init; }

    /// <summary>WriteRangeRegister: the register's permissions.</summary>
    public Permissions Permissions { get; init; }

    /// <summary>WriteRangeRegister: the size; WriteIpiMask, WriteWayMask: the mask.</summary>
    public ulong Value { get; init; }

    /// <summary>Load, GuestStore, DmaWrite: the first byte written; byte i is Fill + i.</summary>
    public byte Fill { get; init; }

    /// <summary>The fault armed around a call, or, for <see cref="StepKind.ArmFault"/>, the fault armed.</summary>
    public Fault Fault { get; init; }

    /// <summary>True for slicevisor calls made by the manager (the only party allowed to reset cores).</summary>
    public bool IsManagerCall => Kind is StepKind.Create or StepKind.Load or StepKind.Start or StepKind.Destroy or StepKind.Attest;

    /// <summary>True for the steps that call the slicevisor at all (manager calls and the guest's attestation mailbox).</summary>
    public bool CallsSlicevisor => IsManagerCall || Kind == StepKind.GuestAttest;

    /// <summary>The slot whose cores the step may legitimately reset (for T2): Start's and Destroy's slot, else 0.</summary>
    public int ActsOn => Kind is StepKind.Start or StepKind.Destroy ? Slot : 0;

    /// <summary>The decision-log entry this step appends, or null when it is not a slicevisor request.</summary>
    public Log.DecisionOperation? Logged => Kind switch
    {
        StepKind.Create => Log.DecisionOperation.CreateSlice,
        StepKind.Load => Log.DecisionOperation.LoadImage,
        StepKind.Start => Log.DecisionOperation.StartSlice,
        StepKind.Destroy => Log.DecisionOperation.DestroySlice,
        StepKind.Attest => Log.DecisionOperation.Attest,
        StepKind.GuestAttest => Log.DecisionOperation.GuestAttest,
        _ => null,
    };

    /// <summary>The step in words, as traces and failure reports print it.</summary>
    public override string ToString()
    {
        string what = Kind switch
        {
            StepKind.Create => CreateText(Request),
            StepKind.Load => $"LoadImage({Slot}, 0x{Address:x}, {Length} byte{(Length == 1 ? "" : "s")})",
            StepKind.Start => $"StartSlice({Slot})",
            StepKind.Destroy => $"DestroySlice({Slot})",
            StepKind.Attest => $"Attest({Slot}, {Length}-byte nonce, {Buffer}-byte report)",
            StepKind.GuestLoad => $"core {Actor} loads {Length} bytes at 0x{Address:x}",
            StepKind.GuestStore => $"core {Actor} stores {Length} bytes at 0x{Address:x}",
            StepKind.GuestFetch => $"core {Actor} fetches at 0x{Address:x}",
            StepKind.DmaRead => $"device {Actor} DMA-reads {Length} bytes at 0x{Address:x}",
            StepKind.DmaWrite => $"device {Actor} DMA-writes {Length} bytes at 0x{Address:x}",
            StepKind.SendIpi => $"core {Actor} sends an IPI to core {Target}",
            StepKind.WriteRangeRegister => $"core {Actor} writes its range register {Register} to 0x{Address:x}+0x{Value:x} {Permissions}",
            StepKind.WriteIpiMask => $"core {Actor} writes its IPI mask to 0x{Value:x}",
            StepKind.WriteWayMask => $"core {Actor} writes its way mask to 0x{Value:x}",
            StepKind.RequestReset => $"core {Actor} asks to reset core {Target}",
            StepKind.GuestAttest => $"core {Actor} asks for a report ({Length}-byte nonce, {Buffer}-byte report)",
            _ => $"arm: {Fault}{(Fault.Count > 1 ? $" ({Fault.Count} times)" : "")}",
        };
        return Kind != StepKind.ArmFault && Fault.Kind != FaultKind.None ? $"{what} while {Fault}" : what;
    }

    private static string CreateText(SliceRequest request)
    {
        var text = new StringBuilder("CreateSlice(cores [");
        text.AppendJoin(", ", request.Cores.ToArray()).Append("], ranges [");
        text.AppendJoin(", ", request.Ranges.ToArray().Select(r => $"0x{r.Base:x}+0x{r.Size:x}")).Append(']');
        // Only when given, so first-wave requests read as they always did.
        if (!request.RangePermissions.IsEmpty)
        {
            text.Append(", permissions [").AppendJoin(", ", request.RangePermissions.ToArray()).Append(']');
        }
        if (!request.Windows.IsEmpty)
        {
            text.Append(", windows [").AppendJoin(", ", request.Windows.ToArray().Select(w => $"0x{w.Range.Base:x}+0x{w.Range.Size:x} {w.Permissions}")).Append(']');
        }
        text.Append(", devices [");
        text.AppendJoin(", ", request.Devices.ToArray()).Append($"], ways 0x{request.Ways:x}, entry 0x{request.EntryPoint:x})");
        return text.ToString();
    }
}
