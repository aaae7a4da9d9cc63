using CoreSlice.Attestation;
using CoreSlice.Manager.Verification;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>Attestation on the simulated machine: its root key, its measurements, its guests.</summary>
public sealed class SimulatedAttestationTests
{
    private static Slicevisor<SimulatedHardwarePort> Boot(out SimulatedMachine machine)
    {
        machine = new SimulatedMachine(AttestationRig.Config);
        return new Slicevisor<SimulatedHardwarePort>(AttestationRig.Config, machine.OpenPrivilegedPort(), PlatformMeasurements.Measure(), 64);
    }

    [Fact]
    public void Each_simulated_machine_has_its_own_root_key()
    {
        using var a = Boot(out _);
        using var b = Boot(out _);
        Assert.False(a.AttestationPublicKey.SequenceEqual(b.AttestationPublicKey));
    }

    [Fact]
    public void Platform_measurements_are_stable_SHA384_digests_of_the_TCB()
    {
        PlatformIdentity first = PlatformMeasurements.Measure();
        PlatformIdentity second = PlatformMeasurements.Measure();
        Assert.True(first.SlicevisorMeasurement.SequenceEqual(second.SlicevisorMeasurement));
        Assert.True(first.SliceloaderMeasurement.SequenceEqual(second.SliceloaderMeasurement));
        Assert.False(first.SlicevisorMeasurement.SequenceEqual(first.SliceloaderMeasurement));
        Assert.Contains(first.SlicevisorMeasurement.ToArray(), b => b != 0);
    }

    [Fact]
    public void S8_guest_on_the_simulated_machine_attests_through_its_mailbox()
    {
        using var visor = Boot(out SimulatedMachine machine);
        SliceResult created = visor.CreateSlice(AttestationRig.Request);
        Assert.True(created.Ok, created.ToString());
        Assert.True(visor.LoadImage(created.Slot, (32 * AttestationRig.MiB) + 4096, AttestationRig.Image).Ok);
        Assert.True(visor.StartSlice(created.Slot).Ok);
        Assert.Equal(Hardware.CoreMode.Guest, machine.Mode(2));

        byte[] nonce = AttestationRig.Nonce(42);
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.True(visor.GuestAttest(2, nonce, report).Ok);
        PlatformIdentity platform = PlatformMeasurements.Measure();
        ReportVerification v = ReportVerifier.Verify(report, visor.AttestationPublicKey, new ReportExpectations
        {
            Nonce = nonce,
            ImageMeasurement = AttestationRig.ExpectedMeasurement(),
            SlicevisorMeasurement = platform.SlicevisorMeasurement.ToArray(),
            SliceloaderMeasurement = platform.SliceloaderMeasurement.ToArray(),
            Assignment = ExpectedAssignment.From(AttestationRig.Request),
            State = SliceState.Running,
        });
        Assert.True(v.Valid, string.Join("; ", v.Mismatches));
        Assert.Empty(GuestResourceCheck.Check(v.Report!, ExpectedAssignment.From(AttestationRig.Request)));
    }
}
