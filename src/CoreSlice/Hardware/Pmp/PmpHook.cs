using CoreSlice.Validation;

namespace CoreSlice.Hardware.Pmp;

/// <summary>Where the slicevisor learns, at construction, that its cores filter with PMP.</summary>
internal static class PmpHook
{
    /// <summary>
    /// On a PMP port: checks the geometry against the machine and makes the validator
    /// refuse slices whose entries would not fit. A struct port is never a PMP port
    /// here (the test is folded away for it, so nothing is boxed).
    /// </summary>
    public static void Attach<THardware>(THardware hardware, RequestValidator validator, FrozenMachine config)
        where THardware : IHardwarePort
    {
        if (typeof(THardware).IsValueType || hardware is not IPmpPort pmp)
        {
            return;
        }
        PmpGeometry geometry = pmp.Geometry;
        if (geometry.Problem(config.GranuleSize, config.CoreCount) is { } problem)
        {
            ThrowHelper.UnusableMachine([problem]);
        }
        validator.UsePmp(geometry);
    }
}
