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
            // A RISC-V description ("pmp" field): its machine part (the PMP port is `coreslice pmp`'s).
            return Simulation.Pmp.PmpMachineDescription.IsPmp(file.FullName)
                ? Simulation.Pmp.PmpMachineDescription.Load(file.FullName).Config
                : MachineDescription.Load(file.FullName);
        }
        catch (DescriptionException e)
        {
            throw new UsageException(e.Message, e);
        }
    }
}
