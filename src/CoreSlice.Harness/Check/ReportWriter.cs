using System.Text;
using System.Text.Json;
using CoreSlice.Hardware;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Harness.Check;

/// <summary>Prints a <see cref="CheckReport"/> for people (text) or machines (JSON; schema in docs/check.md).</summary>
internal static class ReportWriter
{
    /// <summary>Version of the JSON schema in docs/check.md; bump on any incompatible change (2: windows are mapped, range permissions, DMA ranges).</summary>
    public const int SchemaVersion = 2;

    // ---------------------------------------------------------------- text

    public static string Text(CheckReport report)
    {
        var o = new StringBuilder();
        MachineConfig m = report.Machine;
        o.AppendLine($"coreslice check: machine {report.MachineFile}, layout {report.LayoutFile}");
        o.AppendLine($"machine: {m.CoreCount} cores (control {Hex.List((m.ControlCores.IsDefault ? [] : m.ControlCores))}), "
            + $"{Hex.Size(TotalRam(m))} RAM in {(m.RamRegions.IsDefault ? 0 : m.RamRegions.Length)} region(s), {m.DeviceCount} devices, "
            + $"{CacheText(m)}, {m.RangeRegistersPerCore} range registers, "
            + $"granule {Hex.Size(m.GranuleSize)}, {m.SlotCapacity} slots");
        if (report.Slices.Count > 0)
        {
            o.AppendLine();
            o.AppendLine("slices (in layout order, each through the slicevisor's CreateSlice):");
            foreach (SliceOutcome s in report.Slices)
            {
                o.AppendLine($"  {s.Name}: {s.Status}");
                if (s.Slot is not null)
                {
                    o.AppendLine($"    cores {Hex.List(s.Cores)}; ways {Hex.WayList(s.Ways)}; devices {Hex.List(s.Devices)}; entry {Hex.Of(s.Entry ?? 0)}");
                    for (int i = 0; i < s.Memory.Length; i++)
                    {
                        o.AppendLine($"    memory {Hex.Range(s.Memory[i])} {Hex.Size(s.Memory[i].Size)} {PermissionText.Of(s.MemoryPermissions[i])}");
                    }
                }
                foreach (WindowOutcome w in s.Windows)
                {
                    o.AppendLine($"    window \"{w.Name}\" {Hex.Range(w.Range)} {Hex.Size(w.Range.Size)} {PermissionText.Of(w.Permissions)}: "
                        + (w.Mapped ? $"mapped, shared by the control slice and \"{s.Name}\""
                            : s.Slot is null ? "NOT mapped (the slice was not created)" : "NOT mapped (refused, see problems)"));
                }
                if (s.Slot is not null)
                {
                    o.Append(DmaText(s));
                }
            }
        }
        o.AppendLine();
        if (report.Problems.Count == 0)
        {
            o.AppendLine("problems: none");
        }
        else
        {
            o.AppendLine($"problems: {report.ErrorCount} error(s), {report.WarningCount} warning(s)");
            foreach (Problem p in report.Problems)
            {
                string who = p.Slice is null ? "machine" : $"slice \"{p.Slice}\"";
                string field = p.Field.Length == 0 ? "" : " " + p.Field;
                string code = p.Code is null ? "" : $" ({p.Code})";
                o.AppendLine($"{p.At}: {(p.IsWarning ? "warning" : "error")} {p.Error}{code}: {who}{field}: {p.Item}");
                o.AppendLine($"    {p.Message}");
                if (p.Against is not null)
                {
                    o.AppendLine($"    against: {Describe(p.Against)}");
                }
                if (p.Interval is MemoryRange i)
                {
                    o.AppendLine($"    interval: {Hex.Range(i)} ({Hex.Size(i.Size)})");
                }
            }
        }
        if (report.Free is FreeResources free)
        {
            o.AppendLine();
            o.AppendLine("free after this layout:");
            o.AppendLine($"  cores:   {Hex.List(free.Cores)} ({free.Cores.Length} of {m.CoreCount})");
            foreach (FreeRegion r in free.Memory)
            {
                o.AppendLine($"  memory:  ram[{r.Index}] {Hex.Range(r.Ram)}: {Hex.Size(r.FreeBytes)} free"
                    + (r.Intervals.Length == 0 ? "" : " in " + string.Join(", ", r.Intervals.Select(f => $"{Hex.Range(f)} {Hex.Size(f.Size)}"))));
            }
            o.AppendLine($"  devices: {Hex.List(free.Devices)} ({free.Devices.Length} of {m.DeviceCount})");
            o.AppendLine($"  ways:    {Hex.WayList(free.Ways)} ({free.Ways.Length} of {TotalWays(m)})");
        }
        o.AppendLine();
        o.AppendLine(report.Valid
            ? $"result: valid ({report.Slices.Count} slices{(report.WarningCount > 0 ? $", {report.WarningCount} warning(s)" : "")})"
            : report.Slices.Count == 0 && report.Free is null
                ? $"result: REJECTED: the machine description has {report.ErrorCount} problem(s); no slice was checked"
                : $"result: REJECTED ({report.ErrorCount} error(s))");
        return o.ToString();
    }

