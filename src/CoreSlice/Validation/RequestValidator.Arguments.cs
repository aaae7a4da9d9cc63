using System.Buffers.Binary;

namespace CoreSlice.Validation;

internal sealed partial class RequestValidator
{
    /// <summary>Most bytes <see cref="EncodeArguments"/> writes for this machine.</summary>
    public int MaxArgumentBytes =>
        4 + (4 * cores.Length)
        + 4 + (16 * ranges.Length)
        + 4 + permissions.Length
        + 4 + (17 * windows.Length)
        + 4 + (4 * devices.Length)
        + 4 + (21 * dmaRanges.Length)
        + 16
        + 4 + (12 * domainWays.Length);

    /// <summary>
    /// The decoded request's canonical argument bytes (docs/attestation.md): for each list,
    /// u32 length ‖ its items if they were copied — cores (i32), private ranges (base u64 ‖
    /// size u64), permissions (one byte each), windows (base u64 ‖ size u64 ‖ permission byte),
    /// devices (i32), DMA ranges (device i32 ‖ base u64 ‖ size u64 ‖ permission byte) — then ways u64 ‖ entry point u64; then, only when the request lists DomainWays (so a
    /// request without them encodes as before domains existed), their length i32 ‖ the items when
    /// within the domain count (domain i32 ‖ mask u64).
    /// </summary>
    public ReadOnlySpan<byte> EncodeArguments(Span<byte> destination)
    {
        int at = 0;
        at = Items(destination, at, coreCount, cores.Length, cores);
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], rangeCount);
        at += 4;
        for (int i = 0; rangeCount <= ranges.Length && i < rangeCount; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], ranges[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 8)..], ranges[i].Size);
            at += 16;
        }
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], permissionCount);
        at += 4;
        for (int i = 0; permissionCount <= permissions.Length && i < permissionCount; i++)
        {
            destination[at] = (byte)permissions[i];
            at++;
        }
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], windowCount);
        at += 4;
        for (int k = 0; windowCount <= windows.Length && k < windowCount; k++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], windows[k].Range.Base);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 8)..], windows[k].Range.Size);
            destination[at + 16] = (byte)windows[k].Permissions;
            at += 17;
        }
        at = Items(destination, at, deviceCount, config.DeviceCount, devices);
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], dmaCount);
        at += 4;
        for (int k = 0; dmaCount <= dmaRanges.Length && k < dmaCount; k++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[at..], dmaRanges[k].Device);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 4)..], dmaRanges[k].Range.Base);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 12)..], dmaRanges[k].Range.Size);
            destination[at + 20] = (byte)dmaRanges[k].Permissions;
            at += 21;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(destination[at..], ways);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 8)..], entryPoint);
        at += 16;
        if (domainWaysCount != 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[at..], domainWaysCount);
            at += 4;
            for (int i = 0; domainWaysCount <= config.Domains.Count && i < domainWaysCount; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(destination[at..], domainWays[i].Domain);
                BinaryPrimitives.WriteUInt64LittleEndian(destination[(at + 4)..], domainWays[i].Mask);
                at += 12;
            }
        }
        return destination[..at];
    }

    private static int Items(Span<byte> destination, int at, int length, int limit, int[] items)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination[at..], length);
        at += 4;
        for (int i = 0; length <= limit && i < length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[at..], items[i]);
            at += 4;
        }
        return at;
    }
}
