using CoreSlice.Hardware;
using CoreSlice.Harness.Steps;
using CoreSlice.Manager;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Audit;

namespace CoreSlice.Harness.Simulate;

/// <summary>
/// The sharing phase, run on the fresh machine before the random steps (so the slices it needs
/// are free on every machine that can hold them): a holder slice with a read-write window onto
/// control memory exchanges messages with the control slice; an outsider slice tries the windows;
/// a slice with explicit DMA ranges (a read-write row in its memory, a read-only row in its
/// read-only window) has its device DMA inside and outside its rows; finally the holder is
/// destroyed after writing every granule of its window, and the window's next holder probes it.
/// Everything is destroyed at the end, so the random steps start from an empty table as before.
/// It draws from its own random source, so the random steps are the ones the seed always gave.
/// </summary>
internal sealed partial class Scenario
{
    /// <summary>Round trips through the read-write window, spread over its granules.</summary>
    private const int ExchangeRounds = 4;

    /// <summary>Bytes a message, a DMA or a probe of the window's neighbours moves.</summary>
    private const int Message = 8;

    private const Permissions R = Permissions.Read;
    private const Permissions RW = Permissions.ReadWrite;

    private Random? sharingRandom;

    /// <summary>The sharing phase's own random source (seeded from the run's seed on first use).</summary>
    private Random SharingRandom => sharingRandom ??= new Random(unchecked((summary.Seed * 31) + 17));

    private void SharingPhase()
    {
        if (!SharingWindows(out SharedWindow readWrite, out SharedWindow readOnly))
        {
            return;
        }
        ulong granule = config.GranuleSize;
        int holder = LaunchShared(new SliceShape(1, granule, 0, 1), request => request with { Windows = new[] { readWrite } });
        int outsider = LaunchShared(new SliceShape(1, granule, 0, 1), request => request);
        int dma = config.DeviceCount == 0 ? 0 : LaunchShared(new SliceShape(1, 2 * granule, 1, 1), request => request with
        {
            Windows = new[] { readOnly },
            DmaRanges = new[]
            {
                new DmaRange(request.Devices.Span[0], new MemoryRange(request.Ranges.Span[0].Base, granule), RW),
                new DmaRange(request.Devices.Span[0], readOnly.Range, R),
            },
        });
        Audit("after the sharing slices started");
        if (holder != 0)
        {
            ExchangeThroughWindow(holder, readWrite.Range);
            Misuse(holder, readWrite.Range, StepKind.GuestFetch);
        }
        if (outsider != 0)
        {
            foreach (MemoryRange window in (ReadOnlySpan<MemoryRange>)[readWrite.Range, readOnly.Range])
            {
                foreach (StepKind kind in (ReadOnlySpan<StepKind>)[StepKind.GuestLoad, StepKind.GuestStore, StepKind.GuestFetch])
                {
                    ForeignWindowAttempt(outsider, window, kind);
                }
            }
        }
        if (dma != 0)
        {
            Misuse(dma, readOnly.Range, StepKind.GuestStore);
            Misuse(dma, readOnly.Range, StepKind.GuestFetch);
            DmaThroughRows(dma, [FirstBase(holder), FirstBase(outsider), config.ControlMemory[0].Base, readWrite.Range.Base]);
        }
        Audit("after the sharing exchanges and attempts");
        if (holder != 0)
        {
            holder = ReuseWindow(holder, readWrite);
            Audit("after a window was handed to a new holder");
        }
        foreach (int slot in (ReadOnlySpan<int>)[holder, outsider, dma])
        {
            if (slot != 0)
            {
                Expect("DestroySlice", slot, Record("DestroySlice", slicevisor.DestroySlice(slot)));
            }
        }
        Audit("after the sharing phase");
    }

    /// <summary>
    /// The two windows the phase lends, at the top of the first control-memory region: a read-write
    /// one of two granules and a read-only one of one granule. False when the machine cannot hold the
    /// phase (three guest cores and slots, a range register for a window, three control granules).
    /// </summary>
    private bool SharingWindows(out SharedWindow readWrite, out SharedWindow readOnly)
    {
        ulong granule = config.GranuleSize;
        readWrite = readOnly = default;
        if (config.ControlMemory.Length == 0 || config.ControlMemory[0].Size < 3 * granule || config.RangeRegistersPerCore < 2
            || config.CoreCount - config.ControlCores.Length < 3 || config.SlotCapacity < 3)
        {
            return false;
        }
        ulong top = config.ControlMemory[0].Limit / granule * granule;
        readWrite = new SharedWindow(new MemoryRange(top - (3 * granule), 2 * granule), RW);
        readOnly = new SharedWindow(new MemoryRange(top - granule, granule), R);
        return true;
    }

