using CoreSlice.Log;
using CoreSlice.Tests.Support;
using Xunit;
using static CoreSlice.Tests.Support.Machines;
using static CoreSlice.Tests.Support.Populated;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// LoadImage passes the image through the slicevisor's own 4 KiB buffer, chunk by chunk:
/// at every length around the chunk size (empty, one byte, one chunk, a byte either side, several
/// chunks and a tail) the bytes in memory are exactly the image at exactly its address, nothing
/// around it is written, the measurement is the SHA-384 chain over the whole image, and the log
/// records the slot, address, length and that measurement.
/// </summary>
public sealed class LoadImageChunkTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(8192)]
    [InlineData((3 * 4096) + 5)]
    public void Every_byte_of_the_image_lands_at_its_address_and_is_measured(int length)
    {
        using Rig rig = Make();
        int slot = rig.Create(Valid());
        ulong address = FreeBase + 0x1003; // not chunk-aligned, so a chunk offset error moves bytes
        byte[] image = new byte[length];
        for (int i = 0; i < length; i++)
        {
            image[i] = (byte)((i * 7) + (i >> 12) + 1); // no zero, and each 4 KiB chunk different
        }

        Assert.Equal(SliceResult.Success(slot), rig.Visor.LoadImage(slot, address, image));

        byte[] around = new byte[length + 32];
        rig.Machine.Memory.Read(address - 16, around);
        Assert.Equal(new byte[16], around[..16]);
        Assert.Equal(image, around[16..^16]);
        Assert.Equal(new byte[16], around[^16..]);
        byte[] expected = MeasurementChain.Next(new byte[SliceEntry.MeasurementSize], address, image);
        Assert.Equal(expected, rig.Entry(slot).Measurement.ToArray());

        ReadOnlySpan<byte> entry = rig.Visor.Log.Entry(rig.Visor.Log.Count - 1);
        Assert.Equal(DecisionLogLayout.ArgumentsDigested, entry[DecisionLogLayout.ArgumentForm]);
        byte[] args = new byte[4 + 8 + 8 + SliceEntry.MeasurementSize];
        BitConverter.TryWriteBytes(args.AsSpan(0, 4), slot);
        BitConverter.TryWriteBytes(args.AsSpan(4, 8), address);
        BitConverter.TryWriteBytes(args.AsSpan(12, 8), (ulong)length);
        expected.CopyTo(args, 20);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(args), entry.Slice(DecisionLogLayout.Arguments, DecisionLogLayout.ArgumentsSize).ToArray());
    }

    [Fact]
    public void A_refused_load_logs_its_arguments_with_no_measurement()
    {
        using Rig rig = Make();
        int slot = rig.Create(Valid());
        Assert.Equal(SliceError.ImageOutsideMemory, rig.Visor.LoadImage(slot, FreeBase + MiB, [1]).Error);

        ReadOnlySpan<byte> entry = rig.Visor.Log.Entry(rig.Visor.Log.Count - 1);
        byte[] args = new byte[4 + 8 + 8 + SliceEntry.MeasurementSize];
        BitConverter.TryWriteBytes(args.AsSpan(0, 4), slot);
        BitConverter.TryWriteBytes(args.AsSpan(4, 8), FreeBase + MiB);
        BitConverter.TryWriteBytes(args.AsSpan(12, 8), 1UL);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(args), entry.Slice(DecisionLogLayout.Arguments, DecisionLogLayout.ArgumentsSize).ToArray());
        Assert.Equal(new byte[SliceEntry.MeasurementSize], rig.Entry(slot).Measurement.ToArray());
    }

    [Fact]
    public void Two_loads_chain_their_measurements_in_order()
    {
        using Rig rig = Make();
        int slot = rig.Create(Valid());
        byte[] a = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];
        byte[] b = [9, 8, 7];
        Assert.True(rig.Visor.LoadImage(slot, FreeBase, a).Ok);
        Assert.True(rig.Visor.LoadImage(slot, FreeBase + (MiB - 3), b).Ok); // exactly up to the end of the range
        byte[] m = MeasurementChain.Next(MeasurementChain.Next(new byte[SliceEntry.MeasurementSize], FreeBase, a), FreeBase + (MiB - 3), b);
        Assert.Equal(m, rig.Entry(slot).Measurement.ToArray());
    }
}
