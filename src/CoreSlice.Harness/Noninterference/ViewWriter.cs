using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CoreSlice.Harness.Noninterference;

/// <summary>
/// One view component as canonical bytes (what two views are compared by) and, when asked, the same facts
/// in words (what a violation report prints). Both come from the same calls, so the words describe exactly
/// what was compared. The buffer is reused: a checker builds views on every transition, and allocating them
/// would cost more than building them.
/// </summary>
public sealed class ViewWriter
{
    private readonly StringBuilder? text;
    private byte[] bytes = new byte[256];
    private int length;

    /// <summary>A writer; <paramref name="withText"/> also keeps the facts in words.</summary>
    public ViewWriter(bool withText)
    {
        text = withText ? new StringBuilder() : null;
    }

    /// <summary>The canonical bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Bytes => bytes.AsSpan(0, length);

    /// <summary>The facts in words (empty unless made with text).</summary>
    public string Text => text?.ToString().TrimEnd() ?? "";

    public void Clear()
    {
        length = 0;
        _ = text?.Clear();
    }

    /// <summary>True when both hold the same facts.</summary>
    public bool SameAs(ViewWriter other) => Bytes.SequenceEqual(other.Bytes);

    /// <summary>A small number (an index, an owner, a mode, a count), in decimal in the words.</summary>
    public void Put(string name, long value)
    {
        Raw((ulong)value);
        _ = text?.Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture)).Append(' ');
    }

    /// <summary>An address, size or mask, in hex in the words.</summary>
    public void Hex(string name, ulong value)
    {
        Raw(value);
        _ = text?.Append(name).Append("=0x").Append(value.ToString("x", CultureInfo.InvariantCulture)).Append(' ');
    }

    /// <summary>A byte string (a measurement, a page's contents), whole in the bytes, by a short digest in the words.</summary>
    public void Data(string name, ReadOnlySpan<byte> data)
    {
        Raw((ulong)data.Length);
        Room(data.Length);
        data.CopyTo(bytes.AsSpan(length));
        length += data.Length;
        if (text is not null)
        {
            Span<byte> digest = stackalloc byte[32];
            _ = SHA256.HashData(data, digest);
            _ = text.Append(name).Append("=#").Append(Convert.ToHexStringLower(digest[..6])).Append(' ');
        }
    }

    private void Raw(ulong value)
    {
        Room(8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(length), value);
        length += 8;
    }

    private void Room(int n)
    {
        if (length + n > bytes.Length)
        {
            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + n));
        }
    }

    /// <summary>A table row's windows and DMA rows, in order, as both sides of the view write them.</summary>
    public void Sharing(ReadOnlySpan<SharedWindow> windows, ReadOnlySpan<DmaRange> dma)
    {
        Put("windows", windows.Length);
        foreach (SharedWindow x in windows)
        {
            Hex("base", x.Range.Base);
            Hex("size", x.Range.Size);
            Put("perm", (long)x.Permissions);
        }
        Put("dmaRows", dma.Length);
        foreach (DmaRange d in dma)
        {
            Put("dev", d.Device);
            Hex("base", d.Range.Base);
            Hex("size", d.Range.Size);
            Put("perm", (long)d.Permissions);
        }
    }
}
