using System.Text;

namespace CoreSlice.Conformance;

/// <summary>A guest-owned memory interval [Base, Base + Size) of a slot.</summary>
public readonly record struct OwnedRange(ulong Base, ulong Size, int Owner);

/// <summary>
/// The spec's <c>State</c> (spec/10-state.smt2) as concrete C# values, on one concrete machine.
/// Slots are indexed 1..Slots (index 0 unused). Memory maps are intervals: <see cref="MemOwner"/>
/// lists only guest intervals (reserved and control memory come from the machine),
/// <see cref="LastWriter"/> maps a granule's base to its writer (absent: <c>Owner.None</c>).
/// </summary>
public sealed class AbstractState
{
    /// <summary>Creates an all-free state of the given shape.</summary>
    public AbstractState(int cores, int slots, int devices, int ways, int registers)
    {
        Cores = cores; Slots = slots; Devices = devices; Ways = ways; Registers = registers;
        St = new int[slots + 1]; TblN = new int[slots + 1]; Entry = new ulong[slots + 1]; Meas = new ulong[slots + 1];
        TblBase = Jagged<ulong>(slots + 1, registers); TblSize = Jagged<ulong>(slots + 1, registers);
        CoreOwner = new int[cores]; DevOwner = new int[devices]; WayOwner = new int[ways];
        Mode = new int[cores]; Locked = new bool[cores];
        RrBase = Jagged<ulong>(cores, registers); RrSize = Jagged<ulong>(cores, registers); RrPerm = Jagged<int>(cores, registers);
        Ipi = new SortedSet<int>[cores];
        IpiIn = new SortedSet<int>[cores];
        for (int c = 0; c < cores; c++)
        {
            Ipi[c] = [];
            IpiIn[c] = [];
        }
        WMask = new ulong[cores]; Iommu = new int[devices];
        GN = new int[slots + 1]; GBase = Jagged<ulong>(slots + 1, registers); GSize = Jagged<ulong>(slots + 1, registers);
        GCore = new int[cores]; GDev = new int[devices]; GWay = new int[ways];
        // ways are indexed 64*d + w: an index naming no way of the machine is Free
        Array.Fill(WayOwner, CoreSlice.Owner.Free);
        Array.Fill(GWay, CoreSlice.Owner.Free);
        TblPerm = Jagged<int>(slots + 1, registers); TblWN = new int[slots + 1];
        TblWBase = Jagged<ulong>(slots + 1, registers); TblWSize = Jagged<ulong>(slots + 1, registers); TblWPerm = Jagged<int>(slots + 1, registers);
        TblDN = new int[slots + 1]; TblDDev = Jagged<int>(slots + 1, Limits.MaxDmaRanges);
        TblDBase = Jagged<ulong>(slots + 1, Limits.MaxDmaRanges); TblDSize = Jagged<ulong>(slots + 1, Limits.MaxDmaRanges);
        TblDPerm = Jagged<int>(slots + 1, Limits.MaxDmaRanges);
    }

#pragma warning disable CA1819 // plain data: arrays are the point
#pragma warning disable CA1002
    /// <summary>Number of cores.</summary>
    public int Cores { get; }
    /// <summary>Number of slots.</summary>
    public int Slots { get; }
    /// <summary>Number of devices.</summary>
    public int Devices { get; }
    /// <summary>Number of cache ways.</summary>
    public int Ways { get; }
    /// <summary>Range registers per core.</summary>
    public int Registers { get; }
    /// <summary>SliceState per slot.</summary>
    public int[] St { get; }
    /// <summary>Range count per slot.</summary>
    public int[] TblN { get; }
    /// <summary>Range bases per slot.</summary>
    public ulong[][] TblBase { get; }
    /// <summary>Range sizes per slot.</summary>
    public ulong[][] TblSize { get; }
    /// <summary>Entry point per slot.</summary>
    public ulong[] Entry { get; }
    /// <summary>Measurement per slot (first 8 bytes of the SHA-384 chain, big-endian).</summary>
    public ulong[] Meas { get; }
    /// <summary>Owner per core.</summary>
    public int[] CoreOwner { get; }
    /// <summary>Owner per device.</summary>
    public int[] DevOwner { get; }
    /// <summary>Owner per way.</summary>
    public int[] WayOwner { get; }
    /// <summary>Guest-owned memory intervals.</summary>
    public List<OwnedRange> MemOwner { get; } = [];
    /// <summary>Granule base to last writer (absent: none).</summary>
    public SortedDictionary<ulong, int> LastWriter { get; } = [];
    /// <summary>CoreMode per core.</summary>
    public int[] Mode { get; }
    /// <summary>Lock bit per core.</summary>
    public bool[] Locked { get; }
    /// <summary>Range register bases.</summary>
    public ulong[][] RrBase { get; }
    /// <summary>Range register sizes.</summary>
    public ulong[][] RrSize { get; }
    /// <summary>Range register permissions.</summary>
    public int[][] RrPerm { get; }
    /// <summary>IPI destination masks.</summary>
    public SortedSet<int>[] Ipi { get; }
    /// <summary>Way masks.</summary>
    public ulong[] WMask { get; }
    /// <summary>Per core, the cores whose IPIs it received since its last reset (spec-side record: the simulator counts deliveries).</summary>
    public SortedSet<int>[] IpiIn { get; }
    /// <summary>Decision log: capacity.</summary>
    public ulong LogCap { get; set; }
    /// <summary>Decision log: entries held.</summary>
    public ulong LogN { get; set; }
    /// <summary>Decision log: sequence number of the newest entry.</summary>
    public ulong LogSeq { get; set; }
    /// <summary>Decision log: requests the full log did not record since the last drain (refused with LogFull, or a guest mailbox call answered unrecorded).</summary>
    public ulong LogRefused { get; set; }
    /// <summary>Ghost: entries handed out by drains, ever.</summary>
    public ulong LogOut { get; set; }
    /// <summary>IOMMU window per device: a slot or Owner.None.</summary>
    public int[] Iommu { get; }
    /// <summary>Ghost: range count at creation.</summary>
    public int[] GN { get; }
    /// <summary>Ghost: range bases at creation.</summary>
    public ulong[][] GBase { get; }
    /// <summary>Ghost: range sizes at creation.</summary>
    public ulong[][] GSize { get; }
    /// <summary>Ghost: core owners at creation.</summary>
    public int[] GCore { get; }
    /// <summary>Ghost: device owners at creation.</summary>
    public int[] GDev { get; }
    /// <summary>Ghost: way owners at creation.</summary>
    public int[] GWay { get; }
    /// <summary>Ghost: guest memory intervals at creation.</summary>
    public List<OwnedRange> GMem { get; } = [];
    /// <summary>Permissions of each private range per slot.</summary>
    public int[][] TblPerm { get; }
    /// <summary>Window count per slot.</summary>
    public int[] TblWN { get; }
    /// <summary>Window bases per slot.</summary>
    public ulong[][] TblWBase { get; }
    /// <summary>Window sizes per slot.</summary>
    public ulong[][] TblWSize { get; }
    /// <summary>Window permissions per slot.</summary>
    public int[][] TblWPerm { get; }
    /// <summary>DMA range count per slot.</summary>
    public int[] TblDN { get; }
    /// <summary>Each DMA range's device, per slot.</summary>
    public int[][] TblDDev { get; }
    /// <summary>DMA range bases per slot.</summary>
    public ulong[][] TblDBase { get; }
    /// <summary>DMA range sizes per slot.</summary>
    public ulong[][] TblDSize { get; }
    /// <summary>DMA range permissions per slot.</summary>
    public int[][] TblDPerm { get; }
    /// <summary>Window intervals: the guest slot holding each (Owner.Free elsewhere).</summary>
    public List<OwnedRange> WinOwner { get; } = [];
    /// <summary>What the guest owning or holding an interval may do there (Owner is the permission; None elsewhere).</summary>
    public List<OwnedRange> AddrPerm { get; } = [];
#pragma warning restore CA1002
#pragma warning restore CA1819

