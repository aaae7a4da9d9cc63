using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The PMP obligations are asked over the part of the spec their query reaches (<see cref="SpecSlice"/>): exact (the
/// slice keeps every definition reached, through bodies, datatypes and sorts), and a change the query never reaches
/// leaves their scripts alone. Until 2026-12-08 two define-funs added for CreateSlice's devices took
/// <c>pmp/Exact.SU</c> from 0.75 s proved to unknown at 120 s.
/// </summary>
public sealed class SpecSliceTests
{
    private const string Text = """
        ; a comment (define-fun Commented () Bool true)
        (define-sort Word () (_ BitVec 8))
        (define-sort Unused () (_ BitVec 4))
        (declare-datatypes ((Shape 0)) (((Circle (radius Word)) Empty)))
        (declare-const nCores Word)
        (declare-const nSlots Word)
        (define-fun small ((w Word)) Bool (bvult w nCores))
        (define-fun round ((x Shape)) Bool (and (is-Circle x) (small (radius x))))
        (define-fun other ((w Word)) Bool (bvult w nSlots))
        (define-fun empty () Shape Empty)
        """;

    private static IReadOnlyList<string> Kept(string roots) =>
        [.. Sx.ParseAll(SpecSlice.For(Text, roots)).Select(f => f.Items[1].Atom ?? f.Items[1].Items[0].Items[0].Atom!)];

    [Fact]
    public void A_slice_keeps_what_the_query_reaches_through_bodies_datatypes_and_sorts_in_order()
    {
        Assert.Equal(["Word", "Shape", "nCores", "small", "round"], Kept("(declare-const s Shape)(assert (round s))"));
    }

    [Fact]
    public void A_constructor_or_a_tester_reaches_its_datatype()
    {
        Assert.Equal(["Word", "Shape", "empty"], Kept("(assert (= empty Empty))"));
        Assert.Equal(["Word", "Shape"], Kept("(declare-const s Shape)(assert (is-Empty s))"));
    }

    [Fact]
    public void Nothing_reached_nothing_kept()
    {
        Assert.Empty(Kept("(assert true)"));
    }

    [Fact]
    public void A_PMP_script_is_unchanged_by_a_definition_it_never_reaches()
    {
        string from = SpecDiscovery.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("no spec/ in this checkout");
        string copy = Directory.CreateTempSubdirectory("coreslice-slice-").FullName;
        try
        {
            foreach (string file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }
            File.AppendAllText(Path.Combine(copy, "40-slicevisor.smt2"),
                "\n(define-fun Unrelated.extra ((s State)) Bool (= (select (st s) #x0001) SliceState.Free))\n");
            Spec spec = Spec.FromDirectory(from);
            Spec changed = Spec.FromDirectory(copy);
            Assert.NotEqual(spec.Text, changed.Text);
            List<Obligation> pmp = [.. ObligationGenerator.Generate(spec).Where(o => o.Name.StartsWith("pmp/", StringComparison.Ordinal))];
            Assert.Equal(7, pmp.Count);
            foreach (Obligation o in pmp)
            {
                Assert.True(o.SliceSpec, o.Name);
                string script = ObligationGenerator.Script(spec, o, 1000, z3: true);
                Assert.True(script.Length < spec.Text.Length / 2, $"{o.Name}: {script.Length} characters of {spec.Text.Length}");
                Assert.Equal(script, ObligationGenerator.Script(changed, o, 1000, z3: true));
                Obligation whole = ObligationGenerator.Generate(changed).Single(x => x.Name == o.Name);
                Assert.Contains("Unrelated.extra", ObligationGenerator.Script(changed, Unsliced(whole), 1000, z3: true), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    private static Obligation Unsliced(Obligation o) => new()
    {
        Name = o.Name, Query = o.Query, Expect = o.Expect, Explain = o.Explain, Meaning = o.Meaning, CheckCommand = o.CheckCommand,
    };
}
