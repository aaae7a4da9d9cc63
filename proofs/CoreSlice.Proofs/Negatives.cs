using System.Text;

namespace CoreSlice.Proofs;

/// <summary>
/// Negative witnesses: for every invariant clause and every property, a concrete bad state (for a
/// transition property, a pair of states) at the boundary the clause is about (one byte past a range,
/// one index past the machine, one foreign bit in a mask), and the obligation <c>negative/&lt;clause&gt;</c>
/// that the clause rejects it (the clause on the bad state is refuted). A clause weakened until it
/// accepts its bad state fails, naming the clause. Every clause and property the manifest names must
/// have one; a missing one fails verify, so a new clause cannot escape.
/// </summary>
public static class Negatives
{
    /// <summary>A bad state: the clause it must violate, the state's changes from a witness, what it is.</summary>
    /// <param name="Clause">The clause or property (its define-fun name).</param>
    /// <param name="Base">The witness it is derived from (w0, w1).</param>
    /// <param name="Changes">Field → new value (a term; the base's value is <c>(F base)</c>).</param>
    /// <param name="Why">The boundary, in words.</param>
    /// <param name="Call">For a transition property, its arguments after the two states; else null.</param>
    public sealed record Bad(string Clause, string Base, IReadOnlyDictionary<string, string> Changes, string Why, string? Call = null);

    private static Dictionary<string, string> F(params (string Field, string Value)[] changes) =>
        changes.ToDictionary(c => c.Field, c => c.Value, StringComparer.Ordinal);

    private static string Cell2(string field, string b, string i, string j, string v) =>
        $"(store ({field} {b}) {i} (store (select ({field} {b}) {i}) {j} {v}))";

    private const string Core1 = "#x0001";

