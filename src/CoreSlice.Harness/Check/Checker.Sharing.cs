using CoreSlice.Hardware;
using CoreSlice.Simulation;
using CoreSlice.Simulation.Json;

namespace CoreSlice.Harness.Check;

/// <summary>
/// Refusals of windows and DMA ranges, worded with both parties. A window is control memory
/// shared by the control slice and one guest; a DMA range is what one device of a slice may
/// reach inside that slice's own ranges and windows. The slicevisor says only that a window
/// is not control memory, or that a DMA range is not the slice's; the checker looks the
/// offending interval up, so that an attempt to share with another guest names that guest.
/// </summary>
internal sealed partial class Checker
{
    private Problem WindowRefusal(SliceSpec spec, SliceResult result, WorkingRequest work)
    {
        SliceError error = result.Error;
        int index = work.Windows[result.Subject];
        RangeItem w = spec.Windows[index];
        string perm = PermissionText.Of(w.Permissions);
        var conflict = new MemoryRange(result.ConflictBase, result.ConflictSize);
        (Position at, Party? against, MemoryRange? interval, string message) = error switch
        {
            SliceError.WindowEmpty => (w.At, (Party?)null, (MemoryRange?)null, "the window is empty (size 0)"),
            SliceError.WindowUnaligned => (w.At, GranuleParty(), w.Range, NotGranuleMultiple(w.Range)),
            SliceError.WindowWraps => (w.At, AddressSpaceParty(), null, HexText.WhyUnrepresentable(w.Range)),
            SliceError.WindowPermissionsInvalid => (w.PermAt, null, null,
                $"perm \"{perm}\": a window is \"r\" or \"rw\" for the guest, never executable (code from the control slice would run in the guest) and never write-only"),
            SliceError.WindowOutsideControl => WindowOutsideControl(spec, work, w),
            SliceError.WindowOverlapsRequest => (w.At, SameSliceWindow(spec, work.Windows[result.HolderRegion]), conflict,
                $"overlaps window \"{spec.Windows[work.Windows[result.HolderRegion]].Name}\" of the same slice on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)})"),
            _ => (w.At, HolderParty(result.Holder, conflict, s => s.Windows, s => s.WindowsField), conflict,
                $"overlaps a window of {OwnerName(result.Holder)} on {Hex.Range(conflict)} ({Hex.Size(conflict.Size)}): a byte of control memory is shared "
                + "with one guest at most, so two guests never share memory, not even through the control slice"),
        };
        return Refusal(spec, error, $"{spec.WindowsField}[{index}]", at, $"window \"{w.Name}\" {Hex.Range(w.Range)} {perm}", against, interval, message);
    }

    private (Position, Party?, MemoryRange?, string) WindowOutsideControl(SliceSpec spec, WorkingRequest work, RangeItem w)
    {
        MemoryRange outside = Subtract(w.Range, config.ControlMemory)[0];
        if (MemoryHolder(outside, spec, work) is (Party party, MemoryRange overlap, string whose))
        {
            string why = party.Kind == "slice" && party.Name != spec.Name
                ? ": a window is shared by the control slice and one guest, never by two guests"
                : "";
            return (w.At, party, overlap, $"a window must be control memory, but {Hex.Range(overlap)} ({Hex.Size(overlap.Size)}) is {whose}{why}");
        }
        return (w.At, ControlMemoryParty(), outside,
            $"a window must be control memory, but {Hex.Range(outside)} ({Hex.Size(outside.Size)}) is not the control slice's memory");
    }

    /// <returns>The problem, or null when the DMA range was refused only because its device or the range holding it was refused earlier.</returns>
    private Problem? DmaRefusal(SliceSpec spec, SliceResult result, WorkingRequest work)
    {
        SliceError error = result.Error;
        int index = work.Dma[result.Subject];
        DmaItem d = spec.Dma[index];
        string perm = PermissionText.Of(d.Permissions);
        bool consequence = error switch
        {
            SliceError.DmaDeviceNotInRequest => spec.Devices.Any(x => x.Value == d.Device),
            SliceError.DmaRangeOutsideSlice => spec.Memory.Concat(spec.Windows).Any(r => r.Range.IsRepresentable && r.Range.Covers(d.Range)),
            _ => false,
        };
        if (consequence)
        {
            return null;
        }
        (Position at, Party? against, MemoryRange? interval, string message) = error switch
        {
            SliceError.DmaDeviceNotInRequest => (d.DeviceAt, new Party("slice", spec.Name, "devices", spec.DevicesAt, $"devices {Hex.List(spec.Devices.Select(x => x.Value))}"), (MemoryRange?)null,
                $"device {d.Device} is not one of the slice's devices: a DMA range is for a device of its own slice"),
            SliceError.DmaRangeEmpty => (d.At, null, null, "the DMA range is empty (size 0)"),
            SliceError.DmaRangeUnaligned => (d.At, GranuleParty(), d.Range, NotGranuleMultiple(d.Range)),
            SliceError.DmaRangeWraps => (d.At, AddressSpaceParty(), null, HexText.WhyUnrepresentable(d.Range)),
            SliceError.DmaPermissionsInvalid => (d.PermAt, null, null,
                $"perm \"{perm}\": a device reads (\"r\"), writes (\"w\") or both (\"rw\"), and never executes"),
            SliceError.DmaRangeOutsideSlice => DmaOutsideSlice(spec, work, d),
            _ => DmaExceedsRange(spec, work, d, result.HolderRegion),
        };
        return Refusal(spec, error, $"dma[{index}]", at, $"device {d.Device} {Hex.Range(d.Range)} {perm}", against, interval, message);
    }

