using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Log;
using L = CoreSlice.Log.DecisionLogLayout;

namespace CoreSlice.Manager.Verification;

/// <summary>One decoded decision-log entry (format 2).</summary>
/// <param name="Sequence">1 for the first request the slicevisor received, then +1.</param>
/// <param name="Operation">The request.</param>
/// <param name="Error">The decision (None = accepted).</param>
/// <param name="Slot">The result's slot.</param>
/// <param name="Subject">The result's subject.</param>
/// <param name="Holder">The result's holder.</param>
/// <param name="ArgumentForm">0: <paramref name="Arguments"/> are the argument bytes, zero-padded; 1: their SHA-256.</param>
/// <param name="Arguments">The 32 argument bytes.</param>
/// <param name="PreviousHash">The chain link: the previous entry's hash (the genesis for sequence 1).</param>
/// <param name="Hash">SHA-256(previous hash ‖ fields).</param>
public sealed record DecisionRecord(
    ulong Sequence, DecisionOperation Operation, SliceError Error, int Slot, int Subject, int Holder,
    byte ArgumentForm, byte[] Arguments, byte[] PreviousHash, byte[] Hash)
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
        e.Slice(L.Arguments, L.ArgumentsSize).ToArray(),
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

/// <summary>The outcome of checking a chain: valid, or the first broken link, named; and what could not be checked.</summary>
/// <param name="Entries">Entries checked.</param>
/// <param name="Break">How it broke (None when valid).</param>
/// <param name="Index">Index (0-based, in the given bytes) of the first broken entry; -1 when valid.</param>
/// <param name="Message">One line, for a person.</param>
/// <param name="Head">The last entry's hash (the chain head the bytes reach).</param>
/// <param name="LastSequence">The last entry's sequence number (0 when empty).</param>
/// <param name="NotChecked">What these inputs could not show, one sentence each (empty when nothing is left open).</param>
public sealed record LogVerification(int Entries, LinkBreak Break, int Index, string Message, byte[] Head, ulong LastSequence, IReadOnlyList<string> NotChecked)
{
    /// <summary>True when the chain holds.</summary>
    public bool Valid => Break == LinkBreak.None;
}

/// <summary>
/// Checks a decision-log chain (a pure function of its inputs): each entry's hash is
/// SHA-256 of its previous hash and fields; the first entry links to the log's genesis
/// (derived from the platform identity and boot count) with sequence 1, or to an explicit
/// anchor (the last hash of the batch before); each later entry links to the one before
/// and sequences run on by one. Reports the first broken link, and what it could not check.
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
    /// <paramref name="identity"/>: the first entry must have sequence 1 and link to it, so a
    /// removed, reordered or altered entry anywhere, the first included, is found. With
    /// <paramref name="expectedHead"/> (an attestation report's log head) the chain must also
    /// end there, which finds entries cut from the end; without it, that is reported as not checked.
    /// </summary>
    public static LogVerification VerifyFromGenesis(ReadOnlySpan<byte> entries, PlatformIdentity identity, ReadOnlySpan<byte> expectedHead = default) =>
        Verify(entries, Genesis(identity), fromGenesis: true, expectedHead);

    /// <summary>
    /// Verifies a batch that continues another: the first entry must link to <paramref name="anchor"/>
    /// (the previous batch's last hash). What came before the anchor is not checked.
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
            open.Add("the end of the log: with no expected head (an attestation report's log head, --head), entries cut from the end cannot be detected");
        }
        int n = entries.Length / L.EntrySize;
        if (entries.Length % L.EntrySize != 0)
        {
            return new LogVerification(n, LinkBreak.PartialEntry, n, $"the log is {entries.Length} bytes, not a whole number of {L.EntrySize}-byte entries", [], 0, open);
        }
        byte[] previous = start.ToArray();
        ulong lastSequence = 0;
        Span<byte> computed = stackalloc byte[L.HashSize];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> e = entries.Slice(i * L.EntrySize, L.EntrySize);
            DecisionRecord r = DecisionRecord.Decode(e);
            SHA256.HashData(e[..L.Hash], computed);
            if (!computed.SequenceEqual(r.Hash))
            {
                return new(n, LinkBreak.Altered, i, $"entry {i} (sequence {r.Sequence}, {r.Operation}) was altered: its hash does not match its contents", previous, lastSequence, open);
            }
            if (i == 0 && fromGenesis && r.Sequence != 1)
            {
                return new(n, LinkBreak.Unlinked, 0, $"the first entry has sequence {r.Sequence}, not 1: the log does not start at its genesis (entries were removed from the start, or this is a later batch: give --anchor)", previous, lastSequence, open);
            }
            if (!previous.AsSpan().SequenceEqual(r.PreviousHash))
            {
                string where = i > 0 ? $"entry {i - 1}" : fromGenesis ? "the genesis" : "the anchor";
                return new(n, LinkBreak.Unlinked, i, $"entry {i} (sequence {r.Sequence}, {r.Operation}) does not link to {where}: an entry was removed, inserted or reordered here", previous, lastSequence, open);
            }
            if (i > 0 && r.Sequence != lastSequence + 1)
            {
                return new(n, LinkBreak.SequenceGap, i, $"entry {i} has sequence {r.Sequence}, expected {lastSequence + 1}", previous, lastSequence, open);
            }
            previous = r.Hash;
            lastSequence = r.Sequence;
        }
        if (!expectedHead.IsEmpty && !expectedHead.SequenceEqual(previous))
        {
            return new(n, LinkBreak.HeadMismatch, n, $"the chain ends at {Convert.ToHexStringLower(previous)}, not at the expected head {Convert.ToHexStringLower(expectedHead)}: entries are missing at the end", previous, lastSequence, open);
        }
        return new(n, LinkBreak.None, -1, $"{n} entries, chain intact", previous, lastSequence, open);
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
