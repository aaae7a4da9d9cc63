using CoreSlice.Log;
using CoreSlice.Manager.Verification;

namespace CoreSlice.Harness.Files;

/// <summary>
/// Reads and writes decision-log files (format: <see cref="DecisionLogFileFormat"/>).
/// <c>simulate --log FILE</c> calls <see cref="Write(string, DecisionLog)"/> at the end of
/// the run (or <see cref="Write(string, ReadOnlySpan{byte}, CoreSlice.Attestation.PlatformIdentity)"/> with the batches it drained
/// plus what the log still holds), and <c>log verify</c> calls <see cref="Read"/>.
/// </summary>
public static class DecisionLogFile
{
    /// <summary>Writes every entry <paramref name="log"/> holds now (without draining it).</summary>
    public static void Write(string path, DecisionLog log) => File.WriteAllBytes(path, DecisionLogFileFormat.Encode(log));

    /// <summary>Writes concatenated canonical entries (e.g. drained batches followed by the rest) of a log kept under <paramref name="identity"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> entries, CoreSlice.Attestation.PlatformIdentity identity) => File.WriteAllBytes(path, DecisionLogFileFormat.Encode(entries, identity));

    /// <summary>The entries of a log file; null with the problem when unreadable. A non-null result may still carry a problem (header count disagrees).</summary>
    public static byte[]? Read(string path, out string? problem, out CoreSlice.Attestation.PlatformIdentity? identity) =>
        DecisionLogFileFormat.Decode(File.ReadAllBytes(path), out problem, out identity);

    /// <summary>
    /// The head of the chain a log file holds, verified from the genesis of the identity in its header (what
    /// <c>log verify FILE --head</c> then expects); null with the problem when the file is unreadable.
    /// </summary>
    public static byte[]? Head(string path, out string? problem)
    {
        byte[]? entries = Read(path, out problem, out CoreSlice.Attestation.PlatformIdentity? identity);
        return entries is null || identity is null ? null : DecisionLogVerifier.VerifyFromGenesis(entries, identity).Head;
    }
}
