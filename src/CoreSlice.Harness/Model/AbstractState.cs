using System.Text;
using CoreSlice.Hardware;

namespace CoreSlice.Harness.Model;

/// <summary>
/// The observable abstract state: what the model holds and what the abstraction function
/// reads back from the real slice table + simulated machine. Compared field by field;
/// <see cref="Diff"/> names the first differing field.
/// </summary>
public sealed class AbstractState
{
    public required string[] Slots { get; init; }      // "state cores ranges perms windows devices ways entry measurement"
    public required int[] CoreOwner { get; init; }
    public required int[] DeviceOwner { get; init; }
    public required int[] WayOwner { get; init; }
    public required string[] Cores { get; init; }      // "mode lock regs ipi ways entry"
    public required string[] Windows { get; init; }
    public required SortedDictionary<ulong, int> Writers { get; init; }

    public static string SlotLine(SliceState state, IEnumerable<int> cores, IEnumerable<MemoryRange> ranges, IEnumerable<byte> perms, IEnumerable<SharedWindow> windows, IEnumerable<int> devices, ulong ways, ulong entry, ReadOnlySpan<byte> measurement) =>
        $"{state} cores=[{string.Join(',', cores)}] ranges=[{string.Join(',', ranges.Select(r => $"{r.Base:x}+{r.Size:x}"))}] perms=[{string.Join(',', perms)}] " +
        $"windows=[{string.Join(',', windows.Select(w => $"{w.Range.Base:x}+{w.Range.Size:x}/{(byte)w.Permissions}"))}] devices=[{string.Join(',', devices)}] ways={ways:x} entry={entry:x} m={Convert.ToHexString(measurement)}";

    public static string CoreLine(CoreMode mode, bool locked, IEnumerable<ModelRegister> regs, IEnumerable<int> ipi, ulong ways, ulong entry) =>
        $"{mode} locked={locked} regs=[{string.Join(',', regs.Select(r => $"{r.Base:x}+{r.Size:x}/{r.Perms}"))}] ipi=[{string.Join(',', ipi)}] ways={ways:x} entry={entry:x}";

    public static string WindowLine(IEnumerable<IommuMapping> window) => string.Join(',', window.Select(m => $"{m.Range.Base:x}+{m.Range.Size:x}/{(byte)m.Permissions}"));

    /// <summary>The model's state through the same lens.</summary>
    public static AbstractState Of(SpecModel m) => new()
    {
        Slots = m.Slots.Select(s => SlotLine(s.State, s.Cores, s.Ranges, s.Perms, s.Windows, s.Devices, s.Ways, s.Entry, s.Measurement)).ToArray(),
        CoreOwner = (int[])m.CoreOwner.Clone(),
        DeviceOwner = (int[])m.DeviceOwner.Clone(),
        WayOwner = (int[])m.WayOwner.Clone(),
        Cores = Enumerable.Range(0, m.Config.CoreCount).Select(c => CoreLine(m.Mode[c], m.Locked[c], m.Regs[c], m.Ipi[c], m.WayMask[c], m.CoreEntry[c])).ToArray(),
        Windows = m.Window.Select(WindowLine).ToArray(),
        Writers = new SortedDictionary<ulong, int>(m.Writer),
    };

    /// <summary>Null when equal; else the first differing field, as "field: expected (model) vs actual".</summary>
    public static string? Diff(AbstractState model, AbstractState actual)
    {
        string? d = DiffLines("slot", model.Slots, actual.Slots, 1)
            ?? DiffInts("coreOwner", model.CoreOwner, actual.CoreOwner)
            ?? DiffInts("deviceOwner", model.DeviceOwner, actual.DeviceOwner)
            ?? DiffInts("wayOwner", model.WayOwner, actual.WayOwner)
            ?? DiffLines("core", model.Cores, actual.Cores, 0)
            ?? DiffLines("iommu device", model.Windows, actual.Windows, 0);
        if (d is not null)
        {
            return d;
        }
        foreach (ulong g in model.Writers.Keys.Union(actual.Writers.Keys).Order())
        {
            int a = model.Writers.GetValueOrDefault(g, int.MinValue), b = actual.Writers.GetValueOrDefault(g, int.MinValue);
            if (a != b)
            {
                return $"last writer of granule 0x{g:x}: model {Who(a)} vs actual {Who(b)}";
            }
        }
        return null;
    }

    private static string Who(int w) => w == int.MinValue ? "nobody (zero)" : w.ToString();

    private static string? DiffLines(string what, string[] m, string[] a, int first)
    {
        for (int i = 0; i < Math.Max(m.Length, a.Length); i++)
        {
            string x = i < m.Length ? m[i] : "(none)", y = i < a.Length ? a[i] : "(none)";
            if (x != y)
            {
                return $"{what} {i + first}: model {x} vs actual {y}";
            }
        }
        return null;
    }

    private static string? DiffInts(string what, int[] m, int[] a)
    {
        for (int i = 0; i < Math.Max(m.Length, a.Length); i++)
        {
            int x = i < m.Length ? m[i] : int.MinValue, y = i < a.Length ? a[i] : int.MinValue;
            if (x != y)
            {
                return $"{what}[{i}]: model {x} vs actual {y}";
            }
        }
        return null;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < Slots.Length; i++) { sb.Append("slot ").Append(i + 1).Append(": ").AppendLine(Slots[i]); }
        for (int i = 0; i < Cores.Length; i++) { sb.Append("core ").Append(i).Append(": ").AppendLine(Cores[i]); }
        return sb.ToString();
    }
}
