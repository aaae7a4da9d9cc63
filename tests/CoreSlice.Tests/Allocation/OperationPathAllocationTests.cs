using System.Security.Cryptography;
using CoreSlice;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Simulation;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Allocation;

/// <summary>
/// The allocation budget CI enforces (DESIGN §5, bench/README.md): zero bytes on every
/// operation path once warm. Slicevisor/AllocationTests covers Create/Start/Destroy,
/// LoadImage and rejected CreateSlice/LoadImage/StartSlice/DestroySlice; this covers the
/// rest: DrainLog (both outcomes), every operation refused with LogFull (a guest's mailbox call on a full log: answered unrecorded), Attest and
/// GuestAttest (every rejection; success is bounded by the BCL's ECDSA, which allocates
/// inside the signature — see Attestation/AttestationTests), every hardware-fault
/// quarantine path and its completing DestroySlice, the read-only queries, and the
/// simulated filter check. Each body runs 200 times to warm up, then is measured over
/// 2000 runs with GC.GetAllocatedBytesForCurrentThread (least of up to 8 rounds; see Measure).
/// </summary>
public sealed class OperationPathAllocationTests
{
    private const int Cycles = 2000;
    private const int Rounds = 8;
    private static readonly byte[] Nonce = new byte[ReportLayout.NonceSize];
    private static readonly byte[] ShortNonce = new byte[ReportLayout.NonceSize - 1];

    /// <summary>
    /// Bytes allocated by <see cref="Cycles"/> runs of <paramref name="body"/>, once warm: the
    /// least over up to <see cref="Rounds"/> rounds. A path that allocates per call does so in
    /// every round; what only the first rounds show is warm-up (under a busy test run, the
    /// tier-1 code — which stack-allocates what tier-0 and ready-to-run code heap-allocate —
    /// can arrive late), so a pause lets background compilation finish before the next round.
    /// </summary>
    private static long Measure(Action body) => Allocations.Least(body, Cycles, rounds: Rounds);

    private static void Expect(SliceResult result, SliceError error)
    {
        if (result.Error != error)
        {
            // No Assert inside a measured body: throwing is enough, and only on failure.
            throw new InvalidOperationException($"expected {error}, got {result.Error} (subject {result.Subject})");
        }
    }

