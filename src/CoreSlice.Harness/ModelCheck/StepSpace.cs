using CoreSlice.Hardware;
using CoreSlice.Harness.Steps;

namespace CoreSlice.Harness.ModelCheck;

/// <summary>
/// Every step the model checker tries in every state, built once from the scope.
/// <list type="bullet">
/// <item>CreateSlice: the full product of valid shapes (every guest core set × every
/// valid range list × every device subset × every guest way set, entry at the first
/// range's base) — in a state with live slices many of these conflict (core, memory,
/// device, way in use) — plus every hostile value of each field (out-of-range,
/// negative, duplicated, control-owned, too many; empty, unaligned, wrapping,
/// reserved, control, beyond RAM, overlapping ranges; empty/foreign/beyond way
/// masks; entry points just outside) with the other fields at a valid baseline.</item>
/// <item>LoadImage over every slot 0..Slots+1, at each block's first byte (1 byte),
/// across each block's last byte (2 bytes), in reserved and control memory, and at 2^64 - 1.</item>
/// <item>StartSlice and DestroySlice over every slot 0..Slots+1, and over every
/// slot with each injected fault: a failing reset of each guest core, a failing
/// IOMMU change of each device, a corrupted register write of each guest core (start only).</item>
/// <item>Guest actions that can change state: stores and DMA writes at each probe
/// address (each block's base, reserved, control), filter-register writes, reset requests.</item>
/// <item>Sharing (StepSpace.Sharing.cs): requests with windows, range permissions and DMA ranges,
/// valid and refused; loads and fetches in the window, the control slice's store into it, DMA reads.</item>
/// </list>
/// </summary>
internal static partial class StepSpace
{
    /// <summary>Bytes a guest store or DMA write puts down (non-zero: Fill 1 gives 1..8, so the state sees the write).</summary>
    private const int Payload = 8;

    public static IReadOnlyList<Step> Build(ModelCheckScope scope)
    {
        var ops = new List<Step>();
        AddCreates(scope, ops);
        AddLoads(scope, ops);
        for (int slot = 0; slot <= scope.Slots + 1; slot++)
        {
            ops.Add(new Step(StepKind.Start) { Slot = slot });
            ops.Add(new Step(StepKind.Destroy) { Slot = slot });
        }
        for (int slot = 1; slot <= scope.Slots; slot++)
        {
            for (int core = scope.ControlCores; core < scope.Cores; core++)
            {
                ops.Add(new Step(StepKind.Start) { Slot = slot, Fault = new Fault(FaultKind.ResetFails, core) });
                ops.Add(new Step(StepKind.Start) { Slot = slot, Fault = new Fault(FaultKind.CorruptRegister, core) });
                ops.Add(new Step(StepKind.Destroy) { Slot = slot, Fault = new Fault(FaultKind.ResetFails, core) });
            }
            for (int device = 0; device < scope.Devices; device++)
            {
                ops.Add(new Step(StepKind.Start) { Slot = slot, Fault = new Fault(FaultKind.IommuFails, device) });
                ops.Add(new Step(StepKind.Destroy) { Slot = slot, Fault = new Fault(FaultKind.IommuFails, device) });
            }
        }
        AddGuestActions(scope, ops);
        if (scope.Noninterference)
        {
            AddViewActions(scope, ops);
        }
        return ops;
    }

