using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Log;
using L = CoreSlice.Log.DecisionLogLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>One decoded decision-log entry (format 3).</summary>
/// <param name="Sequence">1 for the first request the slicevisor received, then +1.</param>
/// <param name="Operation">The request.</param>
/// <param name="Error">The decision (None = accepted).</param>
/// <param name="Slot">The result's slot.</param>
/// <param name="Subject">The result's subject.</param>
/// <param name="Holder">The result's holder.</param>
/// <param name="ArgumentForm">0: <paramref name="Arguments"/> are the argument bytes, zero-padded; 1: their SHA-256.</param>
/// <param name="Arguments">The 32 argument bytes.</param>
public sealed record DecisionRecord(
    ulong Sequence, DecisionOperation Operation, SliceError Error, int Slot, int Subject, int Holder,
    byte ArgumentForm, byte[] Arguments)
{
    /// <summary>Decodes one <see cref="DecisionLogLayout.EntrySize"/>-byte entry.</summary>
    public static DecisionRecord Decode(ReadOnlySpan<byte> e) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(e[L.Sequence..]),
        (DecisionOperation)e[L.Operation],
        (SliceError)BinaryPrimitives.ReadUInt16LittleEndian(e[L.Error..]),
        BinaryPrimitives.ReadInt32LittleEndian(e[L.Slot..]),
        BinaryPrimitives.ReadInt32LittleEndian(e[L.Subject..]),
        BinaryPrimitives.ReadInt32LittleEndian(e[L.Holder..]),
        e[L.ArgumentForm],
        e.Slice(L.Arguments, L.ArgumentsSize).ToArray());
}

/// <summary>How a chain broke.</summary>
public enum LinkBreak
{
    /// <summary>The chain holds.</summary>
    None,
    /// <summary>The bytes are not a whole number of entries.</summary>
    PartialEntry,
    /// <summary>The first entry is not where the chain starts: not sequence 1 from the genesis, or not a segment start (a DrainLog entry) from an anchor.</summary>
    Unlinked,
    /// <summary>Sequence numbers do not run on by one: an entry is missing, inserted or out of order.</summary>
    SequenceGap,
    /// <summary>
    /// The chain does not end at the expected head (e.g. from a report): an entry was altered,
    /// removed, inserted or reordered (anywhere: format 3 entries carry no hash of their own, so
    /// the break is not localised), or entries were cut from the end.
    /// </summary>
    HeadMismatch,
}

/// <summary>The outcome of checking a chain: valid, or the first broken link, named; and what could not be checked.</summary>
/// <param name="Entries">Entries checked.</param>
/// <param name="Break">How it broke (None when valid).</param>
/// <param name="Index">Index (0-based, in the given bytes) of the first broken entry; -1 when valid.</param>
/// <param name="Message">One line, for a person.</param>
/// <param name="Head">The chain head the bytes reach (empty when the check stopped before the end).</param>
/// <param name="LastSequence">The last entry's sequence number (0 when empty).</param>
/// <param name="NotChecked">What these inputs could not show, one sentence each (empty when nothing is left open).</param>
public sealed record LogVerification(int Entries, LinkBreak Break, int Index, string Message, byte[] Head, ulong LastSequence, IReadOnlyList<string> NotChecked)
{
    /// <summary>True when the chain holds.</summary>
    public bool Valid => Break == LinkBreak.None;
}

/// <summary>
/// Checks a decision-log chain (a pure function of its inputs), format 3: the head is SHA-256
/// of a segment's anchor and its entries, a segment starting at the genesis (derived from the
/// platform identity and boot count) with sequence 1, or at a DrainLog entry anchored at the head
/// before it; sequences run on by one. Reports the first break it can name, and what it could not check.
/// </summary>
public static class DecisionLogVerifier
{
    /// <summary>The genesis of the log a slicevisor with <paramref name="identity"/> keeps: SHA-256(label ‖ measurements ‖ boot count).</summary>
    public static byte[] Genesis(PlatformIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        byte[] input = new byte[L.GenesisLabel.Length + 48 + 48 + 8];
        L.GenesisLabel.CopyTo(input);
        identity.SlicevisorMeasurement.CopyTo(input.AsSpan(L.GenesisLabel.Length));
        identity.SliceloaderMeasurement.CopyTo(input.AsSpan(L.GenesisLabel.Length + 48));
        BinaryPrimitives.WriteUInt64LittleEndian(input.AsSpan(L.GenesisLabel.Length + 96), identity.BootCount);
        return SHA256.HashData(input);
    }

