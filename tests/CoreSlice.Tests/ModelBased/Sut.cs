using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Steps;
using CoreSlice.Tests.Support;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Harness.Ports;
using CoreSlice.Log;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// The system under test: a real slicevisor on a simulated machine, on the abstract port or the PMP port
/// (<see cref="Port"/>), plus the abstraction function from its slice table and hardware to the model's state.
/// </summary>
public sealed class Sut : IDisposable
{
    private readonly byte[] drained = new byte[DecisionLog.DefaultCapacity * DecisionLogLayout.EntrySize];

    public Sut(MachineConfig config, Port? port = null)
    {
        Bench = (port ?? Port.Abstract).Open(config, PlatformIdentity.Unmeasured, DecisionLog.DefaultCapacity);
        Config = config;
        Audit = Bench.NewAudit();
        Driver = new StepDriver(Bench);
    }

    /// <summary>Applies steps to this system (the harness's one driver).</summary>
    public StepDriver Driver { get; }

    /// <summary>The slicevisor on its machine.</summary>
    public Bench Bench { get; }

    public MachineConfig Config { get; }

    public DecisionLog Log => Bench.Log;

    public SimulatedMachine Machine => Bench.Machine;

    public SliceTable Table => Bench.Table;

    public InvariantAudit Audit { get; }

    /// <summary>Drains the decision log when half full, as a real manager does (the log is not modelled).</summary>
    public void KeepLogRoom()
    {
        if (Log.Count * 2 >= Log.Capacity && !Bench.DrainLog(drained, out _).Ok)
        {
            throw new InvalidOperationException("the decision log could not be drained");
        }
    }

    /// <summary>Every field of the table and the machine, to show that a rejected call changed nothing.</summary>
    public StateSnapshot Snapshot() => StateSnapshot.Take(Machine, Table, Config);

    public void Dispose() => Bench.Dispose();

    /// <summary>The model's state as this port shows it: on the PMP port, each core's filter as what it grants (<see cref="PmpCoreLines"/>).</summary>
    public AbstractState ModelState(SpecModel model) =>
        Bench.Pmp is { } pmp ? PmpCoreLines.WithCores(AbstractState.Of(model), PmpCoreLines.Of(model, pmp.Geometry)) : AbstractState.Of(model);

    private static IEnumerable<int> Members(ResourceSet set)
    {
        for (int i = set.Next(0); i >= 0; i = set.Next(i + 1))
        {
            yield return i;
        }
    }

    /// <summary>The abstraction function: real slice table + simulated machine → the model's abstract state.</summary>
    public AbstractState Abstract()
    {
        SliceTable t = Table;
        MachineConfig c = Config;
        var writers = new SortedDictionary<ulong, int>();
        Machine.Memory.ForEachPresent((g, w) => writers[g] = w);
        var state = new AbstractState
        {
            Slots = Enumerable.Range(1, t.Capacity).Select(s =>
            {
                SliceEntry e = t[s];
                return AbstractState.SlotLine(e.State, Members(e.Cores), e.Ranges.ToArray(), e.RangePermissions.ToArray().Select(p => (byte)p),
                    e.Windows.ToArray(), Members(e.Devices), e.Ways, e.EntryPoint, e.Measurement);
            }).ToArray(),
            CoreOwner = Enumerable.Range(0, c.CoreCount).Select(t.CoreOwner).ToArray(),
            DeviceOwner = Enumerable.Range(0, c.DeviceCount).Select(t.DeviceOwner).ToArray(),
            WayOwner = Enumerable.Range(0, c.CacheWays).Select(w => t.WayOwner(w)).ToArray(),
            Cores = Enumerable.Range(0, c.CoreCount).Select(k => AbstractState.CoreLine(
                Machine.Mode(k), Machine.IsLocked(k),
                Machine.RangeRegistersOf(k).ToArray().Select(r => new ModelRegister(r.Base, r.Size, (byte)r.Permissions)),
                Members(Machine.IpiMaskOf(k)), Machine.WayMaskOf(k), Machine.EntryPointOf(k))).ToArray(),
            Windows = Enumerable.Range(0, c.DeviceCount).Select(d => AbstractState.WindowLine(Machine.IommuWindow(d).ToArray())).ToArray(),
            Writers = writers,
        };
        return Bench.Pmp is { } pmp ? PmpCoreLines.WithCores(state, PmpCoreLines.Of(pmp)) : state;
    }

