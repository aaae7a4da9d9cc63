using System.Globalization;
using System.Security;
using System.Text;
using CoreSlice.Simulation;

namespace CoreSlice.Harness.Check;

/// <summary>
/// A picture of the partition after the check: a grid of cores, a bar per RAM region
/// (reserved, control, each slice's ranges, windows, free space), devices and
/// cache ways — coloured by owner, with a legend. A window is shared by exactly two
/// parties, so it is drawn in both their colours: the control slice's above, the guest's below. Ranges too small to see at the bar's
/// scale get a minimum width, and every segment is also named in a key under its bar,
/// so nothing depends on a label fitting inside a sliver.
/// </summary>
internal static class SvgMap
{
    private const double Width = 1000;
    private const double Margin = 20;
    private const double BarWidth = Width - 2 * Margin;
    private const double MinSegment = 4;
    private const string ControlColour = "#37474f";
    private const string ReservedColour = "#9e9e9e";
    private const string FreeColour = "#ffffff";

    private static readonly string[] Palette =
    [
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
        "#edc948", "#ff9da7", "#9c755f", "#8cd17d", "#86bcb6", "#d37295",
    ];

    /// <summary>A stretch of a RAM bar; <paramref name="SharedColour"/> is the second party's colour for a window.</summary>
    private sealed record Segment(MemoryRange Range, string Colour, string Label, bool Hatched, string? SharedColour = null);

    public static string Render(CheckReport report)
    {
        MachineConfig m = report.Machine;
        var body = new StringBuilder();
        double y = Margin;

        string title = $"coreslice check: {Path.GetFileName(report.MachineFile)} + {Path.GetFileName(report.LayoutFile)}";
        string verdict = report.Valid ? "valid" : $"REJECTED: {report.ErrorCount} error(s)";
        Text(body, Margin, y + 16, title, 18, "#000", bold: true);
        Text(body, Width - Margin, y + 16, verdict, 16, report.Valid ? "#2e7d32" : "#c62828", bold: true, anchor: "end");
        y += 30;

        // Owner colours: slices by layout order (a slice that was not created keeps its colour in the legend).
        var colours = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < report.Slices.Count; i++)
        {
            colours[report.Slices[i].Name] = Palette[i % Palette.Length];
        }
        var slotOwner = new Dictionary<int, SliceOutcome>();
        foreach (SliceOutcome s in report.Slices)
        {
            if (s.Slot is int slot)
            {
                slotOwner[slot] = s;
            }
        }

        y = Legend(body, report, colours, y);

        if (report.Free is null)
        {
            Text(body, Margin, y + 20, "The machine description has problems: no slice was checked (see the text or JSON report).", 13, "#c62828");
            return Wrap(body, y + 40);
        }

        // Cores.
        y = Heading(body, y, $"Cores ({m.CoreCount}; {report.Free.Cores.Length} free)");
        y = Cells(body, y, m.CoreCount, 28, 3, i => CoreOwner(i, m, report.Slices, colours), i => i.ToString(CultureInfo.InvariantCulture));

        // Memory.
        for (int r = 0; r < m.RamRegions.Length; r++)
        {
            MemoryRange ram = m.RamRegions[r];
            y = Heading(body, y, $"RAM region {r}: {Hex.Range(ram)} {Hex.Size(ram.Size)}; {Hex.Size(report.Free.Memory[r].FreeBytes)} free");
            y = Bar(body, y, ram, Segments(ram, m, report.Slices, colours));
        }

        // Devices and ways.
        if (m.DeviceCount > 0)
        {
            y = Heading(body, y, $"Devices ({m.DeviceCount}; {report.Free.Devices.Length} free)");
            y = Cells(body, y, m.DeviceCount, 22, 3, i => Owned(i, report.Slices, s => s.Devices, colours), i => i.ToString(CultureInfo.InvariantCulture));
        }
        // One row of ways per cache domain (socket); the report names way w of domain d as 64 * d + w.
        var domains = new CacheDomainMap(m);
        for (int d = 0; d < domains.Count; d++)
        {
            int first = 64 * d;
            int free = report.Free.Ways.Count(w => w / 64 == d);
            ulong control = domains.ControlWays(d);
            string heading = domains.Count == 1 ? "Cache ways" : $"Cache ways, domain {d} (cores {CoreSpans(m, domains, d)})";
            y = Heading(body, y, $"{heading} ({domains.Ways(d)}; {free} free)");
            y = Cells(body, y, domains.Ways(d), 28, 3,
                i => (control >> i & 1) != 0 ? (ControlColour, "control slice") : Owned(first + i, report.Slices, s => s.Ways, colours),
                i => i.ToString(CultureInfo.InvariantCulture));
        }

