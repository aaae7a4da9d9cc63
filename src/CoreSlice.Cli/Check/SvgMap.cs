namespace CoreSlice.Cli.Check;

/// <summary>A picture of the partition (filled in below).</summary>
internal static class SvgMap
{
    public static string Render(CheckReport report) => report.Valid ? "<svg xmlns=\"http://www.w3.org/2000/svg\"/>" : "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
}