    /// <summary>Plans <paramref name="shape"/> first fit, adds the sharing fields, and launches it; 0 (a functional failure) when it cannot.</summary>
    private int LaunchShared(SliceShape shape, Func<SliceRequest, SliceRequest> share)
    {
        int slot = slicevisor.Plan(shape) is { } request ? Launch(share(request), SharingRandom) : 0;
        if (slot == 0)
        {
            Functional($"the sharing phase could not start a slice of {shape.Cores} core(s), {shape.MemoryBytes} bytes and {shape.Devices} device(s) on an empty machine");
        }
        return slot;
    }

    /// <summary>
    /// Round trips: the control slice writes a message into the window, the holder's core reads it,
    /// writes a reply, and the control slice reads the reply. Every access must be allowed; a round
    /// counts as an exchange when both messages arrive intact.
    /// </summary>
    private void ExchangeThroughWindow(int holder, MemoryRange window)
    {
        int control = config.ControlCores[0];
        int guest = slicevisor.Table[holder].Cores.Next(0);
        for (int round = 0; round < ExchangeRounds; round++)
        {
            ulong address = window.Base + ((ulong)round * (window.Size / ExchangeRounds) & ~7UL);
            byte message = NextSharingFill();
            byte reply = NextSharingFill();
            bool sent = Permitted(AttackClass.WindowExchange, Store(control, address, message), $"the control slice could not write its window at 0x{address:x}");
            bool received = Permitted(AttackClass.WindowExchange, Load(guest, address, Message), $"core {guest} of slot {holder} could not read its window at 0x{address:x}")
                && Written(message, driver.LastRead);
            bool replied = Permitted(AttackClass.WindowExchange, Store(guest, address, reply), $"core {guest} of slot {holder} could not write its read-write window at 0x{address:x}");
            bool answered = Permitted(AttackClass.WindowExchange, Load(control, address, Message), $"the control slice could not read its window at 0x{address:x}")
                && Written(reply, driver.LastRead);
            if (sent && received && replied && answered)
            {
                summary.WindowExchanges++;
            }
            else if (sent && replied)
            {
                Functional($"a message through the window at 0x{address:x} between the control slice and slot {holder} arrived changed");
            }
        }
    }

    /// <summary>The outsider's core tries <paramref name="kind"/> at every granule of a window it was not given: each must be blocked.</summary>
    private void ForeignWindowAttempt(int outsider, MemoryRange window, StepKind kind)
    {
        int core = slicevisor.Table[outsider].Cores.Next(0);
        for (ulong address = window.Base; address < window.Limit; address += config.GranuleSize)
        {
            AccessOutcome outcome = Guest(new Step(kind) { Actor = core, Address = address, Length = Message, Fill = NextSharingFill() });
            Count(AttackClass.ForeignWindow, outcome, $"core {core} of slot {outsider} reached the window at 0x{address:x}, lent to {OwnerText.Describe(slicevisor.Table.WindowHolder(address))} ({kind})");
        }
    }

    /// <summary>The window's own guest tries what its window does not grant (<paramref name="kind"/>: a fetch, or a store into a read-only window) at every granule.</summary>
    private void Misuse(int slot, MemoryRange window, StepKind kind)
    {
        int core = slicevisor.Table[slot].Cores.Next(0);
        for (ulong address = window.Base; address < window.Limit; address += config.GranuleSize)
        {
            AccessOutcome outcome = Guest(new Step(kind) { Actor = core, Address = address, Length = Message, Fill = NextSharingFill() });
            Count(AttackClass.WindowMisuse, outcome, $"core {core} of slot {slot} was allowed {kind} in its window at 0x{address:x}, which does not grant it");
        }
    }

    /// <summary>
    /// The slice's device DMAs at the base of each of its rows with each permission the row grants
    /// (must be allowed; a write must read back) and writes a read-only row (must be blocked); then
    /// reads and writes where no row of its reaches: the rest of its own memory, and
    /// <paramref name="elsewhere"/> (other slices' memory, control memory, another slice's window).
    /// </summary>
    private void DmaThroughRows(int slot, ReadOnlySpan<ulong> elsewhere)
    {
        SliceEntry entry = slicevisor.Table[slot];
        int device = entry.Devices.Next(0);
        foreach (DmaRange row in entry.DmaRanges)
        {
            ulong address = row.Range.Base;
            byte fill = NextSharingFill();
            if ((row.Permissions & Permissions.Write) != 0)
            {
                _ = Permitted(AttackClass.DmaInRows, Dma(StepKind.DmaWrite, device, address, fill), $"device {device} of slot {slot} could not DMA-write its read-write row at 0x{address:x}");
            }
            else
            {
                Count(AttackClass.DmaOutsideRows, Dma(StepKind.DmaWrite, device, address, fill), $"device {device} of slot {slot} DMA-wrote its read-only row at 0x{address:x}");
            }
            bool read = Permitted(AttackClass.DmaInRows, Dma(StepKind.DmaRead, device, address, 0), $"device {device} of slot {slot} could not DMA-read its row at 0x{address:x}");
            if (read && (row.Permissions & Permissions.Write) != 0 && !Written(fill, driver.LastRead))
            {
                Functional($"device {device} of slot {slot} read back different bytes at 0x{address:x}");
            }
        }
        var outside = new List<ulong>();
        foreach (MemoryRange range in entry.Ranges)
        {
            for (ulong address = range.Base; address < range.Limit; address += config.GranuleSize)
            {
                outside.Add(address);
            }
        }
        outside.AddRange(elsewhere);
        foreach (ulong address in outside)
        {
            if (address == 0 || RowReaches(entry, device, address))
            {
                continue;
            }
            foreach (StepKind kind in (ReadOnlySpan<StepKind>)[StepKind.DmaRead, StepKind.DmaWrite])
            {
                Count(AttackClass.DmaOutsideRows, Dma(kind, device, address, NextSharingFill()), $"device {device} of slot {slot} reached 0x{address:x} outside its DMA ranges ({kind})");
            }
        }
    }

