using CoreSlice.Hardware;
using CoreSlice.Simulation;

namespace CoreSlice.Tests.Noninterference;

/// <summary>How <see cref="LeakyPort"/> lets one domain's action reach another's view.</summary>
public enum Leak
{
    /// <summary>A secure reset of a guest core also resets the next guest core (a reset line wired to two harts).</summary>
    ResetSpillsToNeighbour,

    /// <summary>A scrub runs one granule past the range (a destroy wipes the neighbour's first page).</summary>
    ScrubSpillsOver,

    /// <summary>The IPI mask is written with every core in it, and reads back as asked: a guest's IPIs reach every core.</summary>
    IpiMaskWidened,
}

/// <summary>
/// The abstract machine's privileged port with a leak between domains that the slicevisor cannot see (its own
/// readbacks are answered as it asked). The views read the machine itself, so only a check of the domains' views
/// — or an audit that happens to cover the same hardware — can notice. Test code only: the trusted core and the
/// simulation have no such port.
/// </summary>
public sealed class LeakyPort(SimulatedHardwarePort real, Leak leak, int cores, ulong granule) : IHardwarePort
{
    private readonly ResourceSet[] askedIpi = new ResourceSet[cores];

    /// <summary>The guest core after <paramref name="core"/>, wrapping past the last to core 1 (core 0 is the control core of the scopes used).</summary>
    private int Neighbour(int core) => core + 1 < cores ? core + 1 : 1;

    public bool SecureReset(int core)
    {
        bool ok = real.SecureReset(core);
        if (leak == Leak.ResetSpillsToNeighbour && core != 0 && Neighbour(core) != core)
        {
            _ = real.SecureReset(Neighbour(core));
        }
        return ok;
    }

    public void ScrubMemory(MemoryRange range) =>
        real.ScrubMemory(leak == Leak.ScrubSpillsOver && range.Size <= ulong.MaxValue - granule ? new MemoryRange(range.Base, range.Size + granule) : range);

    public bool WriteIpiMask(int core, in ResourceSet mask)
    {
        askedIpi[core] = mask;
        if (leak != Leak.IpiMaskWidened)
        {
            return real.WriteIpiMask(core, mask);
        }
        ResourceSet every = default;
        for (int c = 0; c < cores; c++)
        {
            every.Add(c);
        }
        return real.WriteIpiMask(core, every);
    }

    public void ReadIpiMask(int core, out ResourceSet mask)
    {
        real.ReadIpiMask(core, out mask);
        if (leak == Leak.IpiMaskWidened && !mask.IsEmpty)
        {
            mask = askedIpi[core];
        }
    }

    public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => real.SetIommuWindow(device, window);

    public bool CloseIommuWindow(int device) => real.CloseIommuWindow(device);

    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) => real.WriteMemory(address, bytes);

    public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output) => real.DeriveKey(context, output);

    public bool WriteRangeRegister(int core, int index, RangeRegister value) => real.WriteRangeRegister(core, index, value);

    public bool WriteWayMask(int core, ulong mask) => real.WriteWayMask(core, mask);

    public void LockFilters(int core) => real.LockFilters(core);

    public bool IsLocked(int core) => real.IsLocked(core);

    public RangeRegister ReadRangeRegister(int core, int index) => real.ReadRangeRegister(core, index);

    public ulong ReadWayMask(int core) => real.ReadWayMask(core);

    public void EnterGuest(int core, ulong entryPoint) => real.EnterGuest(core, entryPoint);

    public void Park(int core) => real.Park(core);

    public void Halt(int core) => real.Halt(core);
}
