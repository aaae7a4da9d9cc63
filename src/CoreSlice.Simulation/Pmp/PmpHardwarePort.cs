using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;

namespace CoreSlice.Simulation.Pmp;

/// <summary>
/// The privileged port of a <see cref="PmpMachine"/>. A class (not a struct like
/// <see cref="SimulatedHardwarePort"/>): the sliceloader and slicevisor recognise a
/// PMP port by its interface, which for a reference type costs no boxing. The
/// abstract range registers and IPI mask do not exist here: their writes are refused
/// and their reads are empty; PMP entries (<see cref="IPmpPort"/>) replace them.
/// </summary>
public sealed class PmpHardwarePort : IPmpPort
{
    private readonly PmpMachine machine;
    private SimulatedHardwarePort inner;

    internal PmpHardwarePort(PmpMachine machine, SimulatedHardwarePort inner)
    {
        this.machine = machine;
        this.inner = inner;
    }

    /// <inheritdoc/>
    public PmpGeometry Geometry => machine.Geometry;

    /// <inheritdoc/>
    /// <remarks>
    /// An armed <see cref="FaultPoint.RegisterWrite"/> (<see cref="SimulatedMachine.FailAt"/>, counted with the
    /// way-mask writes) stores the entry with its X bit flipped: a legal configuration either way, so only the
    /// sliceloader's readback can notice.
    /// </remarks>
    public bool WritePmpEntry(int core, int index, PmpEntry value) =>
        machine.WriteEntry(core, index, machine.Inner.TakeFault(FaultPoint.RegisterWrite) ? Flipped(value) : value);

    /// <inheritdoc/>
    /// <remarks>An armed <see cref="FaultPoint.Readback"/> returns the entry with its X bit flipped.</remarks>
    public PmpEntry ReadPmpEntry(int core, int index)
    {
        PmpEntry value = machine.ReadEntry(core, index);
        return machine.Inner.TakeFault(FaultPoint.Readback) ? Flipped(value) : value;
    }

    private static PmpEntry Flipped(PmpEntry value) => value with { Config = (byte)(value.Config ^ PmpCfg.X) };

    /// <inheritdoc/>
    public bool SecureReset(int core)
    {
        machine.ResetEntries(core);
        return inner.SecureReset(core);
    }

    /// <inheritdoc/>
    public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => inner.SetIommuWindow(device, window);

    /// <inheritdoc/>
    public bool CloseIommuWindow(int device) => inner.CloseIommuWindow(device);

    /// <inheritdoc/>
    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) => inner.WriteMemory(address, bytes);

    /// <inheritdoc/>
    public void ScrubMemory(MemoryRange range) => inner.ScrubMemory(range);

    /// <inheritdoc/>
    public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output) => inner.DeriveKey(context, output);

    /// <inheritdoc/>
    public bool WriteRangeRegister(int core, int index, RangeRegister value) => false;

    /// <inheritdoc/>
    public bool WriteIpiMask(int core, in ResourceSet mask) => false;

    /// <inheritdoc/>
    public bool WriteWayMask(int core, ulong mask) => inner.WriteWayMask(core, mask);

    /// <inheritdoc/>
    public void LockFilters(int core) => inner.LockFilters(core);

    /// <inheritdoc/>
    public bool IsLocked(int core) => inner.IsLocked(core) && machine.AllLocked(core);

    /// <inheritdoc/>
    public RangeRegister ReadRangeRegister(int core, int index) => RangeRegister.Disabled;

    /// <inheritdoc/>
    public void ReadIpiMask(int core, out ResourceSet mask) => mask = default;

    /// <inheritdoc/>
    public ulong ReadWayMask(int core) => inner.ReadWayMask(core);

    /// <inheritdoc/>
    public void EnterGuest(int core, ulong entryPoint) => inner.EnterGuest(core, entryPoint);

    /// <inheritdoc/>
    public void Park(int core) => inner.Park(core);

    /// <inheritdoc/>
    public void Halt(int core) => inner.Halt(core);
}
