using System.Text.Json;

namespace CoreSlice.Cli.Commands;

/// <summary>
/// Exit codes and output helpers for the attest and log commands, following the
/// CLI conventions (0 holds, 1 violated, 2 unusable input; one line, no stack trace).
/// Kept local until the shared ExitCode/CommonOptions/Guard land; then these map onto them.
/// </summary>
internal static class CliOutput
{
    public const int Holds = 0;
    public const int Violated = 1;
    public const int Unusable = 2;

    /// <summary>Runs <paramref name="body"/>, turning file and argument problems into exit 2 with one line.</summary>
    public static int Guarded(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            Console.Error.WriteLine($"coreslice: {e.Message}");
            return Unusable;
        }
    }

    public static int Unusable1(string message)
    {
        Console.Error.WriteLine($"coreslice: {message}");
        return Unusable;
    }

    public static byte[]? Hex(string? text, int length, string option)
    {
        if (text is null)
        {
            return null;
        }
        byte[] bytes = Convert.FromHexString(text.Trim());
        return bytes.Length == length ? bytes : throw new FormatException($"{option}: expected {length} bytes of hex, got {bytes.Length}");
    }

    public static void Json(Action<Utf8JsonWriter> write)
    {
        using var stream = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }
        stream.WriteByte((byte)'\n');
    }
}
