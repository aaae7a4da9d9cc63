using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Log;
using CoreSlice.Manager.Verification;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// A caller that rewrites every element of every array it hands in — cores, ranges, devices,
/// image bytes, nonce, report buffer — while the call runs: at every hardware call the trusted
/// core makes (deterministic), and from another thread during every call (racing). What is
/// decided, loaded, measured, logged and signed must come from one copy, read once; no
/// invariant breaks; nothing throws.
/// </summary>
public sealed class HostileCallerTests
{
    private const ulong Slice = 4 * MiB;          // guest memory of the Small machine, outside reserved [0,1M) and control [1M,2M)
    private static readonly byte[] Image = [.. Enumerable.Range(0, 10_000).Select(i => (byte)i)];

    /// <summary>The caller's arrays, and the hostile values it writes into every element.</summary>
    private sealed class Arrays
    {
        public readonly int[] Cores = [1, 2];
        public readonly MemoryRange[] Ranges = [new MemoryRange(Slice, 64 * KiB), new MemoryRange(Slice + (128 * KiB), 64 * KiB)];
        public readonly int[] Devices = [1, 2];
        public readonly byte[] Image = [.. HostileCallerTests.Image];
        public readonly byte[] Nonce = new byte[ReportLayout.NonceSize];
        public readonly byte[] Report = new byte[ReportLayout.ReportSize];
        public int Rewrites;

        public SliceRequest Request => new() { Cores = Cores, Ranges = Ranges, Devices = Devices, Ways = 0b10, EntryPoint = Slice };

        /// <summary>Every element to a hostile value: the control core, reserved memory, device 0, 0xEE bytes.</summary>
        public void RewriteAll()
        {
            Rewrites++;
            Cores.AsSpan().Clear();
            Ranges.AsSpan().Fill(new MemoryRange(0, 2 * MiB));
            Devices.AsSpan().Clear();
            Image.AsSpan().Fill(0xEE);
            Nonce.AsSpan().Fill(0xEE);
            Report.AsSpan().Fill(0xEE);
        }

        /// <summary>Every element back to the request the caller first made.</summary>
        public void Restore()
        {
            int[] cores = [1, 2];
            cores.CopyTo(Cores, 0);
            new MemoryRange[] { new(Slice, 64 * KiB), new(Slice + (128 * KiB), 64 * KiB) }.CopyTo(Ranges, 0);
            new[] { 1, 2 }.CopyTo(Devices, 0);
            HostileCallerTests.Image.CopyTo(Image, 0);
            Nonce.AsSpan().Fill(7);
            Report.AsSpan().Clear();
        }
    }

    private static byte[] Loaded(SimulatedMachine machine, ulong address, int length)
    {
        byte[] bytes = new byte[length];
        machine.Memory.Read(address, bytes);
        return bytes;
    }

    [Fact]
    public void Rewriting_every_array_at_every_hardware_call_leaves_load_measurement_log_and_report_in_agreement()
    {
        var arrays = new Arrays();
        arrays.Restore();
        var machine = new SimulatedMachine(Small());
        bool armed = false;
        using var visor = new Slicevisor<HookedPort>(Small(), new HookedPort(machine.OpenPrivilegedPort(), () =>
        {
            if (armed)
            {
                arrays.RewriteAll();
            }
        }), PlatformMeasurements.Measure(), 64);
        machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
        int slot = visor.CreateSlice(arrays.Request).Slot;
        Assert.NotEqual(0, slot);

        // LoadImage writes memory chunk by chunk: the caller's bytes change after the first chunk.
        armed = true;
        Assert.True(visor.LoadImage(slot, Slice, arrays.Image).Ok);
        Assert.True(arrays.Rewrites > 0);
        byte[] inMemory = Loaded(machine, Slice, Image.Length);
        Assert.Equal(Image.AsSpan(0, 4096).ToArray(), inMemory.AsSpan(0, 4096).ToArray()); // the first chunk, read before the rewrite
        // What is measured is what is in memory, whatever the caller did to its buffer.
        Assert.Equal(MeasurementChain.Next(new byte[48], Slice, inMemory), visor.Table[slot].Measurement.ToArray());
        // And the log records that measurement: SHA-256(slot ‖ address ‖ length ‖ measurement).
        DecisionRecord load = DecisionLogVerifier.Decode(Entries(visor))[^1];
        byte[] args = [.. BitConverter.GetBytes(slot), .. BitConverter.GetBytes(Slice), .. BitConverter.GetBytes((ulong)Image.Length), .. visor.Table[slot].Measurement];
        Assert.Equal(SHA256.HashData(args), load.Arguments);

        // Attest derives its key (a hardware call) mid-way: nonce and report buffer are rewritten then.
        armed = false;
        arrays.Restore();
        byte[] nonce = [.. arrays.Nonce];
        armed = true;
        arrays.Rewrites = 0;
        Assert.True(visor.Attest(slot, arrays.Nonce, arrays.Report).Ok);
        Assert.True(arrays.Rewrites > 0);
        armed = false;
        ReportVerification v = ReportVerifier.Verify(arrays.Report, visor.AttestationPublicKey, new ReportExpectations { Nonce = nonce });
        Assert.True(v.Valid, string.Join("; ", v.Mismatches.Select(m => m.ToString())));
        Assert.Empty(new InvariantAudit(visor.Table, machine).CheckAll());
    }