    /// <summary>The bad states (several may share a clause).</summary>
    public static readonly IReadOnlyList<Bad> Table =
    [
        new("I1_Disjointness.cores", "w0", F(("coreOwner", "(store (coreOwner w0) #x0004 #x0001)")), "core 4, one past the 4-core machine, owned by slot 1"),
        new("I1_Disjointness.cores", "w0", F(("coreOwner", "(store (coreOwner w0) #x0000 #x0001)")), "the control core 0 owned by slot 1"),
        new("I1_Disjointness.devices", "w0", F(("devOwner", "(store (devOwner w0) #x0002 #x0001)")), "device 2, one past the 2-device machine, owned by slot 1"),
        new("I1_Disjointness.ways", "w0", F(("wayOwner", "(store (wayOwner w0) #x0004 #x0001)")), "way 4, one past domain 0's 4 ways, owned by slot 1"),
        new("I1_Disjointness.ways", "w0", F(("wayOwner", "(store (wayOwner w0) #x0044 #x0001)")), "way 68 (domain 1's way 4), one past domain 1's 4 ways, owned by slot 1"),
        new("I1_Disjointness.wayDomains", "w0", F(("wayOwner", "(store (wayOwner w0) #x0041 #x0001)"), ("gWay", "(store (gWay w0) #x0041 #x0001)")),
            "slot 1, whose one core is in domain 0, holds way 65 of domain 1"),
        new("I1_Disjointness.memory", "w0", F(("memOwner", "(store (memOwner w0) #x0000000000000fff #x0001)")), "the last reserved byte 4K-1 owned by slot 1"),
        new("I1_Disjointness.memory", "w0", F(("memOwner", "(store (memOwner w0) #x0000000000001fff #x0001)")), "the last control byte 8K-1 owned by slot 1"),
        new("I1_Disjointness.table", "w0", F(("tblSize", Cell2("tblSize", "w0", Core1, "#x0000", "#x0000000000001001"))), "slot 1's range [8K, 12K+1) reaches slot 2's first byte 12K"),
        new("I1_Disjointness.table", "w0", F(("tblN", "(store (tblN w0) #x0001 #x0004)")), "slot 1 with 4 ranges on a machine of 3 range registers"),
        new("I1_Disjointness.freeRows", "w0", F(("tblN", "(store (tblN w0) #x0003 #x0001)")), "the Free slot 3 keeps a one-range table row"),
        new("I1_Disjointness.freeRows", "w0", F(("tblWN", "(store (tblWN w0) #x0003 #x0001)")), "the Free slot 3 keeps a one-window table row"),
        new("I1_Disjointness.table", "w0", F(("addrPerm", "(store (addrPerm w0) #x0000000000002000 #b001)")), "slot 1 holds only Read at 8K, but its row grants RWX"),
        new("I1_Disjointness.windows", "w0", F(("winOwner", "(store (winOwner w0) #x0000000000004000 #x0001)")), "slot 1 holds a window on the Free byte 16K, not control memory"),
        new("I1_Disjointness.windows", "wW", F(("addrPerm", "(store (addrPerm wW) #x0000000000001000 #b101)")), "slot 1 may execute in its window at 4K"),
        new("I1_Disjointness.windows", "w0", F(("winOwner", "(store (winOwner w0) #x0000000000001000 #x0003)")), "the Free slot 3 holds a window on 4K"),
        new("I1_Disjointness.windowTable", "wW", F(("winOwner", "(store (winOwner wW) #x0000000000001ff8 #x0002)")), "slot 1's window row covers 8K-8, held by slot 2"),
        new("I1_Disjointness.windowTable", "wW", F(("addrPerm", "(store (addrPerm wW) #x0000000000001000 #b011)")), "slot 1's read-only window row, but slot 1 holds Read|Write at 4K"),
        new("I1_Disjointness.freeRows", "w0", F(("tblN", "(store (tblN w0) #x0004 #x0001)")), "slot 4, one past the 3-slot machine, has a one-range table row"),
        new("I2_FilterSoundness.ranges", "w0", F(("rrSize", Cell2("rrSize", "w0", Core1, "#x0000", "#x0000000000001001"))), "core 1's range register reaches 12K, slot 2's first byte"),
        new("I2_FilterSoundness.ranges", "w0", F(("rrBase", Cell2("rrBase", "w0", Core1, "#x0001", "#x0000000000003000")), ("rrSize", Cell2("rrSize", "w0", Core1, "#x0001", "#x0000000000001000")), ("rrPerm", Cell2("rrPerm", "w0", Core1, "#x0001", "#b001"))), "core 1's read-only register 1 covers slot 2's [12K, 16K)"),
        new("I2_FilterSoundness.ranges", "wW", F(("rrPerm", Cell2("rrPerm", "wW", Core1, "#x0001", "#b011"))), "core 1's register 1 lets it write its read-only window"),
        new("I2_FilterSoundness.ranges", "w0", F(("rrBase", Cell2("rrBase", "w0", Core1, "#x0001", "#x0000000000001000")), ("rrSize", Cell2("rrSize", "w0", Core1, "#x0001", "#x0000000000001000")), ("rrPerm", Cell2("rrPerm", "w0", Core1, "#x0001", "#b001"))), "core 1 reads the control page [4K, 8K), which no window shares with slot 1"),
        new("I2_FilterSoundness.ipi", "w0", F(("ipi", Cell2("ipi", "w0", Core1, "#x0002", "true"))), "core 1's IPI mask has slot 2's core 2"),
        new("I2_FilterSoundness.ways", "w0", F(("wmask", Cell2("wmask", "w0", Core1, "#x0002", "true"))), "core 1's way mask has slot 2's way 2"),
        new("I2_FilterSoundness.ways", "w0", F(("wayOwner", "(store (wayOwner w0) #x0041 #x0001)"), ("wmask", Cell2("wmask", "w0", Core1, "#x0041", "true"))),
            "core 1 (domain 0) has its own slot's way 65 of domain 1 in its mask"),
        new("I3_LockedGuest.guest", "w0", F(("locked", "(store (locked w0) #x0001 false)")), "core 1 runs guest code unlocked"),
        new("I3_LockedGuest.guest", "w0", F(("rrPerm", Cell2("rrPerm", "w0", Core1, "#x0001", "#b001"))), "core 1 has a readable register 1 its table entry does not dictate"),
        new("I3_LockedGuest.absentCores", "w0", F(("mode", "(store (mode w0) #x0004 #b100)")), "core 4, one past the 4-core machine, is Halted"),
        new("I3_LockedGuest.absentCores", "w0", F(("locked", "(store (locked w0) #x0004 true)")), "core 4, one past the 4-core machine, is locked"),
        new("I3_LockedGuest.absentCores", "w0", F(("ipiIn", Cell2("ipiIn", "w0", "#x0004", "#x0001", "true"))), "core 4, one past the 4-core machine, has received an IPI from core 1"),
        new("I2_FilterSoundness.delivered", "w0", F(("ipiIn", Cell2("ipiIn", "w0", Core1, "#x0002", "true"))), "core 1 has received an IPI from slot 2's core 2"),
        new("I2_FilterSoundness.delivered", "w0", F(("ipiIn", Cell2("ipiIn", "w0", "#x0003", "#x0003", "true"))), "the Free core 3 has received an IPI from itself (same owner, but no guest's)"),
        new("I3_LockedGuest.unlockedIdle", "w0", F(("locked", "(store (locked w0) #x0003 true)")), "the Idle core 3 is locked"),
        new("I3_LockedGuest.unlockedIdle", "w0", F(("rrSize", Cell2("rrSize", "w0", "#x0003", "#x0000", "#x0000000000001000"))), "the Idle core 3 keeps a register size (of a register with no permission) after its reset"),
        new("I3_LockedGuest.control", "w0", F(("locked", "(store (locked w0) #x0000 false)")), "the control core 0 is unlocked"),
        new("I3_LockedGuest.control", "w0", F(("mode", "(store (mode w0) #x0003 #b000)")), "core 3, not a control core, is in Control mode"),
        new("I4_DmaConfinement.iommu", "w0", F(("iommu", "(store (iommu w0) #x0001 #x0001)")), "device 1 (slot 2's) has a window on slot 1"),
        new("I4_DmaConfinement.iommu", "w1", F(("iommu", "(store (iommu w1) #x0001 #x0002)")), "device 1's window is open while its slot 2 is only Created"),
        new("I4_DmaConfinement.table", "wD", F(("tblDBase", "(store (tblDBase wD) #x0001 (store zeroAddrs #x0000 #x0000000000004000))")), "slot 1's DMA row lies on 16K, Free memory"),
        new("I4_DmaConfinement.table", "wD", F(("tblDPerm", "(store (tblDPerm wD) #x0001 (store zeroPerms #x0000 #b011))")), "slot 1's DMA row writes its read-only window"),
        new("I5_NoResidue", "w0", F(("lastWriter", "(store (lastWriter w0) #x0000000000003000 #x0001)")), "slot 2's first byte 12K last written by slot 1"),
        new("I5_NoResidue", "w0", F(("lastWriter", "(store (lastWriter w0) #x0000000000004000 #x0001)")), "the Free byte 16K last written by slot 1"),
        new("I5_NoResidue", "wW", F(("lastWriter", "(store (lastWriter wW) #x0000000000001000 #x0002)")), "slot 1's window byte 4K last written by slot 2"),
        new("I5_NoResidue", "w0", F(("lastWriter", "(store (lastWriter w0) #x0000000000001000 #x0001)")), "the control byte 4K, no one's window, last written by slot 1"),
        new("I6_StaticResources", "w0", F(("coreOwner", "(store (coreOwner w0) #x0003 #x0001)")), "running slot 1 holds core 3, which it was not created with"),
        new("I6_StaticResources", "w0", F(("tblSize", Cell2("tblSize", "w0", Core1, "#x0000", "#x0000000000002000"))), "slot 1's range grew after creation"),
        new("I7_LogIntegrity.bounds", "w0", F(("logN", "#x0000000000000011"), ("logSeq", "#x0000000000000013")), "17 entries held in a log of capacity 16 (the count still adds up)"),
        new("I7_LogIntegrity.bounds", "w0", F(("logCap", "#x0000000000000001")), "a log of capacity 1 (no room for a request and the drain's record)"),
        new("I7_LogIntegrity.complete", "w0", F(("logN", "#x0000000000000002")), "one entry of the 5 appended is neither held nor drained"),
        new("S1_ExclusiveResources", "w0", F(("tblBase", Cell2("tblBase", "w0", "#x0002", "#x0000", "#x0000000000002fff"))), "slot 2's range starts at 12K-1, slot 1's last byte"),
        new("S1_ExclusiveResources", "w0", F(("tblBase", Cell2("tblBase", "w0", Core1, "#x0000", "#x0000000000001fff"))), "slot 1's range starts at 8K-1, the last control byte"),
        new("S1_ExclusiveResources", "w0", F(("devOwner", "(store (devOwner w0) #x0002 #x0001)")), "device 2, one past the machine, owned by slot 1"),
        new("S2_StaticResources", "w3", F(("wayOwner", "(store (wayOwner w3) #x0003 #x0002)")), "the Destroying slot 2 holds way 3, which it was not created with"),
        new("S2_StaticResources", "w0", F(("coreOwner", "(store (coreOwner w0) #x0003 #x0001)")), "running slot 1 holds core 3, which it was not created with"),
        new("S3_MemoryConfinement", "w0", F(("rrSize", Cell2("rrSize", "w0", Core1, "#x0000", "#x0000000000001001"))), "core 1 can reach 12K, slot 2's first byte"),
        new("S3_MemoryConfinement", "w0", F(("iommu", "(store (iommu w0) #x0000 #x0002)")), "device 0 (slot 1's) can DMA into slot 2's memory"),
        new("S3_MemoryConfinement", "wW", F(("rrPerm", Cell2("rrPerm", "wW", Core1, "#x0001", "#b101"))), "core 1 can execute in its window [4K, 8K)"),
        new("S3_MemoryConfinement", "wW", F(("rrPerm", Cell2("rrPerm", "wW", Core1, "#x0001", "#b011"))), "core 1 can write its read-only window"),
        new("S3_MemoryConfinement", "wD", F(("tblDPerm", Cell2("tblDPerm", "wD", "#x0001", "#x0000", "#b011"))), "device 0 can write slot 1's read-only window"),
        new("S3_MemoryConfinement", "wD", F(("tblDBase", Cell2("tblDBase", "wD", "#x0001", "#x0001", "#x0000000000003000"))), "device 0 can DMA into slot 2's [12K, 16K)"),
        new("S1_ExclusiveResources.windows", "wW", F(("tblWN", "(store (tblWN wW) #x0002 #x0001)"), ("tblWBase", "(store (tblWBase wW) #x0002 (store zeroAddrs #x0000 #x0000000000001000))"), ("tblWSize", "(store (tblWSize wW) #x0002 (store zeroAddrs #x0000 #x0000000000001000))")), "slot 2's table holds slot 1's window [4K, 8K) too"),
        new("S10_NoGuestToGuest.memory", "w0", F(("rrBase", Cell2("rrBase", "w0", "#x0002", "#x0001", "#x0000000000002000")), ("rrSize", Cell2("rrSize", "w0", "#x0002", "#x0001", "#x0000000000001000")), ("rrPerm", Cell2("rrPerm", "w0", "#x0002", "#x0001", "#b001"))), "slot 2's core 2 reads slot 1's [8K, 12K)"),
        new("S10_NoGuestToGuest.memory", "wW", F(("rrBase", Cell2("rrBase", "wW", "#x0002", "#x0001", "#x0000000000001000")), ("rrSize", Cell2("rrSize", "wW", "#x0002", "#x0001", "#x0000000000001000")), ("rrPerm", Cell2("rrPerm", "wW", "#x0002", "#x0001", "#b001"))), "slot 2's core 2 reads slot 1's window [4K, 8K)"),
        new("S10_NoGuestToGuest.ways", "w0", F(("wmask", Cell2("wmask", "w0", "#x0002", "#x0001", "true"))), "slot 2's core 2 and slot 1's core 1 share way 1"),
        new("S10_NoGuestToGuest.coreDma", "w0", F(("iommu", "(store (iommu w0) #x0001 #x0001)")), "slot 2's device 1 can DMA into slot 1's memory, which core 1 reaches"),
        new("S10_NoGuestToGuest.ipi", "w0", F(("ipi", Cell2("ipi", "w0", Core1, "#x0002", "true"))), "core 1 may interrupt slot 2's core 2"),
        new("S4_InterruptConfinement", "w0", F(("ipiIn", Cell2("ipiIn", "w0", "#x0002", Core1, "true"))), "slot 2's core 2 has received an IPI from slot 1's core 1"),
        new("S4_InterruptConfinement", "w0", F(("ipiIn", Cell2("ipiIn", "w0", "#x0003", "#x0003", "true"))), "the Free core 3 has received an IPI (from itself: same owner, no guest)"),
        new("S5_LockStability", "w0", F(("locked", "(store (locked w0) #x0001 false)")), "core 1 runs guest code unlocked"),
        new("S7_NoResidue", "w0", F(("lastWriter", "(store (lastWriter w0) #x0000000000002fff #x0002)")), "core 1 can read 12K-1, last written by slot 2"),
        new("S7_NoResidue", "wW", F(("lastWriter", "(store (lastWriter wW) #x0000000000001010 #x0002)")), "core 1 can read its window byte 4K+16, last written by slot 2"),
        new("S7_NoResidue", "wD", F(("lastWriter", "(store (lastWriter wD) #x0000000000001010 #x0002)"), ("rrPerm", Cell2("rrPerm", "wD", Core1, "#x0001", "#b000"))), "device 0 can read the window byte 4K+16 (core 1 cannot), last written by slot 2"),
        new("S7_NoResidue", "w0", F(("rrBase", Cell2("rrBase", "w0", Core1, "#x0001", "#x0000000000003000")), ("rrSize", Cell2("rrSize", "w0", Core1, "#x0001", "#x0000000000001000")), ("rrPerm", Cell2("rrPerm", "w0", Core1, "#x0001", "#b100")), ("lastWriter", "(store (lastWriter w0) #x0000000000003000 #x0002)")), "core 1 can fetch (execute-only register) 12K, last written by slot 2"),
        new("S9_TcbProtection", "w0", F(("rrBase", Cell2("rrBase", "w0", Core1, "#x0000", "#x0000000000000fff"))), "core 1's register starts at the last reserved byte 4K-1"),
        new("T1_LockStability", "w0", F(("rrSize", Cell2("rrSize", "w0", Core1, "#x0000", "#x0000000000002000"))), "locked core 1's register changes with no reset", "#x0001 false"),
        new("T1_LockStability", "w0", F(("locked", "(store (locked w0) #x0001 false)")), "locked core 1 unlocks with no reset", "#x0001 false"),
        new("T2_ResetAuthority", "w0", F(("mode", "(store (mode w0) #x0002 #b100)")), "a step that may reset no core halts slot 2's core 2", "#x0002 false"),
        new("T2_ResetAuthority", "w0", F(("rrSize", Cell2("rrSize", "w0", "#x0003", "#x0000", "#x0000000000001000"))), "a step that may reset no core changes the unlocked Idle core 3's register", "#x0003 false"),
        new("T3_GuestConfined", "w0", F(("st", "(store (st w0) #x0002 #b00)")), "a guest action frees slot 2", ""),
        new("T3_GuestConfined", "w0", F(("logN", "#x0000000000000004"), ("logSeq", "#x0000000000000006")), "a guest action appends to the slicevisor's log", ""),
        new("T4_LogOnly", "w0", F(("meas", "(store (meas w0) #x0001 #x0000000000000000)")), "an attestation clears slot 1's measurement", ""),
        new("T4_LogOnly", "w0", F(("ipiIn", "(store (ipiIn w0) #x0001 noCores)")), "a drain drops core 1's received interrupts", ""),
        new("T5_StaticRows", "wW", F(("tblWPerm", "(store (tblWPerm wW) #x0001 (store zeroPerms #x0000 #b011))")), "slot 1's read-only window becomes read-write while it runs", ""),
        new("T5_StaticRows", "wD", F(("tblDN", "(store (tblDN wD) #x0001 #x0001)")), "slot 1 loses a DMA row while it runs", ""),
        new("T5_StaticRows", "w0", F(("tblPerm", "(store (tblPerm w0) #x0002 (store zeroPerms #x0000 #b101))")), "running slot 2's range loses write permission", ""),
    ];

