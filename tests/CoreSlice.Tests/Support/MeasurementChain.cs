using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CoreSlice.Tests.Support;

/// <summary>
/// The image measurement chain written out independently of the trusted core (docs/attestation.md):
/// m' = SHA-384(m ‖ address u64 LE ‖ length u64 LE ‖ bytes).
/// </summary>
public static class MeasurementChain
{
    public static byte[] Next(ReadOnlySpan<byte> measurement, ulong address, ReadOnlySpan<byte> bytes)
    {
        byte[] input = new byte[measurement.Length + 16 + bytes.Length];
        measurement.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(measurement.Length), address);
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(measurement.Length + 8), (ulong)bytes.Length);
        bytes.CopyTo(input.AsSpan(measurement.Length + 16));
        return SHA384.HashData(input);
    }
}
