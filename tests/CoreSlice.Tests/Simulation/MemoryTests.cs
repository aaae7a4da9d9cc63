using System.Diagnostics;
using CoreSlice.Simulation;
using Xunit;

namespace CoreSlice.Tests.Simulation;

public class MemoryTests
{
    private const ulong G = 4096;

    [Fact]
    public void Untouched_memory_reads_zero_and_has_no_writer()
    {
        var memory = new PhysicalMemory(G);
        byte[] buffer = [1, 2, 3, 4, 5, 6, 7, 8];
        memory.Read(123_456_789, buffer);
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Equal(MemoryWriter.Nobody, memory.LastWriter(123_456_789));
        Assert.Equal(0, memory.PresentPages);
    }

    [Fact]
    public void Writes_across_granules_read_back_and_record_the_writer()
    {
        var memory = new PhysicalMemory(G);
        byte[] data = new byte[3 * G];
        new Random(1).NextBytes(data);
        memory.Write(G - 100, data, writer: 7);
        byte[] back = new byte[data.Length];
        memory.Read(G - 100, back);
        Assert.Equal(data, back);
        Assert.Equal(4, memory.PresentPages);
        Assert.Equal(7, memory.LastWriter(0));
        Assert.Equal(7, memory.LastWriter(4 * G - 1));
        Assert.Equal(MemoryWriter.Nobody, memory.LastWriter(4 * G));
        memory.Write(2 * G, [9], writer: 3);
        Assert.Equal(3, memory.LastWriter(2 * G + 5));
    }

    [Fact]
    public void Scrub_drops_whole_granules_and_zeroes_partial_ones()
    {
        var memory = new PhysicalMemory(G);
        byte[] ones = Enumerable.Repeat((byte)1, (int)(4 * G)).ToArray();
        memory.Write(0, ones, writer: 2);
        memory.Scrub(new MemoryRange(G / 2, 2 * G)); // half of granule 0, all of granule 1, half of granule 2
        Assert.Equal(3, memory.PresentPages);
        Assert.False(memory.IsPresent(G));
        byte[] back = new byte[4 * G];
        memory.Read(0, back);
        for (ulong i = 0; i < 4 * G; i++)
        {
            bool scrubbed = i >= G / 2 && i < G / 2 + 2 * G;
            Assert.True(back[i] == (scrubbed ? 0 : 1), $"byte {i}");
        }
        Assert.Equal(2, memory.LastWriter(0));
    }

    [Fact]
    public void Scrub_inside_one_granule_and_at_the_top_of_the_address_space()
    {
        var memory = new PhysicalMemory(G);
        memory.Write(G, [1, 1, 1, 1], writer: 1);
        memory.Scrub(new MemoryRange(G + 1, 2));
        byte[] back = new byte[4];
        memory.Read(G, back);
        Assert.Equal(new byte[] { 1, 0, 0, 1 }, back);
        memory.Write(ulong.MaxValue - 3, [5, 5, 5, 5], writer: 1);
        // The largest representable range ends one byte short of 2^64: the last byte survives.
        memory.Scrub(new MemoryRange(ulong.MaxValue - G + 1, G - 1));
        memory.Read(ulong.MaxValue - 3, back);
        Assert.Equal(new byte[] { 0, 0, 0, 5 }, back);
    }

    [Fact]
    public void Scrubbing_a_huge_range_costs_the_pages_present_not_the_granules()
    {
        var memory = new PhysicalMemory(G);
        for (ulong i = 0; i < 100; i++)
        {
            memory.Write((i * 7919 * G) % (1UL << 30), [0xAA], writer: 4);
        }
        memory.Write(1UL << 31, [0xBB], writer: 5);
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 1000; round++)
        {
            memory.Scrub(new MemoryRange(0, 1UL << 30));
        }
        Assert.True(clock.ElapsedMilliseconds < 2000, $"{clock.ElapsedMilliseconds} ms");
        Assert.Equal(1, memory.PresentPages);
        Assert.Equal(5, memory.LastWriter(1UL << 31));
    }

    [Fact]
    public void Recycled_pages_come_back_zeroed()
    {
        var memory = new PhysicalMemory(G);
        memory.Write(0, Enumerable.Repeat((byte)0xFF, (int)G).ToArray(), writer: 1);
        memory.Scrub(new MemoryRange(0, G));
        memory.Write(10 * G, [1], writer: 2);
        byte[] back = new byte[G];
        memory.Read(10 * G, back);
        Assert.Equal(1, back[0]);
        Assert.All(back[1..], b => Assert.Equal(0, b));
    }
}
