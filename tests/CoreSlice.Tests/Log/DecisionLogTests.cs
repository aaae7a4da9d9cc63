using CoreSlice.Tests.Support;
using CoreSlice.Attestation;
using CoreSlice.Log;
using CoreSlice.Manager.Verification;
using CoreSlice.Tests.Attestation;
using Xunit;

namespace CoreSlice.Tests.Log;

/// <summary>The decision log: every request recorded, chained into one running hash (format 3), never silently dropped.</summary>
public sealed class DecisionLogTests
{
    private const int E = DecisionLogLayout.EntrySize;

    /// <summary>A run with accepted and refused requests of every kind; returns the rig.</summary>
    private static AttestationRig Run()
    {
        var rig = new AttestationRig();
        int slot = rig.Launch();                                                      // 1-3
        _ = rig.Slicevisor.CreateSlice(AttestationRig.Request);                       // 4: CoreInUse
        _ = rig.Attest(slot, AttestationRig.Nonce(1));                                // 5
        _ = rig.Slicevisor.StartSlice(slot);                                          // 6: WrongState
        _ = rig.Slicevisor.DestroySlice(slot);                                        // 7
        _ = rig.Slicevisor.LoadImage(slot, 0, [1]);                                   // 8: WrongState
        return rig;
    }

    [Fact]
    public void Every_request_is_recorded_accepted_or_refused_with_its_error_slot_and_subject()
    {
        using var rig = Run();
        IReadOnlyList<DecisionRecord> records = DecisionLogVerifier.Decode(rig.LogBytes());
        Assert.Equal(
            [DecisionOperation.CreateSlice, DecisionOperation.LoadImage, DecisionOperation.StartSlice, DecisionOperation.CreateSlice,
             DecisionOperation.Attest, DecisionOperation.StartSlice, DecisionOperation.DestroySlice, DecisionOperation.LoadImage],
            records.Select(r => r.Operation));
        Assert.Equal(
            [SliceError.None, SliceError.None, SliceError.None, SliceError.CoreInUse, SliceError.None, SliceError.WrongState, SliceError.None, SliceError.WrongState],
            records.Select(r => r.Error));
        Assert.Equal([1UL, 2, 3, 4, 5, 6, 7, 8], records.Select(r => r.Sequence));
        Assert.Equal(3, records[3].Subject); // the first core in use, as the request listed it
        Assert.Equal(1, records[3].Holder);
        Assert.Equal((int)SliceState.Running, records[5].Subject);
        Assert.All(records, r => Assert.Equal(32, r.Arguments.Length));
        Assert.Equal(records[0].Arguments, records[3].Arguments); // the same request, twice
        Assert.Equal(records[2].Arguments, records[5].Arguments); // StartSlice(1), twice
        Assert.NotEqual(records[0].Arguments, records[1].Arguments);
    }

