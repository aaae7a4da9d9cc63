using CoreSlice.Attestation;
using CoreSlice.Tests.Support;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// docs/attestation.md's byte table of the current report version is the layout: its rows tile the
/// report without gap or overlap, each named field sits at the <see cref="ReportLayout"/> offset and size,
/// and the sizes the prose states are the layout's.
/// </summary>
public sealed class ReportLayoutDocumentTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(Coreslice.RepositoryRoot, "docs", "attestation.md"));

    /// <summary>(offset, size, field) of each row of the table under "## Report format, version N".</summary>
    private static List<(int Offset, int Size, string Field)> Rows()
    {
        string heading = $"## Report format, version {ReportLayout.CurrentVersion}\n";
        int start = Document.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/attestation.md has no section \"{heading.Trim()}\"");
        var rows = new List<(int, int, string)>();
        foreach (string line in Document[start..].Split('\n').SkipWhile(l => !l.StartsWith("| offset", StringComparison.Ordinal)).Skip(2))
        {
            if (!line.StartsWith('|'))
            {
                break;
            }
            string[] cells = line.Split('|');
            rows.Add((int.Parse(cells[1].Trim(), System.Globalization.CultureInfo.InvariantCulture), int.Parse(cells[2].Trim(), System.Globalization.CultureInfo.InvariantCulture), cells[3].Trim()));
        }
        return rows;
    }

    // Each named field's offset and size in the layout (reserved rows are checked by the tiling alone).
    private static readonly Dictionary<string, (int Offset, int Size)> Fields = new(StringComparer.Ordinal)
    {
        ["magic"] = (ReportLayout.Magic, 8),
        ["version"] = (ReportLayout.Version, 2),
        ["algorithm"] = (ReportLayout.Algorithm, 2),
        ["body length"] = (ReportLayout.BodyLength, 4),
        ["nonce"] = (ReportLayout.Nonce, ReportLayout.NonceSize),
        ["slot"] = (ReportLayout.Slot, 4),
        ["state"] = (ReportLayout.State, 1),
        ["requester"] = (ReportLayout.Requester, 1),
        ["slice boot id"] = (ReportLayout.SliceBootId, 8),
        ["boot counter"] = (ReportLayout.BootCounter, 8),
        ["generation"] = (ReportLayout.Generation, 8),
        ["log sequence"] = (ReportLayout.LogSequence, 8),
        ["log head"] = (ReportLayout.LogHead, CoreSlice.Log.DecisionLogLayout.HashSize),
        ["log boot count"] = (ReportLayout.LogBootCount, 8),
        ["image measurement"] = (ReportLayout.ImageMeasurement, ReportLayout.HashSize),
        ["slicevisor measurement"] = (ReportLayout.SlicevisorMeasurement, ReportLayout.HashSize),
        ["sliceloader measurement"] = (ReportLayout.SliceloaderMeasurement, ReportLayout.HashSize),
        ["entry hash"] = (ReportLayout.EntryHash, ReportLayout.HashSize),
        ["entry point"] = (ReportLayout.EntryPoint, 8),
        ["ways"] = (ReportLayout.Ways, 8),
        ["cores"] = (ReportLayout.Cores, 128),
        ["devices"] = (ReportLayout.Devices, 128),
        ["range count"] = (ReportLayout.RangeCount, 4),
        ["ranges"] = (ReportLayout.Ranges, ReportLayout.RangeSlots * 16),
        ["range permissions"] = (ReportLayout.RangePermissions, ReportLayout.RangeSlots),
        ["window count"] = (ReportLayout.WindowCount, 4),
        ["DMA scope"] = (ReportLayout.DmaScopeField, 1),
        ["DMA range count"] = (ReportLayout.DmaRangeCount, 4),
        ["windows"] = (ReportLayout.Windows, ReportLayout.WindowSlots * ReportLayout.GrantSize),
        ["DMA ranges"] = (ReportLayout.DmaRanges, ReportLayout.DmaSlots * ReportLayout.GrantSize),
        ["cache domain count"] = (ReportLayout.DomainCount, 4),
        ["domain ways"] = (ReportLayout.DomainWays, ReportLayout.DomainSlots * 8),
        ["signature"] = (ReportLayout.Signature, ReportLayout.SignatureSize),
    };

    [Fact]
    public void The_documented_table_tiles_the_report_and_names_every_field_at_its_layout_offset()
    {
        List<(int Offset, int Size, string Field)> rows = Rows();
        int next = 0;
        foreach ((int offset, int size, string field) in rows)
        {
            Assert.True(offset == next, $"row {field} at {offset}: the row before ends at {next}");
            next = offset + size;
            if (field != "reserved")
            {
                Assert.True(Fields.TryGetValue(field, out (int Offset, int Size) expected), $"the table names a field the test does not know: {field}");
                Assert.True(expected == (offset, size), $"{field}: the table says ({offset}, {size}), ReportLayout ({expected.Offset}, {expected.Size})");
            }
        }
        Assert.Equal(ReportLayout.ReportSize, next);
        Assert.Equal(Fields.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.Field).Where(f => f != "reserved").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_documented_sizes_are_the_layouts()
    {
        Assert.Contains($"fixed size ({ReportLayout.ReportSize} bytes)", Document, StringComparison.Ordinal);
        Assert.Contains($"| body length | {ReportLayout.BodySize} |", Document, StringComparison.Ordinal);
        Assert.Contains($"`BufferTooSmall` ({ReportLayout.ReportSize})", Document, StringComparison.Ordinal);
        Assert.Contains($"entry encoding** ({ReportLayout.EntryEncodingSize} bytes", Document, StringComparison.Ordinal);
        Assert.Contains($"the sharing and cache-domain sections ({ReportLayout.SharingSize} bytes", Document, StringComparison.Ordinal);
        Assert.Contains($"A **record** (window or DMA range) is {ReportLayout.GrantSize} bytes", Document, StringComparison.Ordinal);
        Assert.Contains($"| {ReportLayout.Version} | 2 | version | {ReportLayout.CurrentVersion} |", Document, StringComparison.Ordinal);
    }
}
