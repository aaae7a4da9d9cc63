using CoreSlice.Hardware;

namespace CoreSlice.Conformance;

/// <summary>
/// One step as the spec sees it: which operation of spec/40-slicevisor.smt2 or
/// spec/50-guest.smt2, its concrete arguments (ghost witnesses included), and the
/// spec's effect mirrored in C# (<see cref="Expect"/>), which supplies the ghost
/// fields of the next abstract state and names the first differing field when Z3
/// says the transition is not the spec's. The verdict is always Z3's.
/// </summary>
public abstract class SpecCall
{
    /// <summary>The spec operation (CreateSlice, GuestAccess, Attest, DrainLog, ...).</summary>
    public abstract string Operation { get; }

    /// <summary>The arguments, for a mismatch report.</summary>
    public abstract string Describe();

    /// <summary>The arguments as a ground term of the operation's argument sort.</summary>
    public abstract string ArgsTerm(AbstractState pre, MachineConfig m);

    /// <summary>The spec's post-state given the code's error (decisions the spec leaves open are taken from <paramref name="post"/>).</summary>
    public abstract AbstractState Expect(AbstractState pre, AbstractState post, int codeError, MachineConfig m);

    /// <summary>
    /// When the step writes memory: the spec's lastWriter after it, as a term over S and A.
    /// The simulated machine records writers per granule, the spec per byte, so for these
    /// steps lastWriter is checked at granule resolution against <see cref="Expect"/> and
    /// the relation is checked with this term in its place.
    /// </summary>
    public virtual string? LastWriterOverride(int codeError) => null;

    /// <summary>An assertion pinning uninterpreted functions for this step (measureExtend), or null.</summary>
    public virtual string? Pin(AbstractState pre, AbstractState post, int codeError) => null;

    /// <summary>Log.full of spec/10-state.smt2: only the drain's reserved entry is left.</summary>
    public static bool LogFull(AbstractState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.LogN >= s.LogCap - 1;
    }

    /// <summary>
    /// A slicevisor call, as the spec wraps every one: refused unexecuted while the log is full (only the
    /// refusal count moves), otherwise decided (<paramref name="decide"/>) and appended.
    /// </summary>
    protected static AbstractState Logged(AbstractState pre, Func<AbstractState> decide)
    {
        ArgumentNullException.ThrowIfNull(pre);
        ArgumentNullException.ThrowIfNull(decide);
        if (LogFull(pre))
        {
            AbstractState refused = pre.Clone();
            refused.LogRefused++;
            return refused;
        }
        AbstractState e = decide();
        e.LogN++;
        e.LogSeq++;
        return e;
    }

    /// <summary>Maps a hostile int index to 16 bits: in range stays, anything else is #xffff (out of range for every machine).</summary>
    protected static int Index16(int v, int count) => v >= 0 && v < count ? v : 0xffff;

    /// <summary>A slot argument: 1..n stays, anything else is 0 (not a guest slot).</summary>
    protected static int Slot16(int v, int n) => v >= 1 && v <= n ? v : 0;

    /// <summary>The granules touched by [address, address + length).</summary>
    protected static IEnumerable<ulong> Granules(ulong address, ulong length, ulong granule)
    {
        if (length == 0)
        {
            yield break;
        }
        ulong first = address & ~(granule - 1), last = (address + (length - 1)) & ~(granule - 1);
        for (ulong g = first; ; g += granule)
        {
            yield return g;
            if (g == last)
            {
                break;
            }
        }
    }

    /// <summary>Spec Act.* per core.</summary>
    protected enum Act
    {
        /// <summary>Untouched.</summary>
        Keep,
        /// <summary>Reset, programmed, locked, guest.</summary>
        Program,
        /// <summary>Reset and parked.</summary>
        Park,
        /// <summary>Reset did not come back.</summary>
        ResetHalt,
        /// <summary>Readback mismatch.</summary>
        LoaderHalt,
    }

