using CoreSlice;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// SliceRequest promises no TOCTOU: "a manager that rewrites the request during the call
/// changes nothing". CreateSlice takes the request by <c>in</c> reference, so a manager
/// thread can rewrite the caller's variable while the slicevisor runs; whatever the
/// slicevisor applies must be what it validated.
/// </summary>
public sealed class RequestRaceTests
{
    private sealed class Shared
    {
        public SliceRequest Request;
        public volatile bool Stop;
    }

    [Fact]
    public void CreateSlice_applies_exactly_what_it_validated_while_the_manager_rewrites_the_request()
    {
        using var rig = Rig.Default();
        SliceRequest good = Request([4], [new MemoryRange(FreeBase, 64 * KiB)], [], 1UL << 4);
        SliceRequest evil = good with { Ways = 0b11, EntryPoint = 0 }; // the control slice's ways; entry outside
        var shared = new Shared { Request = good };
        var flipper = new Thread(() =>
        {
            while (!shared.Stop)
            {
                shared.Request = evil;
                shared.Request = good;
            }
        });
        flipper.Start();
        string? broken = null;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 1500 && broken is null)
            {
                rig.KeepLogRoom();
                SliceResult r = rig.Visor.CreateSlice(in shared.Request);
                if (!r.Ok)
                {
                    continue;
                }
                SliceEntry e = rig.Entry(r.Slot);
                if (e.Ways != (1UL << 4) || e.EntryPoint != FreeBase || rig.Table.WayOwner(0) != Owner.Control)
                {
                    broken = $"slot {r.Slot} was created with ways 0x{e.Ways:x} and entry 0x{e.EntryPoint:x}; way 0 owner {rig.Table.WayOwner(0)}";
                }
                Assert.True(rig.Visor.DestroySlice(r.Slot).Ok);
            }
        }
        finally
        {
            shared.Stop = true;
            flipper.Join();
        }
        Assert.True(broken is null, broken);
    }
}
