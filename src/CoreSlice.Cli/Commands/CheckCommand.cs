using System.CommandLine;
using CoreSlice.Cli.Check;
using CoreSlice.Simulation;

namespace CoreSlice.Cli.Commands;

/// <summary><c>coreslice check</c>: a machine description and a slice layout, checked by the real slicevisor before anything boots.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var machine = new Option<FileInfo>("--machine")
        {
            Description = "Machine description (JSON)",
            Required = true,
        };
        var layout = new Option<FileInfo>("--layout")
        {
            Description = "Slice layout (JSON; format in docs/check.md)",
            Required = true,
        };
        Option<string> format = CommonOptions.Format();
        var svg = new Option<FileInfo?>("--svg") { Description = "Also write a picture of the partition to this SVG file" };
        var command = new Command("check", "Check a machine description and a slice layout with the real slicevisor; report every problem and what is left free")
        {
            machine, layout, format, svg,
        };
        command.SetAction(result => Guard.Run(() =>
            Run(result.GetValue(machine)!, result.GetValue(layout)!, result.GetValue(format)!, result.GetValue(svg), Console.Out)));
        return command;
    }

    /// <summary>The command's body (tests call it with their own writer). Unreadable input throws <see cref="UsageException"/>.</summary>
    public static int Run(FileInfo machine, FileInfo layout, string format, FileInfo? svg, TextWriter output)
    {
        foreach ((FileInfo file, string what) in new[] { (machine, "machine description"), (layout, "layout") })
        {
            if (!file.Exists)
            {
                throw new UsageException($"{file.FullName}: no such {what}");
            }
        }
        CheckReport report;
        try
        {
            // Positions name the files as the user gave them (FileInfo keeps the original path).
            report = Checker.Run(machine.ToString(), layout.ToString());
        }
        catch (DescriptionException e)
        {
            throw new UsageException(e.Message, e);
        }
        catch (InputException e)
        {
            throw new UsageException(e.Message, e);
        }
        ReportWriter.Write(output, report, format);
        if (svg is not null)
        {
            File.WriteAllText(svg.FullName, SvgMap.Render(report));
        }
        return report.ExitCode;
    }
}