    /// <summary>core-step of spec/10-state.smt2, mirrored.</summary>
    protected static void CoreStep(AbstractState pre, AbstractState post, AbstractState e, int c, Act act, int t)
    {
        switch (act)
        {
            case Act.Keep:
                return;
            case Act.Program:
                e.IpiIn[c] = [];
                e.Mode[c] = (int)CoreMode.Guest;
                e.Locked[c] = true;
                for (int i = 0; i < e.Registers; i++)
                {
                    bool on = i < pre.TblN[t];
                    e.RrBase[c][i] = on ? pre.TblBase[t][i] : 0;
                    e.RrSize[c][i] = on ? pre.TblSize[t][i] : 0;
                    e.RrPerm[c][i] = on ? (int)Permissions.ReadWriteExecute : 0;
                }
                e.Ipi[c] = [.. Enumerable.Range(0, pre.Cores).Where(b => pre.CoreOwner[b] == t)];
                e.WMask[c] = 0;
                for (int w = 0; w < pre.Ways; w++)
                {
                    e.WMask[c] |= pre.WayOwner[w] == t ? 1UL << w : 0;
                }
                return;
            case Act.Park:
            case Act.ResetHalt:
                e.IpiIn[c] = [];
                e.Mode[c] = act == Act.Park ? (int)CoreMode.Idle : (int)CoreMode.Halted;
                e.Locked[c] = false;
                Array.Clear(e.RrBase[c]);
                Array.Clear(e.RrSize[c]);
                Array.Clear(e.RrPerm[c]);
                e.Ipi[c] = [];
                e.WMask[c] = 0;
                return;
            default:
                // readback mismatch: Halted, registers and lock left open by the spec
                e.IpiIn[c] = [];
                e.Mode[c] = (int)CoreMode.Halted;
                e.Locked[c] = post.Locked[c];
                post.RrBase[c].CopyTo(e.RrBase[c], 0);
                post.RrSize[c].CopyTo(e.RrSize[c], 0);
                post.RrPerm[c].CopyTo(e.RrPerm[c], 0);
                e.Ipi[c] = [.. post.Ipi[c]];
                e.WMask[c] = post.WMask[c];
                return;
        }
    }

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
        $"devices=[{string.Join(',', Request.Devices.ToArray())}] ways=0x{Request.Ways:x} entry=0x{Request.EntryPoint:x}";

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

