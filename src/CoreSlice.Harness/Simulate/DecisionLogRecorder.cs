using CoreSlice.Hardware;
using CoreSlice.Log;
using CoreSlice.Manager.Verification;

namespace CoreSlice.Harness.Simulate;

/// <summary>
/// The manager's side of the full-log policy for long runs: drains the
/// slicevisor's decision log whenever it is half full (so no request of a step
/// meets <see cref="SliceError.LogFull"/>), and streams the drained batches to a
/// decision-log file, or discards them when no file was asked for. The batches
/// link up (the chain continues across drains), so the file verifies as one chain.
/// </summary>
public sealed class DecisionLogRecorder : IDisposable
{
    private readonly FileStream? file;
    private byte[] buffer = [];
    private long entries;

    /// <summary>Records into <paramref name="path"/> (null: drain and discard).</summary>
    public DecisionLogRecorder(string? path)
    {
        if (path is not null)
        {
            file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
            file.Write(new byte[DecisionLogFileFormat.HeaderSize]); // the header is written by Finish, with the count and the identity
        }
    }

    /// <summary>Entries drained so far.</summary>
    public long Entries => entries;

    /// <summary>Drains the log when it is at least half full. Call between steps.</summary>
    public void Keep<THardware>(Slicevisor<THardware> slicevisor)
        where THardware : IHardwarePort
    {
        ArgumentNullException.ThrowIfNull(slicevisor);
        if (slicevisor.Log.Count >= slicevisor.Log.Capacity / 2)
        {
            Drain(slicevisor);
        }
    }

    /// <summary>Drains everything left (the final drain record stays in the log, unwritten) and completes the file.</summary>
    public void Finish<THardware>(Slicevisor<THardware> slicevisor)
        where THardware : IHardwarePort
    {
        ArgumentNullException.ThrowIfNull(slicevisor);
        Drain(slicevisor);
        if (file is not null)
        {
            file.Position = 0;
            file.Write(DecisionLogFileFormat.Header((ulong)entries, slicevisor.Log.Identity));
            file.Flush();
        }
    }

    private void Drain<THardware>(Slicevisor<THardware> slicevisor)
        where THardware : IHardwarePort
    {
        int size = slicevisor.Log.Capacity * DecisionLogLayout.EntrySize;
        if (buffer.Length < size)
        {
            buffer = new byte[size];
        }
        SliceResult result = slicevisor.DrainLog(buffer, out int drained);
        if (!result.Ok)
        {
            throw new InvalidOperationException($"draining the decision log failed: {result.Error}");
        }
        file?.Write(buffer, 0, drained * DecisionLogLayout.EntrySize);
        entries += drained;
    }

    /// <inheritdoc/>
    public void Dispose() => file?.Dispose();
}
