using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Tests.Pmp;

/// <summary>How <see cref="MisprogrammingPmpPort"/> gets the entries wrong: the bugs of a broken encoder, as the harts would hold them.</summary>
public enum PmpMisprogramming
{
    /// <summary>A NAPOT region entry gets one trailing one too many: it covers twice the region (and the neighbour).</summary>
    NapotTwiceTheRegion,

    /// <summary>A TOR entry's top is one 4-byte word low: the region's last word is not matched (the deny-all takes it).</summary>
    TorTopOneWordShort,

    /// <summary>The regions' entries are written without L: they do not bind the M-mode guest, which may then go anywhere they match.</summary>
    LockBitMissing,

    /// <summary>W is or'd into every region entry that grants something: a read-only or read-execute region becomes writable.</summary>
    WriteBitForced,
}

/// <summary>
/// A PMP port that misprograms the harts as a broken PMP encoder or sliceloader would, and hides it from
/// the sliceloader's readback (a readback returns the entry the sliceloader asked for, as a broken encoder
/// would read back its own wrong value): only the layers that look at what the harts do — the audit's
/// I2/I3 on the decoded entries, the guest actions through the PMP filter against the model and the
/// isolation oracle — can notice. Test code only: the trusted core and the simulation have no such port.
/// </summary>
public sealed class MisprogrammingPmpPort(PmpHardwarePort real, PmpMisprogramming how) : IPmpPort
{
    private readonly Dictionary<(int Core, int Index), (PmpEntry Asked, PmpEntry Written)> written = [];

    public PmpGeometry Geometry => real.Geometry;

    public bool WritePmpEntry(int core, int index, PmpEntry value)
    {
        PmpEntry wrong = Misprogram(value);
        written[(core, index)] = (value, wrong);
        return real.WritePmpEntry(core, index, wrong);
    }

    public PmpEntry ReadPmpEntry(int core, int index)
    {
        PmpEntry actual = real.ReadPmpEntry(core, index);
        return written.TryGetValue((core, index), out var w) && w.Written == actual ? w.Asked : actual;
    }

    /// <summary>With L missing the hart reports unlocked entries; the broken sliceloader would not look.</summary>
    public bool IsLocked(int core) => how == PmpMisprogramming.LockBitMissing || real.IsLocked(core);

    private PmpEntry Misprogram(PmpEntry e)
    {
        if (e.Permissions == Permissions.None)
        {
            return e; // OFF, TOR bottoms and the deny-all: the bugs are in the region entries
        }
        return how switch
        {
            PmpMisprogramming.NapotTwiceTheRegion when e.Mode == PmpCfg.Napot => e with { Address = e.Address | (e.Address + 1) },
            PmpMisprogramming.TorTopOneWordShort when e.Mode == PmpCfg.Tor => e with { Address = e.Address - 1 },
            PmpMisprogramming.LockBitMissing => e with { Config = (byte)(e.Config & ~PmpCfg.L) },
            PmpMisprogramming.WriteBitForced => e with { Config = (byte)(e.Config | PmpCfg.W | PmpCfg.R) },
            _ => e,
        };
    }

    public bool SecureReset(int core) => real.SecureReset(core);

    public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => real.SetIommuWindow(device, window);

    public bool CloseIommuWindow(int device) => real.CloseIommuWindow(device);

    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) => real.WriteMemory(address, bytes);

    public void ScrubMemory(MemoryRange range) => real.ScrubMemory(range);

    public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output) => real.DeriveKey(context, output);

    public bool WriteRangeRegister(int core, int index, RangeRegister value) => real.WriteRangeRegister(core, index, value);

    public bool WriteIpiMask(int core, in ResourceSet mask) => real.WriteIpiMask(core, mask);

    public bool WriteWayMask(int core, ulong mask) => real.WriteWayMask(core, mask);

    public void LockFilters(int core) => real.LockFilters(core);

    public RangeRegister ReadRangeRegister(int core, int index) => real.ReadRangeRegister(core, index);

    public void ReadIpiMask(int core, out ResourceSet mask) => real.ReadIpiMask(core, out mask);

    public ulong ReadWayMask(int core) => real.ReadWayMask(core);

    public void EnterGuest(int core, ulong entryPoint) => real.EnterGuest(core, entryPoint);

    public void Park(int core) => real.Park(core);

    public void Halt(int core) => real.Halt(core);
}
