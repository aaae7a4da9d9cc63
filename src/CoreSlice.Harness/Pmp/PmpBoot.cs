using CoreSlice.Hardware.Pmp;
using CoreSlice.Harness.Check;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;
using CoreSlice.Simulation.Pmp;

namespace CoreSlice.Harness.Pmp;

/// <summary>
/// Boots a layout on a simulated RISC-V PMP machine with the real slicevisor and sliceloader
/// and reads back, for every hart of every slice, the entries the sliceloader wrote.
/// </summary>
internal static class PmpBoot
{
    /// <summary>
    /// Loads a RISC-V machine description (one with a "pmp" field) and a layout, and boots the layout on it.
    /// Unreadable input is an <see cref="InputException"/> or a <see cref="DescriptionException"/> (a machine
    /// description without a "pmp" field too), thrown before anything boots.
    /// </summary>
    public static PmpBootReport Run(string machinePath, string layoutPath)
    {
        InputFiles.MustBeReadable(machinePath, "machine description");
        InputFiles.MustBeReadable(layoutPath, "layout");
        if (!PmpMachineDescription.IsPmp(machinePath))
        {
            throw new DescriptionException(machinePath, 0, 0, "not a RISC-V PMP machine description (no \"pmp\" field)");
        }
        (MachineConfig config, PmpGeometry geometry) = PmpMachineDescription.Load(machinePath);
        return Boot(config, geometry, LayoutReader.Load(layoutPath));
    }

    /// <summary>Boots every slice of <paramref name="layout"/> in order and reads back what each hart holds.</summary>
    public static PmpBootReport Boot(MachineConfig config, PmpGeometry geometry, Layout layout)
    {
        var machine = new PmpMachine(config, geometry);
        using var visor = new Slicevisor<PmpHardwarePort>(config, machine.OpenPrivilegedPort());
        var harts = new List<HartEntries>();
        var refusals = new List<Refusal>();
        foreach (SliceSpec s in layout.Slices)
        {
            // The layout's request as declared (ways a 64-bit mask cannot hold left out), windows and DMA ranges included.
            SliceRequest request = new WorkingRequest(s, s.Ways.Where(w => w.Value is >= 0 and < 64)).ToRequest();
            SliceResult created = visor.CreateSlice(request);
            if (!created.Ok)
            {
                refusals.Add(new Refusal(s.Name, "create", created.Error, created.Subject));
                continue;
            }
            SliceResult started = visor.StartSlice(created.Slot);
            if (!started.Ok)
            {
                refusals.Add(new Refusal(s.Name, "start", started.Error, started.Subject));
                continue;
            }
            foreach (int hart in s.Cores.Select(c => c.Value).Order())
            {
                PmpEntry[] entries = machine.EntriesOf(hart).ToArray();
                harts.Add(new HartEntries(hart, s.Name, entries, Used(entries)));
            }
        }
        return new PmpBootReport(geometry, harts, refusals);
    }

    /// <summary>Entries that hold a region, plus the deny-all.</summary>
    private static int Used(PmpEntry[] entries) =>
        entries.Count(e => e != PmpCfg.LockedOff && e != PmpCfg.DenyAll) + (entries.Contains(PmpCfg.DenyAll) ? 1 : 0);
}