    /// <summary>
    /// A cheap fingerprint of the abstract state (no strings): slot states, entry points and
    /// measurement prefixes, every owner, each core's mode/lock/way mask/first register, each
    /// window's size, and the number of written granules. The same function exists for the model.
    /// </summary>
    public ulong Fingerprint()
    {
        var h = new Fingerprinter();
        SliceTable t = Table;
        for (int s = 1; s <= t.Capacity; s++)
        {
            SliceEntry e = t[s];
            h.Add((ulong)e.State);
            h.Add(e.EntryPoint);
            h.Add(e.Ways);
            h.Add(BitConverter.ToUInt64(e.Measurement));
        }
        for (int k = 0; k < Machine.CoreCount; k++)
        {
            h.Add((ulong)(long)t.CoreOwner(k));
            h.Add((ulong)Machine.Mode(k));
            h.Add(Machine.IsLocked(k) ? 1UL : 0UL);
            bool filter = Bench.Pmp is null || Machine.Mode(k) is CoreMode.Guest or CoreMode.Control;
            h.Add(filter ? Machine.WayMaskOf(k) : 0);
            h.Add(Bench.Pmp is null ? Machine.RangeRegisterOf(k, 0).Base : 0);
        }
        for (int d = 0; d < Machine.DeviceCount; d++)
        {
            h.Add((ulong)(long)t.DeviceOwner(d));
            h.Add((ulong)Machine.IommuWindow(d).Length);
        }
        for (int w = 0; w < Config.CacheWays; w++)
        {
            h.Add((ulong)(long)t.WayOwner(w));
        }
        h.Add((ulong)Machine.Memory.PresentPages);
        return h.Value;
    }

    /// <summary>The same fingerprint of the model, through this port's lens (on PMP: no register, and no way mask of a core that runs nothing).</summary>
    public ulong FingerprintOf(SpecModel m) => Fingerprint(m, Bench.Pmp is not null);

    public static ulong Fingerprint(SpecModel m, bool pmp = false)
    {
        var h = new Fingerprinter();
        foreach (ModelSlot s in m.Slots)
        {
            h.Add((ulong)s.State);
            h.Add(s.Entry);
            h.Add(s.Ways);
            h.Add(BitConverter.ToUInt64(s.Measurement));
        }
        for (int k = 0; k < m.Config.CoreCount; k++)
        {
            h.Add((ulong)(long)m.CoreOwner[k]);
            h.Add((ulong)m.Mode[k]);
            h.Add(m.Locked[k] ? 1UL : 0UL);
            h.Add(!pmp || m.Mode[k] is CoreMode.Guest or CoreMode.Control ? m.WayMask[k] : 0);
            h.Add(pmp ? 0 : m.Regs[k][0].Base);
        }
        for (int d = 0; d < m.Config.DeviceCount; d++)
        {
            h.Add((ulong)(long)m.DeviceOwner[d]);
            h.Add((ulong)m.Window[d].Length);
        }
        foreach (int w in m.WayOwner)
        {
            h.Add((ulong)(long)w);
        }
        h.Add((ulong)m.Writer.Count);
        return h.Value;
    }

    private struct Fingerprinter
    {
        public ulong Value;

        public void Add(ulong x) => Value = (Value ^ x) * 0x100000001B3UL + 0x9E3779B97F4A7C15UL;
    }
}
