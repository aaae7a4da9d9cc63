using CoreSlice.Hardware;
using CoreSlice.Simulation;

namespace CoreSlice.Tests.Support;

/// <summary>
/// The simulated port with two test hooks: <c>everyCall</c> runs at every hardware call the
/// trusted core makes (a hostile caller acting in the middle of an operation), and
/// <c>keyFails</c> makes the hardware key derivation yield zeros (no valid signing key).
/// </summary>
public readonly struct HookedPort(SimulatedHardwarePort inner, Action? everyCall = null, bool keyFails = false) : IHardwarePort
{
    private void Hook() => everyCall?.Invoke();

    public bool SecureReset(int core) { Hook(); return inner.SecureReset(core); }
    public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) { Hook(); return inner.SetIommuWindow(device, window); }
    public bool CloseIommuWindow(int device) { Hook(); return inner.CloseIommuWindow(device); }
    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) { Hook(); inner.WriteMemory(address, bytes); }
    public void ScrubMemory(MemoryRange range) { Hook(); inner.ScrubMemory(range); }

    public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output)
    {
        Hook();
        if (keyFails)
        {
            output.Clear();
            return;
        }
        inner.DeriveKey(context, output);
    }

    public bool WriteRangeRegister(int core, int index, RangeRegister value) { Hook(); return inner.WriteRangeRegister(core, index, value); }
    public bool WriteIpiMask(int core, in ResourceSet mask) { Hook(); return inner.WriteIpiMask(core, mask); }
    public bool WriteWayMask(int core, ulong mask) { Hook(); return inner.WriteWayMask(core, mask); }
    public void LockFilters(int core) { Hook(); inner.LockFilters(core); }
    public bool IsLocked(int core) { Hook(); return inner.IsLocked(core); }
    public RangeRegister ReadRangeRegister(int core, int index) { Hook(); return inner.ReadRangeRegister(core, index); }
    public void ReadIpiMask(int core, out ResourceSet mask) { Hook(); inner.ReadIpiMask(core, out mask); }
    public ulong ReadWayMask(int core) { Hook(); return inner.ReadWayMask(core); }
    public void EnterGuest(int core, ulong entryPoint) { Hook(); inner.EnterGuest(core, entryPoint); }
    public void Park(int core) { Hook(); inner.Park(core); }
    public void Halt(int core) { Hook(); inner.Halt(core); }
}