    private static void AddCreates(ModelCheckScope scope, List<Step> ops)
    {
        List<int[]> coreSets = GuestCoreSets(scope);
        List<MemoryRange[]> rangeLists = ValidRangeLists(scope);
        List<int[]> deviceSets = DeviceSubsets(scope.Devices);
        ulong allGuestWays = ((1UL << scope.GuestWays) - 1) << 1;
        var waySets = new List<ulong>();
        for (ulong w = 2; w <= allGuestWays; w += 2)
        {
            if ((w & ~allGuestWays) == 0)
            {
                waySets.Add(w);
            }
        }
        foreach (int[] cores in coreSets)
        {
            foreach (MemoryRange[] ranges in rangeLists)
            {
                foreach (int[] devices in deviceSets)
                {
                    foreach (ulong ways in waySets)
                    {
                        ops.Add(Create(cores, ranges, devices, ways, ranges[0].Base));
                    }
                }
            }
        }

        // Hostile values, one field at a time, the others at the baseline.
        int g = scope.ControlCores;
        int[] baseCores = [g];
        MemoryRange[] baseRanges = [scope.Block(0)];
        int[] baseDevices = [];
        ulong baseWays = 2;
        ulong baseEntry = baseRanges[0].Base;
        var tooManyCores = new int[scope.Cores + 1];
        for (int i = 0; i < tooManyCores.Length; i++)
        {
            tooManyCores[i] = g;
        }
        foreach (int[] cores in new[] { [], [0], [scope.Cores], [-1], [g, g], [g, scope.Cores], [g, 0], tooManyCores })
        {
            ops.Add(Create(cores, baseRanges, baseDevices, baseWays, baseEntry));
        }
        foreach (MemoryRange[] ranges in HostileRangeLists(scope))
        {
            ops.Add(Create(baseCores, ranges, baseDevices, baseWays, ranges.Length > 0 ? ranges[0].Base : baseEntry));
        }
        var tooManyDevices = new int[scope.Devices + 1];
        foreach (int[] devices in new[] { [scope.Devices], [-1], [0, 0], tooManyDevices })
        {
            ops.Add(Create(baseCores, baseRanges, devices, baseWays, baseEntry));
        }
        foreach (ulong ways in new[] { 0UL, 1UL, 3UL, 1UL << (scope.GuestWays + 1), ulong.MaxValue })
        {
            ops.Add(Create(baseCores, baseRanges, baseDevices, ways, baseEntry));
        }
        foreach (ulong entry in new[] { baseRanges[0].Limit, baseRanges[0].Base - 1, 0UL, ulong.MaxValue })
        {
            ops.Add(Create(baseCores, baseRanges, baseDevices, baseWays, entry));
        }
        // A valid entry point in a later range, not the first (the checks must look at every range).
        if (scope.RangeRegisters >= 2 && scope.Blocks >= 2)
        {
            MemoryRange last = scope.Block(scope.Blocks - 1);
            ops.Add(Create(baseCores, [scope.Block(0), last], baseDevices, baseWays, last.Base));
        }
        AddSharingCreates(scope, ops);
        AddSharingRefusals(scope, ops);
    }

    private static Step Create(int[] cores, MemoryRange[] ranges, int[] devices, ulong ways, ulong entry) => new(StepKind.Create)
    {
        Request = new SliceRequest { Cores = cores, Ranges = ranges, Devices = devices, Ways = ways, EntryPoint = entry },
    };

    /// <summary>Every non-empty subset of the guest cores.</summary>
    private static List<int[]> GuestCoreSets(ModelCheckScope scope)
    {
        int guests = scope.Cores - scope.ControlCores;
        var sets = new List<int[]>();
        for (int mask = 1; mask < (1 << Math.Min(guests, 20)); mask++)
        {
            var set = new List<int>();
            for (int i = 0; i < guests; i++)
            {
                if ((mask >> i & 1) != 0)
                {
                    set.Add(scope.ControlCores + i);
                }
            }
            sets.Add([.. set]);
        }
        return sets;
    }

    private static List<int[]> DeviceSubsets(int devices)
    {
        var sets = new List<int[]>();
        for (int mask = 0; mask < (1 << Math.Min(devices, 20)); mask++)
        {
            var set = new List<int>();
            for (int i = 0; i < devices; i++)
            {
                if ((mask >> i & 1) != 0)
                {
                    set.Add(i);
                }
            }
            sets.Add([.. set]);
        }
        return sets;
    }

    /// <summary>Every block; every two adjacent blocks (so partial overlaps exist); with two registers, first and last block together.</summary>
    private static List<MemoryRange[]> ValidRangeLists(ModelCheckScope scope)
    {
        var lists = new List<MemoryRange[]>();
        for (int b = 0; b < scope.Blocks; b++)
        {
            lists.Add([scope.Block(b)]);
        }
        for (int b = 0; b + 1 < scope.Blocks; b++)
        {
            lists.Add([scope.Block(b, 2)]);
        }
        if (scope.RangeRegisters >= 2 && scope.Blocks >= 2)
        {
            lists.Add([scope.Block(0), scope.Block(scope.Blocks - 1)]);
        }
        return lists;
    }

