using CoreSlice;
using CoreSlice.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace CoreSlice.Tests.Properties;

/// <summary>Expected failures are values: no slicevisor operation throws, for any argument values.</summary>
public sealed class NoThrowProperties
{
    private static readonly Gen<int> AnyInt = Gen.Frequency(
        (3, Gen.Choose(-3, 20)),
        (1, Gen.Elements(int.MinValue, int.MaxValue, -1, 1023, 1024, 65, 64)));

    private static readonly Gen<ulong> AnyULong = Gen.Frequency(
        (2, Gen.Choose(0, 1 << 30).Select(i => (ulong)i * 4096)),
        (2, Gen.Choose(int.MinValue, int.MaxValue).Select(i => unchecked((ulong)i * 0x9E37_79B9_7F4A_7C15UL))),
        (1, Gen.Elements(0UL, 1UL, 4095UL, 4096UL, ulong.MaxValue, ulong.MaxValue - 4095, 1UL << 63, 1UL << 32)));

    private static readonly Gen<SliceRequest> AnyRequest =
        from cores in Gen.Choose(0, 20).SelectMany(n => Gen.ArrayOf(AnyInt, n))
        from rangeCount in Gen.Choose(0, 20)
        from bases in Gen.ArrayOf(AnyULong, rangeCount)
        from sizes in Gen.ArrayOf(AnyULong, rangeCount)
        from devices in Gen.Choose(0, 10).SelectMany(n => Gen.ArrayOf(AnyInt, n))
        from ways in AnyULong
        from entry in AnyULong
        select new SliceRequest
        {
            Cores = cores,
            Ranges = bases.Zip(sizes, (b, s) => new MemoryRange(b, s)).ToArray(),
            Devices = devices,
            Ways = ways,
            EntryPoint = entry,
        };

    [Fact]
    public void No_operation_ever_throws_for_any_argument_values()
    {
        using Rig rig = Populated.Make();
        byte[] bytes = new byte[5000];
        Gen<(SliceRequest, int, ulong, int)> calls =
            from r in AnyRequest
            from slot in AnyInt
            from address in AnyULong
            from length in Gen.Choose(0, 5000)
            select (r, slot, address, length);
        Prop.ForAll(Arb.From(calls), call =>
        {
            (SliceRequest r, int slot, ulong address, int length) = call;
            _ = rig.Visor.CreateSlice(r);
            _ = rig.Visor.LoadImage(slot, address, bytes.AsSpan(0, length));
            _ = rig.Visor.StartSlice(slot);
            _ = rig.Visor.DestroySlice(slot);
            _ = rig.Table.MemoryOwner(address);
            _ = rig.Table.CoreOwner(slot);
            _ = rig.Table.DeviceOwner(slot);
            _ = rig.Table.WayOwner(slot);
            _ = rig.Table.IsSlot(slot);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
        Assert.Empty(new CoreSlice.Simulation.Audit.InvariantAudit(rig.Visor, rig.Machine).CheckAll());
    }
}
