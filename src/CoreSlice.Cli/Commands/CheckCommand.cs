using System.CommandLine;
using CoreSlice.Harness.Check;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;

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

    private static int Run(FileInfo machine, FileInfo layout, string format, FileInfo? svg, TextWriter output)
    {
        // Every output is checked before anything is printed: exit 2 leaves stdout empty.
        OutputPaths.MustBeWritableFile(svg, "--svg");
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
        string text = format == "json" ? ReportWriter.Json(report) + Environment.NewLine : ReportWriter.Text(report);
        if (svg is not null)
        {
            File.WriteAllText(svg.FullName, SvgMap.Render(report));
        }
        output.Write(text);
        return report.ExitCode;
    }
}