    private static List<MemoryRange[]> HostileRangeLists(ModelCheckScope scope)
    {
        const ulong G = ModelCheckScope.Granule;
        MemoryRange b0 = scope.Block(0);
        List<MemoryRange[]> lists =
        [
            [],
            [new MemoryRange(b0.Base, 0)],
            [new MemoryRange(b0.Base + (G / 2), G)],
            [new MemoryRange(b0.Base, G / 2)],
            [new MemoryRange(ulong.MaxValue - G + 1, 2 * G)],
            [new MemoryRange(ulong.MaxValue - G + 1, G)],
            [new MemoryRange(scope.RamEnd, G)],
            [new MemoryRange(scope.RamEnd - G, 2 * G)],
            [new MemoryRange(0, G)],
            [new MemoryRange(G, G)],
            [new MemoryRange(G, 2 * G)],
        ];
        if (scope.RangeRegisters >= 2)
        {
            lists.Add([b0, b0]);
            if (scope.Blocks >= 2)
            {
                lists.Add([scope.Block(0, 2), scope.Block(1)]);
                lists.Add([scope.Block(1), scope.Block(0, 2)]);
            }
        }
        var tooMany = new MemoryRange[scope.RangeRegisters + 1];
        for (int i = 0; i < tooMany.Length; i++)
        {
            tooMany[i] = scope.Block(Math.Min(i, scope.Blocks - 1));
        }
        lists.Add(tooMany);
        return lists;
    }

    private static void AddLoads(ModelCheckScope scope, List<Step> ops)
    {
        const ulong G = ModelCheckScope.Granule;
        var places = new List<(ulong Address, int Length)>();
        for (int b = 0; b < scope.Blocks; b++)
        {
            MemoryRange block = scope.Block(b);
            places.Add((block.Base, 1));
            places.Add((block.Limit - 1, 2));
        }
        places.Add((0, 1));
        places.Add((G, 1));
        places.Add((ulong.MaxValue, 2));
        for (int slot = 0; slot <= scope.Slots + 1; slot++)
        {
            foreach ((ulong address, int length) in places)
            {
                ops.Add(new Step(StepKind.Load) { Slot = slot, Address = address, Length = length, Fill = 0xA5 });
            }
        }
    }

    /// <summary>The addresses guest actions aim at: each block's base, reserved and control memory.</summary>
    public static List<ulong> ProbeAddresses(ModelCheckScope scope)
    {
        var probes = new List<ulong> { 0, ModelCheckScope.Granule };
        for (int b = 0; b < scope.Blocks; b++)
        {
            probes.Add(scope.Block(b).Base);
        }
        return probes;
    }

    private static void AddGuestActions(ModelCheckScope scope, List<Step> ops)
    {
        List<ulong> probes = ProbeAddresses(scope);
        ulong everyCore = scope.Cores >= 64 ? ulong.MaxValue : (1UL << scope.Cores) - 1;
        ulong everyWay = (1UL << (scope.GuestWays + 1)) - 1;
        for (int core = scope.ControlCores; core < scope.Cores; core++)
        {
            foreach (ulong address in probes)
            {
                ops.Add(new Step(StepKind.GuestStore) { Actor = core, Address = address, Length = Payload, Fill = 1 });
            }
            ops.Add(new Step(StepKind.WriteRangeRegister) { Actor = core, Register = 0, Address = 0, Value = ulong.MaxValue, Permissions = Permissions.ReadWriteExecute });
            ops.Add(new Step(StepKind.WriteIpiMask) { Actor = core, Value = everyCore });
            ops.Add(new Step(StepKind.WriteWayMask) { Actor = core, Value = everyWay });
            ops.Add(new Step(StepKind.RequestReset) { Actor = core, Target = 0 });
        }
        for (int device = 0; device < scope.Devices; device++)
        {
            foreach (ulong address in probes)
            {
                ops.Add(new Step(StepKind.DmaWrite) { Actor = device, Address = address, Length = Payload, Fill = 1 });
            }
        }
        AddSharingAccesses(scope, ops, probes);
    }
}
