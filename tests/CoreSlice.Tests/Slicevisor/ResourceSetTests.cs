using Xunit;

namespace CoreSlice.Tests.Slicevisor;

/// <summary>
/// <see cref="ResourceSet"/> is how the trusted core writes down a slice's cores, its devices
/// and every IPI mask (I1, I3): each operation is compared with a plain <see cref="HashSet{T}"/>
/// on members at every word edge (0, 63, 64, 1023), and indices outside the set's capacity
/// (negative, 1024, extremes) are never members, never added silently and never crash.
/// </summary>
public sealed class ResourceSetTests
{
    private static readonly int[] Edges = [0, 1, 62, 63, 64, 65, 127, 128, 511, 960, 1022, 1023];

    private static ResourceSet Of(IEnumerable<int> members)
    {
        var s = default(ResourceSet);
        foreach (int m in members)
        {
            s.Add(m);
        }
        return s;
    }

    /// <summary>Deterministic subsets of the edges and a few random members (seeded, so a failure reproduces).</summary>
    private static IEnumerable<HashSet<int>> Samples()
    {
        yield return [];
        foreach (int e in Edges)
        {
            yield return [e];
        }
        var random = new Random(20261204);
        for (int i = 0; i < 40; i++)
        {
            var s = new HashSet<int>();
            int n = random.Next(1, 12);
            for (int k = 0; k < n; k++)
            {
                s.Add(random.Next(2) == 0 ? Edges[random.Next(Edges.Length)] : random.Next(ResourceSet.Capacity));
            }
            yield return s;
        }
    }

    [Fact]
    public void Contains_Count_IsEmpty_and_Word_agree_with_a_plain_set()
    {
        foreach (HashSet<int> expected in Samples())
        {
            ResourceSet s = Of(expected);
            Assert.Equal(expected.Count, s.Count);
            Assert.Equal(expected.Count == 0, s.IsEmpty);
            for (int i = 0; i < ResourceSet.Capacity; i++)
            {
                Assert.Equal(expected.Contains(i), s.Contains(i));
            }
            for (int w = 0; w < ResourceSet.Words; w++)
            {
                ulong word = 0;
                foreach (int m in expected.Where(m => m / 64 == w))
                {
                    word |= 1UL << (m % 64);
                }
                Assert.Equal(word, s.Word(w));
            }
        }
    }

    [Fact]
    public void Next_visits_exactly_the_members_in_order_from_every_start()
    {
        foreach (HashSet<int> expected in Samples())
        {
            ResourceSet s = Of(expected);
            foreach (int start in Edges.Concat([-1, int.MinValue, ResourceSet.Capacity, int.MaxValue]))
            {
                int want = expected.Where(m => m >= start).DefaultIfEmpty(-1).Min();
                Assert.Equal(want, s.Next(start));
            }
            var visited = new List<int>();
            for (int i = s.Next(0); i >= 0; i = s.Next(i + 1))
            {
                visited.Add(i);
            }
            Assert.Equal(expected.Order(), visited);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(ResourceSet.Capacity)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void An_index_outside_the_capacity_is_never_a_member_and_cannot_be_added(int index)
    {
        ResourceSet s = Of(Edges);
        Assert.False(s.Contains(index));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Add(index));
        s.Remove(index);
        Assert.Equal(Of(Edges), s);
    }

    [Fact]
    public void Remove_takes_out_one_member_and_leaves_the_rest()
    {
        foreach (int e in Edges)
        {
            ResourceSet s = Of(Edges);
            s.Remove(e);
            Assert.Equal(Of(Edges.Where(x => x != e)), s);
            s.Remove(e);
            Assert.Equal(Edges.Length - 1, s.Count);
        }
    }

    [Fact]
    public void Clear_empties_every_word()
    {
        ResourceSet s = Of(Edges);
        s.Clear();
        Assert.True(s.IsEmpty);
        Assert.Equal(default, s);
        Assert.Equal(-1, s.Next(0));
    }

    [Fact]
    public void Subset_intersection_and_equality_agree_with_a_plain_set()
    {
        List<HashSet<int>> samples = [.. Samples()];
        foreach (HashSet<int> a in samples)
        {
            foreach (HashSet<int> b in samples)
            {
                ResourceSet x = Of(a), y = Of(b);
                Assert.Equal(a.IsSubsetOf(b), x.IsSubsetOf(y));
                Assert.Equal(a.Overlaps(b), x.Intersects(y));
                bool same = a.SetEquals(b);
                Assert.Equal(same, x.Equals(y));
                Assert.Equal(same, x == y);
                Assert.Equal(!same, x != y);
                Assert.Equal(same, x.Equals((object)y));
                if (same)
                {
                    Assert.Equal(x.GetHashCode(), y.GetHashCode());
                }
            }
        }
        Assert.False(Of([1]).Equals((object)1));
    }

    [Fact]
    public void Every_member_changes_the_hash()
    {
        // Equal sets must hash equally (above); a hash that ignored a word, or a member's bit, would give
        // that member's set the empty set's hash. (Distinct sets may still collide: a hash is not an identity.)
        int empty = default(ResourceSet).GetHashCode();
        for (int i = 0; i < ResourceSet.Capacity; i++)
        {
            Assert.NotEqual(empty, Of([i]).GetHashCode());
        }
    }
}