    [Fact]
    public void Intact_chain_verifies_from_genesis_and_reaches_the_head()
    {
        using var rig = Run();
        LogVerification v = DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes(), rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head);
        Assert.True(v.Valid, v.Message);
        Assert.Equal(8, v.Entries);
        Assert.Equal(8UL, v.LastSequence);
    }

    [Fact]
    public void Altered_entry_is_detected_against_the_head_and_left_open_without_it()
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        // Turn refusal 4 (CoreInUse) into an acceptance: sequence numbers still run on.
        log[(3 * E) + DecisionLogLayout.Error] = 0;
        log[(3 * E) + DecisionLogLayout.Error + 1] = 0;

        LogVerification v = DecisionLogVerifier.VerifyFromGenesis(log, rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head);
        Assert.Equal(LinkBreak.HeadMismatch, v.Break);
        LogVerification open = DecisionLogVerifier.VerifyFromGenesis(log, rig.Slicevisor.Log.Identity);
        Assert.True(open.Valid);
        Assert.Contains(open.NotChecked, n => n.Contains("altered entry", StringComparison.Ordinal));
    }

    [Fact]
    public void Altered_argument_byte_of_the_first_entry_is_detected_against_the_head()
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        log[DecisionLogLayout.Arguments] ^= 1;
        Assert.Equal(LinkBreak.HeadMismatch, DecisionLogVerifier.VerifyFromGenesis(log, rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head).Break);
    }

    [Fact]
    public void Removed_entry_is_detected()
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        byte[] removed = [.. log.AsSpan(0, 3 * E), .. log.AsSpan(4 * E)];

        LogVerification v = DecisionLogVerifier.VerifyFromGenesis(removed, rig.Slicevisor.Log.Identity);
        Assert.Equal(LinkBreak.SequenceGap, v.Break);
        Assert.Equal(3, v.Index);
    }

    [Fact]
    public void Removed_entry_with_renumbered_sequences_is_detected_against_the_head()
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        byte[] removed = [.. log.AsSpan(0, 3 * E), .. log.AsSpan(4 * E)];
        for (int i = 3; i < removed.Length / E; i++)
        {
            BitConverter.TryWriteBytes(removed.AsSpan((i * E) + DecisionLogLayout.Sequence, 8), (ulong)i + 1);
        }
        Assert.True(DecisionLogVerifier.VerifyFromGenesis(removed, rig.Slicevisor.Log.Identity).Valid); // structure alone cannot tell
        Assert.Equal(LinkBreak.HeadMismatch, DecisionLogVerifier.VerifyFromGenesis(removed, rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head).Break);
    }

    [Fact]
    public void Removed_first_entry_is_detected()
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        // Without entry 1 the batch starts at sequence 2: checked from the genesis, it does not start there.
        LogVerification v = DecisionLogVerifier.VerifyFromGenesis(log.AsSpan(E), rig.Slicevisor.Log.Identity);
        Assert.Equal(LinkBreak.Unlinked, v.Break);
        Assert.Equal(0, v.Index);
    }

    [Fact]
    public void Removed_last_entries_are_detected_against_the_reported_head()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        _ = rig.Slicevisor.DestroySlice(slot);
        byte[] report = rig.Attest(rig.Launch(), AttestationRig.Nonce(2));
        AttestationReport r = ReportVerifier.Verify(report, rig.PublicKey).Report!;
        byte[] log = rig.LogBytes();
        int upToHead = (int)r.LogSequence;

        Assert.True(DecisionLogVerifier.VerifyFromGenesis(log.AsSpan(0, upToHead * E), rig.Slicevisor.Log.Identity, r.LogHead).Valid);
        LogVerification cut = DecisionLogVerifier.VerifyFromGenesis(log.AsSpan(0, (upToHead - 1) * E), rig.Slicevisor.Log.Identity, r.LogHead);
        Assert.Equal(LinkBreak.HeadMismatch, cut.Break);
    }

    [Fact]
    public void Reordered_entries_are_detected()
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        byte[] swapped = [.. log.AsSpan(0, 2 * E), .. log.AsSpan(3 * E, E), .. log.AsSpan(2 * E, E), .. log.AsSpan(4 * E)];

        LogVerification v = DecisionLogVerifier.VerifyFromGenesis(swapped, rig.Slicevisor.Log.Identity);
        Assert.Equal(LinkBreak.SequenceGap, v.Break);
        Assert.Equal(2, v.Index);
        // Swapped with their sequence numbers too: only the head shows it.
        for (int i = 2; i < 4; i++)
        {
            BitConverter.TryWriteBytes(swapped.AsSpan((i * E) + DecisionLogLayout.Sequence, 8), (ulong)i + 1);
        }
        Assert.Equal(LinkBreak.HeadMismatch, DecisionLogVerifier.VerifyFromGenesis(swapped, rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head).Break);
    }

    [Fact]
    public void Full_log_refuses_requests_unexecuted_until_drained_and_nothing_is_lost()
    {
        using var rig = new AttestationRig(logCapacity: 4);
        SliceResult created = rig.Slicevisor.CreateSlice(AttestationRig.Request);     // 1
        Assert.True(rig.Slicevisor.LoadImage(created.Slot, (32 * AttestationRig.MiB) + 4096, AttestationRig.Image).Ok); // 2
        Assert.True(rig.Slicevisor.StartSlice(created.Slot).Ok);                        // 3: count = capacity - 1
        Assert.False(rig.Slicevisor.Log.AcceptsRequests);

        SliceResult refused = rig.Slicevisor.DestroySlice(created.Slot);
        Assert.Equal(SliceError.LogFull, refused.Error);
        Assert.Equal(4, refused.Subject);
        Assert.Equal(SliceState.Running, rig.Slicevisor.Table[created.Slot].State); // not executed
        Assert.Equal(SliceError.LogFull, rig.Slicevisor.CreateSlice(AttestationRig.Request).Error);
        Assert.Equal(2UL, rig.Slicevisor.Log.RefusedWhileFull);
        Assert.Equal(3, rig.Slicevisor.Log.Count);

        byte[] first = new byte[3 * E];
        Assert.True(rig.Slicevisor.DrainLog(first, out int drained).Ok);
        Assert.Equal(3, drained);
        Assert.Equal(1, rig.Slicevisor.Log.Count); // the drain record
        Assert.True(rig.Slicevisor.DestroySlice(created.Slot).Ok);

        byte[] second = new byte[rig.Slicevisor.Log.Count * E];
        Assert.True(rig.Slicevisor.DrainLog(second, out drained).Ok);
        Assert.Equal(2, drained);

        // The batches link (the ring wrapped in between): verified together from genesis, and the second
        // alone from the first's head, which the first drain record's segment is anchored at. Both end at
        // the head before the second drain record: the anchor of the segment that record started.
        byte[] head = rig.Slicevisor.Log.Anchor.ToArray();
        LogVerification both = DecisionLogVerifier.VerifyFromGenesis([.. first, .. second], rig.Slicevisor.Log.Identity, head);
        Assert.True(both.Valid, both.Message);
        byte[] firstHead = DecisionLogVerifier.VerifyFromGenesis(first, rig.Slicevisor.Log.Identity).Head;
        LogVerification batch2 = DecisionLogVerifier.VerifyFromAnchor(second, firstHead, head);
        Assert.True(batch2.Valid, batch2.Message);
        Assert.Equal(LinkBreak.HeadMismatch, DecisionLogVerifier.VerifyFromAnchor(second, rig.Slicevisor.Log.Genesis, head).Break);
        DecisionRecord drain = DecisionLogVerifier.Decode(second)[0];
        Assert.Equal(DecisionOperation.DrainLog, drain.Operation);
        Assert.Equal(3, drain.Subject);
        Assert.Equal(2, drain.Holder); // the two refusals are on record
        Assert.Equal(0UL, rig.Slicevisor.Log.RefusedWhileFull);
    }

    [Fact]
    public void Drain_into_a_buffer_too_small_for_one_entry_is_refused()
    {
        using var rig = new AttestationRig(logCapacity: 4);
        _ = rig.Slicevisor.CreateSlice(AttestationRig.Request);
        SliceResult r = rig.Slicevisor.DrainLog(new byte[E - 1], out int drained);
        Assert.Equal(SliceError.BufferTooSmall, r.Error);
        Assert.Equal(0, drained);
        Assert.Equal(2, rig.Slicevisor.Log.Count); // the create and the refused drain, both on record
    }

    [Fact]
    public void Append_allocates_nothing()
    {
        // A logged refusal is nothing but the log's own work: decode, decide (refuse), append.
        using var rig = new AttestationRig(logCapacity: 4096);
        for (int i = 0; i < 10; i++)
        {
            _ = rig.Slicevisor.StartSlice(0);
        }
        byte[] drained = new byte[4096 * DecisionLogLayout.EntrySize];
        Assert.Equal(0, Allocations.Least(() =>
        {
            if (rig.Slicevisor.Log.Count * 2 >= rig.Slicevisor.Log.Capacity)
            {
                _ = rig.Slicevisor.DrainLog(drained, out _);
            }
            _ = rig.Slicevisor.StartSlice(0);
            _ = rig.Slicevisor.Log.Head; // absorbs the entry and finalizes a copy of the chain state
        }, cycles: 1000, warmup: 0));
    }

    [Fact]
    public void Logged_operations_allocate_nothing()
    {
        using var rig = new AttestationRig(logCapacity: 4096);
        SliceRequest request = AttestationRig.Request;
        for (int i = 0; i < 5; i++)
        {
            int slot = rig.Launch();
            _ = rig.Slicevisor.DestroySlice(slot);
        }
        Assert.Equal(0, Allocations.Least(() =>
        {
            SliceResult c = rig.Slicevisor.CreateSlice(request);
            _ = rig.Slicevisor.LoadImage(c.Slot, (32 * AttestationRig.MiB) + 4096, AttestationRig.Image);
            _ = rig.Slicevisor.StartSlice(c.Slot);
            _ = rig.Slicevisor.StartSlice(c.Slot); // refused, logged
            _ = rig.Slicevisor.DestroySlice(c.Slot);
        }, cycles: 50, warmup: 0, rounds: 4));
    }

    [Fact]
    public void Log_file_round_trips_and_reports_a_count_that_disagrees()
    {
        using var rig = Run();
        byte[] file = DecisionLogFileFormat.Encode(rig.Slicevisor.Log);
        byte[]? entries = DecisionLogFileFormat.Decode(file, out string? problem);
        Assert.Null(problem);
        Assert.Equal(rig.LogBytes(), entries);

        byte[] shortened = file[..^E];
        Assert.NotNull(DecisionLogFileFormat.Decode(shortened, out problem));
        Assert.Contains("removed", problem, StringComparison.Ordinal);
        Assert.Null(DecisionLogFileFormat.Decode("not a log"u8, out problem));
    }

    [Fact]
    public void Report_head_and_next_entry_let_a_verifier_find_the_attest_request()
    {
        using var rig = new AttestationRig();
        int slot = rig.Launch();
        byte[] nonce = AttestationRig.Nonce(5);
        AttestationReport r = ReportVerifier.Verify(rig.Attest(slot, nonce), rig.PublicKey).Report!;
        DecisionRecord next = DecisionLogVerifier.Decode(rig.LogBytes())[(int)r.LogSequence];
        Assert.Equal(DecisionOperation.Attest, next.Operation);
        // The report's head is the chain over the entries before the Attest request.
        Assert.True(DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes().AsSpan(0, (int)r.LogSequence * E), rig.Slicevisor.Log.Identity, r.LogHead).Valid);
        Assert.False(DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes().AsSpan(0, ((int)r.LogSequence + 1) * E), rig.Slicevisor.Log.Identity, r.LogHead).Valid);
        // The arguments (72 bytes, so digested) are SHA-256(slot i32 ‖ nonce length i32 ‖ nonce).
        byte[] args = [.. BitConverter.GetBytes(slot), .. BitConverter.GetBytes(nonce.Length), .. nonce];
        Assert.Equal(DecisionLogLayout.ArgumentsDigested, next.ArgumentForm);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(args), next.Arguments);
        Assert.Equal(rig.Slicevisor.Log.Identity.BootCount, r.LogBootCount);
    }

    [Fact]
    public void The_genesis_is_derived_from_the_platform_identity_and_boot_count()
    {
        using var rig = Run();
        PlatformIdentity id = rig.Slicevisor.Log.Identity;
        byte[] genesis = DecisionLogVerifier.Genesis(id);
        Assert.Equal(genesis, rig.Slicevisor.Log.Genesis.ToArray());
        Assert.True(DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes(), id, rig.Slicevisor.Log.Head).Valid);
        // The same log checked against another boot of the same platform does not reach its head.
        var nextBoot = new PlatformIdentity(id.SlicevisorMeasurement, id.SliceloaderMeasurement, id.BootCount + 1);
        LogVerification other = DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes(), nextBoot, rig.Slicevisor.Log.Head);
        Assert.Equal(LinkBreak.HeadMismatch, other.Break);
    }

    [Fact]
    public void Slot_operations_log_their_arguments_inline_and_creates_as_a_digest()
    {
        using var rig = Run();
        IReadOnlyList<DecisionRecord> records = DecisionLogVerifier.Decode(rig.LogBytes());
        DecisionRecord start = records[2];
        Assert.Equal(DecisionLogLayout.ArgumentsInline, start.ArgumentForm);
        Assert.Equal([1, 0, 0, 0, .. new byte[28]], start.Arguments);
        Assert.Equal(DecisionLogLayout.ArgumentsDigested, records[0].ArgumentForm);
    }

    [Fact]
    public void Verification_says_what_it_could_not_check()
    {
        using var rig = Run();
        LogVerification open = DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes(), rig.Slicevisor.Log.Identity);
        Assert.True(open.Valid);
        Assert.Contains(open.NotChecked, n => n.Contains("cut from the end", StringComparison.Ordinal));
        LogVerification closed = DecisionLogVerifier.VerifyFromGenesis(rig.LogBytes(), rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head);
        Assert.Empty(closed.NotChecked);
        byte[] drained = new byte[rig.Slicevisor.Log.Count * E];
        Assert.True(rig.Slicevisor.DrainLog(drained, out _).Ok);
        _ = rig.Slicevisor.StartSlice(0);
        LogVerification batch = DecisionLogVerifier.VerifyFromAnchor(rig.LogBytes(), rig.Slicevisor.Log.Anchor, rig.Slicevisor.Log.Head);
        Assert.True(batch.Valid, batch.Message);
        Assert.Contains(batch.NotChecked, n => n.Contains("before the anchor", StringComparison.Ordinal));
    }

    [Fact]
    public void A_batch_left_by_a_partial_drain_verifies_only_appended_to_the_batch_before()
    {
        using var rig = Run();
        byte[] first = new byte[3 * E];
        Assert.True(rig.Slicevisor.DrainLog(first, out int drained).Ok);
        Assert.Equal(3, drained);
        byte[] rest = rig.LogBytes(); // sequences 4..8 and the drain record: mid-segment at its start
        byte[] head = rig.Slicevisor.Log.Head.ToArray();
        byte[] firstHead = DecisionLogVerifier.VerifyFromGenesis(first, rig.Slicevisor.Log.Identity).Head;
        Assert.Equal(LinkBreak.Unlinked, DecisionLogVerifier.VerifyFromAnchor(rest, firstHead, head).Break);
        LogVerification joined = DecisionLogVerifier.VerifyFromGenesis([.. first, .. rest], rig.Slicevisor.Log.Identity, head);
        Assert.True(joined.Valid, joined.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public void Removing_any_entry_first_and_last_included_is_detected_without_flags_given_the_reported_head(int removed)
    {
        using var rig = Run();
        byte[] log = rig.LogBytes();
        byte[] cut = [.. log.AsSpan(0, removed * E), .. log.AsSpan((removed + 1) * E)];
        Assert.False(DecisionLogVerifier.VerifyFromGenesis(cut, rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head).Valid);
        if (removed < 7)
        {
            // Anywhere but the end, the chain alone shows it.
            Assert.False(DecisionLogVerifier.VerifyFromGenesis(cut, rig.Slicevisor.Log.Identity).Valid);
        }
    }
}