        y += 8;
        if (!report.Valid)
        {
            Text(body, Margin, y + 12, $"{report.ErrorCount} problem(s) — rejected items are not drawn; see the text or JSON report for each, with file:line:column.", 12, "#c62828");
            y += 18;
        }
        return Wrap(body, y + Margin);
    }

    private static double Legend(StringBuilder body, CheckReport report, Dictionary<string, string> colours, double y)
    {
        var entries = new List<(string Colour, string Label, bool Hatched, string? Second)>();
        foreach (SliceOutcome s in report.Slices)
        {
            string state = s.Slot is int slot ? $"slot {slot}" + (s.AsDeclared ? "" : ", partly rejected") : "not created";
            entries.Add((colours[s.Name], $"{s.Name} ({state})", false, null));
        }
        entries.Add((ControlColour, "control slice", false, null));
        entries.Add((ReservedColour, "reserved", true, null));
        string? guest = report.Slices.FirstOrDefault(s => s.Windows.Any(w => w.Mapped))?.Name;
        if (guest is not null)
        {
            entries.Add((ControlColour, "window: control slice (above) + one guest (below)", true, colours[guest]));
        }
        entries.Add((FreeColour, "free", false, null));
        double x = Margin;
        y += 4;
        foreach ((string colour, string label, bool hatched, string? second) in entries)
        {
            double w = 18 + 8 + TextWidth(label, 12) + 18;
            if (x + w > Width - Margin)
            {
                x = Margin;
                y += 22;
            }
            Fill(body, x, y, 16, 16, colour, second, hatched);
            Text(body, x + 22, y + 12.5, label, 12, "#000");
            x += w;
        }
        return y + 30;
    }

    private static double Heading(StringBuilder body, double y, string text)
    {
        Text(body, Margin, y + 14, text, 13, "#000", bold: true);
        return y + 22;
    }

    private static double Cells(StringBuilder body, double y, int count, double size, double gap, Func<int, (string Colour, string Owner)> owner, Func<int, string> label)
    {
        // Rows of 32 (or 16) keep sockets and core numbering readable; shrink the cells to fit.
        int perRow = count > 16 ? 32 : 16;
        size = Math.Min(size, Math.Floor((BarWidth + gap) / perRow - gap));
        for (int i = 0; i < count; i++)
        {
            double x = Margin + (i % perRow) * (size + gap);
            double cy = y + (i / perRow) * (size + gap);
            (string colour, string who) = owner(i);
            body.Append(CultureInfo.InvariantCulture, $"<g><title>{Esc(label(i))}: {Esc(who)}</title>");
            Rect(body, x, cy, size, size, colour, false);
            Text(body, x + size / 2, cy + size / 2 + 4, label(i), size >= 26 ? 11 : 9, InkOn(colour), anchor: "middle");
            body.Append("</g>\n");
        }
        int rows = (count + perRow - 1) / perRow;
        return y + rows * (size + gap) + 12;
    }

    private static (string, string) CoreOwner(int core, MachineConfig m, IReadOnlyList<SliceOutcome> slices, Dictionary<string, string> colours) =>
        m.ControlCores.IndexOf(core) >= 0 ? (ControlColour, "control slice") : Owned(core, slices, s => s.Cores, colours);

    private static (string, string) Owned(int index, IReadOnlyList<SliceOutcome> slices, Func<SliceOutcome, int[]> pick, Dictionary<string, string> colours)
    {
        foreach (SliceOutcome s in slices)
        {
            if (s.Slot is not null && Array.IndexOf(pick(s), index) >= 0)
            {
                return (colours[s.Name], s.Name);
            }
        }
        return (FreeColour, "free");
    }

    private static List<Segment> Segments(MemoryRange ram, MachineConfig m, IReadOnlyList<SliceOutcome> slices, Dictionary<string, string> colours)
    {
        var list = new List<Segment>();
        foreach (NamedRegion r in m.ReservedRegions)
        {
            if (r.Range.IsRepresentable && r.Range.Overlaps(ram))
            {
                list.Add(new Segment(ram.Intersect(r.Range), ReservedColour, r.Name, true));
            }
        }
        foreach (MemoryRange c in m.ControlMemory)
        {
            if (c.Overlaps(ram))
            {
                list.Add(new Segment(ram.Intersect(c), ControlColour, "control", false));
            }
        }
        foreach (SliceOutcome s in slices)
        {
            foreach (MemoryRange r in s.Memory)
            {
                if (r.Overlaps(ram))
                {
                    list.Add(new Segment(ram.Intersect(r), colours[s.Name], s.Name, false));
                }
            }
        }
        var used = list.Select(sg => sg.Range).ToList();
        foreach (MemoryRange f in Checker.Subtract(ram, used))
        {
            list.Add(new Segment(f, FreeColour, "free", false));
        }
        // Windows are drawn over the control memory they lie in, in the colours of both parties that share them.
        foreach (SliceOutcome s in slices)
        {
            foreach (WindowOutcome w in s.Windows.Where(w => w.Mapped && w.Range.Overlaps(ram)))
            {
                list.Add(new Segment(ram.Intersect(w.Range), ControlColour, $"window {w.Name} {PermissionText.Of(w.Permissions)}: control + {s.Name}", true, colours[s.Name]));
            }
        }
        return list;
    }

    private static double Bar(StringBuilder body, double y, MemoryRange ram, List<Segment> segments)
    {
        const double height = 34;
        double Scale(ulong address) => Margin + (double)(address - ram.Base) / ram.Size * BarWidth;
        Rect(body, Margin, y, BarWidth, height, FreeColour, false);
        // Draw big segments first so a minimum-width sliver is never hidden under a neighbour;
        // labels afterwards, each in the widest part of its segment that nothing drawn later covers.
        var drawn = new List<(Segment Segment, double X, double W)>();
        foreach (Segment s in segments.OrderByDescending(s => s.Range.Size).ThenBy(s => s.Hatched))
        {
            double x0 = Scale(s.Range.Base);
            double w = Math.Max(MinSegment, Scale(s.Range.Limit) - x0);
            x0 = Math.Min(x0, Margin + BarWidth - w);
            body.Append(CultureInfo.InvariantCulture, $"<g><title>{Esc(s.Label)}: {Esc(Hex.Range(s.Range))} {Hex.Size(s.Range.Size)}</title>");
            Fill(body, x0, y, w, height, s.Colour, s.SharedColour, s.Hatched);
            body.Append("</g>\n");
            drawn.Add((s, x0, w));
        }
        for (int i = 0; i < drawn.Count; i++)
        {
            (Segment s, double x0, double w) = drawn[i];
            (double gx, double gw) = WidestUncovered(x0, w, drawn.Skip(i + 1).Select(d => (d.X, d.W)));
            // A window's label crosses both colours: black with a white halo reads on either.
            bool halo = s.SharedColour is not null;
            string ink = s.Hatched ? "#000" : InkOn(s.Colour);
            string label = $"{s.Label} {Hex.Size(s.Range.Size)}";
            if (TextWidth(label, 11) + 8 < gw)
            {
                Text(body, gx + gw / 2, y + height / 2 + 4, label, 11, ink, anchor: "middle", halo: halo);
            }
            else if (TextWidth(s.Label, 10) + 6 < gw)
            {
                Text(body, gx + gw / 2, y + height / 2 + 4, s.Label, 10, ink, anchor: "middle", halo: halo);
            }
        }
        Text(body, Margin, y + height + 13, Hex.Of(ram.Base), 10, "#555");
        Text(body, Margin + BarWidth, y + height + 13, Hex.Of(ram.Limit), 10, "#555", anchor: "end");
        y += height + 20;

        // Key: every segment in address order, so slivers are named too.
        double x = Margin;
        foreach (Segment s in segments.OrderBy(s => s.Range.Base).ThenBy(s => s.Hatched))
        {
            string label = $"{s.Label} {Hex.Of(s.Range.Base)} {Hex.Size(s.Range.Size)}";
            double w = 14 + TextWidth(label, 10) + 14;
            if (x + w > Width - Margin)
            {
                x = Margin;
                y += 16;
            }
            Fill(body, x, y + 2, 10, 10, s.Colour, s.SharedColour, s.Hatched);
            Text(body, x + 14, y + 11, label, 10, "#333");
            x += w;
        }
        return y + 26;
    }

    /// <summary>The widest stretch of [x, x + w) that none of <paramref name="covers"/> overlaps.</summary>
    private static (double X, double W) WidestUncovered(double x, double w, IEnumerable<(double X, double W)> covers)
    {
        var cuts = covers.Where(c => c.X < x + w && c.X + c.W > x).OrderBy(c => c.X).ToList();
        (double X, double W) best = (x, 0);
        double at = x;
        foreach ((double cx, double cw) in cuts)
        {
            if (cx - at > best.W)
            {
                best = (at, cx - at);
            }
            at = Math.Max(at, cx + cw);
        }
        if (x + w - at > best.W)
        {
            best = (at, x + w - at);
        }
        return best;
    }

    private static string Wrap(StringBuilder body, double height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Math.Ceiling(height)}\" viewBox=\"0 0 {Width} {Math.Ceiling(height)}\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n");
        svg.Append("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<rect width=\"6\" height=\"6\" fill=\"none\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#000\" stroke-opacity=\"0.35\" stroke-width=\"2\"/></pattern></defs>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Math.Ceiling(height)}\" fill=\"#fafafa\"/>\n");
        svg.Append(body);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>A rectangle in one colour, or split in two (<paramref name="second"/> below) for what two parties share.</summary>
    private static void Fill(StringBuilder body, double x, double y, double w, double h, string colour, string? second, bool hatched)
    {
        if (second is null)
        {
            Rect(body, x, y, w, h, colour, hatched);
            return;
        }
        Rect(body, x, y, w, h / 2, colour, hatched);
        Rect(body, x, y + h / 2, w, h / 2, second, hatched);
    }

    private static void Rect(StringBuilder body, double x, double y, double w, double h, string fill, bool hatched)
    {
        body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{w:0.##}\" height=\"{h:0.##}\" fill=\"{fill}\" stroke=\"#616161\" stroke-width=\"0.6\"/>");
        if (hatched)
        {
            body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{w:0.##}\" height=\"{h:0.##}\" fill=\"url(#hatch)\"/>");
        }
    }

    private static void Text(StringBuilder body, double x, double y, string text, double size, string fill, bool bold = false, string anchor = "start", bool halo = false) =>
        body.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x:0.##}\" y=\"{y:0.##}\" font-size=\"{size}\" fill=\"{fill}\" text-anchor=\"{anchor}\"{(bold ? " font-weight=\"bold\"" : "")}"
            + $"{(halo ? " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"" : "")}>{Esc(text)}</text>\n");

    /// <summary>A generous estimate of rendered width (DejaVu Sans averages about 0.6 em per character).</summary>
    private static double TextWidth(string text, double size) => text.Length * size * 0.62;

    /// <summary>Black or white, whichever reads better on <paramref name="colour"/>.</summary>
    private static string InkOn(string colour)
    {
        int r = Convert.ToInt32(colour[1..3], 16), g = Convert.ToInt32(colour[3..5], 16), b = Convert.ToInt32(colour[5..7], 16);
        return (0.299 * r) + (0.587 * g) + (0.114 * b) > 150 ? "#000" : "#fff";
    }

    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";

    /// <summary>The cores of <paramref name="domain"/> as spans, e.g. "0-31, 64-95".</summary>
    private static string CoreSpans(MachineConfig m, CacheDomainMap domains, int domain)
    {
        var spans = new List<string>();
        int start = -1;
        for (int c = 0; c <= m.CoreCount; c++)
        {
            bool inside = c < m.CoreCount && domains.DomainOf(c) == domain;
            if (inside && start < 0)
            {
                start = c;
            }
            else if (!inside && start >= 0)
            {
                spans.Add(start == c - 1 ? start.ToString(CultureInfo.InvariantCulture) : $"{start}-{c - 1}");
                start = -1;
            }
        }
        return string.Join(", ", spans);
    }
}