    private static byte[] Entries<T>(Slicevisor<T> visor)
        where T : CoreSlice.Hardware.IHardwarePort
    {
        byte[] all = new byte[visor.Log.Count * DecisionLogLayout.EntrySize];
        _ = visor.Log.CopyTo(all);
        return all;
    }

    [Fact]
    public void Rewriting_every_array_from_another_thread_during_every_call_breaks_nothing()
    {
        using var rig = new Rig(Small());
        var arrays = new Arrays();
        arrays.Restore();
        var stop = false;
        var rewriter = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                arrays.RewriteAll();
                arrays.Restore();
            }
        });
        rewriter.Start();
        int calls = 0;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 2000)
            {
                rig.KeepLogRoom();
                ulong before = rig.Visor.Log.Sequence;
                SliceResult created = rig.Visor.CreateSlice(arrays.Request);
                calls++;
                Assert.Equal(before + 1, rig.Visor.Log.Sequence);
                Assert.Equal((ushort)created.Error, BitConverter.ToUInt16(rig.Visor.Log.Entry(rig.Visor.Log.Count - 1)[DecisionLogLayout.Error..]));
                if (created.Ok)
                {
                    SliceEntry e = rig.Entry(created.Slot);
                    // Whatever mixture was read, it was checked: never the control core, reserved or control memory.
                    Assert.False(e.Cores.Contains(0));
                    Assert.DoesNotContain(e.Ranges.ToArray(), r => r.Base < 2 * MiB);
                    SliceResult load = rig.Visor.LoadImage(created.Slot, e.Ranges[0].Base, arrays.Image.AsSpan(0, (int)Math.Min(e.Ranges[0].Size, (ulong)arrays.Image.Length)));
                    if (load.Ok)
                    {
                        byte[] inMemory = Loaded(rig.Machine, e.Ranges[0].Base, (int)Math.Min(e.Ranges[0].Size, (ulong)Image.Length));
                        Assert.Equal(MeasurementChain.Next(new byte[48], e.Ranges[0].Base, inMemory), e.Measurement.ToArray());
                    }
                    _ = rig.Visor.Attest(created.Slot, arrays.Nonce, arrays.Report);
                    if (rig.Visor.StartSlice(created.Slot).Ok)
                    {
                        _ = rig.Visor.GuestAttest(e.Cores.Next(0), arrays.Nonce, arrays.Report);
                    }
                    calls += 3;
                    Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
                    Assert.True(rig.Visor.DestroySlice(created.Slot).Ok);
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            rewriter.Join();
        }
        Assert.True(calls > 100, $"only {calls} calls raced");
        Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
        // Drained whenever half full, so what is held starts at sequence 1 or with the newest drain's record.
        LogVerification held = rig.Visor.Log.Sequence == (ulong)rig.Visor.Log.Count
            ? DecisionLogVerifier.VerifyFromGenesis(Entries(rig.Visor), rig.Visor.Log.Identity, rig.Visor.Log.Head)
            : DecisionLogVerifier.VerifyFromAnchor(Entries(rig.Visor), rig.Visor.Log.Anchor, rig.Visor.Log.Head);
        Assert.True(held.Valid, held.Message);
    }

    [Fact]
    public void Attest_and_GuestAttest_report_a_key_fault_instead_of_throwing()
    {
        var machine = new SimulatedMachine(Small());
        using var visor = new Slicevisor<HookedPort>(Small(), new HookedPort(machine.OpenPrivilegedPort(), keyFails: true));
        machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
        var arrays = new Arrays();
        arrays.Restore();
        int slot = visor.CreateSlice(arrays.Request).Slot;
        Assert.Equal(SliceError.AttestationKeyFault, visor.Attest(slot, arrays.Nonce, arrays.Report).Error);
        Assert.True(visor.StartSlice(slot).Ok);
        Assert.Equal(SliceError.AttestationKeyFault, visor.GuestAttest(1, arrays.Nonce, arrays.Report).Error);
        Assert.True(visor.AttestationPublicKey.IsEmpty);
        Assert.All(arrays.Report, b => Assert.Equal(0, b)); // nothing written out
        Assert.Equal(SliceError.AttestationKeyFault, (SliceError)BitConverter.ToUInt16(visor.Log.Entry(visor.Log.Count - 1)[DecisionLogLayout.Error..]));
    }

    [Fact]
    public void Attest_and_GuestAttest_never_throw_for_any_slot_core_nonce_or_buffer()
    {
        using var rig = new Rig(Small());
        int slot = rig.Run();
        var random = new Random(5);
        int[] interesting = [int.MinValue, -1, 0, 1, 2, 3, 4, 5, int.MaxValue];
        for (int i = 0; i < 3000; i++)
        {
            rig.KeepLogRoom();
            int who = random.Next(3) == 0 ? interesting[random.Next(interesting.Length)] : random.Next(-2, 8);
            byte[] nonce = new byte[random.Next(4) == 0 ? random.Next(0, 200) : ReportLayout.NonceSize];
            byte[] report = new byte[random.Next(4) == 0 ? random.Next(0, 2 * ReportLayout.ReportSize) : ReportLayout.ReportSize];
            SliceResult a = rig.Visor.Attest(who, nonce, report);
            SliceResult g = rig.Visor.GuestAttest(who, nonce, report);
            Assert.True(a.Ok == (who == slot && nonce.Length == 64 && report.Length >= ReportLayout.ReportSize), a.ToString());
            Assert.True(g.Ok == (rig.Table.CoreOwner(who) == slot && nonce.Length == 64 && report.Length >= ReportLayout.ReportSize), g.ToString());
        }
    }
}