    /// <summary>
    /// Verifies <paramref name="entries"/> (concatenated canonical entries) from the genesis of
    /// <paramref name="identity"/>: the first entry must have sequence 1 and sequences must run on,
    /// and with <paramref name="expectedHead"/> (an attestation report's log head) the chain must end
    /// there, which finds an altered, removed, inserted or reordered entry anywhere, the first
    /// included, and entries cut from the end. Without it, what only the head shows is reported as not checked.
    /// </summary>
    public static LogVerification VerifyFromGenesis(ReadOnlySpan<byte> entries, PlatformIdentity identity, ReadOnlySpan<byte> expectedHead = default) =>
        Verify(entries, Genesis(identity), fromGenesis: true, expectedHead);

    /// <summary>
    /// Verifies a batch that continues another: <paramref name="anchor"/> is the head before its
    /// first entry (the previous batch's head), and that entry must start a segment (a DrainLog
    /// entry: every batch after a drain that emptied the log begins with that drain's record).
    /// What came before the anchor is not checked.
    /// </summary>
    public static LogVerification VerifyFromAnchor(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> anchor, ReadOnlySpan<byte> expectedHead = default) =>
        Verify(entries, anchor, fromGenesis: false, expectedHead);

    private static LogVerification Verify(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> start, bool fromGenesis, ReadOnlySpan<byte> expectedHead)
    {
        var open = new List<string>();
        if (!fromGenesis)
        {
            open.Add("entries before the anchor: this batch was checked from the given anchor, not from the log's genesis");
        }
        if (expectedHead.IsEmpty)
        {
            open.Add("the entries' contents and the end of the log: with no expected head (an attestation report's log head, --head), an altered entry or entries cut from the end cannot be detected (format 3 entries carry no hash of their own; sequence numbers still show a removed, inserted or reordered one)");
        }
        int n = entries.Length / L.EntrySize;
        if (entries.Length % L.EntrySize != 0)
        {
            return new LogVerification(n, LinkBreak.PartialEntry, n, $"the log is {entries.Length} bytes, not a whole number of {L.EntrySize}-byte entries", [], 0, open);
        }
        using var chain = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        chain.AppendData(start);
        byte[] anchor = new byte[L.HashSize];
        ulong lastSequence = 0;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> e = entries.Slice(i * L.EntrySize, L.EntrySize);
            ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(e[L.Sequence..]);
            var operation = (DecisionOperation)e[L.Operation];
            if (i == 0 && fromGenesis && sequence != 1)
            {
                return Broken(LinkBreak.Unlinked, 0, $"the first entry has sequence {sequence}, not 1: the log does not start at its genesis (entries were removed from the start, or this is a later batch: give --anchor)");
            }
            if (i == 0 && !fromGenesis && !L.StartsSegment(operation))
            {
                return Broken(LinkBreak.Unlinked, 0, $"the first entry (sequence {sequence}, {operation}) does not start a segment: a batch verifies from an anchor only when it begins with a DrainLog entry (check it appended to the batch before)");
            }
            if (i > 0 && sequence != lastSequence + 1)
            {
                return Broken(LinkBreak.SequenceGap, i, $"entry {i} has sequence {sequence}, expected {lastSequence + 1}: an entry was removed, inserted or reordered here");
            }
            if (L.StartsSegment(operation) && (i > 0 || fromGenesis))
            {
                // The head before this drain record anchors the segment it starts (an explicit anchor already is that head).
                _ = chain.GetHashAndReset(anchor);
                chain.AppendData(anchor);
            }
            chain.AppendData(e);
            lastSequence = sequence;
        }
        byte[] head = chain.GetHashAndReset();
        if (!expectedHead.IsEmpty && !expectedHead.SequenceEqual(head))
        {
            return new(n, LinkBreak.HeadMismatch, n, $"the chain ends at {Convert.ToHexStringLower(head)}, not at the expected head {Convert.ToHexStringLower(expectedHead)}: an entry was altered, removed, inserted or reordered, or entries are missing at the end", head, lastSequence, open);
        }
        return new(n, LinkBreak.None, -1, $"{n} entries, chain intact", head, lastSequence, open);

        LogVerification Broken(LinkBreak kind, int index, string message) => new(n, kind, index, message, [], lastSequence, open);
    }
    /// <summary>Decodes every entry (no checking).</summary>
    public static IReadOnlyList<DecisionRecord> Decode(ReadOnlySpan<byte> entries)
    {
        var records = new List<DecisionRecord>(entries.Length / L.EntrySize);
        for (int i = 0; i + L.EntrySize <= entries.Length; i += L.EntrySize)
        {
            records.Add(DecisionRecord.Decode(entries.Slice(i, L.EntrySize)));
        }
        return records;
    }
}
