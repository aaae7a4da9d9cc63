using CoreSlice.Harness.Simulate;
using CoreSlice.Log;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Harness.Ports;

/// <summary>A <see cref="Bench"/> over a <see cref="Slicevisor{THardware}"/> of one concrete port type.</summary>
internal sealed class Bench<THardware> : Bench
    where THardware : Hardware.IHardwarePort
{
    private readonly Slicevisor<THardware> visor;
    private readonly FirstFitAllocator<THardware> manager;

    public Bench(Slicevisor<THardware> visor, SimulatedMachine machine, PmpMachine? pmp)
        : base(machine, pmp)
    {
        this.visor = visor;
        manager = new FirstFitAllocator<THardware>(visor);
    }

    public override SliceTable Table => visor.Table;

    public override DecisionLog Log => visor.Log;

    public override ReadOnlySpan<byte> AttestationPublicKey => visor.AttestationPublicKey;

    public override SliceResult CreateSlice(in SliceRequest request) => visor.CreateSlice(request);

    public override SliceResult LoadImage(int slot, ulong address, ReadOnlySpan<byte> bytes) => visor.LoadImage(slot, address, bytes);

    public override SliceResult StartSlice(int slot) => visor.StartSlice(slot);

    public override SliceResult DestroySlice(int slot) => visor.DestroySlice(slot);

    public override SliceResult Attest(int slot, ReadOnlySpan<byte> nonce, Span<byte> report) => visor.Attest(slot, nonce, report);

    public override SliceResult GuestAttest(int core, ReadOnlySpan<byte> nonce, Span<byte> report) => visor.GuestAttest(core, nonce, report);

    public override SliceResult DrainLog(Span<byte> destination, out int drained) => visor.DrainLog(destination, out drained);

    public override SliceRequest? Plan(SliceShape shape) => manager.Plan(shape);

    public override void Keep(DecisionLogRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        recorder.Keep(visor);
    }

    public override void Finish(DecisionLogRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        recorder.Finish(visor);
    }

    public override void Dispose() => visor.Dispose();
}

/// <summary>A bench over a slicevisor and abstract machine someone else built (and disposes).</summary>
internal static class Benches
{
    public static Bench Over(Slicevisor<SimulatedHardwarePort> visor, SimulatedMachine machine) =>
        new Bench<SimulatedHardwarePort>(visor, machine, null);
}