    [Fact]
    public void DrainLog_allocates_zero_bytes_whether_it_drains_or_the_buffer_is_too_small()
    {
        using Rig rig = Make();
        byte[] buffer = new byte[64 * DecisionLogLayout.EntrySize];
        byte[] tiny = new byte[DecisionLogLayout.EntrySize - 1];
        long bytes = Measure(() =>
        {
            Expect(rig.Visor.StartSlice(99), SliceError.SlotOutOfRange); // something to drain
            Expect(rig.Visor.DrainLog(tiny, out int none), SliceError.BufferTooSmall);
            Expect(rig.Visor.DrainLog(buffer, out int drained), SliceError.None);
            if (none != 0 || drained == 0)
            {
                throw new InvalidOperationException("drain counts");
            }
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Every_operation_refused_with_LogFull_allocates_zero_bytes()
    {
        MachineConfig config = Default();
        var machine = new SimulatedMachine(config);
        using var visor = new Slicevisor<SimulatedHardwarePort>(config, machine.OpenPrivilegedPort(), PlatformIdentity.Unmeasured, 4);
        SliceRequest request = Valid();
        int slot = visor.CreateSlice(request).Slot;
        Expect(visor.StartSlice(slot), SliceError.None);
        Expect(visor.StartSlice(slot), SliceError.WrongState); // the log is now full: 3 of 4, one reserved
        Assert.False(visor.Log.AcceptsRequests);
        byte[] report = new byte[ReportLayout.ReportSize];
        byte[] image = [1, 2, 3];
        int core = visor.Table[slot].Cores.Next(0);
        long bytes = Measure(() =>
        {
            Expect(visor.CreateSlice(request), SliceError.LogFull);
            Expect(visor.LoadImage(slot, FreeBase, image), SliceError.LogFull);
            Expect(visor.StartSlice(slot), SliceError.LogFull);
            Expect(visor.DestroySlice(slot), SliceError.LogFull);
            Expect(visor.Attest(slot, Nonce, report), SliceError.LogFull);
            Expect(visor.GuestAttest(core, ShortNonce, report), SliceError.NonceLength); // never LogFull: answered, counted unrecorded
        });
        Assert.Equal(0, bytes);
        Assert.Equal(0UL, visor.Log.RefusedWhileFull % 5);
        Assert.Equal(visor.Log.RefusedWhileFull / 5, visor.Log.UnrecordedWhileFull);
    }

    [Fact]
    public void Rejected_Attest_and_GuestAttest_allocate_zero_bytes()
    {
        using Rig rig = Make(); // slot 1 Running (cores 1, 2), slot 2 Created (core 3)
        byte[] report = new byte[ReportLayout.ReportSize];
        byte[] small = new byte[ReportLayout.ReportSize - 1];
        long bytes = Measure(() =>
        {
            rig.KeepLogRoom();
            Expect(rig.Visor.Attest(0, Nonce, report), SliceError.SlotOutOfRange);
            Expect(rig.Visor.Attest(3, Nonce, report), SliceError.WrongState);
            Expect(rig.Visor.Attest(1, ShortNonce, report), SliceError.NonceLength);
            Expect(rig.Visor.Attest(1, Nonce, small), SliceError.BufferTooSmall);
            Expect(rig.Visor.GuestAttest(0, Nonce, report), SliceError.NotGuestCore); // control core
            Expect(rig.Visor.GuestAttest(3, Nonce, report), SliceError.NotGuestCore); // Created, not Running
            Expect(rig.Visor.GuestAttest(5000, Nonce, report), SliceError.NotGuestCore);
            Expect(rig.Visor.GuestAttest(1, ShortNonce, report), SliceError.NonceLength);
            Expect(rig.Visor.GuestAttest(1, Nonce, small), SliceError.BufferTooSmall);
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Successful_Attest_and_GuestAttest_allocate_only_what_the_BCL_signature_does()
    {
        using Rig rig = Make();
        byte[] report = new byte[ReportLayout.ReportSize];
        long attest = Measure(() =>
        {
            rig.KeepLogRoom();
            Expect(rig.Visor.Attest(1, Nonce, report), SliceError.None);
            Expect(rig.Visor.GuestAttest(1, Nonce, report), SliceError.None);
        }) / (2 * Cycles);
        // The same kind of key as the slicevisor's: imported from a private scalar (ECParameters.D).
        using var generated = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var key = ECDsa.Create(generated.ExportParameters(includePrivateParameters: true));
        byte[] digest = new byte[48];
        byte[] signature = new byte[ReportLayout.SignatureSize];
        long sign = Measure(() => _ = key.TrySignHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out _)) / Cycles;
        Assert.True(attest <= sign, $"an attestation allocated {attest} B, the ECDSA signature alone {sign} B");
    }

    [Fact]
    public void Hardware_fault_quarantines_and_the_completing_destroy_allocate_zero_bytes()
    {
        using Rig rig = Make();
        SliceRequest request = Request([4, 5], [new MemoryRange(FreeBase, 1 * MiB)], [2], 1UL << 4);
        int round = 0;
        long bytes = Measure(() =>
        {
            rig.KeepLogRoom();
            SliceResult c = rig.Visor.CreateSlice(request);
            Expect(c, SliceError.None);
            switch (round++ % 5)
            {
                case 0:
                    rig.Machine.FailNextResets(5);
                    Expect(rig.Visor.StartSlice(c.Slot), SliceError.CoreResetFault);
                    break;
                case 1:
                    rig.Machine.FailNextIommuChanges(2);
                    Expect(rig.Visor.StartSlice(c.Slot), SliceError.IommuFault);
                    break;
                case 2:
                    rig.Machine.CorruptNextRegisterWrite(4);
                    Expect(rig.Visor.StartSlice(c.Slot), SliceError.LoaderFault);
                    break;
                case 3:
                    Expect(rig.Visor.StartSlice(c.Slot), SliceError.None);
                    rig.Machine.FailNextResets(4);
                    Expect(rig.Visor.DestroySlice(c.Slot), SliceError.CoreResetFault);
                    break;
                default:
                    Expect(rig.Visor.StartSlice(c.Slot), SliceError.None);
                    rig.Machine.FailNextIommuChanges(2);
                    Expect(rig.Visor.DestroySlice(c.Slot), SliceError.IommuFault);
                    break;
            }
            Expect(rig.Visor.DestroySlice(c.Slot), SliceError.None);
        });
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Read_only_queries_and_the_filter_check_allocate_zero_bytes()
    {
        using Rig rig = Make();
        long bytes = Measure(() =>
        {
            ulong sum = rig.Visor.BootCounter + rig.Visor.SliceBootId(1) + rig.Visor.SliceBootId(0);
            sum += (ulong)(rig.Table.CoreOwner(1) + rig.Table.DeviceOwner(0) + rig.Table.WayOwner(2) + rig.Table.MemoryOwner(Slot1Base));
            sum += (ulong)rig.Visor.Log.Entry(0).Length + (ulong)rig.Visor.Log.Head.Length + (ulong)rig.Visor.AttestationPublicKey.Length;
            if (!rig.Machine.FilterAllows(1, Slot1Base + 8, Permissions.Read) || rig.Machine.FilterAllows(1, FreeBase, Permissions.Write)
                || sum == 0)
            {
                throw new InvalidOperationException("queries");
            }
        });
        Assert.Equal(0, bytes);
    }
}
