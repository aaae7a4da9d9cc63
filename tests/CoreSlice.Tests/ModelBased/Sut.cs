using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;
using CoreSlice.Harness.Model;
using CoreSlice.Harness.Steps;
using CoreSlice.Tests.Support;

namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// The system under test: a real slicevisor on a simulated machine (the tests' <see cref="Rig"/>),
/// plus the abstraction function from its slice table and hardware to the model's state.
/// </summary>
public sealed class Sut : IDisposable
{
    private readonly Rig rig;

    public Sut(MachineConfig config)
    {
        rig = new Rig(config);
        Audit = new InvariantAudit(rig.Visor, rig.Machine);
        Driver = new StepDriver(rig.Visor, rig.Machine);
    }

    /// <summary>Applies steps to this system (the harness's one driver).</summary>
    public StepDriver Driver { get; }

    public Slicevisor<SimulatedHardwarePort> Visor => rig.Visor;

    public SimulatedMachine Machine => rig.Machine;

    public SliceTable Table => rig.Table;

    public Rig Rig => rig;

    public InvariantAudit Audit { get; }

    /// <summary>Drains the decision log when half full, as a real manager does (the log is not modelled).</summary>
    public void KeepLogRoom() => rig.KeepLogRoom();

    public void Dispose() => rig.Dispose();

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
        MachineConfig c = rig.Config;
        var writers = new SortedDictionary<ulong, int>();
        Machine.Memory.ForEachPresent((g, w) => writers[g] = w);
        return new AbstractState
        {
            Slots = Enumerable.Range(1, t.Capacity).Select(s =>
            {
                SliceEntry e = t[s];
                return AbstractState.SlotLine(e.State, Members(e.Cores), e.Ranges.ToArray(), e.RangePermissions.ToArray().Select(p => (byte)p),
                    e.Windows.ToArray(), Members(e.Devices), e.Ways, e.EntryPoint, e.Measurement);
            }).ToArray(),
            CoreOwner = Enumerable.Range(0, c.CoreCount).Select(t.CoreOwner).ToArray(),
            DeviceOwner = Enumerable.Range(0, c.DeviceCount).Select(t.DeviceOwner).ToArray(),
            WayOwner = Enumerable.Range(0, c.CacheWays).Select(t.WayOwner).ToArray(),
            Cores = Enumerable.Range(0, c.CoreCount).Select(k => AbstractState.CoreLine(
                Machine.Mode(k), Machine.IsLocked(k),
                Machine.RangeRegistersOf(k).ToArray().Select(r => new ModelRegister(r.Base, r.Size, (byte)r.Permissions)),
                Members(Machine.IpiMaskOf(k)), Machine.WayMaskOf(k), Machine.EntryPointOf(k))).ToArray(),
            Windows = Enumerable.Range(0, c.DeviceCount).Select(d => AbstractState.WindowLine(Machine.IommuWindow(d).ToArray())).ToArray(),
            Writers = writers,
        };
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
            h.Add(Machine.WayMaskOf(k));
            h.Add(Machine.RangeRegisterOf(k, 0).Base);
        }
        for (int d = 0; d < Machine.DeviceCount; d++)
        {
            h.Add((ulong)(long)t.DeviceOwner(d));
            h.Add((ulong)Machine.IommuWindow(d).Length);
        }
        for (int w = 0; w < rig.Config.CacheWays; w++)
        {
            h.Add((ulong)(long)t.WayOwner(w));
        }
        h.Add((ulong)Machine.Memory.PresentPages);
        return h.Value;
    }

    public static ulong Fingerprint(SpecModel m)
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
            h.Add(m.WayMask[k]);
            h.Add(m.Regs[k][0].Base);
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
