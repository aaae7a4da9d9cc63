using CoreSlice.Attestation;
using CoreSlice.Log;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// S11 in the code: what a guest's mailbox call tells it does not depend on what other domains did
/// after the control slice started it. The report's log point and boot counter are those of its
/// own start, and a full log (which every guest's calls fill) never refuses it.
/// </summary>
public sealed class GuestReportIsolationTests
{
    private const int GuestCore = 2; // a core of AttestationRig.Request

    /// <summary>Cores 4, 5; 8 MiB at 48 MiB; ways 0b1000: a second guest beside the rig's request.</summary>
    private static SliceRequest Other => new()
    {
        Cores = new[] { 4, 5 },
        Ranges = new[] { new MemoryRange(48 * AttestationRig.MiB, 8 * AttestationRig.MiB) },
        Ways = 0b1000,
        EntryPoint = 48 * AttestationRig.MiB,
    };

    [Fact]
    public void S11_a_guest_report_carries_the_log_point_and_boot_counter_of_its_start()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();                                   // create, load, start: 3 entries
        byte[] headAtStart = rig.Slicevisor.Log.Head.ToArray();
        SliceResult other = rig.Slicevisor.CreateSlice(Other);     // the control slice goes on with another slot
        Assert.True(other.Ok, other.ToString());
        Assert.True(rig.Slicevisor.StartSlice(other.Slot).Ok);

        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.Equal(SliceResult.Success(slot), rig.Slicevisor.GuestAttest(GuestCore, AttestationRig.Nonce(3), report));
        AttestationReport r = AttestationReport.TryDecode(report, out string? problem) ?? throw new InvalidOperationException(problem);
        Assert.Equal((1, 3UL, 1UL), ((int)r.Requester, r.LogSequence, r.BootCounter));
        Assert.Equal(headAtStart, r.LogHead);
        // The head is the chain through the guest's own StartSlice entry: the log's first three entries.
        byte[] log = rig.LogBytes();
        Assert.True(DecisionLogVerifier.VerifyFromGenesis(log.AsSpan(0, 3 * DecisionLogLayout.EntrySize), rig.Slicevisor.Log.Identity, r.LogHead).Valid);

        // The manager's report of the same slot carries the current values.
        AttestationReport m = AttestationReport.TryDecode(rig.Attest(slot, AttestationRig.Nonce(4)), out problem) ?? throw new InvalidOperationException(problem);
        Assert.Equal((0, 6UL, 2UL), ((int)m.Requester, m.LogSequence, m.BootCounter));
    }

    [Fact]
    public void S11_another_guests_calls_and_the_managers_requests_on_other_slots_do_not_change_a_guests_report()
    {
        byte[] quiet = GuestReportBody(busy: false);
        byte[] busy = GuestReportBody(busy: true);
        Assert.Equal(quiet, busy);
    }

    /// <summary>
    /// The signed body (the ECDSA signature is randomized) of the rig's guest's report, after a run that
    /// differs from the quiet one only in actions of the control slice on another slot and of that slot's guest,
    /// which fill the log to capacity.
    /// </summary>
    private static byte[] GuestReportBody(bool busy)
    {
        using var rig = new AttestationRig(logCapacity: 8);
        _ = rig.Launch();
        if (busy)
        {
            SliceResult other = rig.Slicevisor.CreateSlice(Other);
            Assert.True(other.Ok, other.ToString());
            Assert.True(rig.Slicevisor.StartSlice(other.Slot).Ok);
            byte[] scratch = new byte[ReportLayout.ReportSize];
            for (int i = 0; i < 8; i++)
            {
                _ = rig.Slicevisor.GuestAttest(4, AttestationRig.Nonce((byte)i), scratch); // the other guest's mailbox
            }
            Assert.False(rig.Slicevisor.Log.AcceptsRequests);
            Assert.NotEqual(0UL, rig.Slicevisor.Log.UnrecordedWhileFull);
        }
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.Equal(SliceError.None, rig.Slicevisor.GuestAttest(GuestCore, AttestationRig.Nonce(9), report).Error);
        return report.AsSpan(0, ReportLayout.BodySize).ToArray();
    }
}
