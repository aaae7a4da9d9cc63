using CoreSlice.Hardware;

namespace CoreSlice.Simulation;

/// <summary>
/// The privileged port of a <see cref="SimulatedMachine"/>: what the slicevisor and
/// its sliceloader hold. A readonly struct, so a
/// <c>Slicevisor&lt;SimulatedHardwarePort&gt;</c> is specialized and its port calls are
/// devirtualized. Obtain it with <see cref="SimulatedMachine.OpenPrivilegedPort"/>
/// (once per machine). None of these methods allocates once warm, except the page
/// allocation of <see cref="WriteMemory"/> on the first write of a granule (see
/// <see cref="PhysicalMemory"/>). Indices out of range throw: the slicevisor has
/// validated them, so one that is not is a bug to surface, not a guest's input.
/// </summary>
public readonly struct SimulatedHardwarePort : IHardwarePort
{
    private readonly SimulatedMachine machine;

    internal SimulatedHardwarePort(SimulatedMachine machine) => this.machine = machine;

    /// <inheritdoc/>
    public bool SecureReset(int core) => machine.SecureReset(core);

    /// <inheritdoc/>
    public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => machine.SetIommuWindow(device, window);

    /// <inheritdoc/>
    public bool CloseIommuWindow(int device) => machine.CloseIommuWindow(device);

    /// <inheritdoc/>
    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) => machine.WriteMemoryPrivileged(address, bytes);

    /// <inheritdoc/>
    public void ScrubMemory(MemoryRange range) => machine.ScrubMemory(range);

    /// <inheritdoc/>
    public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output) => machine.DeriveKey(context, output);

    /// <inheritdoc/>
    public bool WriteRangeRegister(int core, int index, RangeRegister value) => machine.WriteRange(core, index, value);

    /// <inheritdoc/>
    public bool WriteIpiMask(int core, in ResourceSet mask) => machine.WriteIpi(core, mask);

    /// <inheritdoc/>
    public bool WriteWayMask(int core, ulong mask) => machine.WriteWay(core, mask);

    /// <inheritdoc/>
    public void LockFilters(int core) => machine.Lock(core);

    /// <inheritdoc/>
    public bool IsLocked(int core) => machine.PortIsLocked(core);

    /// <inheritdoc/>
    public RangeRegister ReadRangeRegister(int core, int index) => machine.PortReadRange(core, index);

    /// <inheritdoc/>
    public void ReadIpiMask(int core, out ResourceSet mask) => mask = machine.PortReadIpi(core);

    /// <inheritdoc/>
    public ulong ReadWayMask(int core) => machine.PortReadWay(core);

    /// <inheritdoc/>
    public void EnterGuest(int core, ulong entryPoint) => machine.EnterGuest(core, entryPoint);

    /// <inheritdoc/>
    public void Park(int core) => machine.SetMode(core, CoreMode.Idle);

    /// <inheritdoc/>
    public void Halt(int core) => machine.SetMode(core, CoreMode.Halted);
}
