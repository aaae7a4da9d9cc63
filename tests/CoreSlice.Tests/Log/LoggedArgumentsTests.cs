using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Manager.Verification;
using CoreSlice.Tests.Attestation;
using Xunit;

namespace CoreSlice.Tests.Log;

/// <summary>
/// Each entry records exactly the decoded arguments docs/attestation.md lists, written out here
/// independently: for CreateSlice each list's length (cores, ranges, permissions, windows, devices)
/// and, only when the length is within the machine's, its items, then ways and entry point; for Attest and GuestAttest who asked, the
/// nonce length and the nonce only when it is 64 bytes. Arguments of up to 32 bytes are inline
/// (zero-padded), longer ones their SHA-256, with the form byte saying which.
/// </summary>
public sealed class LoggedArgumentsTests
{
    private static void I32(List<byte> b, int v) { byte[] x = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(x, v); b.AddRange(x); }

    private static void U64(List<byte> b, ulong v) { byte[] x = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(x, v); b.AddRange(x); }

    /// <summary>The argument field and form a request with these bytes must get.</summary>
    private static (byte Form, byte[] Field) Expected(List<byte> arguments) =>
        arguments.Count <= DecisionLogLayout.ArgumentsSize
            ? (DecisionLogLayout.ArgumentsInline, [.. arguments, .. new byte[DecisionLogLayout.ArgumentsSize - arguments.Count]])
            : (DecisionLogLayout.ArgumentsDigested, SHA256.HashData([.. arguments]));

    private static void AssertLast(AttestationRig rig, List<byte> arguments)
    {
        DecisionRecord last = DecisionRecord.Decode(rig.Slicevisor.Log.Entry(rig.Slicevisor.Log.Count - 1));
        (byte form, byte[] field) = Expected(arguments);
        Assert.Equal(form, last.ArgumentForm);
        Assert.Equal(field, last.Arguments);
    }

    /// <summary>
    /// CreateSlice's encoding: lists with items only when within the machine's limits (8 cores,
    /// 4 registers, 4 devices); permissions (a byte each) and windows (base ‖ size ‖ permission
    /// byte) after the ranges, each copied when it alone fits the registers.
    /// </summary>
    private static List<byte> CreateArguments(int[] cores, MemoryRange[] ranges, Permissions[] permissions, SharedWindow[] windows, int[] devices, DmaRange[] dma, ulong ways, ulong entry)
    {
        var b = new List<byte>();
        I32(b, cores.Length);
        if (cores.Length <= AttestationRig.Config.CoreCount)
        {
            Array.ForEach(cores, c => I32(b, c));
        }
        I32(b, ranges.Length);
        if (ranges.Length <= AttestationRig.Config.RangeRegistersPerCore)
        {
            Array.ForEach(ranges, r => { U64(b, r.Base); U64(b, r.Size); });
        }
        I32(b, permissions.Length);
        if (permissions.Length <= AttestationRig.Config.RangeRegistersPerCore)
        {
            Array.ForEach(permissions, p => b.Add((byte)p));
        }
        I32(b, windows.Length);
        if (windows.Length <= AttestationRig.Config.RangeRegistersPerCore)
        {
            Array.ForEach(windows, w => { U64(b, w.Range.Base); U64(b, w.Range.Size); b.Add((byte)w.Permissions); });
        }
        I32(b, devices.Length);
        if (devices.Length <= AttestationRig.Config.DeviceCount)
        {
            Array.ForEach(devices, d => I32(b, d));
        }
        I32(b, dma.Length);
        if (dma.Length <= Limits.MaxDmaRanges)
        {
            Array.ForEach(dma, m => { I32(b, m.Device); U64(b, m.Range.Base); U64(b, m.Range.Size); b.Add((byte)m.Permissions); });
        }
        U64(b, ways);
        U64(b, entry);
        return b;
    }