    /// <summary>The State datatype's field names, in constructor order.</summary>
    public static IReadOnlyList<string> StateFields(string specText)
    {
        foreach (Sx top in Sx.ParseAll(specText))
        {
            if (top.Is("declare-datatypes") && top.Items[1].Items[0].Items[0].Atom == "State")
            {
                return [.. top.Items[2].Items[0].Items[0].Items.Skip(1).Select(f => f.Items[0].Atom!)];
            }
        }
        return [];
    }

    /// <summary>The subjects that need a bad state: every clause of every invariant, every property, T1, T2.</summary>
    public static IReadOnlyList<string> Subjects(Spec spec) =>
        [.. spec.Invariants.SelectMany(i => i.Clauses), .. spec.Properties, .. SpecChecks.GeneratedTransitionProperties];

    /// <summary>The negative obligations, and failed results for subjects without a bad state.</summary>
    public static (List<Obligation> Obligations, List<ObligationResult> Missing) Generate(Spec spec)
    {
        var obligations = new List<Obligation>();
        var missing = new List<ObligationResult>();
        IReadOnlyList<string> fields = StateFields(spec.Text);
        string prelude = Witnesses.Machine + Witnesses.States + WitnessSearch.MoreStates + Branches.MoreStates;
        foreach (string subject in Subjects(spec))
        {
            var bads = Table.Where(b => b.Clause == subject).ToList();
            if (bads.Count == 0)
            {
                missing.Add(new ObligationResult($"negative/{subject}", ObligationStatus.Failed, 0,
                    $"negative/{subject} FAILED: no bad state shows that {subject} rejects anything (add one to Negatives.Table)", null));
            }
            for (int k = 0; k < bads.Count; k++)
            {
                Bad b = bads[k];
                string name = $"negative/{subject}" + (bads.Count > 1 ? $"#{k + 1}" : string.Empty);
                var unknown = b.Changes.Keys.Where(f => !fields.Contains(f)).ToList();
                if (unknown.Count > 0)
                {
                    missing.Add(new ObligationResult(name, ObligationStatus.Failed, 0, $"{name} FAILED: the State has no field {string.Join(", ", unknown)}", null));
                    continue;
                }
                var state = new StringBuilder("(mk-state");
                foreach (string f in fields)
                {
                    state.Append(' ').Append(b.Changes.TryGetValue(f, out string? v) ? v : $"({f} {b.Base})");
                }
                state.Append(')');
                string claim = b.Call is null ? $"({subject} bad)" : $"({subject} {b.Base} bad {b.Call})".Replace("  ", " ", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);
                obligations.Add(new Obligation
                {
                    Name = name,
                    Expect = Expect.Unsat,
                    Query = prelude + $"(define-fun bad () State {state})\n(assert {claim})\n",
                    Meaning = b.Call is null
                        ? $"{subject} rejects the bad state {b.Base} with {b.Why}"
                        : $"{subject} rejects the step from {b.Base} to {b.Base} with {b.Why}",
                });
            }
        }
        return (obligations, missing);
    }
}
