using System.Buffers.Binary;
using CoreSlice.Log;
using CoreSlice.Manager.Verification;
using CoreSlice.Tests.Attestation;
using Xunit;

namespace CoreSlice.Tests.Log;

/// <summary>
/// The decision log as a bounded ring (full-log policy: nothing is dropped, nothing is executed
/// unrecorded): its capacity limits, reads outside what it holds, the drain record's exact
/// arguments, the last free entry, a drain refused when even the reserved entry is used, and
/// many drains round the ring that still verify from genesis.
/// </summary>
public sealed class DecisionLogRingTests
{
    private const int E = DecisionLogLayout.EntrySize;

    private static DecisionRecord Last(AttestationRig rig) => DecisionRecord.Decode(rig.Slicevisor.Log.Entry(rig.Slicevisor.Log.Count - 1));

    [Theory]
    [InlineData(DecisionLog.MinCapacity - 1)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(DecisionLog.MaxCapacity + 1)]
    [InlineData(int.MaxValue)]
    public void A_log_capacity_outside_its_limits_is_refused_at_construction(int capacity) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AttestationRig(logCapacity: capacity));

    [Theory]
    [InlineData(DecisionLog.MinCapacity)]
    [InlineData(DecisionLog.MaxCapacity)]
    public void The_smallest_and_largest_log_capacities_are_usable(int capacity)
    {
        using var rig = new AttestationRig(logCapacity: capacity);
        Assert.Equal(capacity, rig.Slicevisor.Log.Capacity);
        Assert.True(rig.Slicevisor.StartSlice(1).Error == SliceError.WrongState);
        Assert.Equal(1, rig.Slicevisor.Log.Count);
    }

    [Fact]
    public void Entries_outside_those_held_read_as_empty_and_CopyTo_refuses_a_short_destination()
    {
        using var rig = new AttestationRig(logCapacity: 8);
        Assert.True(rig.Slicevisor.Log.Entry(0).IsEmpty);
        _ = rig.Slicevisor.StartSlice(1);
        _ = rig.Slicevisor.StartSlice(2);
        DecisionLog log = rig.Slicevisor.Log;
        Assert.True(log.Entry(-1).IsEmpty);
        Assert.True(log.Entry(2).IsEmpty);
        Assert.True(log.Entry(int.MinValue).IsEmpty);
        Assert.Equal(E, log.Entry(1).Length);
        Assert.Equal(2UL, DecisionRecord.Decode(log.Entry(1)).Sequence);

        byte[] shortBuffer = new byte[(2 * E) - 1];
        Assert.Equal(-1, log.CopyTo(shortBuffer));
        Assert.All(shortBuffer, b => Assert.Equal(0, b));
        byte[] larger = new byte[3 * E];
        Assert.Equal(2 * E, log.CopyTo(larger));
        Assert.Equal(log.Entry(0).ToArray(), larger[..E]);
        Assert.Equal(log.Entry(1).ToArray(), larger[E..(2 * E)]);
        Assert.All(larger[(2 * E)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void The_last_free_entry_but_the_reserved_one_still_takes_a_request()
    {
        using var rig = new AttestationRig(logCapacity: 3);
        _ = rig.Slicevisor.StartSlice(1);
        Assert.True(rig.Slicevisor.Log.AcceptsRequests); // 1 of 3 held
        Assert.Equal(SliceError.WrongState, rig.Slicevisor.StartSlice(1).Error);
        Assert.False(rig.Slicevisor.Log.AcceptsRequests); // 2 of 3: the third is the drain's
        Assert.Equal(SliceError.LogFull, rig.Slicevisor.StartSlice(1).Error);
    }

    [Fact]
    public void Draining_an_empty_log_records_the_drain_and_moves_nothing()
    {
        using var rig = new AttestationRig(logCapacity: 4);
        SliceResult r = rig.Slicevisor.DrainLog([], out int drained);
        Assert.Equal(SliceResult.Success(0) with { Subject = 0, Holder = 0 }, r);
        Assert.Equal(0, drained);
        DecisionRecord record = Last(rig);
        Assert.Equal(DecisionOperation.DrainLog, record.Operation);
        Assert.Equal(1UL, record.Sequence);
        Assert.Equal(new byte[DecisionLogLayout.ArgumentsSize], record.Arguments);
    }

    [Fact]
    public void Every_refused_request_names_the_slot_it_named_and_the_log_capacity()
    {
        using var rig = new AttestationRig(logCapacity: 6);
        int slot = rig.Launch();                  // 3 entries
        _ = rig.Slicevisor.StartSlice(4);         // 4
        _ = rig.Slicevisor.StartSlice(4);         // 5 of 6: full
        byte[] report = new byte[CoreSlice.Attestation.ReportLayout.ReportSize];
        byte[] nonce = AttestationRig.Nonce(1);
        Assert.Equal(SliceResult.Fail(SliceError.LogFull, 3, 6), rig.Slicevisor.StartSlice(3));
        Assert.Equal(SliceResult.Fail(SliceError.LogFull, 2, 6), rig.Slicevisor.DestroySlice(2));
        Assert.Equal(SliceResult.Fail(SliceError.LogFull, 4, 6), rig.Slicevisor.LoadImage(4, 0, [1]));
        Assert.Equal(SliceResult.Fail(SliceError.LogFull, 0, 6), rig.Slicevisor.CreateSlice(AttestationRig.Request));
        Assert.Equal(SliceResult.Fail(SliceError.LogFull, slot, 6), rig.Slicevisor.Attest(slot, nonce, report));
        Assert.Equal(5UL, rig.Slicevisor.Log.RefusedWhileFull);
        Assert.All(report, b => Assert.Equal(0, b));
        Assert.Equal(SliceState.Running, rig.Slicevisor.Table[slot].State);
        Assert.Equal(5UL, rig.Slicevisor.Log.Sequence);
    }

    [Fact]
    public void A_guest_mailbox_call_is_answered_on_a_full_log_counted_and_reported_by_the_next_drain()
    {
        using var rig = new AttestationRig(logCapacity: 6);
        int slot = rig.Launch();                  // 3 entries
        _ = rig.Slicevisor.StartSlice(4);         // 4
        _ = rig.Slicevisor.StartSlice(4);         // 5 of 6: full
        byte[] report = new byte[CoreSlice.Attestation.ReportLayout.ReportSize];
        byte[] nonce = AttestationRig.Nonce(1);
        // Every guest's calls fill the one log: refusing them would tell this guest what the others did.
        Assert.Equal(SliceResult.Success(slot), rig.Slicevisor.GuestAttest(2, nonce, report));
        Assert.Contains(report, b => b != 0);
        Assert.Equal(SliceResult.Fail(SliceError.NotGuestCore, 0, 5), rig.Slicevisor.GuestAttest(5, nonce, report));
        Assert.Equal(SliceResult.Fail(SliceError.NonceLength, slot, 3), rig.Slicevisor.GuestAttest(2, nonce.AsSpan(0, 3), report));
        Assert.Equal(SliceError.LogFull, rig.Slicevisor.StartSlice(4).Error);
        Assert.Equal((5UL, 5, 1UL, 3UL), (rig.Slicevisor.Log.Sequence, rig.Slicevisor.Log.Count, rig.Slicevisor.Log.RefusedWhileFull, rig.Slicevisor.Log.UnrecordedWhileFull));

        SliceResult ok = rig.Slicevisor.DrainLog(new byte[6 * E], out int drained);
        Assert.Equal(SliceResult.Success(0) with { Subject = 5, Holder = 1 }, ok);
        Assert.Equal(5, drained);
        DecisionRecord record = Last(rig);
        Assert.Equal(DecisionOperation.DrainLog, record.Operation);
        Assert.Equal(1UL, BinaryPrimitives.ReadUInt64LittleEndian(record.Arguments.AsSpan(4)));
        Assert.Equal(3UL, BinaryPrimitives.ReadUInt64LittleEndian(record.Arguments.AsSpan(12)));
        Assert.Equal((0UL, 0UL), (rig.Slicevisor.Log.RefusedWhileFull, rig.Slicevisor.Log.UnrecordedWhileFull));
        Assert.Equal(SliceResult.Success(slot), rig.Slicevisor.GuestAttest(2, nonce, report)); // recorded again
        Assert.Equal(DecisionOperation.GuestAttest, Last(rig).Operation);
    }

    [Fact]
    public void A_drain_with_no_room_for_its_record_is_refused_unrecorded_and_counted()
    {
        using var rig = new AttestationRig(logCapacity: DecisionLog.MinCapacity);
        _ = rig.Slicevisor.StartSlice(1);                                                      // 1 of 2: full
        Assert.Equal(SliceError.BufferTooSmall, rig.Slicevisor.DrainLog(new byte[E - 1], out _).Error); // recorded: 2 of 2
        Assert.Equal(2, rig.Slicevisor.Log.Count);
        Assert.Equal(0UL, rig.Slicevisor.Log.RefusedWhileFull);
        byte[] head = rig.Slicevisor.Log.Head.ToArray();

        SliceResult refused = rig.Slicevisor.DrainLog(new byte[E - 1], out int none);          // no room even for the record
        Assert.Equal(SliceResult.Fail(SliceError.BufferTooSmall, 0, E), refused);
        Assert.Equal(0, none);
        Assert.Equal(2, rig.Slicevisor.Log.Count);
        Assert.Equal(head, rig.Slicevisor.Log.Head.ToArray());
        Assert.Equal(1UL, rig.Slicevisor.Log.RefusedWhileFull);
        Assert.Equal(SliceError.LogFull, rig.Slicevisor.StartSlice(1).Error);

        byte[] all = new byte[2 * E];
        SliceResult ok = rig.Slicevisor.DrainLog(all, out int drained);
        Assert.Equal(2, drained);
        Assert.Equal(SliceResult.Success(0) with { Subject = 2, Holder = 2 }, ok);
        DecisionRecord record = Last(rig);
        Assert.Equal(DecisionOperation.DrainLog, record.Operation);
        Assert.Equal((2, 2), (record.Subject, record.Holder));
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(record.Arguments));
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64LittleEndian(record.Arguments.AsSpan(4)));
        Assert.Equal(DecisionLogLayout.ArgumentsInline, record.ArgumentForm);
        Assert.Equal(3UL, record.Sequence);
        Assert.Equal(0UL, rig.Slicevisor.Log.RefusedWhileFull);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(7, 3)]
    public void Drains_round_the_ring_many_times_lose_nothing_and_verify_from_genesis(int capacity, int perDrain)
    {
        using var rig = new AttestationRig(logCapacity: capacity);
        var stream = new List<byte>();
        byte[] buffer = new byte[perDrain * E];
        var expectedSubjects = new List<int>();
        for (int round = 0; round < 5 * capacity; round++)
        {
            while (rig.Slicevisor.Log.AcceptsRequests)
            {
                int slot = 10 + (round % 7);
                _ = rig.Slicevisor.StartSlice(slot);
                expectedSubjects.Add(slot);
            }
            int held = rig.Slicevisor.Log.Count;
            byte[] oldest = rig.Slicevisor.Log.Entry(0).ToArray();
            Assert.True(rig.Slicevisor.DrainLog(buffer, out int drained).Ok);
            Assert.Equal(Math.Min(held, perDrain), drained);
            Assert.Equal(oldest, buffer[..E]);
            Assert.Equal(held - drained + 1, rig.Slicevisor.Log.Count);
            stream.AddRange(buffer[..(drained * E)]);
        }
        byte[] rest = new byte[rig.Slicevisor.Log.Count * E];
        Assert.Equal(rest.Length, rig.Slicevisor.Log.CopyTo(rest));
        stream.AddRange(rest);

        byte[] bytes = [.. stream];
        LogVerification v = DecisionLogVerifier.VerifyFromGenesis(bytes, rig.Slicevisor.Log.Identity, rig.Slicevisor.Log.Head);
        Assert.True(v.Valid, v.Message);
        IReadOnlyList<DecisionRecord> records = DecisionLogVerifier.Decode(bytes);
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (ulong)i), records.Select(r => r.Sequence));
        Assert.Equal(rig.Slicevisor.Log.Sequence, (ulong)records.Count);
        Assert.Equal(expectedSubjects, records.Where(r => r.Operation == DecisionOperation.StartSlice).Select(r => r.Subject));
    }
}
