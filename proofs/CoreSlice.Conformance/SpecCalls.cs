namespace CoreSlice.Conformance;

/// <summary>
/// One step as the spec sees it: which operation of spec/40-slicevisor.smt2,
/// spec/45-attest-log.smt2 or spec/50-guest.smt2, and its concrete arguments (ghost
/// witnesses included). What the step does is read from the spec's own definition
/// (<see cref="SpecSuccessor"/>); the verdict is always Z3's.
/// </summary>
public abstract class SpecCall
{
    /// <summary>The spec operation (CreateSlice, GuestAccess, Attest, DrainLog, ...).</summary>
    public abstract string Operation { get; }

    /// <summary>The arguments, for a mismatch report.</summary>
    public abstract string Describe();

    /// <summary>The arguments as a ground term of the operation's argument sort.</summary>
    public abstract string ArgsTerm(AbstractState pre, MachineConfig m);

    /// <summary>An assertion pinning uninterpreted functions for this step (measureExtend), or null.</summary>
    public virtual string? Pin(AbstractState pre, AbstractState post, int codeError) => null;

    /// <summary>Maps a hostile int index to 16 bits: in range stays, anything else is #xffff (out of range for every machine).</summary>
    protected static int Index16(int v, int count) => v >= 0 && v < count ? v : 0xffff;

    /// <summary>A slot argument: 1..n stays, anything else is 0 (not a guest slot).</summary>
    protected static int Slot16(int v, int n) => v >= 1 && v <= n ? v : 0;

    /// <summary>A set of 16-bit indices as (Array (_ BitVec 16) Bool).</summary>
    protected static string BoolSet(IEnumerable<int> members) =>
        Smt.Array(Smt.Idx16, "Bool", "false", members.Select(i => (Smt.B16(i), "true")));
}

