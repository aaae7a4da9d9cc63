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
}
