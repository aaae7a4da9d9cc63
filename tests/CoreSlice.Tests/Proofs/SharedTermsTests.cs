using System.Text;
using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The bounded search writes its ground queries with shared subterms bound by <c>let</c>. Only terms may be
/// bound: an indexed operator such as <c>(_ extract 1 1)</c>, repeated over different arguments, was once bound
/// like a term and Z3 refused the query ("operator is applied to arguments of the wrong sort"), which left the
/// search empty-handed on any spec that tests single bits (pmp/Link.accepted's W-without-R check, 2026-12-07).
/// </summary>
public sealed class SharedTermsTests
{
    [Fact]
    public void Repeated_indexed_operators_and_qualified_constants_stay_in_place_and_z3_reads_the_query()
    {
        List<Sx> assertions = Sx.ParseAll(
            "(= ((_ extract 1 1) p) ((_ extract 1 1) q))\n" +
            "(= ((_ extract 1 1) q) ((_ extract 1 1) r))\n" +
            "(= (select ((as const (Array (_ BitVec 2) (_ BitVec 3))) p) #b01) (select ((as const (Array (_ BitVec 2) (_ BitVec 3))) q) #b10))\n" +
            "(not (= ((_ extract 0 0) p) ((_ extract 0 0) r)))\n" +
            "(= (bvand (bvor p q r) #b101) (bvand (bvor p q r) #b011))\n");
        var script = new StringBuilder("(declare-const p (_ BitVec 3))(declare-const q (_ BitVec 3))(declare-const r (_ BitVec 3))\n");
        SharedTerms.AppendAssertion(script, assertions);
        script.Append("(check-sat)\n");

        string text = script.ToString();
        // what each let binds: the text after "(let ((sh!N "
        string[] bound = text.Split("(let ((sh!", StringSplitOptions.None).Skip(1).Select(b => b[(b.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToArray();
        Assert.NotEmpty(bound);
        Assert.DoesNotContain(bound, b => b.StartsWith("(_ ", StringComparison.Ordinal) || b.StartsWith("(as ", StringComparison.Ordinal));
        Assert.Matches(@"\(let \(\(sh!\d+ \(bvor p q r\)\)\)", text);   // a repeated term is still shared

        Z3Solver z3 = Z3Solver.TryCreate(out string? problem) ?? throw new InvalidOperationException(problem);
        string answer = z3.Run(text, 10_000).Trim();
        Assert.True(answer is "sat" or "unsat", answer);
    }
}