/// <summary>CreateSlice(request) with its witnesses: lowest Free slot, first failing core/range/device, index maps.</summary>
public sealed class CreateCall(SliceRequest request) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "CreateSlice";

    /// <summary>The request as given to the code.</summary>
    public SliceRequest Request { get; } = request;

    /// <inheritdoc/>
    public override string Describe() =>
        $"cores=[{string.Join(',', Request.Cores.ToArray())}] ranges=[{string.Join(' ', Request.Ranges.ToArray().Select(r => $"0x{r.Base:x}+0x{r.Size:x}"))}] " +
        $"devices=[{string.Join(',', Request.Devices.ToArray())}] ways=0x{Request.Ways:x} entry=0x{Request.EntryPoint:x}" +
        (Request.RangePermissions.Length == 0 ? "" : $" permissions=[{string.Join(',', Request.RangePermissions.ToArray())}]") +
        (Request.Windows.Length == 0 ? "" : $" windows=[{string.Join(' ', Request.Windows.ToArray().Select(w => $"0x{w.Range.Base:x}+0x{w.Range.Size:x}:{w.Permissions}"))}]") +
        (Request.DmaRanges.Length == 0 ? "" : $" dma=[{string.Join(' ', Request.DmaRanges.ToArray().Select(d => $"dev{d.Device}:0x{d.Range.Base:x}+0x{d.Range.Size:x}:{d.Permissions}"))}]");

    private int[] Cores(MachineConfig m) => Request.Cores.ToArray().Select(c => Index16(c, m.CoreCount)).ToArray();

    private int[] Devs(MachineConfig m) => Request.Devices.ToArray().Select(d => Index16(d, m.DeviceCount)).ToArray();

    /// <summary>The lowest Free slot, 0 when none.</summary>
    public static int LowestFree(AbstractState s)
    {
        for (int t = 1; t <= s.Slots; t++)
        {
            if (s.St[t] == (int)SliceState.Free)
            {
                return t;
            }
        }
        return 0;
    }

    private static bool CoreFails(AbstractState s, MachineConfig m, int[] cores, int k) =>
        cores[k] >= m.CoreCount || m.ControlCores.Contains(cores[k]) || Array.IndexOf(cores, cores[k]) < k || s.CoreOwner[cores[k]] != Owner.Free;

    private static bool DevFails(AbstractState s, MachineConfig m, int[] devs, int k) =>
        devs[k] >= m.DeviceCount || Array.IndexOf(devs, devs[k]) < k || s.DevOwner[devs[k]] != Owner.Free;

    private static bool Overlaps(ulong b1, ulong z1, ulong b2, ulong z2) =>
        z1 != 0 && z2 != 0 && b1 < unchecked(b2 + z2) && b2 < unchecked(b1 + z1);

    private static bool Meets(ulong b, ulong z, MemoryRange r) => z != 0 && r.Size != 0 && new MemoryRange(b, z).Overlaps(r);

    // the effective permission of range k as the spec's Create.perm reads it: RWX when the request lists none, else
    // the listed one, and None past the list (a hostile count the code refuses with PermissionsCountMismatch; the
    // range witness kr must still name the spec's first failing range)
    private int PermOf(int k) =>
        Request.RangePermissions.Length == 0 ? 7 : k < Request.RangePermissions.Length ? (int)Request.RangePermissions.Span[k] & 7 : 0;

    private bool WindowFails(AbstractState s, MachineConfig m, SharedWindow[] ws, int k)
    {
        (ulong b, ulong z) = (ws[k].Range.Base, ws[k].Range.Size);
        int p = (int)ws[k].Permissions & 7;
        ulong g = m.GranuleSize - 1;
        ulong inControl = 0;
        foreach (MemoryRange r in m.ControlMemory)
        {
            inControl += Meets(b, z, r) ? new MemoryRange(b, z).Intersect(r).Size : 0;
        }
        return z == 0 || ((b | z) & g) != 0 || z > ~b || (p != 1 && p != 3) || inControl != z
            || Enumerable.Range(0, k).Any(j => Overlaps(ws[j].Range.Base, ws[j].Range.Size, b, z))
            || s.WinOwner.Any(o => Meets(b, z, new MemoryRange(o.Base, o.Size)));
    }

    // the spec's Create.dmaErr for row k, with ridx / widx = the first range / window holding the row's base
    private bool DmaFails(MachineConfig m, int[] devs, MemoryRange[] rs, SharedWindow[] ws, DmaRange[] dma, int k)
    {
        (ulong b, ulong z) = (dma[k].Range.Base, dma[k].Range.Size);
        int p = (int)dma[k].Permissions & 7;
        ulong g = m.GranuleSize - 1;
        if (!devs.Contains(Index16(dma[k].Device, m.DeviceCount)) || z == 0 || ((b | z) & g) != 0 || z > ~b || p == 0 || (p & 3) != p)
        {
            return true;
        }
        int ri = First(rs.Length, j => rs[j].Contains(b));
        int wi = First(ws.Length, j => ws[j].Range.Contains(b));
        bool inRange = ri < rs.Length && rs[ri].Covers(b, z);
        bool inWindow = wi < ws.Length && ws[wi].Range.Covers(b, z);
        int held = inRange ? PermOf(ri) : wi < ws.Length ? (int)ws[wi].Permissions & 7 : 0;
        return !(inRange || inWindow) || (p & held) != p;
    }

    private bool RangeFails(AbstractState s, MachineConfig m, MemoryRange[] rs, int k)
    {
        (ulong b, ulong z) = (rs[k].Base, rs[k].Size);
        ulong g = m.GranuleSize - 1;
        return z == 0 || ((b | z) & g) != 0 || z > ~b
            || !m.RamRegions.Any(r => r.Covers(b, z))
            || m.ReservedRegions.Any(r => Meets(b, z, r.Range))
            || m.ControlMemory.Any(r => Meets(b, z, r))
            || Enumerable.Range(0, k).Any(j => Overlaps(rs[j].Base, rs[j].Size, b, z))
            || s.MemOwner.Any(o => Meets(b, z, new MemoryRange(o.Base, o.Size)))
            || PermOf(k) == 0 || (PermOf(k) & 3) == 2;   // none, or W without R
    }

    private static int First(int n, Func<int, bool> fails)
    {
        for (int k = 0; k < n; k++)
        {
            if (fails(k))
            {
                return k;
            }
        }
        return n;
    }

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(m);
        int[] cores = Cores(m), devs = Devs(m);
        MemoryRange[] rs = Request.Ranges.ToArray();
        int nc = cores.Length, nr = rs.Length, nd = devs.Length;
        int kc = First(nc, k => CoreFails(pre, m, cores, k));
        int kr = First(nr, k => RangeFails(pre, m, rs, k));
        int kd = First(nd, k => DevFails(pre, m, devs, k));
        SharedWindow[] ws = Request.Windows.ToArray();
        int np = Request.RangePermissions.Length, nw = ws.Length;
        int kw = First(nw, k => WindowFails(pre, m, ws, k));
        DmaRange[] dma = Request.DmaRanges.ToArray();
        int kdma = First(dma.Length, k => DmaFails(m, devs, rs, ws, dma, k));
        string idx = Smt.Idx16;
        string cidx = Smt.Array(idx, idx, Smt.B16(nc), cores.Distinct().Select(c => (Smt.B16(c), Smt.B16(Array.IndexOf(cores, c)))));
        string didx = Smt.Array(idx, idx, Smt.B16(nd), devs.Distinct().Select(d => (Smt.B16(d), Smt.B16(Array.IndexOf(devs, d)))));
        string ridx = Smt.Intervals(idx, Smt.B16(nr), rs.Select((r, k) => (r.Base, r.Size, Smt.B16(k))));
        return "(mk-create-args " + Smt.B16(nc) + " " + Smt.Array(idx, idx, Smt.B16(0), cores.Select((c, k) => (Smt.B16(k), Smt.B16(c))))
            + " " + Smt.B16(nr) + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), rs.Select((r, k) => (Smt.B16(k), Smt.B64(r.Base))))
            + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), rs.Select((r, k) => (Smt.B16(k), Smt.B64(r.Size))))
            + " " + Smt.B16(nd) + " " + Smt.Array(idx, idx, Smt.B16(0), devs.Select((d, k) => (Smt.B16(k), Smt.B16(d))))
            + " " + Smt.B64(Request.Ways) + " " + Smt.B64(Request.EntryPoint)
            + " " + Smt.B16(LowestFree(pre)) + " " + Smt.B16(kc) + " " + Smt.B16(kr) + " " + Smt.B16(kd)
            + " " + cidx + " " + didx + " " + ridx
            + " " + Smt.B16(np) + " " + Smt.Array(idx, "(_ BitVec 3)", "#b000", Request.RangePermissions.ToArray().Select((p, k) => (Smt.B16(k), Smt.Bits((int)p & 7, 3))))
            + " " + Smt.B16(nw) + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), ws.Select((w, k) => (Smt.B16(k), Smt.B64(w.Range.Base))))
            + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), ws.Select((w, k) => (Smt.B16(k), Smt.B64(w.Range.Size))))
            + " " + Smt.Array(idx, "(_ BitVec 3)", "#b000", ws.Select((w, k) => (Smt.B16(k), Smt.Bits((int)w.Permissions & 7, 3))))
            + " " + Smt.B16(kw) + " " + Smt.Intervals(idx, Smt.B16(nw), ws.Select((w, k) => (w.Range.Base, w.Range.Size, Smt.B16(k))))
            + " " + Smt.B16(dma.Length) + " " + Smt.Array(idx, idx, Smt.B16(0), dma.Select((r, k) => (Smt.B16(k), Smt.B16(Index16(r.Device, m.DeviceCount)))))
            + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), dma.Select((r, k) => (Smt.B16(k), Smt.B64(r.Range.Base))))
            + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), dma.Select((r, k) => (Smt.B16(k), Smt.B64(r.Range.Size))))
            + " " + Smt.Array(idx, "(_ BitVec 3)", "#b000", dma.Select((r, k) => (Smt.B16(k), Smt.Bits((int)r.Permissions & 7, 3))))
            + " " + Smt.B16(kdma) + " " + WaysTerm(pre, m, cores) + ")";
    }

    /// <summary>
    /// The cache-domain part of the arguments (spec/40-slicevisor.smt2 c.ndw .. c.cls): the DomainWays entries
    /// (a domain the machine lacks as #xffff), and the witnesses computed from the request and the pre-state as
    /// the spec defines them. cls counts the live slots holding ways in each domain, plus the control slice's
    /// class: the spec takes the count as an argument, so the code's answer (from SliceTable.ClassesInUse)
    /// agreeing with the spec's is what checks the table's count.
    /// </summary>
    private string WaysTerm(AbstractState pre, MachineConfig m, int[] cores)
    {
        var dl = DomainLayout.Of(m);
        int n = dl.Count;
        DomainWays[] dw = Request.DomainWays.ToArray();
        int[] dom = dw.Select(e => Index16(e.Domain, n)).ToArray();
        var dwIdx = new Dictionary<int, int>();
        for (int k = 0; k < dom.Length; k++)
        {
            dwIdx.TryAdd(dom[k], k);
        }
        int kdw = First(dom.Length, k => dom[k] >= n || dwIdx[dom[k]] != k || (dom[k] == 0 && Request.Ways != 0));
        ulong Mask(int d) => dwIdx.TryGetValue(d, out int k) ? dw[k].Mask : d == 0 ? Request.Ways : 0;
        int CoreDom(int c) => c >= 0 && c < m.CoreCount ? dl.CoreDom[c] : 0;
        int dany = First(n, d => Mask(d) != 0) is int a && a < n ? a : 0;
        int[] dcore = Enumerable.Range(0, n).Select(d => First(cores.Length, k => CoreDom(cores[k]) == d)).ToArray();
        int[] duse = Enumerable.Range(0, n).Select(d => First(64, i => (Mask(d) & (1UL << i)) != 0 && pre.WayOwner[(64 * d) + i] != Owner.Free) is int i && i < 64 ? i : 0).ToArray();
        int[] cls = Enumerable.Range(0, n).Select(d =>
            Enumerable.Range(1, pre.Slots).Count(t => pre.St[t] != (int)SliceState.Free && Enumerable.Range(64 * d, 64).Any(w => pre.WayOwner[w] == t))
            + (dl.Domains[d].ControlWays != 0 ? 1 : 0)).ToArray();
        bool DomFails(int d)
        {
            ulong mask = Mask(d);
            CacheDomain r = dl.Domains[d];
            ulong all = r.Ways >= 64 ? ulong.MaxValue : (1UL << r.Ways) - 1;
            ulong low = mask & (~mask + 1);
            return mask != 0 && ((mask & ~all) != 0 || dcore[d] >= cores.Length
                || Enumerable.Range(0, 64).Any(i => (mask & (1UL << i)) != 0 && pre.WayOwner[(64 * d) + i] != Owner.Free)
                || (r.ContiguousMasks && ((mask + low) & mask) != 0)
                || System.Numerics.BitOperations.PopCount(mask) < r.MinMaskWidth
                || (r.MaxClassesOfService != 0 && cls[d] >= r.MaxClassesOfService));
        }
        int kdom = First(n, DomFails);
        int kmiss = First(cores.Length, k => Mask(CoreDom(cores[k])) == 0);
        string idx = Smt.Idx16, bv64 = "(_ BitVec 64)";
        return Smt.B16(dom.Length) + " " + Smt.Array(idx, idx, Smt.B16(0), dom.Select((d, k) => (Smt.B16(k), Smt.B16(d))))
            + " " + Smt.Array(idx, bv64, Smt.B64(0), dw.Select((e, k) => (Smt.B16(k), Smt.B64(e.Mask))))
            + " " + Smt.B16(kdw) + " " + Smt.Array(idx, idx, Smt.B16(0), dwIdx.Select(p => (Smt.B16(p.Key), Smt.B16(p.Value))))
            + " " + Smt.B16(dany) + " " + Smt.B16(kdom)
            + " " + Smt.Array(idx, idx, Smt.B16(0), dcore.Select((k, d) => (Smt.B16(d), Smt.B16(k))))
            + " " + Smt.Array(idx, idx, Smt.B16(0), duse.Select((i, d) => (Smt.B16(d), Smt.B16(i))))
            + " " + Smt.B16(kmiss)
            + " " + Smt.Array(idx, idx, Smt.B16(0), cls.Select((c, d) => (Smt.B16(d), Smt.B16(c))));
    }
}