    private static bool RangeFails(AbstractState s, MachineConfig m, MemoryRange[] rs, int k)
    {
        (ulong b, ulong z) = (rs[k].Base, rs[k].Size);
        ulong g = m.GranuleSize - 1;
        return z == 0 || ((b | z) & g) != 0 || z > ~b
            || !m.RamRegions.Any(r => r.Covers(b, z))
            || m.ReservedRegions.Any(r => Meets(b, z, r.Range))
            || m.ControlMemory.Any(r => Meets(b, z, r))
            || Enumerable.Range(0, k).Any(j => Overlaps(rs[j].Base, rs[j].Size, b, z))
            || s.MemOwner.Any(o => Meets(b, z, new MemoryRange(o.Base, o.Size)));
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
        string idx = Smt.Idx16;
        string cidx = Smt.Array(idx, idx, Smt.B16(nc), cores.Distinct().Select(c => (Smt.B16(c), Smt.B16(Array.IndexOf(cores, c)))));
        string didx = Smt.Array(idx, idx, Smt.B16(nd), devs.Distinct().Select(d => (Smt.B16(d), Smt.B16(Array.IndexOf(devs, d)))));
        string ridx = Smt.Intervals(idx, Smt.B16(nr), rs.Select((r, k) => (r.Base, r.Size, Smt.B16(k))));
        return "(mk-create-args " + Smt.B16(nc) + " " + Smt.Array(idx, idx, Smt.B16(0), cores.Select((c, k) => (Smt.B16(k), Smt.B16(c))))
            + " " + Smt.B16(nr) + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), rs.Select((r, k) => (Smt.B16(k), Smt.B64(r.Base))))
            + " " + Smt.Array(idx, Smt.Addr, Smt.B64(0), rs.Select((r, k) => (Smt.B16(k), Smt.B64(r.Size))))
            + " " + Smt.B16(nd) + " " + Smt.Array(idx, idx, Smt.B16(0), devs.Select((d, k) => (Smt.B16(k), Smt.B16(d))))
            + " " + AbstractState.WayBits(Request.Ways) + " " + Smt.B64(Request.EntryPoint)
            + " " + Smt.B16(LowestFree(pre)) + " " + Smt.B16(kc) + " " + Smt.B16(kr) + " " + Smt.B16(kd)
            + " " + cidx + " " + didx + " " + ridx + ")";
    }

    /// <inheritdoc/>
    public override AbstractState Expect(AbstractState pre, AbstractState post, int codeError, MachineConfig m) =>
        Logged(pre, () => Decide(pre, codeError));

    private AbstractState Decide(AbstractState pre, int codeError)
    {
        AbstractState e = pre.Clone();
        if (codeError != 0)
        {
            return e;
        }
        int t = LowestFree(pre);
        MemoryRange[] rs = Request.Ranges.ToArray();
        e.St[t] = (int)SliceState.Created;
        e.TblN[t] = e.GN[t] = rs.Length;
        Array.Clear(e.TblBase[t]); Array.Clear(e.TblSize[t]); Array.Clear(e.GBase[t]); Array.Clear(e.GSize[t]);
        for (int i = 0; i < rs.Length; i++)
        {
            e.TblBase[t][i] = e.GBase[t][i] = rs[i].Base;
            e.TblSize[t][i] = e.GSize[t][i] = rs[i].Size;
            e.MemOwner.Add(new OwnedRange(rs[i].Base, rs[i].Size, t));
            e.GMem.Add(new OwnedRange(rs[i].Base, rs[i].Size, t));
        }
        e.Entry[t] = Request.EntryPoint;
        e.Meas[t] = 0;
        foreach (int c in Request.Cores.ToArray())
        {
            e.CoreOwner[c] = e.GCore[c] = t;
        }
        foreach (int d in Request.Devices.ToArray())
        {
            e.DevOwner[d] = e.GDev[d] = t;
        }
        for (int w = 0; w < pre.Ways; w++)
        {
            if ((Request.Ways & (1UL << w)) != 0)
            {
                e.WayOwner[w] = e.GWay[w] = t;
            }
        }
        return e;
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
    public override AbstractState Expect(AbstractState pre, AbstractState post, int codeError, MachineConfig m) =>
        Logged(pre, () => Decide(pre, post, codeError, m));

    private AbstractState Decide(AbstractState pre, AbstractState post, int codeError, MachineConfig m)
    {
        AbstractState e = pre.Clone();
        if (codeError == 0)
        {
            foreach (ulong g in Granules(address, (ulong)length, m.GranuleSize))
            {
                e.LastWriter[g] = slot;
            }
            e.Meas[slot] = post.Meas[slot];
        }
        return e;
    }

    /// <inheritdoc/>
    public override string? LastWriterOverride(int codeError) => codeError != 0 ? null
        : "(lambda ((x (_ BitVec 64))) (ite (Load.writes S A x) (l.slot A) (select (lastWriter S) x)))";

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

    /// <inheritdoc/>
    public override AbstractState Expect(AbstractState pre, AbstractState post, int codeError, MachineConfig m) =>
        Logged(pre, () => Decide(pre, post));

    private AbstractState Decide(AbstractState pre, AbstractState post)
    {
        AbstractState e = pre.Clone();
        if (!ChecksPass(pre))
        {
            return e;
        }
        Fault f = fault;
        int t = slot;
        for (int c = 0; c < pre.Cores; c++)
        {
            CoreStep(pre, post, e, c, start ? StartAct(pre, c, f, t) : DestroyAct(pre, c, f, t), t);
        }
        for (int d = 0; d < pre.Devices; d++)
        {
            if (pre.DevOwner[d] != t)
            {
                continue;
            }
            if (start && (f.Error != SliceError.IommuFault || d < f.Device))
            {
                e.Iommu[d] = t;
            }
            if (!start && f.Error != SliceError.CoreResetFault && (f.Error == SliceError.None || d < f.Device))
            {
                e.Iommu[d] = Owner.None;
            }
        }
        if (start)
        {
            e.St[t] = f.Error == SliceError.None ? (int)SliceState.Running : (int)SliceState.Destroying;
            return e;
        }
        if (f.Error != SliceError.None)
        {
            e.St[t] = (int)SliceState.Destroying;
            return e;
        }
        foreach (ulong g in pre.LastWriter.Keys.ToList())
        {
            if (pre.MemOwner.Any(o => o.Owner == t && g - o.Base < o.Size))
            {
                e.LastWriter.Remove(g);
            }
        }
        e.St[t] = (int)SliceState.Free;
        e.TblN[t] = e.GN[t] = 0;
        // the freed entry is cleared, as SliceEntry.Clear does
        Array.Clear(e.TblBase[t]); Array.Clear(e.TblSize[t]); Array.Clear(e.GBase[t]); Array.Clear(e.GSize[t]);
        e.Entry[t] = 0;
        e.Meas[t] = 0;
        for (int c = 0; c < pre.Cores; c++)
        {
            e.CoreOwner[c] = e.CoreOwner[c] == t ? Owner.Free : e.CoreOwner[c];
            e.GCore[c] = e.GCore[c] == t ? Owner.Free : e.GCore[c];
        }
        for (int d = 0; d < pre.Devices; d++)
        {
            e.DevOwner[d] = e.DevOwner[d] == t ? Owner.Free : e.DevOwner[d];
            e.GDev[d] = e.GDev[d] == t ? Owner.Free : e.GDev[d];
        }
        for (int w = 0; w < pre.Ways; w++)
        {
            e.WayOwner[w] = e.WayOwner[w] == t ? Owner.Free : e.WayOwner[w];
            e.GWay[w] = e.GWay[w] == t ? Owner.Free : e.GWay[w];
        }
        e.MemOwner.RemoveAll(o => o.Owner == t);
        e.GMem.RemoveAll(o => o.Owner == t);
        return e;
    }

    private static Act StartAct(AbstractState s, int c, Fault f, int t) =>
        s.CoreOwner[c] != t ? Act.Keep
        : f.Error == SliceError.None ? Act.Program
        : f.Error == SliceError.IommuFault ? Act.Keep
        : c < f.Core ? Act.Program
        : c != f.Core ? Act.Keep
        : f.Error == SliceError.CoreResetFault ? Act.ResetHalt : Act.LoaderHalt;

    private static Act DestroyAct(AbstractState s, int c, Fault f, int t) =>
        s.CoreOwner[c] != t ? Act.Keep
        : f.Error != SliceError.CoreResetFault ? Act.Park
        : c < f.Core ? Act.Park
        : c == f.Core ? Act.ResetHalt : Act.Keep;
}
