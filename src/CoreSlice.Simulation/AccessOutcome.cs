namespace CoreSlice.Simulation;

/// <summary>What the hardware did with a guest action: allowed, or blocked and why.</summary>
public enum AccessOutcome : byte
{
    /// <summary>The hardware let the action through.</summary>
    Allowed = 0,
    /// <summary>The core index is not a core of this machine.</summary>
    NoSuchCore = 1,
    /// <summary>The device index is not a device of this machine.</summary>
    NoSuchDevice = 2,
    /// <summary>The acting core runs no software that could issue the action (Idle, Loader or Halted).</summary>
    CoreNotRunning = 3,
    /// <summary>No enabled range register of the core covers the access with the needed permission.</summary>
    NoRangeRegister = 4,
    /// <summary>The filter allowed the access but no RAM lies there (a bus error).</summary>
    NotRam = 5,
    /// <summary>The DMA lies outside the device's IOMMU window (default: no window at all).</summary>
    OutsideIommuWindow = 6,
    /// <summary>The IPI's destination is not in the sender's IPI mask.</summary>
    NotInIpiMask = 7,
    /// <summary>The core's filter registers are locked: the write was refused and counted.</summary>
    FilterLocked = 8,
    /// <summary>A reset was requested from an unprivileged context: only the slicevisor may reset a core.</summary>
    NotPrivileged = 9,
    /// <summary>The range-register index is not a register of the core.</summary>
    NoSuchRegister = 10,
}

/// <summary>Names of outcomes for people.</summary>
public static class AccessOutcomeText
{
    /// <summary>A short sentence saying why the action was allowed or blocked.</summary>
    public static string Describe(this AccessOutcome outcome) => outcome switch
    {
        AccessOutcome.Allowed => "allowed",
        AccessOutcome.NoSuchCore => "blocked: no such core",
        AccessOutcome.NoSuchDevice => "blocked: no such device",
        AccessOutcome.CoreNotRunning => "blocked: the core is not running software",
        AccessOutcome.NoRangeRegister => "blocked: no range register allows it",
        AccessOutcome.NotRam => "blocked: no RAM at that address",
        AccessOutcome.OutsideIommuWindow => "blocked: outside the device's IOMMU window",
        AccessOutcome.NotInIpiMask => "blocked: destination not in the IPI mask",
        AccessOutcome.FilterLocked => "blocked: filter registers are locked",
        AccessOutcome.NotPrivileged => "blocked: only the slicevisor may reset a core",
        AccessOutcome.NoSuchRegister => "blocked: no such range register",
        _ => "unknown outcome",
    };
}
