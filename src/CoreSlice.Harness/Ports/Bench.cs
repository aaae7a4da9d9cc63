using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Harness.Simulate;
using CoreSlice.Log;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Harness.Ports;

/// <summary>
/// A real slicevisor on a fresh simulated machine through one <see cref="Port"/>, as the layers drive it:
/// the slicevisor's calls (the same names as <see cref="Slicevisor{THardware}"/>'s), the first-fit manager,
/// and the guest side. On the PMP port a guest's loads, stores, fetches and IPIs go through the harts'
/// PMP entries (<see cref="PmpMachine"/>), and its writes to its filter are writes to those entries;
/// DMA, way masks, reset requests, memory, modes and faults are the abstract machine's underneath
/// (<see cref="Machine"/>) on either port.
/// </summary>
public abstract class Bench : IDisposable
{
    private protected Bench(SimulatedMachine machine, PmpMachine? pmp)
    {
        Machine = machine;
        Pmp = pmp;
    }

    /// <summary>The abstract machine, or the one under the PMP harts: memory, IOMMU, modes, way masks, resets, faults.</summary>
    public SimulatedMachine Machine { get; }

    /// <summary>The PMP machine on the PMP port; null on the abstract one.</summary>
    public PmpMachine? Pmp { get; }

    /// <summary>"abstract" or "pmp".</summary>
    public string PortName => Pmp is null ? "abstract" : "pmp";

    /// <summary>The machine description.</summary>
    public MachineConfig Config => Machine.Config;

    /// <summary>The slicevisor's slice table.</summary>
    public abstract SliceTable Table { get; }

    /// <summary>The slicevisor's decision log.</summary>
    public abstract DecisionLog Log { get; }

    /// <summary>The slicevisor's attestation public key.</summary>
    public abstract ReadOnlySpan<byte> AttestationPublicKey { get; }

    /// <summary>An audit of this slicevisor on this machine (PMP entries as the filter on the PMP port).</summary>
    public InvariantAudit NewAudit() => Pmp is { } p ? new InvariantAudit(Table, p) : new InvariantAudit(Table, Machine);

    /// <summary>An isolation oracle for this slicevisor on this machine.</summary>
    public IsolationOracle NewOracle() => new(Table, Machine);

    // ---- the slicevisor

    /// <summary><see cref="Slicevisor{THardware}.CreateSlice"/>.</summary>
    public abstract SliceResult CreateSlice(in SliceRequest request);

    /// <summary><see cref="Slicevisor{THardware}.LoadImage"/>.</summary>
    public abstract SliceResult LoadImage(int slot, ulong address, ReadOnlySpan<byte> bytes);

    /// <summary><see cref="Slicevisor{THardware}.StartSlice"/>.</summary>
    public abstract SliceResult StartSlice(int slot);

    /// <summary><see cref="Slicevisor{THardware}.DestroySlice"/>.</summary>
    public abstract SliceResult DestroySlice(int slot);

    /// <summary><see cref="Slicevisor{THardware}.Attest"/>.</summary>
    public abstract SliceResult Attest(int slot, ReadOnlySpan<byte> nonce, Span<byte> report);

    /// <summary><see cref="Slicevisor{THardware}.GuestAttest"/>.</summary>
    public abstract SliceResult GuestAttest(int core, ReadOnlySpan<byte> nonce, Span<byte> report);

    /// <summary><see cref="Slicevisor{THardware}.DrainLog"/>.</summary>
    public abstract SliceResult DrainLog(Span<byte> destination, out int drained);

    /// <summary>The first-fit manager's request for <paramref name="shape"/> (<see cref="FirstFitAllocator{THardware}.Plan"/>).</summary>
    public abstract SliceRequest? Plan(SliceShape shape);

    /// <summary><see cref="DecisionLogRecorder.Keep"/> on this slicevisor.</summary>
    public abstract void Keep(DecisionLogRecorder recorder);

    /// <summary><see cref="DecisionLogRecorder.Finish"/> on this slicevisor.</summary>
    public abstract void Finish(DecisionLogRecorder recorder);

    /// <inheritdoc/>
    public abstract void Dispose();