/// <summary>LoadImage(slot, address, bytes) with witness k: the first range of the slot covering the image.</summary>
public sealed class LoadCall(int slot, ulong address, int length) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => "LoadImage";

    /// <inheritdoc/>
    public override string Describe() => $"slot={slot} address=0x{address:x} length={length}";

    private int K(AbstractState pre)
    {
        int t = Slot16(slot, pre.Slots);
        for (int k = 0; t != 0 && k < pre.TblN[t]; k++)
        {
            if (new MemoryRange(pre.TblBase[t][k], pre.TblSize[t][k]).Covers(address, (ulong)length))
            {
                return k;
            }
        }
        return 0;
    }

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m) =>
        $"(mk-load-args {Smt.B16(Slot16(slot, pre.Slots))} {Smt.B64(address)} {Smt.B64((ulong)length)} {Smt.B16(K(pre))})";

    /// <inheritdoc/>
    public override string? Pin(AbstractState pre, AbstractState post, int codeError) => codeError != 0 ? null
        : $"(assert (= (measureExtend {Smt.B64(pre.Meas[slot])} {Smt.B64(address)} {Smt.B64((ulong)length)}) {Smt.B64(post.Meas[slot])}))";
}

/// <summary>The hardware fault the environment chose for a Start/Destroy (the one the driver injected).</summary>
/// <param name="Error">IommuFault, CoreResetFault, LoaderFault, or None.</param>
/// <param name="Core">The faulting core (reset/loader faults).</param>
/// <param name="Device">The faulting device (IOMMU faults).</param>
public readonly record struct Fault(SliceError Error, int Core, int Device)
{
    /// <summary>No fault.</summary>
    public static Fault None => new(SliceError.None, 0, 0);
}

