using Xunit;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Hardware;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// A minimal hardware for attestation and log tests: filter registers that read
/// back what was written (so the sliceloader enters guests), no faults, and a
/// root key drawn at random when the machine is made (never fixed in source).
/// </summary>
public sealed class FakeMachine
{
    internal readonly byte[] RootKey = RandomNumberGenerator.GetBytes(48);
    internal readonly RangeRegister[,] Ranges = new RangeRegister[8, 4];
    internal readonly ResourceSet[] Ipi = new ResourceSet[8];
    internal readonly ulong[] Ways = new ulong[8];
    internal readonly bool[] Locked = new bool[8];
}

public readonly struct FakePort(FakeMachine m) : IHardwarePort
{
    public bool SecureReset(int core)
    {
        m.Locked[core] = false;
        for (int i = 0; i < 4; i++)
        {
            m.Ranges[core, i] = default;
        }
        m.Ipi[core] = default;
        m.Ways[core] = 0;
        return true;
    }

    public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => true;
    public bool CloseIommuWindow(int device) => true;
    public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) { }
    public void ScrubMemory(MemoryRange range) { }

    public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output)
    {
        Span<byte> mac = stackalloc byte[48];
        HMACSHA384.HashData(m.RootKey, context, mac);
        mac[..output.Length].CopyTo(output);
    }

    public bool WriteRangeRegister(int core, int index, RangeRegister value)
    {
        if (m.Locked[core]) { return false; }
        m.Ranges[core, index] = value;
        return true;
    }

    public bool WriteIpiMask(int core, in ResourceSet mask)
    {
        if (m.Locked[core]) { return false; }
        m.Ipi[core] = mask;
        return true;
    }

    public bool WriteWayMask(int core, ulong mask)
    {
        if (m.Locked[core]) { return false; }
        m.Ways[core] = mask;
        return true;
    }

    public void LockFilters(int core) => m.Locked[core] = true;
    public bool IsLocked(int core) => m.Locked[core];
    public RangeRegister ReadRangeRegister(int core, int index) => m.Ranges[core, index];
    public void ReadIpiMask(int core, out ResourceSet mask) => mask = m.Ipi[core];
    public ulong ReadWayMask(int core) => m.Ways[core];
    public void EnterGuest(int core, ulong entryPoint) { }
    public void Park(int core) { }
    public void Halt(int core) { }
}

/// <summary>An 8-core machine with 4 guest slots, its slicevisor, and helpers.</summary>
public sealed class AttestationRig : IDisposable
{
    public const ulong MiB = 1UL << 20;

    public static MachineConfig Config => new()
    {
        CoreCount = 8,
        ControlCores = [0],
        RamRegions = [new MemoryRange(0, 64 * MiB)],
        ReservedRegions = [new NamedRegion("slicevisor", new MemoryRange(0, MiB))],
        ControlMemory = [new MemoryRange(MiB, 15 * MiB)],
        DeviceCount = 4,
        CacheWays = 8,
        ControlWays = 0x1,
        RangeRegistersPerCore = 4,
        GranuleSize = 4096,
        SlotCapacity = 4,
    };

    public static readonly byte[] SlicevisorMeasurement = SHA384.HashData("slicevisor code"u8);
    public static readonly byte[] SliceloaderMeasurement = SHA384.HashData("sliceloader code"u8);

    public AttestationRig(int logCapacity = 256, FakeMachine? machine = null, byte[]? slicevisorMeasurement = null)
    {
        Machine = machine ?? new FakeMachine();
        Identity = new PlatformIdentity(slicevisorMeasurement ?? SlicevisorMeasurement, SliceloaderMeasurement);
        Slicevisor = new Slicevisor<FakePort>(Config, new FakePort(Machine), Identity, logCapacity);
    }

    public FakeMachine Machine { get; }
    public PlatformIdentity Identity { get; }
    public Slicevisor<FakePort> Slicevisor { get; }
    public byte[] PublicKey => Slicevisor.AttestationPublicKey.ToArray();

    /// <summary>Cores 2,3; 16 MiB at 32 MiB; device 1; ways 0b110; entry 32 MiB + 4 KiB.</summary>
    public static SliceRequest Request => new()
    {
        Cores = new[] { 3, 2 },
        Ranges = new[] { new MemoryRange(32 * MiB, 16 * MiB) },
        Devices = new[] { 1 },
        Ways = 0b110,
        EntryPoint = (32 * MiB) + 4096,
    };

    public static readonly byte[] Image = [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4];

    /// <summary>Creates, loads and starts <see cref="Request"/>; returns the slot.</summary>
    public int Launch()
    {
        SliceResult created = Slicevisor.CreateSlice(Request);
        Assert.True(created.Ok, created.ToString());
        Assert.True(Slicevisor.LoadImage(created.Slot, (32 * MiB) + 4096, Image).Ok);
        SliceResult started = Slicevisor.StartSlice(created.Slot);
        Assert.True(started.Ok, started.ToString());
        return created.Slot;
    }

    public static byte[] ExpectedMeasurement() =>
        Support.MeasurementChain.Next(new byte[48], (32 * MiB) + 4096, Image);

    public static byte[] Nonce(byte seed)
    {
        byte[] n = new byte[ReportLayout.NonceSize];
        for (int i = 0; i < n.Length; i++)
        {
            n[i] = (byte)(seed + i);
        }
        return n;
    }

    public byte[] Attest(int slot, byte[] nonce)
    {
        byte[] report = new byte[ReportLayout.ReportSize];
        SliceResult r = Slicevisor.Attest(slot, nonce, report);
        Assert.True(r.Ok, r.ToString());
        return report;
    }

    public byte[] LogBytes()
    {
        byte[] bytes = new byte[Slicevisor.Log.Count * CoreSlice.Log.DecisionLogLayout.EntrySize];
        Assert.Equal(bytes.Length, Slicevisor.Log.CopyTo(bytes));
        return bytes;
    }

    public void Dispose() => Slicevisor.Dispose();
}