    private static string DmaText(SliceOutcome s)
    {
        if (s.Devices.Length == 0)
        {
            return "";
        }
        if (s.DmaRanges.Length == 0)
        {
            return "    dma: no DMA range held, so each device reaches every private range (read/write as the range allows)\n";
        }
        var o = new StringBuilder();
        foreach (DmaRange d in s.DmaRanges)
        {
            o.AppendLine($"    dma device {d.Device}: {Hex.Range(d.Range)} {Hex.Size(d.Range.Size)} {PermissionText.Of(d.Permissions)}");
        }
        int[] unmapped = [.. s.Devices.Where(device => !s.DmaRanges.Any(d => d.Device == device))];
        if (unmapped.Length > 0)
        {
            o.AppendLine($"    dma device{(unmapped.Length == 1 ? "" : "s")} {Hex.List(unmapped)}: none (no memory reachable by DMA)");
        }
        return o.ToString();
    }

    private static string Describe(Party p)
    {
        string name = p.Kind switch
        {
            "slice" => $"slice \"{p.Name}\"",
            "reserved" => $"reserved region \"{p.Name}\"",
            "control" => "the control slice",
            _ => $"machine {p.Name}",
        };
        string field = p.Field is null || (p.Kind == "machine" && p.Field == p.Name) ? "" : " " + p.Field;
        string detail = p.Detail is null ? "" : $" ({p.Detail})";
        string at = p.At is Position a ? $" at {a}" : "";
        return name + field + detail + at;
    }

    private static ulong TotalRam(MachineConfig m)
    {
        ulong total = 0;
        foreach (MemoryRange r in (m.RamRegions.IsDefault ? [] : m.RamRegions))
        {
            total += r.Size;
        }
        return total;
    }

    // ---------------------------------------------------------------- JSON

