using System.Numerics;
using System.Text;
using CoreSlice;
using CoreSlice.Hardware;
using CoreSlice.Hardware.Pmp;
using CoreSlice.Proofs;
using CoreSlice.Tests.Proofs;
using Xunit;
using static CoreSlice.Tests.Pmp.PmpRig;

namespace CoreSlice.Tests.Pmp;

/// <summary>
/// The proved encoder is the shipped one: for concrete slices, the table PmpEncoder writes
/// satisfies the spec's encoder relation PmpT.encode (with PmpT.inputs), established by Z3
/// refuting its negation on ground terms; and a table with one entry changed does not.
/// </summary>
public sealed class PmpEncoderConformanceTests
{
    private static readonly PmpGeometry Geometry = new(16, 0, Clint, 5);

    public static TheoryData<string> Slices() => ["napot+na4", "tor-reuse+tor-msip", "tor-from-zero", "many"];

    private static (MemoryRange[] Ranges, int[] Harts, PmpGeometry Geometry) Case(string name) => name switch
    {
        "napot+na4" => ([new MemoryRange(0x8400_0000, 64 * MiB)], [1], Geometry),
        "tor-reuse+tor-msip" => ([new MemoryRange(0x9000_0000, 256 * MiB), new MemoryRange(0x10_0000_0000, 48 * MiB), new MemoryRange(0x10_0300_0000, 80 * MiB)], [2, 3, 4], Geometry),
        "tor-from-zero" => ([new MemoryRange(0, 12 * KiB), new MemoryRange(12 * KiB, 4 * KiB), new MemoryRange(1 * MiB, 1 * MiB)], [0, 1], new PmpGeometry(8, 0, 0x1000_0000, 2)),
        _ => ([new MemoryRange(0x8400_1000, 12 * KiB), new MemoryRange(0x8400_4000, 16 * KiB), new MemoryRange(0x8400_8000, 8 * KiB), new MemoryRange(0x8800_0000, 4 * KiB)], [1, 3, 4], Geometry),
    };

    [Theory]
    [MemberData(nameof(Slices))]
    public void The_shipped_encoder_writes_a_table_the_proved_relation_accepts(string name)
    {
        (MemoryRange[] ranges, int[] harts, PmpGeometry g) = Case(name);
        ResourceSet set = default;
        foreach (int h in harts)
        {
            set.Add(h);
        }
        var table = new PmpEntry[g.Entries];
        Assert.True(PmpEncoder.Encode(g, ranges, Permissions.ReadWriteExecute, set, table) > 0);
        var regions = new List<(ulong Base, ulong Size, int Perm)>();
        regions.AddRange(ranges.Select(r => (r.Base, r.Size, 7)));
        // the msip runs, as the encoder forms them
        for (int h = set.Next(0); h >= 0;)
        {
            int last = h;
            while (last + 1 < g.Harts && set.Contains(last + 1))
            {
                last++;
            }
            regions.Add((g.MsipAddress(h), 4UL * (ulong)(last - h + 1), 3));
            h = set.Next(last + 1);
        }
        Spec spec = SpecLocator.RepositorySpec();
        Z3Solver solver = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        Assert.Equal(ObligationStatus.Proved, Run(solver, spec, $"(assert (not {Relation(regions, table)}))\n"));

        // Negative control: the same relation rejects the table with its first region's last entry unlocked.
        PmpEntry[] broken = (PmpEntry[])table.Clone();
        int firstLast = Array.FindIndex(broken, e => e.Mode != PmpCfg.Off);
        broken[firstLast] = broken[firstLast] with { Config = (byte)(broken[firstLast].Config & ~PmpCfg.L) };
        Assert.Equal(ObligationStatus.Proved, Run(solver, spec, $"(assert {Relation(regions, broken)})\n"));
    }

    private static ObligationStatus Run(Z3Solver solver, Spec spec, string query)
    {
        var o = new Obligation { Name = "pmp/conformance", Expect = Expect.Unsat, Query = query, Meaning = "the shipped encoder's table satisfies PmpT.encode" };
        return new Runner(solver, spec, 120_000).RunOne(o).Status;
    }

    /// <summary>PmpT.inputs and PmpT.encode on ground terms, with the emitter's state computed as the encoder keeps it.</summary>
    private static string Relation(List<(ulong Base, ulong Size, int Perm)> regions, PmpEntry[] table)
    {
        var rb = new StringBuilder("((as const (Array Idx Addr)) #x0000000000000000)");
        var rz = new StringBuilder("((as const (Array Idx Addr)) #x0000000000000000)");
        var rp = new StringBuilder("((as const (Array Idx Perm)) #b000)");
        var pos = new StringBuilder("((as const (Array Idx Idx)) #x0000)");
        var tv = new StringBuilder("((as const (Array Idx Bool)) false)");
        var tt = new StringBuilder("((as const (Array Idx Addr)) #x0000000000000000)");
        int at = 0;
        bool topValid = true;
        ulong top = 0;
        for (int r = 0; r <= regions.Count; r++)
        {
            Store(pos, r, $"#x{at:x4}");
            Store(tv, r, topValid ? "true" : "false");
            Store(tt, r, $"#x{top:x16}");
            if (r == regions.Count)
            {
                break;
            }
            (ulong b, ulong z, int p) = regions[r];
            Store(rb, r, $"#x{b:x16}");
            Store(rz, r, $"#x{z:x16}");
            Store(rp, r, "#b" + Convert.ToString(p, 2).PadLeft(3, '0'));
            bool napot = z >= 8 && BitOperations.IsPow2(z) && (b & (z - 1)) == 0;
            bool tor = z != 4 && !napot;
            at += tor && !(topValid && top == b) ? 2 : 1;
            topValid = tor;
            top = b + z;
        }
        var cfg = new StringBuilder("((as const (Array Idx Cfg)) #x00)");
        var pa = new StringBuilder("((as const (Array Idx PAd)) #x0000000000000000)");
        for (int i = 0; i < table.Length; i++)
        {
            Store(cfg, i, $"#x{table[i].Config:x2}");
            Store(pa, i, $"#x{table[i].Address:x16}");
        }
        string m = $"#x{regions.Count:x4}";
        string n = $"#x{table.Length:x4}";
        return $"(and (PmpT.inputs {m} {n} {rb} {rz} {rp}) (PmpT.encode {m} {n} {rb} {rz} {rp} {cfg} {pa} {pos} {tv} {tt}))";
    }

    private static void Store(StringBuilder array, int index, string value)
    {
        array.Insert(0, "(store ").Append($" #x{index:x4} {value})");
    }
}
