using System.CommandLine;

namespace CoreSlice.Cli;

/// <summary>Options every subcommand shares, so they read and behave alike.</summary>
internal static class CommonOptions
{
    /// <summary>The output format: text for people, json for machines.</summary>
    public static Option<string> Format(params string[] formats)
    {
        string[] allowed = formats.Length == 0 ? ["text", "json"] : formats;
        var option = new Option<string>("--format")
        {
            Description = "Output format: " + string.Join("|", allowed),
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }

    /// <summary>A machine description file; the built-in default when absent.</summary>
    public static Option<FileInfo?> Machine() => new("--machine")
    {
        Description = "Machine description (JSON); the built-in default machine when omitted",
    };

    /// <summary>Progress on stderr even when it is not a terminal.</summary>
    public static Option<bool> Progress() => new("--progress")
    {
        Description = "Show progress on stderr even when it is not a terminal (it is shown on a terminal anyway)",
    };

    /// <summary>The hardware port the real slicevisor runs on: the abstract machine's range registers, or RISC-V PMP entries.</summary>
    public static Option<string> Port(string defaultValue, bool auto = false)
    {
        string[] allowed = auto ? ["auto", .. Harness.Ports.Port.Names] : [.. Harness.Ports.Port.Names];
        var option = new Option<string>("--port")
        {
            Description = "Hardware port: " + string.Join("|", allowed) + " (pmp: every hart filters with PMP entries and msip words, through the trusted core's PMP encoder and sliceloader"
                + (auto ? "; auto: a RISC-V machine description's own PMP harts, else the abstract port)" : ")"),
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(allowed);
        return option;
    }
}
