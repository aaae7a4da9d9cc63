using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CoreSlice;

/// <summary>
/// The image measurement: a SHA-384 chain. Each LoadImage extends it as
/// m' = SHA-384(m ‖ address (u64 LE) ‖ length (u64 LE) ‖ bytes), starting from
/// 48 zero bytes, so both content and placement are measured, and order matters.
/// One hash object is made at construction and reused: extending allocates nothing. The
/// slicevisor feeds it the bytes it copied into its own buffer, the same bytes it writes to memory.
/// </summary>
internal sealed class Measurement : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);

    /// <summary>Starts the step m' = SHA-384(m ‖ address ‖ length ‖ bytes); the bytes follow through <see cref="Append"/>.</summary>
    public void Begin(ReadOnlySpan<byte> measurement, ulong address, ulong length)
    {
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(header, address);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], length);
        hash.AppendData(measurement);
        hash.AppendData(header);
    }

    /// <summary>Measures the next bytes (the slicevisor's own copy of them).</summary>
    public void Append(ReadOnlySpan<byte> bytes) => hash.AppendData(bytes);

    /// <summary>Writes m' over <paramref name="measurement"/>.</summary>
    public void Finish(Span<byte> measurement) => hash.GetHashAndReset(measurement);

    public void Dispose() => hash.Dispose();
}
