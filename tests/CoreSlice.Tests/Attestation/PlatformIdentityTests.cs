using CoreSlice.Attestation;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// The platform identity takes exactly two SHA-384 digests: a measurement of any other length,
/// in either position, is refused when the identity is made (it would otherwise be copied into
/// every report and the log's genesis at the wrong size), and one of the right length is kept as given.
/// </summary>
public sealed class PlatformIdentityTests
{
    [Theory]
    [InlineData(48, 47)]
    [InlineData(48, 49)]
    [InlineData(48, 0)]
    [InlineData(47, 48)]
    [InlineData(49, 48)]
    [InlineData(0, 48)]
    [InlineData(47, 49)]
    public void A_measurement_that_is_not_48_bytes_is_refused_in_either_position(int slicevisorLength, int sliceloaderLength)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => new PlatformIdentity(new byte[slicevisorLength], new byte[sliceloaderLength]));
        Assert.Equal("slicevisorMeasurement", e.ParamName);
    }

    [Fact]
    public void Two_48_byte_measurements_and_the_boot_count_are_kept_as_given()
    {
        byte[] slicevisor = [.. Enumerable.Range(1, 48).Select(i => (byte)i)];
        byte[] sliceloader = [.. Enumerable.Range(101, 48).Select(i => (byte)i)];
        var identity = new PlatformIdentity(slicevisor, sliceloader, bootCount: 7);
        Assert.Equal(slicevisor, identity.SlicevisorMeasurement.ToArray());
        Assert.Equal(sliceloader, identity.SliceloaderMeasurement.ToArray());
        Assert.Equal(7UL, identity.BootCount);
        Assert.Equal(new byte[48], PlatformIdentity.Unmeasured.SlicevisorMeasurement.ToArray());
        Assert.Equal(new byte[48], PlatformIdentity.Unmeasured.SliceloaderMeasurement.ToArray());
        Assert.Equal(0UL, PlatformIdentity.Unmeasured.BootCount);
    }
}
