using System.CommandLine;
using System.Text;
using System.Text.Json;
using CoreSlice.Harness.Check;
using CoreSlice.Harness.Pmp;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;
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
        (MachineConfig config, PmpGeometry geometry, Layout slices) = Read(machine, layout);
        (List<HartEntries> harts, List<Refusal> refusals) = PmpBoot.Boot(config, geometry, slices);
        if (format == "json")
        {
            output.WriteLine(Json(harts, refusals));
        }
        else
        {
            output.Write(Text(geometry, harts, refusals));
        }
        return refusals.Count == 0 ? ExitCode.Holds : ExitCode.Violated;
    }

    private static (MachineConfig, PmpGeometry, Layout) Read(FileInfo machine, FileInfo layout)
    {
        try
        {
            InputFiles.MustBeReadable(machine.FullName, "machine description");
            InputFiles.MustBeReadable(layout.FullName, "layout");
            if (!PmpMachineDescription.IsPmp(machine.FullName))
            {
                throw new UsageException($"{machine.FullName}: not a RISC-V PMP machine description (no \"pmp\" field)");
            }
            (MachineConfig config, PmpGeometry geometry) = PmpMachineDescription.Load(machine.FullName);
            return (config, geometry, LayoutReader.Load(layout.FullName));
        }
        catch (DescriptionException e)
        {
            throw new UsageException(e.Message, e);
        }
        catch (InputException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    private static string Json(List<HartEntries> harts, List<Refusal> refusals)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("harts");
            foreach (HartEntries h in harts)
            {
                w.WriteStartObject();
                w.WriteNumber("hart", h.Hart);
                w.WriteString("slice", h.Slice);
                w.WriteNumber("used", h.Used);
                w.WriteStartArray("entries");
                for (int i = 0; i < h.Entries.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", i);
                    w.WriteString("pmpcfg", $"0x{h.Entries[i].Config:x2}");
                    w.WriteString("pmpaddr", $"0x{h.Entries[i].Address:x}");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("refused");
            foreach (Refusal r in refusals)
            {
                w.WriteStartObject();
                w.WriteString("slice", r.Slice);
                w.WriteString("operation", r.Operation);
                w.WriteString("error", r.Error.ToString());
                w.WriteNumber("subject", r.Subject);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Text(PmpGeometry geometry, List<HartEntries> harts, List<Refusal> refusals)
    {
        var sb = new StringBuilder();
        foreach (HartEntries h in harts)
        {
            sb.Append($"hart {h.Hart} (slice {h.Slice}): {h.Used} of {geometry.Entries} entries used\n");
            int fillers = 0;
            for (int i = 0; i < h.Entries.Length; i++)
            {
                PmpEntry e = h.Entries[i];
                if (e == PmpCfg.LockedOff && i > 0 && i < h.Entries.Length - 1 && h.Entries[i + 1].Mode != PmpCfg.Tor)
                {
                    fillers++;
                    continue;
                }
                sb.Append($"  [{i,2}] pmpcfg 0x{e.Config:x2} pmpaddr 0x{e.Address:x16}  {Describe(h.Entries, i, geometry.Granularity)}\n");
            }
            if (fillers > 0)
            {
                sb.Append($"  ({fillers} locked OFF entries not shown: pmpcfg 0x80 pmpaddr 0x0)\n");
            }
        }
        foreach (Refusal r in refusals)
        {
            sb.Append($"slice {r.Slice}: {r.Operation} refused: {r.Error} (subject {r.Subject})\n");
        }
        return sb.ToString();
    }

    private static string Describe(PmpEntry[] entries, int i, int granularity)
    {
        PmpEntry e = entries[i];
        string mode = e.Mode switch { PmpCfg.Tor => "TOR", PmpCfg.Na4 => "NA4", PmpCfg.Napot => "NAPOT", _ => "OFF" };
        string rwx = $"{((e.Config & PmpCfg.R) != 0 ? 'R' : '-')}{((e.Config & PmpCfg.W) != 0 ? 'W' : '-')}{((e.Config & PmpCfg.X) != 0 ? 'X' : '-')}";
        string span = PmpRules.Interval(entries, i, granularity, out ulong first, out ulong last)
            ? $" [0x{first:x}, 0x{last:x}]"
            : e.Mode == PmpCfg.Off ? " (holds the next TOR entry's bottom, or nothing)" : " (matches nothing)";
        return $"{mode} {rwx}{(e.Locked ? " L" : string.Empty)}{span}";
    }
}
