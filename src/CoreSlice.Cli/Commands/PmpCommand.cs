using System.CommandLine;
using CoreSlice.Harness.Pmp;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// <c>coreslice pmp</c>: boots a layout on a simulated RISC-V PMP machine with the real
/// slicevisor and sliceloader, and prints, for every hart of every slice, the pmpcfg and
/// pmpaddr values the sliceloader wrote (read from the simulated harts afterwards).
/// Exit 0: every slice was created and started; 1: some slice was refused (e.g. its
/// entries do not fit) or a hart did not enter its guest; 2: unusable input.
/// </summary>
internal static class PmpCommand
{
    public static Command Create()
    {
        var machine = new Option<FileInfo>("--machine") { Description = "RISC-V machine description (JSON with a \"pmp\" field)", Required = true };
        var layout = new Option<FileInfo>("--layout") { Description = "Slice layout (JSON; as for check)", Required = true };
        Option<string> format = CommonOptions.Format();
        var command = new Command("pmp", "Print the PMP entries (pmpcfg, pmpaddr) the sliceloader writes on every hart of every slice of a layout")
        {
            machine, layout, format,
        };
        command.SetAction(result => Guard.Run(() =>
            Run(result.GetValue(machine)!, result.GetValue(layout)!, result.GetValue(format)!, Console.Out)));
        return command;
    }

    /// <summary>The command's body; unreadable input throws <see cref="UsageException"/> (before anything is written).</summary>
    public static int Run(FileInfo machine, FileInfo layout, string format, TextWriter output)
    {
        PmpBootReport report;
        try
        {
            report = PmpBoot.Run(machine.FullName, layout.FullName);
        }
        catch (DescriptionException e)
        {
            throw new UsageException(e.Message, e);
        }
        catch (InputException e)
        {
            throw new UsageException(e.Message, e);
        }
        if (format == "json")
        {
            output.WriteLine(PmpReportWriter.Json(report));
        }
        else
        {
            output.Write(PmpReportWriter.Text(report));
        }
        return report.AllStarted ? ExitCode.Holds : ExitCode.Violated;
    }
}
