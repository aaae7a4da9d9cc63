namespace CoreSlice.Hardware;

/// <summary>What a core is doing.</summary>
public enum CoreMode : byte
{
    /// <summary>A control-slice core: runs the manager (and the slicevisor when privileged).</summary>
    Control = 0,
    /// <summary>Free, parked in the sliceloader's wait loop: runs no guest code.</summary>
    Idle = 1,
    /// <summary>Just reset: running the sliceloader, filter registers cleared and unlocked.</summary>
    Loader = 2,
    /// <summary>Running guest code behind its locked filter registers.</summary>
    Guest = 3,
    /// <summary>Stopped: did not come back from a reset, or halted by the sliceloader after a fault.</summary>
    Halted = 4,
}
