using System.Text;
using System.Text.Json;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Harness.Pmp;

/// <summary>
/// Prints a <see cref="PmpBootReport"/> for people (text: one block per hart, every entry decoded)
/// or machines (JSON: every entry's raw pmpcfg and pmpaddr), as <c>coreslice pmp</c> does.
/// </summary>
internal static class PmpReportWriter
{
    /// <summary>The report as one indented JSON object (no trailing newline): "harts" and "refused".</summary>
    public static string Json(PmpBootReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("harts");
            foreach (HartEntries h in report.Harts)
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
            foreach (Refusal r in report.Refusals)
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

    /// <summary>
    /// The report as lines ending in '\n': per hart, every entry with its mode, permissions and the
    /// interval it matches (locked OFF fillers counted, not listed); then one line per refused slice.
    /// </summary>
    public static string Text(PmpBootReport report)
    {
        var sb = new StringBuilder();
        foreach (HartEntries h in report.Harts)
        {
            sb.Append($"hart {h.Hart} (slice {h.Slice}): {h.Used} of {report.Geometry.Entries} entries used\n");
            int fillers = 0;
            for (int i = 0; i < h.Entries.Length; i++)
            {
                PmpEntry e = h.Entries[i];
                if (e == PmpCfg.LockedOff && i > 0 && i < h.Entries.Length - 1 && h.Entries[i + 1].Mode != PmpCfg.Tor)
                {
                    fillers++;
                    continue;
                }
                sb.Append($"  [{i,2}] pmpcfg 0x{e.Config:x2} pmpaddr 0x{e.Address:x16}  {Describe(h.Entries, i, report.Geometry.Granularity)}\n");
            }
            if (fillers > 0)
            {
                sb.Append($"  ({fillers} locked OFF entries not shown: pmpcfg 0x80 pmpaddr 0x0)\n");
            }
        }
        foreach (Refusal r in report.Refusals)
        {
            sb.Append($"slice {r.Slice}: {r.Operation} refused: {r.Error} (subject {r.Subject})\n");
        }
        return sb.ToString();
    }

    /// <summary>Entry <paramref name="i"/> in words: mode, permissions, lock and the interval it matches ("NAPOT RWX L [0x84000000, 0x87ffffff]").</summary>
    public static string Describe(PmpEntry[] entries, int i, int granularity)
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
