using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The choices <c>coreslice verify</c> makes, called as a library: which spec (<see cref="SpecDiscovery"/>),
/// which solver (<see cref="Solvers"/>), which report format (<see cref="ReportWriter.Write"/>), and the
/// cross-check's closing lines and exit code (<see cref="CrossCheck.Summary"/>, <see cref="CrossCheck.ExitCode"/>).
/// </summary>
public sealed class VerifyChoicesTests
{
    [Fact]
    public void The_spec_of_a_checkout_is_found_from_any_folder_below_it_and_nothing_outside_one()
    {
        string root = Directory.CreateTempSubdirectory("coreslice-spec-").FullName;
        try
        {
            string nested = Directory.CreateDirectory(Path.Combine(root, "src", "deep")).FullName;
            Directory.CreateDirectory(Path.Combine(root, "spec"));
            File.WriteAllText(Path.Combine(root, "spec", "obligations.txt"), "");
            Assert.Null(SpecDiscovery.Find(nested)); // a spec/ without CoreSlice.sln beside it is not a checkout's
            File.WriteAllText(Path.Combine(root, "CoreSlice.sln"), "");
            Assert.Equal(Path.Combine(root, "spec"), SpecDiscovery.Find(Path.GetTempPath(), nested));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_named_spec_directory_is_the_one_loaded_and_a_missing_one_is_a_spec_problem()
    {
        string spec = SpecDiscovery.Find(AppContext.BaseDirectory)!;
        Assert.Equal(Path.GetFullPath(spec), SpecDiscovery.Load(spec).Source);
        var e = Assert.Throws<SpecException>(() => SpecDiscovery.Load("/nonexistent-spec"));
        Assert.Equal("spec directory not found: /nonexistent-spec", e.Message);
    }

    [Fact]
    public void Solvers_and_formats_are_chosen_by_name_and_any_other_name_is_refused()
    {
        Assert.Equal(["z3", "cvc5"], Solvers.Names);
        Assert.Throws<ArgumentOutOfRangeException>(() => Solvers.TryCreate("yices", out _));
        Assert.Equal(["text", "json", "junit"], ReportWriter.Formats);
        var report = new VerifyReport("z3 test", "built-in", [new ObligationResult("init/Inv", ObligationStatus.Proved, 5, null, null)], 5);
        Assert.Equal(ReportWriter.Text(report), ReportWriter.Write(report, "text"));
        Assert.Equal(ReportWriter.Json(report), ReportWriter.Write(report, "json"));
        Assert.Equal(ReportWriter.JUnit(report), ReportWriter.Write(report, "junit"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportWriter.Write(report, "xml"));
    }

    [Fact]
    public void The_cross_check_summary_counts_what_was_asked_and_lists_each_disagreement()
    {
        var report = new VerifyReport("cvc5 test", "built-in",
        [
            new ObligationResult("a", ObligationStatus.Proved, 1, null, null),
            new ObligationResult("b", ObligationStatus.Unknown, 1, null, null),
            new ObligationResult("c", ObligationStatus.Error, 1, null, null),
        ], 3);
        Assert.Equal(
            "cross-check against z3.json: 3 obligations asked, 7 not asked (a lambda used as an array value, in the witness states or in a definition they use, " +
            "which cvc5 test does not read); 1 proved by both, 1 unknown here, 1 error here, 1 disagreement(s)" + Environment.NewLine +
            "DISAGREEMENT a: cvc5 test says proved, the first solver failed" + Environment.NewLine,
            CrossCheck.Summary(report, ["a: cvc5 test says proved, the first solver failed"], 7, "cvc5 test", "z3.json"));
        Assert.Equal(1, CrossCheck.ExitCode(report, ["a: disagreement"]));
        Assert.Equal(2, CrossCheck.ExitCode(report, []));
        Assert.Equal(0, CrossCheck.ExitCode(report with { Results = [report.Results[0], report.Results[1]] }, []));
    }
}
