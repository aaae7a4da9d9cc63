using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CoreSlice;

/// <summary>
/// The image measurement: a SHA-384 chain. Each LoadImage extends it as
/// m' = SHA-384(m ‖ address (u64 LE) ‖ length (u64 LE) ‖ bytes), starting from
/// 48 zero bytes, so both content and placement are measured, and order matters.
/// One hash object is made at construction and reused: extending allocates nothing.
/// </summary>
internal sealed class Measurement : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);

    public void Extend(Span<byte> measurement, ulong address, ReadOnlySpan<byte> bytes)
    {
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(header, address);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], (ulong)bytes.Length);
        hash.AppendData(measurement);
        hash.AppendData(header);
        hash.AppendData(bytes);
        hash.GetHashAndReset(measurement);
    }

    public void Dispose() => hash.Dispose();
}
