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
        string? problem = geometry.Problem(config.GranuleSize);
        if (problem is null && geometry.Harts != config.CoreCount)
        {
            problem = $"pmp.harts: {geometry.Harts} msip words for {config.CoreCount} cores";
        }
        if (problem is not null)
        {
            throw new ArgumentException("unusable machine description: " + problem, nameof(hardware));
        }
        validator.UsePmp(geometry);
    }
}