    public static string Json(CheckReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteString("result", report.Valid ? "valid" : "rejected");
            w.WriteNumber("exitCode", report.ExitCode);
            w.WriteString("machineFile", report.MachineFile);
            w.WriteString("layoutFile", report.LayoutFile);
            WriteMachine(w, report.Machine);
            w.WriteNumber("errorCount", report.ErrorCount);
            w.WriteNumber("warningCount", report.WarningCount);
            w.WriteStartArray("slices");
            foreach (SliceOutcome s in report.Slices)
            {
                WriteSlice(w, s);
            }
            w.WriteEndArray();
            w.WriteStartArray("problems");
            foreach (Problem p in report.Problems)
            {
                WriteProblem(w, p);
            }
            w.WriteEndArray();
            if (report.Free is FreeResources free)
            {
                w.WriteStartObject("free");
                Ints(w, "cores", free.Cores);
                w.WriteStartArray("memory");
                foreach (FreeRegion r in free.Memory)
                {
                    w.WriteStartObject();
                    w.WriteNumber("region", r.Index);
                    WriteRange(w, "ram", r.Ram);
                    w.WriteString("freeBytes", Hex.Plain(r.FreeBytes));
                    w.WriteString("free", Hex.Size(r.FreeBytes));
                    w.WriteStartArray("intervals");
                    foreach (MemoryRange f in r.Intervals)
                    {
                        WriteRange(w, null, f);
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                Ints(w, "devices", free.Devices);
                Ints(w, "ways", free.Ways);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("free");
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteMachine(Utf8JsonWriter w, MachineConfig m)
    {
        w.WriteStartObject("machine");
        w.WriteNumber("cores", m.CoreCount);
        Ints(w, "controlCores", (m.ControlCores.IsDefault ? [] : m.ControlCores));
        w.WriteStartArray("ram");
        foreach (MemoryRange r in (m.RamRegions.IsDefault ? [] : m.RamRegions))
        {
            WriteRange(w, null, r);
        }
        w.WriteEndArray();
        w.WriteStartArray("reserved");
        foreach (NamedRegion r in (m.ReservedRegions.IsDefault ? [] : m.ReservedRegions))
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            WriteRangeFields(w, r.Range);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("controlMemory");
        foreach (MemoryRange r in (m.ControlMemory.IsDefault ? [] : m.ControlMemory))
        {
            WriteRange(w, null, r);
        }
        w.WriteEndArray();
        w.WriteNumber("devices", m.DeviceCount);
        w.WriteNumber("cacheWays", m.CacheWays);
        Ints(w, "controlWays", Masks.Bits(m.ControlWays));
        w.WriteNumber("rangeRegisters", m.RangeRegistersPerCore);
        w.WriteString("granule", Hex.Plain(m.GranuleSize));
        w.WriteNumber("slots", m.SlotCapacity);
        // Always present (schema 2 adds it): one entry per cache domain; a machine that lists none has one.
        w.WriteStartArray("cacheDomains");
        foreach (CacheDomain d in m.CacheDomains.IsDefault ? [new CacheDomain { Cores = [.. Enumerable.Range(0, m.CoreCount)], Ways = m.CacheWays, ControlWays = m.ControlWays }] : m.CacheDomains)
        {
            w.WriteStartObject();
            Ints(w, "cores", d?.Cores.IsDefault == false ? [.. d.Cores] : []);
            w.WriteNumber("ways", d?.Ways ?? 0);
            Ints(w, "controlWays", Masks.Bits(d?.ControlWays ?? 0));
            w.WriteBoolean("contiguousMasks", d?.ContiguousMasks ?? false);
            w.WriteNumber("maxClassesOfService", d?.MaxClassesOfService ?? 0);
            w.WriteNumber("minMaskWidth", d?.MinMaskWidth ?? 0);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSlice(Utf8JsonWriter w, SliceOutcome s)
    {
        w.WriteStartObject();
        w.WriteString("name", s.Name);
        WritePosition(w, "at", s.At);
        w.WriteBoolean("created", s.Slot is not null);
        if (s.Slot is int slot)
        {
            w.WriteNumber("slot", slot);
        }
        else
        {
            w.WriteNull("slot");
        }
        w.WriteBoolean("asDeclared", s.AsDeclared);
        w.WriteString("status", s.Status);
        Ints(w, "cores", s.Cores);
        w.WriteStartArray("memory");
        for (int i = 0; i < s.Memory.Length; i++)
        {
            w.WriteStartObject();
            WriteRangeFields(w, s.Memory[i]);
            w.WriteString("perm", PermissionText.Of(s.MemoryPermissions[i]));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        Ints(w, "devices", s.Devices);
        Ints(w, "ways", s.Ways);
        if (s.Entry is ulong entry)
        {
            w.WriteString("entry", Hex.Plain(entry));
        }
        else
        {
            w.WriteNull("entry");
        }
        w.WriteStartArray("windows");
        foreach (WindowOutcome window in s.Windows)
        {
            w.WriteStartObject();
            w.WriteString("name", window.Name);
            WriteRangeFields(w, window.Range);
            w.WriteString("perm", PermissionText.Of(window.Permissions));
            WritePosition(w, "at", window.At);
            w.WriteBoolean("mapped", window.Mapped);
            w.WriteStartArray("sharedBy");
            w.WriteStringValue("control slice");
            w.WriteStringValue(s.Name);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        // No DMA range listed: each device reaches every private range (the format's first meaning).
        w.WriteBoolean("dmaEveryPrivateRange", s.Slot is not null && s.DmaRanges.Length == 0);
        w.WriteStartArray("dmaRanges");
        foreach (DmaRange d in s.DmaRanges)
        {
            w.WriteStartObject();
            w.WriteNumber("device", d.Device);
            WriteRangeFields(w, d.Range);
            w.WriteString("perm", PermissionText.Of(d.Permissions));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteProblem(Utf8JsonWriter w, Problem p)
    {
        w.WriteStartObject();
        w.WriteString("severity", p.IsWarning ? "warning" : "error");
        w.WriteString("source", p.Source.ToString().ToLowerInvariant());
        w.WriteString("error", p.Error);
        if (p.Code is int code)
        {
            w.WriteNumber("code", code);
        }
        else
        {
            w.WriteNull("code");
        }
        if (p.Slice is null)
        {
            w.WriteNull("slice");
        }
        else
        {
            w.WriteString("slice", p.Slice);
        }
        w.WriteString("field", p.Field);
        WritePosition(w, "at", p.At);
        w.WriteString("item", p.Item);
        if (p.Against is Party a)
        {
            w.WriteStartObject("against");
            w.WriteString("kind", a.Kind);
            w.WriteString("name", a.Name);
            WriteNullable(w, "field", a.Field);
            if (a.At is Position pos)
            {
                WritePosition(w, "at", pos);
            }
            else
            {
                w.WriteNull("at");
            }
            WriteNullable(w, "detail", a.Detail);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("against");
        }
        if (p.Interval is MemoryRange i)
        {
            WriteRange(w, "interval", i);
        }
        else
        {
            w.WriteNull("interval");
        }
        w.WriteString("message", p.Message);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WritePosition(Utf8JsonWriter w, string name, Position p)
    {
        w.WriteStartObject(name);
        w.WriteString("file", p.File);
        w.WriteNumber("line", p.Line);
        w.WriteNumber("column", p.Column);
        w.WriteEndObject();
    }

    private static void WriteRange(Utf8JsonWriter w, string? name, MemoryRange r)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }
        WriteRangeFields(w, r);
        w.WriteEndObject();
    }

    private static void WriteRangeFields(Utf8JsonWriter w, MemoryRange r)
    {
        w.WriteString("base", Hex.Plain(r.Base));
        w.WriteString("size", Hex.Plain(r.Size));
        if (r.IsRepresentable)
        {
            w.WriteString("limit", Hex.Plain(r.Limit));
        }
        else
        {
            w.WriteNull("limit");
        }
    }

    private static void Ints(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (int v in values)
        {
            w.WriteNumberValue(v);
        }
        w.WriteEndArray();
    }

    /// <summary>Every way of the machine, all cache domains together.</summary>
    private static int TotalWays(MachineConfig m) => m.CacheDomains.IsDefault ? m.CacheWays : m.CacheDomains.Sum(d => d.Ways);

    /// <summary>"16 cache ways (control 0, 1)", or per cache domain: "2 cache domains: 16 ways (control 0, 1), 16 ways (control 0, 1)".</summary>
    private static string CacheText(MachineConfig m) => m.CacheDomains.IsDefault
        ? $"{m.CacheWays} cache ways (control {Hex.List(Masks.Bits(m.ControlWays))})"
        : $"{m.CacheDomains.Length} cache domains: " + string.Join(", ", m.CacheDomains.Select(d => $"{d.Ways} ways (control {Hex.List(Masks.Bits(d.ControlWays))})"));
}
