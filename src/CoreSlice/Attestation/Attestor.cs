using System.Buffers.Binary;
using System.Security.Cryptography;
using CoreSlice.Hardware;
using static CoreSlice.Attestation.ReportLayout;

namespace CoreSlice.Attestation;

/// <summary>
/// The slicevisor's attestation state: its signing key (derived from the hardware
/// root key, never stored anywhere else), the machine-wide boot counter, each
/// slot's boot id, and the buffer a report is built and signed in (then copied out
/// once). Everything but the key is made at construction; the key is derived on first
/// use. Writing a report allocates nothing of ours (the BCL's ECDSA does allocate a
/// little per signature on OpenSSL: see docs/attestation.md). Nothing here throws:
/// a key the hardware cannot give, or a signature that fails, is a false return.
/// </summary>
internal sealed class Attestor : IDisposable
{
    /// <summary>Domain separation for the key derivation; the slicevisor's measurement follows it.</summary>
    private static ReadOnlySpan<byte> KeyLabel => "CoreSlice attestation key v1"u8;

    // The order n of P-384, big-endian: a derived scalar must lie in [1, n-1].
    private static ReadOnlySpan<byte> P384Order =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC7, 0x63, 0x4D, 0x81, 0xF4, 0x37, 0x2D, 0xDF,
        0x58, 0x1A, 0x0D, 0xB2, 0x48, 0xB0, 0xA7, 0x7A, 0xEC, 0xEC, 0x19, 0x6A, 0xCC, 0xC5, 0x29, 0x73,
    ];

    private const int MaxDerivationAttempts = 16;

    /// <summary>The decision log's chain head (SHA-256), as a report's log head field holds it.</summary>
    private const int LogHeadSize = Log.DecisionLogLayout.HashSize;

    private readonly byte[] slicevisorMeasurement;
    private readonly byte[] sliceloaderMeasurement;
    private readonly ulong[] bootIds;
    // Per slot, as of its last successful StartSlice: the log sequence and head just after the
    // start's entry, and the boot counter. A guest's (mailbox) report carries these, not the
    // current values, which every other domain's requests move (spec/README.md, "Noninterference").
    private readonly ulong[] startSequences;
    private readonly ulong[] startCounters;
    private readonly byte[] startHeads;
    private readonly byte[] entryScratch = new byte[EntryEncodingSize];
    private readonly byte[] report = new byte[ReportSize];
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
    private ECDsa? key;
    private byte[] publicKey = [];
    private ulong bootCounter;

    public Attestor(int slots, PlatformIdentity identity)
    {
        slicevisorMeasurement = identity.SlicevisorMeasurement.ToArray();
        sliceloaderMeasurement = identity.SliceloaderMeasurement.ToArray();
        bootIds = new ulong[slots];
        startSequences = new ulong[slots];
        startCounters = new ulong[slots];
        startHeads = new byte[slots * LogHeadSize];
    }

    /// <summary>
    /// Derives the signing key from the hardware root key, once, on first use (a report or
    /// the public key). Deriving costs ~1.5 ms of P-384 arithmetic, which tools that never
    /// attest (the model checker builds a slicevisor per state) should not pay; the result
    /// is the same whenever it is derived, since it depends only on the root key and the
    /// slicevisor's measurement. Callers hold the slicevisor's lock. False when the hardware
    /// gives no valid scalar in <see cref="MaxDerivationAttempts"/> tries or the platform's
    /// ECDSA refuses the key (then no report can be signed; a later call tries again).
    /// </summary>
    public bool EnsureKey<THardware>(ref THardware hardware)
        where THardware : IHardwarePort
    {
        if (key is not null)
        {
            return true;
        }
        Span<byte> context = stackalloc byte[KeyLabel.Length + 1 + HashSize];
        KeyLabel.CopyTo(context);
        slicevisorMeasurement.CopyTo(context[(KeyLabel.Length + 1)..]);
        byte[] scalar = new byte[HashSize]; // one array, zeroed below: ECParameters takes an array
        try
        {
            // A derived 384-bit string is at or above n with probability ~2^-190; the
            // counter byte just makes "retry" well defined and bounded.
            for (int attempt = 0; attempt < MaxDerivationAttempts; attempt++)
            {
                context[KeyLabel.Length] = (byte)attempt;
                hardware.DeriveKey(context, scalar);
                if (IsValidScalar(scalar))
                {
                    return Adopt(scalar);
                }
            }
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    private bool Adopt(byte[] scalar)
    {
        try
        {
            ECDsa derived = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP384, D = scalar });
            publicKey = derived.ExportSubjectPublicKeyInfo();
            key = derived;
            return true;
        }
        catch (CryptographicException)
        {
            // The platform's ECDSA refused the key: a fault of the platform, reported as a value.
            return false;
        }
    }

    /// <summary>The signing key's public half, as DER SubjectPublicKeyInfo (empty until <see cref="EnsureKey"/>).</summary>
    public ReadOnlySpan<byte> PublicKey => publicKey;

    public ulong BootCounter => bootCounter;

    public ulong BootId(int slot) => bootIds[slot - 1];

    /// <summary>A slice was created in <paramref name="slot"/>: the counter moves on and names it.</summary>
    public void RecordCreate(int slot)
    {
        bootCounter++;
        bootIds[slot - 1] = bootCounter;
    }

    /// <summary>
    /// <paramref name="slot"/> was started: the log point just after the start's entry and the boot
    /// counter now are what its guest's own reports will carry until it is started again.
    /// </summary>
    public void RecordStart(int slot, ulong logSequence, ReadOnlySpan<byte> logHead)
    {
        startSequences[slot - 1] = logSequence;
        startCounters[slot - 1] = bootCounter;
        logHead.CopyTo(startHeads.AsSpan((slot - 1) * LogHeadSize, LogHeadSize));
    }

    /// <summary>
    /// Writes and signs the report for <paramref name="entry"/> into <see cref="Report"/>
    /// (validated by the caller: the slicevisor's 64-byte copy of the nonce, a Created or
    /// Running slot). A manager's report (requester 0) carries <paramref name="logSequence"/>,
    /// <paramref name="logHead"/> and the boot counter now; a guest's (requester 1, a Running slot)
    /// the values recorded at its start, so what the guest learns is fixed by the control slice's
    /// calls on its own slot. False when there is no key or the signature fails.
    /// </summary>
    public bool Write(SliceEntry entry, byte requester, ReadOnlySpan<byte> nonce, ulong logSequence, ReadOnlySpan<byte> logHead, ulong logBootCount)
    {
        bool guest = requester == 1;
        int at = entry.Slot - 1;
        ulong sequence = guest ? startSequences[at] : logSequence;
        ulong counter = guest ? startCounters[at] : bootCounter;
        ReadOnlySpan<byte> head = guest ? startHeads.AsSpan(at * LogHeadSize, LogHeadSize) : logHead;
        Span<byte> r = report;
        r.Clear();
        MagicBytes.CopyTo(r);
        BinaryPrimitives.WriteUInt16LittleEndian(r[ReportLayout.Version..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(r[Algorithm..], EcdsaP384Sha384);
        BinaryPrimitives.WriteUInt32LittleEndian(r[BodyLength..], BodySize);
        nonce.CopyTo(r[Nonce..]);
        BinaryPrimitives.WriteInt32LittleEndian(r[Slot..], entry.Slot);
        r[State] = (byte)entry.State;
        r[Requester] = requester;
        BinaryPrimitives.WriteUInt64LittleEndian(r[SliceBootId..], BootId(entry.Slot));
        BinaryPrimitives.WriteUInt64LittleEndian(r[ReportLayout.BootCounter..], counter);
        BinaryPrimitives.WriteUInt64LittleEndian(r[Generation..], entry.Generation);
        BinaryPrimitives.WriteUInt64LittleEndian(r[LogSequence..], sequence);
        head.CopyTo(r[LogHead..]);
        BinaryPrimitives.WriteUInt64LittleEndian(r[LogBootCount..], logBootCount);
        entry.Measurement.CopyTo(r[ImageMeasurement..]);
        slicevisorMeasurement.CopyTo(r[SlicevisorMeasurement..]);
        sliceloaderMeasurement.CopyTo(r[SliceloaderMeasurement..]);
        BinaryPrimitives.WriteUInt64LittleEndian(r[EntryPoint..], entry.EntryPoint);
        BinaryPrimitives.WriteUInt64LittleEndian(r[Ways..], entry.Ways);
        WriteSet(r.Slice(Cores, 128), entry.CoreSet);
        WriteSet(r.Slice(Devices, 128), entry.DeviceSet);
        WriteRanges(r[RangeCount..], r[Ranges..], entry.Ranges);
        WriteSharing(entry, r[RangePermissions..BodySize]);

        WriteEntryEncoding(entry, entryScratch);
        hash.AppendData(entryScratch);
        hash.GetHashAndReset(r.Slice(EntryHash, HashSize));

        Span<byte> digest = stackalloc byte[HashSize];
        hash.AppendData(r[..BodySize]);
        hash.GetHashAndReset(digest);
        if (key is null)
        {
            return false;
        }
        try
        {
            return key.TrySignHash(digest, r.Slice(Signature, SignatureSize), DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out int written)
                && written == SignatureSize;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The last report written (valid after <see cref="Write"/> returned true).</summary>
    public ReadOnlySpan<byte> Report => report;

    /// <summary>The canonical encoding of a slice-table entry (see <see cref="EntryEncodingSize"/>).</summary>
    private void WriteEntryEncoding(SliceEntry entry, Span<byte> e)
    {
        e.Clear();
        EntryMagic.CopyTo(e);
        BinaryPrimitives.WriteInt32LittleEndian(e[8..], entry.Slot);
        e[12] = (byte)entry.State;
        BinaryPrimitives.WriteUInt64LittleEndian(e[16..], BootId(entry.Slot));
        BinaryPrimitives.WriteUInt64LittleEndian(e[24..], entry.Generation);
        BinaryPrimitives.WriteUInt64LittleEndian(e[32..], entry.EntryPoint);
        BinaryPrimitives.WriteUInt64LittleEndian(e[40..], entry.Ways);
        WriteSet(e.Slice(48, 128), entry.CoreSet);
        WriteSet(e.Slice(176, 128), entry.DeviceSet);
        WriteRanges(e[304..], e[312..], entry.Ranges);
        entry.Measurement.CopyTo(e[(312 + (RangeSlots * 16))..]);
        WriteSharing(entry, e[EntrySharing..]);
    }

    /// <summary>
    /// The sharing and cache-domain sections (<see cref="SharingSize"/> bytes, cleared by the caller): each
    /// range's permission, the windows, the DMA scope and ranges, the ways in each cache domain. The same bytes go into the report and the
    /// entry encoding, so the entry hash binds them too. Loops run to the slot counts at most.
    /// </summary>
    private static void WriteSharing(SliceEntry entry, Span<byte> section)
    {
        const int at = RangePermissions;
        ReadOnlySpan<Permissions> permissions = entry.RangePermissions;
        for (int i = 0; i < permissions.Length && i < RangeSlots; i++)
        {
            section[i] = (byte)permissions[i];
        }
        ReadOnlySpan<SharedWindow> windows = entry.Windows;
        BinaryPrimitives.WriteUInt32LittleEndian(section[(WindowCount - at)..], (uint)windows.Length);
        for (int k = 0; k < windows.Length && k < WindowSlots; k++)
        {
            WriteGrant(section[(Windows - at + (k * GrantSize))..], 0, windows[k].Permissions, windows[k].Range);
        }
        ReadOnlySpan<DmaRange> dma = entry.DmaRanges;
        section[DmaScopeField - at] = (byte)(dma.IsEmpty ? DmaScope.AllPrivateRanges : DmaScope.Listed);
        BinaryPrimitives.WriteUInt32LittleEndian(section[(DmaRangeCount - at)..], (uint)dma.Length);
        for (int k = 0; k < dma.Length && k < DmaSlots; k++)
        {
            WriteGrant(section[(DmaRanges - at + (k * GrantSize))..], (uint)dma[k].Device, dma[k].Permissions, dma[k].Range);
        }
        // The cache-domain section: the slice's ways in every domain of the machine, not only domain 0.
        int domains = Math.Min(entry.DomainCount, DomainSlots);
        BinaryPrimitives.WriteUInt32LittleEndian(section[(DomainCount - at)..], (uint)domains);
        for (int d = 0; d < domains; d++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(section[(ReportLayout.DomainWays - at + (d * 8))..], entry.WaysIn(d));
        }
    }

    /// <summary>One window or DMA-range record (<see cref="GrantSize"/>); its reserved bytes stay as cleared.</summary>
    private static void WriteGrant(Span<byte> record, uint holder, Permissions permissions, MemoryRange range)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(record[GrantHolder..], holder);
        record[GrantPermissions] = (byte)permissions;
        BinaryPrimitives.WriteUInt64LittleEndian(record[GrantBase..], range.Base);
        BinaryPrimitives.WriteUInt64LittleEndian(record[GrantLength..], range.Size);
    }

    private static void WriteSet(Span<byte> destination, in ResourceSet set)
    {
        for (int w = 0; w < ResourceSet.Words; w++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(w * 8)..], set.Word(w));
        }
    }

    private static void WriteRanges(Span<byte> countField, Span<byte> slots, ReadOnlySpan<MemoryRange> ranges)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(countField, (uint)ranges.Length);
        for (int i = 0; i < ranges.Length && i < RangeSlots; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(slots[(i * 16)..], ranges[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(slots[((i * 16) + 8)..], ranges[i].Size);
        }
    }

    private static bool IsValidScalar(ReadOnlySpan<byte> scalar)
    {
        bool zero = true;
        for (int i = 0; i < scalar.Length; i++)
        {
            zero &= scalar[i] == 0;
        }
        return !zero && scalar.SequenceCompareTo(P384Order) < 0;
    }

    public void Dispose()
    {
        key?.Dispose();
        hash.Dispose();
    }
}
