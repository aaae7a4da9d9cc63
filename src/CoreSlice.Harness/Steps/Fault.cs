using CoreSlice.Simulation;

namespace CoreSlice.Harness.Steps;

/// <summary>A hardware fault that can be armed on the simulated machine before a slicevisor call.</summary>
public enum FaultKind : byte
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>The next secure reset(s) of the target core fail.</summary>
    ResetFails,

    /// <summary>The next IOMMU change(s) of the target device fail.</summary>
    IommuFails,

    /// <summary>The next filter-register write to the target core stores a different value.</summary>
    CorruptRegister,
}

/// <summary>
/// One armed fault: what fails, on which core or device, how many times. The only place
/// that turns a fault into calls on <see cref="SimulatedMachine"/>: the model checker, the
/// simulation scenario and the random-run tests all arm faults through it.
/// </summary>
/// <param name="Kind">What fails.</param>
/// <param name="Target">The core (resets, register writes) or device (IOMMU changes) it hits.</param>
/// <param name="Count">How many consecutive operations fail (register corruption is always one write).</param>
public readonly record struct Fault(FaultKind Kind, int Target, int Count = 1)
{
    /// <summary>Arms the fault on <paramref name="machine"/>; a device fault on a machine without devices arms nothing.</summary>
    public void ArmOn(SimulatedMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        switch (Kind)
        {
            case FaultKind.ResetFails:
                machine.FailNextResets(Target, Count);
                break;
            case FaultKind.IommuFails:
                machine.FailNextIommuChanges(Target, Count);
                break;
            case FaultKind.CorruptRegister:
                machine.CorruptNextRegisterWrite(Target);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Withdraws a reset or IOMMU fault the call did not use, so it does not linger into
    /// later steps (a pending corruption is consumed by the next write and left alone).
    /// </summary>
    public void DisarmOn(SimulatedMachine machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        switch (Kind)
        {
            case FaultKind.ResetFails:
                machine.FailNextResets(Target, 0);
                break;
            case FaultKind.IommuFails:
                machine.FailNextIommuChanges(Target, 0);
                break;
            default:
                break;
        }
    }

    /// <summary>The fault in words, as traces print it.</summary>
    public override string ToString() => Kind switch
    {
        FaultKind.ResetFails => $"the secure reset of core {Target} fails",
        FaultKind.IommuFails => $"the IOMMU change of device {Target} fails",
        FaultKind.CorruptRegister => $"the next register write to core {Target} is corrupted",
        _ => "no fault",
    };
}
