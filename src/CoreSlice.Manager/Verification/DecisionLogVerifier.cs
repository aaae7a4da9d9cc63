using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Log;
using L = CoreSlice.Log.DecisionLogLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>One decoded decision-log entry.</summary>
/// <param name="Sequence">1 for the first request the slicevisor received, then +1.</param>
/// <param name="Operation">The request.</param>
/// <param name="Error">The decision (None = accepted).</param>
/// <param name="Slot">The result's slot.</param>
/// <param name="Subject">The result's subject.</param>
/// <param name="Holder">The result's holder.</param>
/// <param name="ArgumentsDigest">SHA-384 of the request's argument bytes.</param>
/// <param name="PreviousHash">The chain link: the previous entry's hash.</param>
/// <param name="Hash">SHA-384(previous hash ‖ fields).</param>
public sealed record DecisionRecord(
    ulong Sequence, DecisionOperation Operation, SliceError Error, int Slot, int Subject, int Holder,
    byte[] ArgumentsDigest, byte[] PreviousHash, byte[] Hash)
{
    /// <summary>Decodes one <see cref="DecisionLogLayout.EntrySize"/>-byte entry.</summary>
    public static DecisionRecord Decode(ReadOnlySpan<byte> e) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(e[L.Sequence..]),
        (DecisionOperation)e[L.Operation],
        (SliceError)BinaryPrimitives.ReadUInt16LittleEndian(e[L.Error..]),
        BinaryPrimitives.ReadInt32LittleEndian(e[L.Slot..]),
        BinaryPrimitives.ReadInt32LittleEndian(e[L.Subject..]),
        BinaryPrimitives.ReadInt32LittleEndian(e[L.Holder..]),
        e.Slice(L.ArgumentsDigest, L.HashSize).ToArray(),
        e.Slice(L.PreviousHash, L.HashSize).ToArray(),
        e.Slice(L.Hash, L.HashSize).ToArray());
}

/// <summary>How a chain broke.</summary>
public enum LinkBreak
{
    /// <summary>The chain holds.</summary>
    None,
    /// <summary>The bytes are not a whole number of entries.</summary>
    PartialEntry,
    /// <summary>An entry's hash does not match its contents: the entry was altered.</summary>
    Altered,
    /// <summary>An entry does not link to the one before it: an entry was removed, inserted or reordered.</summary>
    Unlinked,
    /// <summary>Sequence numbers do not run on by one: an entry is missing or out of order.</summary>
    SequenceGap,
    /// <summary>The last hash is not the expected head (e.g. from a report): entries were cut from the end.</summary>
    HeadMismatch,
}

/// <summary>The outcome of checking a chain: valid, or the first broken link, named.</summary>
/// <param name="Entries">Entries checked.</param>
/// <param name="Break">How it broke (None when valid).</param>
/// <param name="Index">Index (0-based, in the given bytes) of the first broken entry; -1 when valid.</param>
/// <param name="Message">One line, for a person.</param>
/// <param name="Head">The last entry's hash (the chain head the bytes reach).</param>
/// <param name="LastSequence">The last entry's sequence number (0 when empty).</param>
public sealed record LogVerification(int Entries, LinkBreak Break, int Index, string Message, byte[] Head, ulong LastSequence)
{
    /// <summary>True when the chain holds.</summary>
    public bool Valid => Break == LinkBreak.None;
}

/// <summary>
/// Checks a decision-log chain (a pure function of its inputs): each entry's hash
/// is SHA-384 of its previous hash and fields; each previous hash is the hash of
/// the entry before (or the anchor); sequences run on by one. Reports the first
/// broken link. A batch drained later in the run starts at a sequence above 1:
/// give the last hash of the batch before as <c>anchor</c> to link it.
/// </summary>
public static class DecisionLogVerifier
{
    /// <summary>
    /// Verifies <paramref name="entries"/> (concatenated canonical entries). The first
    /// entry must link to <paramref name="anchor"/>; when no anchor is given, to the
    /// genesis hash if its sequence is 1, and to anything otherwise (an unanchored
    /// batch). With <paramref name="expectedHead"/> (e.g. a report's log head), the
    /// chain must end there — that catches entries cut from the end.
    /// </summary>
    public static LogVerification Verify(ReadOnlySpan<byte> entries, ReadOnlySpan<byte> anchor = default, ReadOnlySpan<byte> expectedHead = default)
    {
        int n = entries.Length / L.EntrySize;
        if (entries.Length % L.EntrySize != 0)
        {
            return new LogVerification(n, LinkBreak.PartialEntry, n, $"the log is {entries.Length} bytes, not a whole number of {L.EntrySize}-byte entries", [], 0);
        }
        byte[] previous = anchor.ToArray();
        ulong lastSequence = 0;
        Span<byte> computed = stackalloc byte[L.HashSize];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> e = entries.Slice(i * L.EntrySize, L.EntrySize);
            DecisionRecord r = DecisionRecord.Decode(e);
            SHA384.HashData(e[..L.Hash], computed);
            if (!computed.SequenceEqual(r.Hash))
            {
                return Broken(n, LinkBreak.Altered, i, $"entry {i} (sequence {r.Sequence}, {r.Operation}) was altered: its hash does not match its contents", previous, lastSequence);
            }
            bool anchored = previous.Length != 0 || (i == 0 && r.Sequence == 1);
            ReadOnlySpan<byte> expected = previous.Length != 0 ? previous : L.GenesisHash;
            if (anchored && !expected.SequenceEqual(r.PreviousHash))
            {
                string where = i == 0 ? "the anchor" : $"entry {i - 1}";
                return Broken(n, LinkBreak.Unlinked, i, $"entry {i} (sequence {r.Sequence}, {r.Operation}) does not link to {where}: an entry was removed, inserted or reordered here", previous, lastSequence);
            }
            if (i > 0 && r.Sequence != lastSequence + 1)
            {
                return Broken(n, LinkBreak.SequenceGap, i, $"entry {i} has sequence {r.Sequence}, expected {lastSequence + 1}", previous, lastSequence);
            }
            previous = r.Hash;
            lastSequence = r.Sequence;
        }
        if (!expectedHead.IsEmpty && !expectedHead.SequenceEqual(previous.Length != 0 ? previous : L.GenesisHash))
        {
            return new LogVerification(n, LinkBreak.HeadMismatch, n, $"the chain ends at {Convert.ToHexStringLower(previous)}, not at the expected head {Convert.ToHexStringLower(expectedHead)}: entries are missing at the end", previous, lastSequence);
        }
        return new LogVerification(n, LinkBreak.None, -1, $"{n} entries, chain intact", previous, lastSequence);
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

    private static LogVerification Broken(int n, LinkBreak kind, int index, string message, byte[] head, ulong last) =>
        new(n, kind, index, message, head, last);
}
