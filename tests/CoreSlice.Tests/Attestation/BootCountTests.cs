using CoreSlice.Attestation;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// The platform's boot count is bound into what a verifier checks: the decision log's genesis
/// (so one boot's log does not verify as another's) and every report's log boot count. Every other
/// test uses boot count 0, where a missing write cannot show.
/// </summary>
public sealed class BootCountTests
{
    [Fact]
    public void A_nonzero_boot_count_is_in_the_reports_and_the_logs_genesis()
    {
        var machine = new FakeMachine();
        var identity = new PlatformIdentity(AttestationRig.SlicevisorMeasurement, AttestationRig.SliceloaderMeasurement, bootCount: 0x0102_0304_0506_0708);
        using var visor = new Slicevisor<FakePort>(AttestationRig.Config, new FakePort(machine), identity, 256);
        SliceResult created = visor.CreateSlice(AttestationRig.Request);
        Assert.True(created.Ok, created.ToString());
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.True(visor.Attest(created.Slot, AttestationRig.Nonce(3), report).Ok);
        Assert.Equal(0x0102_0304_0506_0708UL, BitConverter.ToUInt64(report, ReportLayout.LogBootCount));

        byte[] log = new byte[visor.Log.Count * CoreSlice.Log.DecisionLogLayout.EntrySize];
        Assert.Equal(log.Length, visor.Log.CopyTo(log));
        Assert.True(DecisionLogVerifier.VerifyFromGenesis(log, identity, visor.Log.Head).Valid);
        var bootZero = new PlatformIdentity(AttestationRig.SlicevisorMeasurement, AttestationRig.SliceloaderMeasurement, bootCount: 0);
        Assert.False(DecisionLogVerifier.VerifyFromGenesis(log, bootZero, visor.Log.Head).Valid);
    }

    [Fact]
    public void A_missing_machine_description_or_identity_is_an_argument_null_error_naming_it()
    {
        var machine = new FakeMachine();
        ArgumentNullException c = Assert.Throws<ArgumentNullException>(() => new Slicevisor<FakePort>(null!, new FakePort(machine), PlatformIdentity.Unmeasured, 256));
        Assert.Equal("config", c.ParamName);
        ArgumentNullException i = Assert.Throws<ArgumentNullException>(() => new Slicevisor<FakePort>(AttestationRig.Config, new FakePort(machine), null!, 256));
        Assert.Equal("identity", i.ParamName);
    }
}