    private static T[][] Jagged<T>(int n, int m)
    {
        var a = new T[n][];
        for (int i = 0; i < n; i++)
        {
            a[i] = new T[m];
        }
        return a;
    }

    // ------------------------------------------------------------------ SMT

    /// <summary>
    /// The state as one ground term of sort <c>State</c> on machine <paramref name="m"/>.
    /// <paramref name="lastWriterTerm"/>, when given, replaces the lastWriter field (see <see cref="ConformanceChecker"/>).
    /// </summary>
    public string ToSmt(MachineConfig m, string? lastWriterTerm = null)
    {
        string slotSort = Smt.Idx16;
        string Slot(int v) => Smt.B16(v);
        var sb = new StringBuilder("(mk-state ");
        IEnumerable<int> slots = Enumerable.Range(1, Slots);
        IEnumerable<int> cores = Enumerable.Range(0, Cores);
        IEnumerable<int> devs = Enumerable.Range(0, Devices);
        IEnumerable<int> ways = Enumerable.Range(0, Ways);
        var dl = DomainLayout.Of(m);
        string Regs(ulong[] v) => Smt.Array(Smt.Idx16, Smt.Addr, Smt.B64(0), v.Select((x, i) => (Smt.B16(i), Smt.B64(x))));
        string Perms(int[] v) => Smt.Array(Smt.Idx16, "(_ BitVec 3)", "#b000", v.Select((x, i) => (Smt.B16(i), Smt.Bits(x, 3))));
        string zeroRegs = Smt.Array(Smt.Idx16, Smt.Addr, Smt.B64(0), []);
        string zeroPerms = Smt.Array(Smt.Idx16, "(_ BitVec 3)", "#b000", []);
        sb.Append(Smt.Array(slotSort, "(_ BitVec 2)", "#b00", slots.Select(t => (Slot(t), Smt.Bits(St[t], 2))))).Append('\n');
        sb.Append(Smt.Array(slotSort, Smt.Idx16, Smt.B16(0), slots.Select(t => (Slot(t), Smt.B16(TblN[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(TblBase[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(TblSize[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, Smt.Addr, Smt.B64(0), slots.Select(t => (Slot(t), Smt.B64(Entry[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, Smt.Addr, Smt.B64(0), slots.Select(t => (Slot(t), Smt.B64(Meas[t]))))).Append('\n');
        string free = Slot(CoreSlice.Owner.Free);
        sb.Append(Smt.Array(Smt.Idx16, slotSort, free, cores.Select(c => (Smt.B16(c), Slot(CoreOwner[c]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, slotSort, free, devs.Select(d => (Smt.B16(d), Slot(DevOwner[d]))))).Append('\n');
        // ways by the spec's index 64*d + w; an index naming no way of the machine is Free
        sb.Append(Smt.Array(Smt.Idx16, slotSort, free, ways.Where(w => WayOwner[w] != CoreSlice.Owner.Free).Select(w => (Smt.B16(w), Slot(WayOwner[w]))))).Append('\n');
        sb.Append(MemoryMap(m, MemOwner)).Append('\n');
        sb.Append(lastWriterTerm ?? LastWriterTerm(m)).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, "(_ BitVec 3)", "#b001", cores.Select(c => (Smt.B16(c), Smt.Bits(Mode[c], 3))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, "Bool", "false", cores.Select(c => (Smt.B16(c), Smt.Bool(Locked[c]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, cores.Select(c => (Smt.B16(c), Regs(RrBase[c]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, cores.Select(c => (Smt.B16(c), Regs(RrSize[c]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, $"(Array {Smt.Idx16} (_ BitVec 3))", zeroPerms, cores.Select(c => (Smt.B16(c), Perms(RrPerm[c]))))).Append('\n');
        string noBits = Smt.Array(Smt.Idx16, "Bool", "false", []);
        sb.Append(Smt.Array(Smt.Idx16, $"(Array {Smt.Idx16} Bool)", noBits,
            cores.Select(c => (Smt.B16(c), Smt.Array(Smt.Idx16, "Bool", "false", Ipi[c].Select(b => (Smt.B16(b), "true"))))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, $"(Array {Smt.Idx16} Bool)", noBits,
            cores.Select(c => (Smt.B16(c), WayBits(WMask[c], dl.CoreDom[c]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, $"(Array {Smt.Idx16} Bool)", noBits,
            cores.Select(c => (Smt.B16(c), Smt.Array(Smt.Idx16, "Bool", "false", IpiIn[c].Select(b => (Smt.B16(b), "true"))))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, slotSort, Slot(CoreSlice.Owner.None), devs.Select(d => (Smt.B16(d), Slot(Iommu[d]))))).Append('\n');
        sb.Append(Smt.B64(LogCap)).Append(' ').Append(Smt.B64(LogN)).Append(' ').Append(Smt.B64(LogSeq)).Append(' ').Append(Smt.B64(LogRefused)).Append('\n');
        sb.Append(Smt.Array(slotSort, Smt.Idx16, Smt.B16(0), slots.Select(t => (Slot(t), Smt.B16(GN[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(GBase[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(GSize[t]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, slotSort, free, cores.Select(c => (Smt.B16(c), Slot(GCore[c]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, slotSort, free, devs.Select(d => (Smt.B16(d), Slot(GDev[d]))))).Append('\n');
        sb.Append(Smt.Array(Smt.Idx16, slotSort, free, ways.Where(w => GWay[w] != CoreSlice.Owner.Free).Select(w => (Smt.B16(w), Slot(GWay[w]))))).Append('\n');
        sb.Append(MemoryMap(m, GMem)).Append('\n').Append(Smt.B64(LogOut)).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} (_ BitVec 3))", zeroPerms, slots.Select(t => (Slot(t), Perms(TblPerm[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, Smt.Idx16, Smt.B16(0), slots.Select(t => (Slot(t), Smt.B16(TblWN[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(TblWBase[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(TblWSize[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} (_ BitVec 3))", zeroPerms, slots.Select(t => (Slot(t), Perms(TblWPerm[t]))))).Append('\n');
        sb.Append(Smt.Intervals(slotSort, free, WinOwner.Select(r => (r.Base, r.Size, Slot(r.Owner))))).Append('\n');
        sb.Append(Smt.Intervals("(_ BitVec 3)", "#b000", AddrPerm.Select(r => (r.Base, r.Size, Smt.Bits(r.Owner, 3))))).Append('\n');
        string Devs(int[] v) => Smt.Array(Smt.Idx16, Smt.Idx16, Smt.B16(0), v.Select((x, i) => (Smt.B16(i), Smt.B16(x))));
        sb.Append(Smt.Array(slotSort, Smt.Idx16, Smt.B16(0), slots.Select(t => (Slot(t), Smt.B16(TblDN[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Idx16})", Smt.Array(Smt.Idx16, Smt.Idx16, Smt.B16(0), []), slots.Select(t => (Slot(t), Devs(TblDDev[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(TblDBase[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} {Smt.Addr})", zeroRegs, slots.Select(t => (Slot(t), Regs(TblDSize[t]))))).Append('\n');
        sb.Append(Smt.Array(slotSort, $"(Array {Smt.Idx16} (_ BitVec 3))", zeroPerms, slots.Select(t => (Slot(t), Perms(TblDPerm[t]))))).Append(')');
        return sb.ToString();
    }

    /// <summary>The lastWriter field as the machine records it: per granule, Owner.None where no one wrote.</summary>
    public string LastWriterTerm(MachineConfig m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return Smt.Intervals(Smt.Idx16, Smt.B16(CoreSlice.Owner.None), MergeGranules(m.GranuleSize).Select(r => (r.Base, r.Size, Smt.B16(r.Owner))));
    }

    /// <summary>The (Array Way Bool) of a core's way mask: bit w is way w of the core's domain d, the spec's way 64*d + w.</summary>
    public static string WayBits(ulong mask, int domain = 0) =>
        Smt.Array(Smt.Idx16, "Bool", "false", DomainLayout.SpecWaysOf(domain, mask).Select(w => (Smt.B16(w), "true")));

    /// <summary>Reserved, then control memory, then the guest intervals; Free elsewhere (also outside RAM).</summary>
    private static string MemoryMap(MachineConfig m, List<OwnedRange> guest)
    {
        var all = new List<(ulong, ulong, string)>();
        foreach (NamedRegion r in m.ReservedRegions)
        {
            all.Add((r.Range.Base, r.Range.Size, Smt.B16(CoreSlice.Owner.Reserved)));
        }
        foreach (MemoryRange r in m.ControlMemory)
        {
            all.Add((r.Base, r.Size, Smt.B16(CoreSlice.Owner.Control)));
        }
        foreach (OwnedRange r in guest)
        {
            all.Add((r.Base, r.Size, Smt.B16(r.Owner)));
        }
        return Smt.Intervals(Smt.Idx16, Smt.B16(CoreSlice.Owner.Free), all);
    }

    /// <summary>The last-writer granules merged into maximal same-writer intervals.</summary>
    public List<OwnedRange> MergeGranules(ulong granule)
    {
        var list = new List<OwnedRange>();
        foreach ((ulong g, int w) in LastWriter)
        {
            if (list.Count > 0 && list[^1].Owner == w && list[^1].Base + list[^1].Size == g)
            {
                list[^1] = list[^1] with { Size = list[^1].Size + granule };
            }
            else
            {
                list.Add(new OwnedRange(g, granule, w));
            }
        }
        return list;
    }
}
