namespace CoreSlice.Attestation;

/// <summary>
/// What the platform measured before it started the slicevisor: SHA-384 digests
/// of the slicevisor's and the sliceloader's code. The trusted core cannot measure
/// itself meaningfully, so these come from the boot chain (on the simulated
/// machine: see CoreSlice.Simulation) and are copied into every report. The
/// slicevisor's measurement also keys its signing key, so different slicevisor
/// code gets a different key from the same hardware.
/// </summary>
public sealed class PlatformIdentity
{
    private readonly byte[] slicevisor;
    private readonly byte[] sliceloader;

    /// <summary>
    /// Both measurements must be 48 bytes (SHA-384). <paramref name="bootCount"/> is the
    /// platform's monotonic count of slicevisor starts (0 on a platform without one): with the
    /// measurements it derives the decision log's genesis, so each boot's log starts afresh.
    /// </summary>
    public PlatformIdentity(ReadOnlySpan<byte> slicevisorMeasurement, ReadOnlySpan<byte> sliceloaderMeasurement, ulong bootCount = 0)
    {
        if (slicevisorMeasurement.Length != ReportLayout.HashSize || sliceloaderMeasurement.Length != ReportLayout.HashSize)
        {
            ThrowHelper.Argument(nameof(slicevisorMeasurement));
        }
        slicevisor = slicevisorMeasurement.ToArray();
        sliceloader = sliceloaderMeasurement.ToArray();
        BootCount = bootCount;
    }

    /// <summary>The platform's count of slicevisor starts, as it gave it at construction.</summary>
    public ulong BootCount { get; }

    /// <summary>A platform that measured nothing: both measurements are 48 zero bytes (for tests).</summary>
    public static PlatformIdentity Unmeasured { get; } = new(new byte[ReportLayout.HashSize], new byte[ReportLayout.HashSize]);

    /// <summary>SHA-384 of the slicevisor's code.</summary>
    public ReadOnlySpan<byte> SlicevisorMeasurement => slicevisor;

    /// <summary>SHA-384 of the sliceloader's code.</summary>
    public ReadOnlySpan<byte> SliceloaderMeasurement => sliceloader;
}