    private static bool RowReaches(SliceEntry entry, int device, ulong address)
    {
        foreach (DmaRange row in entry.DmaRanges)
        {
            if (row.Device == device && row.Range.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The holder writes every granule of its window and a word of its own memory, and is destroyed;
    /// a new slice is given the same window and reads every granule of it whole (any non-zero byte is
    /// residue) and, as after every recycle, the remembered private addresses it now owns. Returns the new holder.
    /// </summary>
    private int ReuseWindow(int holder, SharedWindow window)
    {
        int core = slicevisor.Table[holder].Cores.Next(0);
        for (ulong address = window.Range.Base; address < window.Range.Limit; address += config.GranuleSize)
        {
            _ = Permitted(AttackClass.WindowExchange, Store(core, address, NextSharingFill()), $"core {core} of slot {holder} could not write its read-write window at 0x{address:x}");
        }
        ulong own = FirstBase(holder) + Message;
        if (Store(core, own, NextSharingFill()) == AccessOutcome.Allowed)
        {
            Remember(own);
        }
        SliceShape shape = new(1, slicevisor.Table[holder].Ranges[0].Size, 0, 1);
        Expect("DestroySlice", holder, Record("DestroySlice", slicevisor.DestroySlice(holder)));
        int next = LaunchShared(shape, request => request with { Windows = new[] { window } });
        if (next == 0)
        {
            return 0;
        }
        ProbeWindowResidue(next, window.Range);
        ProbeResidue(next);
        return next;
    }

    /// <summary>The new holder's core reads every granule of <paramref name="window"/> whole: each must be allowed and all zero.</summary>
    private void ProbeWindowResidue(int slot, MemoryRange window)
    {
        int core = slicevisor.Table[slot].Cores.Next(0);
        AccessCounts counts = summary.Access(AttackClass.WindowResidue);
        for (ulong address = window.Base; address < window.Limit; address += config.GranuleSize)
        {
            counts.Attempted++;
            if (Load(core, address, (int)config.GranuleSize) != AccessOutcome.Allowed)
            {
                counts.Blocked++;
                Functional($"core {core} of slot {slot} could not read its window at 0x{address:x}");
                continue;
            }
            counts.Allowed++;
            RecordResidue(slot, address, "in its window granule");
        }
    }

    /// <summary>A legitimate access: counted; must be allowed, else a functional failure described by <paramref name="ifBlocked"/>.</summary>
    private bool Permitted(AttackClass kind, AccessOutcome outcome, string ifBlocked)
    {
        AccessCounts counts = summary.Access(kind);
        counts.Attempted++;
        if (outcome == AccessOutcome.Allowed)
        {
            counts.Allowed++;
            return true;
        }
        counts.Blocked++;
        Functional($"{ifBlocked}: {outcome.Describe()}");
        return false;
    }

    private AccessOutcome Store(int core, ulong address, byte fill) =>
        Guest(new Step(StepKind.GuestStore) { Actor = core, Address = address, Length = Message, Fill = fill });

    private AccessOutcome Load(int core, ulong address, int length) =>
        Guest(new Step(StepKind.GuestLoad) { Actor = core, Address = address, Length = length });

    private AccessOutcome Dma(StepKind kind, int device, ulong address, byte fill) =>
        Guest(new Step(kind) { Actor = device, Address = address, Length = Message, Fill = fill });

    /// <summary>The first byte of the slot's first range (0 for no slot, which callers skip).</summary>
    private ulong FirstBase(int slot) => slot == 0 ? 0 : slicevisor.Table[slot].Ranges[0].Base;

    /// <summary>A non-zero first byte for written data, so what was written can never read as a scrubbed zero.</summary>
    private byte NextSharingFill() => (byte)(1 + SharingRandom.Next(200));
}
