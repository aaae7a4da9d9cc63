using CoreSlice.Attestation;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Harness.Ports;

/// <summary>
/// Which hardware port the layers run the real slicevisor on: the abstract machine's range registers
/// and IPI masks (<see cref="SimulatedHardwarePort"/>), or RISC-V PMP entries and msip words
/// (<see cref="PmpHardwarePort"/>, the PMP encoder and sliceloader of the trusted core). The model
/// checker, <c>simulate</c> and the property tests open a <see cref="Bench"/> through a port and run
/// the same steps and checks on either.
/// </summary>
public abstract class Port
{
    private protected Port()
    {
    }

    /// <summary>The abstract machine's port (the default of every layer).</summary>
    public static Port Abstract { get; } = new AbstractPort();

    /// <summary>The PMP port; the geometry comes from the machine (<see cref="PmpLayout.GeometryFor"/>).</summary>
    public static Port Pmp { get; } = new PmpPort<PmpHardwarePort>(p => p, null);

    /// <summary>The names <see cref="Named"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["abstract", "pmp"];

    /// <summary>"abstract" or "pmp".</summary>
    public abstract string Name { get; }

    /// <summary>The port called <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public static Port Named(string name) => name switch
    {
        "abstract" => Abstract,
        "pmp" => Pmp,
        _ => throw new ArgumentException($"no port named \"{name}\" (expected {string.Join(" or ", Names)})", nameof(name)),
    };

    /// <summary>The PMP port with the harts of a RISC-V machine description (its "pmp" field).</summary>
    public static Port PmpWith(PmpGeometry geometry) => new PmpPort<PmpHardwarePort>(p => p, geometry);

    /// <summary>
    /// The PMP port seen through <paramref name="wrap"/>: the slicevisor gets what <paramref name="wrap"/> returns for the
    /// machine's privileged port (e.g. a port that misprograms entries, to show that a layer notices).
    /// </summary>
    public static Port PmpThrough<TPort>(Func<PmpHardwarePort, TPort> wrap)
        where TPort : class, IPmpPort => new PmpPort<TPort>(wrap, null);

    /// <summary>
    /// The abstract machine's port seen through <paramref name="wrap"/>: the slicevisor gets what <paramref name="wrap"/>
    /// returns for the machine's privileged port (e.g. a port whose reset or scrub reaches too far, to show that a
    /// layer notices). The layers' own reads (audit, views, guest actions) go to the machine, not through the wrapper.
    /// </summary>
    public static Port AbstractThrough<TPort>(Func<SimulatedHardwarePort, TPort> wrap)
        where TPort : Hardware.IHardwarePort => new AbstractPort<TPort>(wrap);

    /// <summary>A fresh machine in its power-on state with a slicevisor holding its privileged port.</summary>
    public abstract Bench Open(MachineConfig config, PlatformIdentity identity, int logCapacity);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class AbstractPort : Port
    {
        public override string Name => "abstract";

        public override Bench Open(MachineConfig config, PlatformIdentity identity, int logCapacity)
        {
            var machine = new SimulatedMachine(config);
            var visor = new Slicevisor<SimulatedHardwarePort>(config, machine.OpenPrivilegedPort(), identity, logCapacity);
            machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
            return new Bench<SimulatedHardwarePort>(visor, machine, null);
        }
    }

    private sealed class AbstractPort<TPort>(Func<SimulatedHardwarePort, TPort> wrap) : Port
        where TPort : Hardware.IHardwarePort
    {
        public override string Name => "abstract";

        public override Bench Open(MachineConfig config, PlatformIdentity identity, int logCapacity)
        {
            var machine = new SimulatedMachine(config);
            var visor = new Slicevisor<TPort>(config, wrap(machine.OpenPrivilegedPort()), identity, logCapacity);
            machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
            return new Bench<TPort>(visor, machine, null);
        }
    }

    private sealed class PmpPort<TPort>(Func<PmpHardwarePort, TPort> wrap, PmpGeometry? geometry) : Port
        where TPort : class, IPmpPort
    {
        public override string Name => "pmp";

        public override Bench Open(MachineConfig config, PlatformIdentity identity, int logCapacity)
        {
            var machine = new PmpMachine(config, geometry ?? PmpLayout.GeometryFor(config));
            var visor = new Slicevisor<TPort>(config, wrap(machine.OpenPrivilegedPort()), identity, logCapacity);
            machine.AttachOwnership(visor.Table.CoreOwner, visor.Table.DeviceOwner, visor.Table.MemoryOwner);
            return new Bench<TPort>(visor, machine.Inner, machine);
        }
    }
}