/// <summary>StartSlice(slot) or DestroySlice(slot) under an environment fault; done sets follow the code's ascending order.</summary>
public sealed class SlotCall(bool start, int slot, Fault fault) : SpecCall
{
    /// <inheritdoc/>
    public override string Operation => start ? "StartSlice" : "DestroySlice";

    /// <inheritdoc/>
    public override string Describe() => $"slot={slot}" + (fault.Error == SliceError.None ? "" : $" fault={fault.Error} core={fault.Core} device={fault.Device}");

    private bool ChecksPass(AbstractState pre)
    {
        int t = Slot16(slot, pre.Slots);
        return t != 0 && (start ? pre.St[t] == (int)SliceState.Created : pre.St[t] != (int)SliceState.Free);
    }

    private Fault Effective(AbstractState pre) => ChecksPass(pre) ? fault : Fault.None;

    /// <inheritdoc/>
    public override string ArgsTerm(AbstractState pre, MachineConfig m)
    {
        ArgumentNullException.ThrowIfNull(pre);
        Fault f = Effective(pre);
        int t = Slot16(slot, pre.Slots);
        bool coreFault = f.Error is SliceError.CoreResetFault or SliceError.LoaderFault;
        bool devFault = f.Error == SliceError.IommuFault;
        string doneCores = BoolSet(coreFault ? Enumerable.Range(0, pre.Cores).Where(c => pre.CoreOwner[c] == t && c < f.Core) : []);
        string doneDevs = BoolSet(devFault ? Enumerable.Range(0, pre.Devices).Where(d => pre.DevOwner[d] == t && d < f.Device) : []);
        return $"({(start ? "mk-start-args" : "mk-destroy-args")} {Smt.B16(t)} {Smt.B8((int)f.Error)} {Smt.B16(f.Core)} {Smt.B16(f.Device)} {doneCores} {doneDevs})";
    }
}
