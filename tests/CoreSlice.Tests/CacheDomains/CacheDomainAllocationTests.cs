using CoreSlice;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.CacheDomains.TwoSocketMachine;

namespace CoreSlice.Tests.CacheDomains;

/// <summary>
/// The allocation budget on a two-socket machine: create, start and destroy a slice that holds
/// ways on both sockets, and every cache-domain refusal, allocate zero bytes once warm.
/// </summary>
public sealed class CacheDomainAllocationTests
{
    private static void Expect(SliceResult result, SliceError error)
    {
        if (result.Error != error)
        {
            throw new InvalidOperationException($"expected {error}, got {result.Error} (subject {result.Subject})");
        }
    }

    [Fact]
    public void A_two_socket_lifecycle_and_every_domain_refusal_allocate_zero_bytes()
    {
        using var rig = new Rig(Config());
        SliceRequest both = Request([1, 4], 0b110, new DomainWays(1, 0b1100));
        SliceRequest[] refused =
        [
            Request([2], 0b1_0000, new DomainWays(1, 0b11_0000)),
            Request([2, 5], 0b1_0000),
            Request([2], 0b1_0000, new DomainWays(2, 1)),
            Request([2], 0b1_0000, new DomainWays(0, 0b100)),
            Request([5], 0, new DomainWays(1, 0b101_0000)),
            Request([5], 0, new DomainWays(1, 0b1_0000)),
        ];
        SliceError[] errors =
        [
            SliceError.WaysForeignDomain, SliceError.WaysMissingInDomain, SliceError.WaysDomainOutOfRange,
            SliceError.WaysDomainDuplicated, SliceError.WaysNotContiguous, SliceError.WaysTooNarrow,
        ];
        long bytes = Allocations.Least(() =>
        {
            rig.KeepLogRoom();
            SliceResult created = rig.Visor.CreateSlice(both);
            Expect(created, SliceError.None);
            Expect(rig.Visor.StartSlice(created.Slot), SliceError.None);
            for (int i = 0; i < refused.Length; i++)
            {
                Expect(rig.Visor.CreateSlice(refused[i]), errors[i]);
            }
            Expect(rig.Visor.DestroySlice(created.Slot), SliceError.None);
        }, 500, rounds: 8);
        Assert.Equal(0, bytes);
    }
}