    public static TheoryData<int, int, int, int, int, int> Shapes => new()
    {
        { 0, 0, 0, 0, 0, 0 },  // 40 bytes (six lengths and ways and entry): every CreateSlice argument is digested
        { 1, 0, 0, 0, 0, 0 },
        { 8, 4, 4, 0, 4, 64 },  // every list exactly at the machine's limit
        { 8, 2, 2, 2, 4, 3 },  // ranges and windows sharing the registers
        { 1, 1, 0, 4, 1, 0 },  // windows alone at the limit (refused as TooManyRanges with the range, but logged in full)
        { 9, 1, 1, 1, 1, 1 },  // too many cores: their items are not logged
        { 1, 5, 1, 1, 1, 1 },  // too many ranges
        { 1, 1, 5, 1, 1, 1 },  // too many permissions
        { 1, 1, 1, 5, 1, 1 },  // too many windows
        { 1, 1, 1, 1, 5, 1 },  // too many devices
        { 1, 1, 1, 1, 1, 65 },  // too many DMA ranges
        { 3000, 3000, 3000, 3000, 3000, 3000 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CreateSlice_logs_each_list_length_and_only_the_items_within_the_machine(int cores, int ranges, int permissions, int windows, int devices, int dmaRanges)
    {
        using var rig = new AttestationRig();
        int[] c = [.. Enumerable.Range(0, cores).Select(i => 1 + (i % 7))];
        MemoryRange[] r = [.. Enumerable.Range(0, ranges).Select(i => new MemoryRange((32 * AttestationRig.MiB) + ((ulong)i * 8192), 4096))];
        Permissions[] p = [.. Enumerable.Range(0, permissions).Select(i => (Permissions)(0x81 + i))];
        SharedWindow[] w = [.. Enumerable.Range(0, windows).Select(i => new SharedWindow(new MemoryRange(0x7700_0000UL + ((ulong)i * 0x10000), 0x3000 + (ulong)i), (Permissions)(1 + (i % 3))))];
        int[] d = [.. Enumerable.Range(0, devices).Select(i => i % 4)];
        DmaRange[] m = [.. Enumerable.Range(0, dmaRanges).Select(i => new DmaRange(i % 5 - 1, new MemoryRange((32 * AttestationRig.MiB) + ((ulong)i * 4096), 4096 + (ulong)i), (Permissions)(1 + (i % 7))))];
        var request = new SliceRequest { Cores = c, Ranges = r, RangePermissions = p, Windows = w, Devices = d, DmaRanges = m, Ways = 0x1234_5678_9ABC_DEF0, EntryPoint = 0x0FED_CBA9_8765_4321 };
        _ = rig.Slicevisor.CreateSlice(request);
        AssertLast(rig, CreateArguments(c, r, p, w, d, m, request.Ways, request.EntryPoint));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(64)]
    public void Attest_logs_the_slot_the_nonce_length_and_the_nonce_only_when_it_is_64_bytes(int length)
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        byte[] nonce = [.. Enumerable.Range(0, length).Select(i => (byte)(0xA0 ^ i))];
        _ = rig.Slicevisor.Attest(slot, nonce, new byte[CoreSlice.Attestation.ReportLayout.ReportSize]);
        var b = new List<byte>();
        I32(b, slot);
        I32(b, length);
        if (length == 64)
        {
            b.AddRange(nonce);
        }
        AssertLast(rig, b);
    }

    [Theory]
    [InlineData(3, 64)]
    [InlineData(3, 10)]
    [InlineData(5, 64)]   // a core of no slice
    [InlineData(-7, 64)]
    public void GuestAttest_logs_the_calling_core_the_nonce_length_and_the_nonce_only_when_it_is_64_bytes(int core, int length)
    {
        using var rig = new AttestationRig();
        _ = rig.Launch();
        byte[] nonce = [.. Enumerable.Range(0, length).Select(i => (byte)(0x5C + i))];
        _ = rig.Slicevisor.GuestAttest(core, nonce, new byte[CoreSlice.Attestation.ReportLayout.ReportSize]);
        var b = new List<byte>();
        I32(b, core);
        I32(b, length);
        if (length == 64)
        {
            b.AddRange(nonce);
        }
        AssertLast(rig, b);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void StartSlice_and_DestroySlice_log_the_slot_inline(int slot)
    {
        using var rig = new AttestationRig();
        var b = new List<byte>();
        I32(b, slot);
        _ = rig.Slicevisor.StartSlice(slot);
        AssertLast(rig, b);
        _ = rig.Slicevisor.DestroySlice(slot);
        AssertLast(rig, b);
    }
}
