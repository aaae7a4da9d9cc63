using CoreSlice.Hardware;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CoreSlice;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Support;

/// <summary>
/// Everything observable about the slicevisor and the machine, as one line per item,
/// so that "a rejected call changes nothing, bit for bit" is a list comparison whose
/// failure names the first item that changed. Captures: every slot (state, cores,
/// devices, ways, ranges, permissions, windows, DMA ranges, entry point, measurement, generation); every core, device
/// and way owner and the memory ownership index as seen through MemoryOwner at
/// every range boundary, and the window map at every window boundary; and the machine: each core's mode, lock, range registers,
/// IPI mask, way mask, entry point and counters, each device's IOMMU window (entries, and whether open), and
/// every present memory page with its writer and a hash of its contents.
/// </summary>
public sealed class StateSnapshot
{
    private StateSnapshot(List<string> lines) => Lines = lines;

    public IReadOnlyList<string> Lines { get; }

    public static StateSnapshot Take(Rig rig) => Take(rig.Machine, rig.Table, rig.Config);

    public static StateSnapshot Take(SimulatedMachine machine, SliceTable table, MachineConfig config)
    {
        var lines = new List<string>();
        var boundaries = new SortedSet<ulong>();
        var windowBoundaries = new SortedSet<ulong>();
        for (int slot = 1; slot <= table.Capacity; slot++)
        {
            SliceEntry e = table[slot];
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"slot {slot}: {e.State} gen={e.Generation} cores={Set(e.Cores)} devices={Set(e.Devices)} ways=0x{e.Ways:x} domainWays={DomainWays(e, table.CacheDomains)} entry=0x{e.EntryPoint:x} ranges=");
            foreach (MemoryRange r in e.Ranges)
            {
                sb.Append(CultureInfo.InvariantCulture, $"[0x{r.Base:x}+0x{r.Size:x}]");
                boundaries.Add(r.Base);
                if (r.IsRepresentable && r.Size != 0)
                {
                    boundaries.Add(r.Limit - 1);
                    boundaries.Add(r.Limit);
                }
            }
            sb.Append(" perms=");
            foreach (CoreSlice.Hardware.Permissions p in e.RangePermissions)
            {
                sb.Append(CultureInfo.InvariantCulture, $"[{p}]");
            }
            sb.Append(" windows=");
            foreach (SharedWindow w in e.Windows)
            {
                sb.Append(CultureInfo.InvariantCulture, $"[0x{w.Range.Base:x}+0x{w.Range.Size:x} {w.Permissions}]");
                windowBoundaries.Add(w.Range.Base);
                if (w.Range.IsRepresentable && w.Range.Size != 0)
                {
                    windowBoundaries.Add(w.Range.Limit - 1);
                    windowBoundaries.Add(w.Range.Limit);
                }
            }
            sb.Append(" dma=");
            foreach (DmaRange d in e.DmaRanges)
            {
                sb.Append(CultureInfo.InvariantCulture, $"[{d.Device}: 0x{d.Range.Base:x}+0x{d.Range.Size:x} {d.Permissions}]");
            }
            sb.Append(" m=").Append(Convert.ToHexString(e.Measurement));
            lines.Add(sb.ToString());
        }
        for (int c = 0; c < config.CoreCount; c++)
        {
            lines.Add($"coreOwner {c}: {table.CoreOwner(c)}");
        }
        for (int d = 0; d < config.DeviceCount; d++)
        {
            lines.Add($"deviceOwner {d}: {table.DeviceOwner(d)}");
        }
        for (int d = 0; d < table.CacheDomains; d++)
        {
            for (int w = 0; w < table.WaysOfDomain(d); w++)
            {
                lines.Add($"wayOwner {d}.{w}: {table.WayOwner(d, w)}");
            }
        }
        for (int w = 0; w < config.CacheWays; w++)
        {
            lines.Add($"wayOwner {w}: {table.WayOwner(w)}");
        }
        foreach (ulong a in boundaries)
        {
            lines.Add($"memoryOwner 0x{a:x}: {table.MemoryOwner(a)}");
        }
        foreach (ulong a in windowBoundaries)
        {
            lines.Add($"windowHolder 0x{a:x}: {table.WindowHolder(a)}");
        }
        for (int c = 0; c < machine.CoreCount; c++)
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"core {c}: {machine.Mode(c)} locked={machine.IsLocked(c)} ipi={Set(machine.IpiMaskOf(c))} ways=0x{machine.WayMaskOf(c):x} entry=0x{machine.EntryPointOf(c):x} resets={machine.ResetCount(c)} refused={machine.RefusedLockedWrites(c)} resetReq={machine.RefusedResetRequests(c)} ipis={machine.IpisReceived(c)} rr=");
            foreach (var r in machine.RangeRegistersOf(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"[0x{r.Base:x}+0x{r.Size:x} {r.Permissions}]");
            }
            lines.Add(sb.ToString());
        }
        for (int d = 0; d < machine.DeviceCount; d++)
        {
            var sb = new StringBuilder($"iommu {d} open={machine.IommuWindowOpen(d)}:");
            foreach (IommuMapping m in machine.IommuWindow(d))
            {
                sb.Append(CultureInfo.InvariantCulture, $" [0x{m.Range.Base:x}+0x{m.Range.Size:x} {m.Permissions}]");
            }
            lines.Add(sb.ToString());
        }
        var pages = new List<(ulong Base, int Writer)>();
        machine.Memory.ForEachPresent((b, w) => pages.Add((b, w)));
        pages.Sort();
        byte[] buffer = new byte[machine.Memory.GranuleSize];
        foreach ((ulong b, int w) in pages)
        {
            machine.Memory.Read(b, buffer);
            lines.Add($"page 0x{b:x}: writer={w} sha256={Convert.ToHexString(SHA256.HashData(buffer))}");
        }
        return new StateSnapshot(lines);
    }

    /// <summary>Null when equal; otherwise the first difference, in words.</summary>
    public string? Diff(StateSnapshot after)
    {
        int n = Math.Max(Lines.Count, after.Lines.Count);
        for (int i = 0; i < n; i++)
        {
            string? a = i < Lines.Count ? Lines[i] : null;
            string? b = i < after.Lines.Count ? after.Lines[i] : null;
            if (a != b)
            {
                return $"state changed at line {i}:\n  before: {a ?? "(none)"}\n  after:  {b ?? "(none)"}";
            }
        }
        return null;
    }

    /// <summary>Fails the test when <paramref name="after"/> differs in any line.</summary>
    public void AssertSameAs(StateSnapshot after)
    {
        string? diff = Diff(after);
        Assert.True(diff is null, diff);
    }

    private static string Set(in ResourceSet set)
    {
        var sb = new StringBuilder("{");
        for (int i = set.Next(0); i >= 0; i = set.Next(i + 1))
        {
            sb.Append(i).Append(',');
        }
        return sb.Append('}').ToString();
    }

    private static string DomainWays(SliceEntry e, int domains) =>
        string.Join(",", Enumerable.Range(0, domains).Select(d => $"0x{e.WaysIn(d):x}"));
}
