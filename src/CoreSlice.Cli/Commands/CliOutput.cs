using System.Text.Json;

namespace CoreSlice.Cli.Commands;

/// <summary>Small helpers shared by the attest and log commands: hex options and JSON to stdout.</summary>
internal static class CliOutput
{
    /// <summary>The bytes of a hex option of exactly <paramref name="length"/> bytes (null when absent).</summary>
    public static byte[]? Hex(string? text, int length, string option)
    {
        if (text is null)
        {
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(text.Trim());
        }
        catch (FormatException)
        {
            throw new UsageException($"{option}: not hex");
        }
        return bytes.Length == length ? bytes : throw new UsageException($"{option}: expected {length} bytes ({length * 2} hex digits), got {bytes.Length}");
    }

    /// <summary>Writes one indented JSON document and a newline to stdout.</summary>
    public static void Json(Action<Utf8JsonWriter> write)
    {
        using var stream = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        stream.WriteByte((byte)'\n');
    }
}
