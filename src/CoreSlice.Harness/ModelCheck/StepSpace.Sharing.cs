using CoreSlice.Hardware;
using CoreSlice.Harness.Steps;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// The sharing part of the step space: a few CreateSlice requests with windows onto the control
/// granule, per-range permissions and explicit DMA ranges (all fixed in their cores, ways and
/// devices, so the state count grows by a bounded amount rather than by another product), a few
/// such requests that are always refused, and the accesses that exercise them: guest loads and
/// fetches in the window, the control slice's store into it, and DMA reads at every probe plus
/// one private granule no DMA range lists.
/// </summary>
internal static partial class StepSpace
{
    private const Permissions R = Permissions.Read;
    private const Permissions RW = Permissions.ReadWrite;
    private const Permissions RX = Permissions.Read | Permissions.Execute;

    /// <summary>The control granule, which every window of the scope lends (the whole of control memory).</summary>
    private static MemoryRange ControlGranule => new(ModelCheckScope.Granule, ModelCheckScope.Granule);

    /// <summary>
    /// Valid sharing requests, one of each kind: an R window (first guest core, first block) and an RW
    /// window (last guest core, last block) over the same control granule, so whichever is live refuses
    /// the other with WindowInUse; an RX + RW pair of private ranges with a device (its default IOMMU
    /// window is R on the first, RW on the second); and explicit DMA ranges, an RW row in a private
    /// range and an R row in an R window, so the rest of the range and any DMA write to the window are
    /// outside what the device may do.
    /// </summary>
    private static void AddSharingCreates(ModelCheckScope scope, List<Step> ops)
    {
        if (scope.RangeRegisters < 2)
        {
            return;
        }
        int first = scope.ControlCores;
        int last = scope.Cores - 1;
        ulong firstWay = 2;
        ulong lastWay = 1UL << scope.GuestWays;
        MemoryRange low = scope.Block(0);
        MemoryRange high = scope.Block(scope.Blocks - 1);
        ops.Add(Create(new SliceRequest { Cores = new[] { first }, Ranges = new[] { low }, Windows = new[] { new SharedWindow(ControlGranule, R) }, Ways = firstWay, EntryPoint = low.Base }));
        ops.Add(Create(new SliceRequest { Cores = new[] { last }, Ranges = new[] { high }, Windows = new[] { new SharedWindow(ControlGranule, RW) }, Ways = lastWay, EntryPoint = high.Base }));
        int[] oneDevice = scope.Devices > 0 ? [0] : [];
        if (scope.Blocks >= 2)
        {
            ops.Add(Create(new SliceRequest
            {
                Cores = new[] { first }, Ranges = new[] { low, high }, RangePermissions = new[] { RX, RW }, Devices = oneDevice, Ways = firstWay, EntryPoint = low.Base,
            }));
        }
        if (scope.Devices > 0)
        {
            ops.Add(Create(WithDma(scope, R, new DmaRange(0, FirstGranule(low), RW), new DmaRange(0, ControlGranule, R)) with { Cores = new[] { last }, Ways = lastWay }));
        }
    }

    /// <summary>
    /// Sharing requests refused in every state, each at one check: a window outside control memory,
    /// an executable window, a DMA range for a device not in the request, DMA ranges outside the
    /// slice (another block; control memory the request holds no window on), and one wider than the
    /// window it lies in.
    /// (A window over another slice's window is refused by the valid requests above, in the states
    /// where one of them is live.)
    /// </summary>
    private static void AddSharingRefusals(ModelCheckScope scope, List<Step> ops)
    {
        MemoryRange low = scope.Block(0);
        SliceRequest baseline = new() { Cores = new[] { scope.ControlCores }, Ranges = new[] { low }, Ways = 2, EntryPoint = low.Base };
        ops.Add(Create(baseline with { Windows = new[] { new SharedWindow(scope.Block(scope.Blocks - 1), R) } }));
        ops.Add(Create(baseline with { Windows = new[] { new SharedWindow(ControlGranule, RX) } }));
        ops.Add(Create(baseline with { DmaRanges = new[] { new DmaRange(0, FirstGranule(low), RW) } }));
        if (scope.Devices == 0)
        {
            return;
        }
        if (scope.Blocks >= 2)
        {
            ops.Add(Create(WithDma(scope, null, new DmaRange(0, FirstGranule(scope.Block(scope.Blocks - 1)), RW))));
        }
        ops.Add(Create(WithDma(scope, null, new DmaRange(0, ControlGranule, R))));
        ops.Add(Create(WithDma(scope, R, new DmaRange(0, ControlGranule, RW))));
    }

    /// <summary>
    /// The first block with device 0 and <paramref name="rows"/>, and (unless <paramref name="window"/>
    /// is null) a window with that permission over the control granule.
    /// </summary>
    private static SliceRequest WithDma(ModelCheckScope scope, Permissions? window, params DmaRange[] rows)
    {
        MemoryRange low = scope.Block(0);
        return new SliceRequest
        {
            Cores = new[] { scope.ControlCores },
            Ranges = new[] { low },
            Windows = window is { } p ? new[] { new SharedWindow(ControlGranule, p) } : ReadOnlyMemory<SharedWindow>.Empty,
            Devices = new[] { 0 },
            DmaRanges = rows,
            Ways = 2,
            EntryPoint = low.Base,
        };
    }

    private static MemoryRange FirstGranule(MemoryRange range) => new(range.Base, ModelCheckScope.Granule);

    private static Step Create(SliceRequest request) => new(StepKind.Create) { Request = request };

    /// <summary>
    /// Accesses that exercise sharing: each guest core loads and fetches in the window (its store there
    /// is among the probes); the first control core stores into it, so a window holds the control
    /// slice's bytes when its guest reads or its slice is destroyed; each device DMA-reads at every
    /// probe and at the second granule of the first block (private memory no DMA range above lists).
    /// </summary>
    private static void AddSharingAccesses(ModelCheckScope scope, List<Step> ops, List<ulong> probes)
    {
        ulong window = ControlGranule.Base;
        for (int core = scope.ControlCores; core < scope.Cores; core++)
        {
            ops.Add(new Step(StepKind.GuestLoad) { Actor = core, Address = window, Length = Payload });
            ops.Add(new Step(StepKind.GuestFetch) { Actor = core, Address = window });
        }
        ulong unlisted = scope.Block(0).Base + ModelCheckScope.Granule;
        for (int device = 0; device < scope.Devices; device++)
        {
            foreach (ulong address in probes.Append(unlisted))
            {
                ops.Add(new Step(StepKind.DmaRead) { Actor = device, Address = address, Length = Payload });
            }
        }
    }
}