    private (Position, Party?, MemoryRange?, string) DmaOutsideSlice(SliceSpec spec, WorkingRequest work, DmaItem d)
    {
        IEnumerable<RangeItem> own = work.Ranges.Select(i => spec.Memory[i]).Concat(work.Windows.Select(k => spec.Windows[k]));
        MemoryRange[] outside = Subtract(d.Range, own.Select(r => r.Range));
        if (outside.Length == 0)
        {
            return (d.At, OwnRange(spec, work, d.Range), d.Range,
                "every byte is the slice's, but it spans more than one of its ranges and windows: a DMA range (one IOMMU mapping) lies inside one");
        }
        if (MemoryHolder(outside[0], spec, work) is (Party party, MemoryRange overlap, string whose))
        {
            return (d.At, party, overlap, $"a device reaches only its own slice's memory and windows, but {Hex.Range(overlap)} ({Hex.Size(overlap.Size)}) is {whose}");
        }
        return (d.At, RamParty(outside[0]), outside[0],
            $"a device reaches only its own slice's memory and windows, but {Hex.Range(outside[0])} ({Hex.Size(outside[0].Size)}) is not the slice's");
    }

    /// <summary>DmaPermissionsExceedRange: <paramref name="holding"/> counts the private ranges first, then the windows (as range registers).</summary>
    private (Position, Party?, MemoryRange?, string) DmaExceedsRange(SliceSpec spec, WorkingRequest work, DmaItem d, int holding)
    {
        (string field, RangeItem range) = holding < work.Ranges.Count
            ? ($"memory[{work.Ranges[holding]}]", spec.Memory[work.Ranges[holding]])
            : ($"{spec.WindowsField}[{work.Windows[holding - work.Ranges.Count]}]", spec.Windows[work.Windows[holding - work.Ranges.Count]]);
        string allowed = PermissionText.Of(range.Permissions);
        return (d.PermAt, new Party("slice", spec.Name, field, range.PermAt, $"perm \"{allowed}\""), d.Range,
            $"the device would get \"{PermissionText.Of(d.Permissions)}\" inside {field}, where the guest itself has \"{allowed}\": a device gets no more than its slice");
    }

    /// <summary>
    /// Who holds <paramref name="interval"/> (or its first part that someone holds): a reserved region,
    /// another slice's window, the control slice, this slice's own ranges, or another slice's memory.
    /// Null when nobody does (free RAM, or no RAM at all).
    /// </summary>
    private (Party Party, MemoryRange Overlap, string Whose)? MemoryHolder(MemoryRange interval, SliceSpec spec, WorkingRequest work)
    {
        for (int i = 0; i < config.ReservedRegions.Length; i++)
        {
            NamedRegion region = config.ReservedRegions[i];
            if (region.Range.IsRepresentable && interval.Overlaps(region.Range))
            {
                return (new Party("reserved", region.Name, $"reserved[{i}]", MachineAt("reserved", i)), interval.Intersect(region.Range), $"reserved region \"{region.Name}\"");
            }
        }
        SliceTable slices = table!;
        for (int slot = 1; slot <= slices.Capacity; slot++)
        {
            foreach (SharedWindow window in slices[slot].Windows)
            {
                if (window.Range.Overlaps(interval))
                {
                    MemoryRange overlap = interval.Intersect(window.Range);
                    return (HolderParty(slot, overlap, s => s.Windows, s => s.WindowsField), overlap, $"a window of {OwnerName(slot)}");
                }
            }
        }
        for (int c = 0; c < config.ControlMemory.Length; c++)
        {
            if (interval.Overlaps(config.ControlMemory[c]))
            {
                return (new Party("control", "control slice", $"controlMemory[{c}]", MachineAt("controlMemory", c)), interval.Intersect(config.ControlMemory[c]), "the control slice's memory");
            }
        }
        foreach (int i in work.Ranges)
        {
            if (interval.Overlaps(spec.Memory[i].Range))
            {
                return (new Party("slice", spec.Name, $"memory[{i}]", spec.Memory[i].At), interval.Intersect(spec.Memory[i].Range), $"memory[{i}] of this same slice");
            }
        }
        for (int slot = 1; slot <= slices.Capacity; slot++)
        {
            foreach (MemoryRange owned in slices[slot].Ranges)
            {
                if (owned.Overlaps(interval))
                {
                    MemoryRange overlap = interval.Intersect(owned);
                    return (HolderParty(slot, overlap, s => s.Memory, s => "memory"), overlap, $"private memory of {OwnerName(slot)}");
                }
            }
        }
        return null;
    }

    private Party SameSliceWindow(SliceSpec spec, int window) =>
        new("slice", spec.Name, $"{spec.WindowsField}[{window}]", spec.Windows[window].At, $"window \"{spec.Windows[window].Name}\"");

    /// <summary>The first of the slice's remaining ranges and windows that <paramref name="range"/> overlaps.</summary>
    private static Party OwnRange(SliceSpec spec, WorkingRequest work, MemoryRange range)
    {
        foreach (int i in work.Ranges.Where(i => spec.Memory[i].Range.Overlaps(range)))
        {
            return new Party("slice", spec.Name, $"memory[{i}]", spec.Memory[i].At);
        }
        int k = work.Windows.First(k => spec.Windows[k].Range.Overlaps(range));
        return new Party("slice", spec.Name, $"{spec.WindowsField}[{k}]", spec.Windows[k].At, $"window \"{spec.Windows[k].Name}\"");
    }

    private Party ControlMemoryParty() => new("control", "control slice", "controlMemory", MachineAt("controlMemory", -1));
}
