using System.CommandLine;
using CoreSlice.Manager.Verification;

using CoreSlice.Harness.Files;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// <c>coreslice log verify FILE [--anchor HEX] [--head HEX] [--format text|json]</c>:
/// checks a decision-log file's hash chain from its genesis (derived from the platform
/// identity in the file's header), or from <c>--anchor</c> for a later batch, and prints the
/// first broken link (an altered, removed, inserted or reordered entry, the first included;
/// entries cut from the end when <c>--head</c> gives the expected head, e.g. from a report),
/// then what it could not check. Exit 0 intact, 1 broken, 2 unreadable.
/// </summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A decision-log file (as simulate --log writes)." };
        var anchor = new Option<string?>("--anchor") { Description = "Hash (64 hex digits) the first entry must link to instead of the genesis: the last hash of the batch before." };
        var head = new Option<string?>("--head") { Description = "Hash (64 hex digits) the chain must end at, e.g. an attestation report's log head." };
        Option<string> format = CommonOptions.Format();

        var verify = new Command("verify", "Check the chain; print the first broken link.") { file, anchor, head, format };
        verify.SetAction(parse => Guard.Run(() => Verify(
            parse.GetValue(file)!, parse.GetValue(anchor), parse.GetValue(head), parse.GetValue(format)!)));
        return new Command("log", "The slicevisor's decision log.") { verify };
    }

    private static int Verify(FileInfo path, string? anchorHex, string? headHex, string format)
    {
        byte[]? entries = DecisionLogFile.Read(path.FullName, out string? problem, out CoreSlice.Attestation.PlatformIdentity? identity);
        if (entries is null)
        {
            throw new UsageException($"{path.Name}: {problem}");
        }
        byte[]? anchor = CliOutput.Hex(anchorHex, 32, "--anchor");
        byte[]? head = CliOutput.Hex(headHex, 32, "--head");
        DecisionLogFileVerification check = DecisionLogFileVerification.Verify(entries, identity!, problem, anchor, head);
        if (format == "json")
        {
            CliOutput.Json(w => LogVerificationWriter.WriteJson(w, check));
        }
        else
        {
            LogVerificationWriter.WriteText(Console.Out, check);
        }
        return check.Valid ? ExitCode.Holds : ExitCode.Violated;
    }
}