    // ---- the guest side

    /// <summary>A load by <paramref name="core"/> (through its PMP entries on the PMP port).</summary>
    public AccessOutcome GuestLoad(int core, ulong address, Span<byte> destination) =>
        Pmp is { } p ? p.GuestLoad(core, address, destination) : Machine.GuestLoad(core, address, destination);

    /// <summary>A store by <paramref name="core"/> (through its PMP entries on the PMP port).</summary>
    public AccessOutcome GuestStore(int core, ulong address, ReadOnlySpan<byte> data) =>
        Pmp is { } p ? p.GuestStore(core, address, data) : Machine.GuestStore(core, address, data);

    /// <summary>An instruction fetch by <paramref name="core"/> (through its PMP entries on the PMP port).</summary>
    public AccessOutcome GuestFetch(int core, ulong address) =>
        Pmp is { } p ? p.GuestFetch(core, address) : Machine.GuestFetch(core, address);

    /// <summary>An IPI (a store to the target's msip word on the PMP port).</summary>
    public AccessOutcome GuestSendIpi(int from, int to) =>
        Pmp is { } p ? p.GuestSendIpi(from, to) : Machine.GuestSendIpi(from, to);

    /// <summary>
    /// The guest rewrites range register <paramref name="index"/> to <paramref name="value"/>; on the PMP port it
    /// writes PMP entry <paramref name="index"/> to an unlocked entry over that region (a register past the last
    /// is an entry past the last).
    /// </summary>
    public AccessOutcome GuestWriteRangeRegister(int core, int index, RangeRegister value)
    {
        if (Pmp is not { } p)
        {
            return Machine.GuestWriteRangeRegister(core, index, value);
        }
        int registers = Config.RangeRegistersPerCore;
        int entry = index < registers ? index : (int)Math.Min(int.MaxValue, (long)p.Geometry.Entries + index - registers);
        return p.GuestWritePmpEntry(core, entry, Unlocked(value.Base, value.Size, value.Permissions));
    }

    /// <summary>The guest rewrites its IPI mask; on the PMP port it writes its last entry to an unlocked one over every msip word.</summary>
    public AccessOutcome GuestWriteIpiMask(int core, in ResourceSet mask)
    {
        if (Pmp is not { } p)
        {
            return Machine.GuestWriteIpiMask(core, mask);
        }
        ulong words = PmpGeometry.MsipWord * (ulong)p.Geometry.Harts;
        return p.GuestWritePmpEntry(core, p.Geometry.Entries - 1, Unlocked(p.Geometry.MsipBase, words, PmpEncoder.MsipPermissions));
    }

    /// <summary>The guest rewrites its way mask.</summary>
    public AccessOutcome GuestWriteWayMask(int core, ulong mask) => Machine.GuestWriteWayMask(core, mask);

    /// <summary>The guest asks to reset a core.</summary>
    public AccessOutcome GuestRequestReset(int core, int target) => Machine.GuestRequestReset(core, target);

    /// <summary>A device DMA read (the IOMMU, on either port).</summary>
    public AccessOutcome DeviceDmaRead(int device, ulong address, Span<byte> destination) => Machine.DeviceDmaRead(device, address, destination);

    /// <summary>A device DMA write (the IOMMU, on either port).</summary>
    public AccessOutcome DeviceDmaWrite(int device, ulong address, ReadOnlySpan<byte> data) => Machine.DeviceDmaWrite(device, address, data);

    /// <summary>An unlocked entry granting <paramref name="permissions"/> over a region: NAPOT when it is one, else a TOR top.</summary>
    private static PmpEntry Unlocked(ulong baseAddress, ulong size, Permissions permissions)
    {
        byte rwx = (byte)((byte)permissions & PmpCfg.Rwx);
        return size >= 8 && System.Numerics.BitOperations.IsPow2(size) && (baseAddress & (size - 1)) == 0
            ? new PmpEntry((byte)(PmpCfg.Napot | rwx), (baseAddress >> 2) | ((size >> 3) - 1))
            : new PmpEntry((byte)(PmpCfg.Tor | rwx), unchecked(baseAddress + size) >> 2);
    }
}
