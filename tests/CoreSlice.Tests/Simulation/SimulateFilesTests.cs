using System.Security.Cryptography;
using System.Text;
using CoreSlice.Harness.Files;
using CoreSlice.Harness.Simulate;
using CoreSlice.Manager.Verification;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;
using CoreSlice.Tests.Attestation;
using CoreSlice.Tests.Pmp;
using Xunit;

namespace CoreSlice.Tests.Simulation;

/// <summary>
/// What <c>coreslice simulate</c> reads and writes besides its summary, called as a library: the machine of
/// either description kind, the replayable nonce, the report directory and the decision log's head.
/// </summary>
public sealed class SimulateFilesTests
{
    private static readonly string Root = PmpSlicevisorTests.FindRoot();

    [Fact]
    public void Either_kind_of_description_gives_its_machine()
    {
        string plain = Path.Combine(Root, "examples", "machines", "small-board.json");
        string pmp = Path.Combine(Root, "examples", "machines", "polarfire-soc.json");
        Assert.Equal(MachineDescription.ToJson(MachineDescription.Load(plain)), MachineDescription.ToJson(PmpMachineDescription.LoadMachine(plain)));
        Assert.Equal(MachineDescription.ToJson(PmpMachineDescription.Load(pmp).Config), MachineDescription.ToJson(PmpMachineDescription.LoadMachine(pmp)));
        Assert.Throws<DescriptionException>(() => PmpMachineDescription.LoadMachine(Path.Combine(Root, "examples", "layouts", "small-board-valid.json")));
    }

    [Fact]
    public void The_nonce_of_a_seeded_run_is_derived_from_its_seed()
    {
        Assert.Equal(SHA512.HashData(Encoding.UTF8.GetBytes("coreslice simulate --seed 7")), Scenario.NonceFor(7));
        Assert.Equal(64, Scenario.NonceFor(1).Length);
        Assert.NotEqual(Scenario.NonceFor(1), Scenario.NonceFor(2));
    }

    [Fact]
    public void A_report_directory_holds_the_report_and_a_key_attest_verify_reads()
    {
        string dir = Directory.CreateTempSubdirectory("coreslice-report-").FullName;
        try
        {
            using var rig = new AttestationRig();
            byte[] report = rig.Attest(rig.Launch(), AttestationRig.Nonce(1));
            (string reportPath, string keyPath) = AttestationFiles.WriteReportDirectory(dir, report, rig.PublicKey);
            Assert.Equal(Path.Combine(dir, AttestationFiles.ReportFileName), reportPath);
            Assert.Equal(Path.Combine(dir, AttestationFiles.KeyFileName), keyPath);
            Assert.Equal(report, File.ReadAllBytes(reportPath));
            Assert.Equal(rig.PublicKey, ReportVerifier.ParsePublicKey(File.ReadAllBytes(keyPath)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_head_of_a_log_file_is_its_chain_head_from_the_genesis()
    {
        string dir = Directory.CreateTempSubdirectory("coreslice-log-").FullName;
        try
        {
            using var rig = new AttestationRig();
            _ = rig.Launch();
            string log = Path.Combine(dir, AttestationFiles.LogFileName);
            DecisionLogFile.Write(log, rig.Slicevisor.Log);
            Assert.Equal(rig.Slicevisor.Log.Head.ToArray(), DecisionLogFile.Head(log, out string? problem));
            Assert.Null(problem);
            File.WriteAllText(log, "not a log");
            Assert.Null(DecisionLogFile.Head(log, out problem));
            Assert.NotNull(problem);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
