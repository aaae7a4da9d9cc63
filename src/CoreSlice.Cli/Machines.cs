using CoreSlice.Simulation;

namespace CoreSlice.Cli;

/// <summary>Where commands get their machine: a description file, or the built-in default.</summary>
internal static class Machines
{
    public static MachineConfig Load(FileInfo? file)
    {
        if (file is null)
        {
            return MachineDescription.Default;
        }
        try
        {
            return Simulation.Pmp.PmpMachineDescription.LoadMachine(file.FullName);
        }
        catch (DescriptionException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    /// <summary>
    /// The machine and the port to run it on: "auto" is the PMP port with the description's own harts for a
    /// RISC-V description (one with a "pmp" field) and the abstract port otherwise; "pmp" on a machine without
    /// harts of its own gives it a geometry (<see cref="Harness.Ports.PmpLayout"/>).
    /// </summary>
    public static (MachineConfig Config, Harness.Ports.Port Port) LoadWithPort(FileInfo? file, string port)
    {
        MachineConfig config = Load(file);
        if (port == "abstract")
        {
            return (config, Harness.Ports.Port.Abstract);
        }
        if (file is not null && Simulation.Pmp.PmpMachineDescription.IsPmp(file.FullName))
        {
            return (config, Harness.Ports.Port.PmpWith(Simulation.Pmp.PmpMachineDescription.Load(file.FullName).Geometry));
        }
        return (config, port == "pmp" ? Harness.Ports.Port.Pmp : Harness.Ports.Port.Abstract);
    }
}
