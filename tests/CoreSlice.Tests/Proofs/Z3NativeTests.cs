using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>
/// The binding keeps one context from steering another. In Z3 4.8.12 a <c>set-option</c> of a solver parameter is
/// process-wide: until 2026-12-08 conformance's session set <c>:smt.relevancy 0</c>, and every proof asked later in
/// the same test process ran without relevancy (<c>lemma/Lemma_CreateOk_WaysFree</c>: 0.4 s proved alone, unknown at
/// 120 s in CI's test run, twice).
/// </summary>
public sealed class Z3NativeTests
{
    private static string Relevancy() => Z3Native.Eval("(get-option :smt.relevancy)\n", 5_000).Trim();

    [Fact]
    public void A_process_wide_option_is_refused_and_changes_no_other_context()
    {
        string before = Relevancy();
        Assert.Equal("2", before);

        string answer = Z3Native.Eval("(set-option :smt.relevancy 0)\n(get-option :smt.relevancy)\n", 5_000);

        Assert.StartsWith("(error", answer.Trim(), StringComparison.Ordinal);
        Assert.Contains(":smt.relevancy", answer, StringComparison.Ordinal);
        Assert.Equal(before, Relevancy());
    }

    [Fact]
    public void The_options_a_context_keeps_to_itself_still_run()
    {
        string answer = Z3Native.Eval("(set-option :produce-models true)\n(set-option :timeout 900)\n(get-option :timeout)\n", 5_000);

        Assert.Equal("900", answer.Trim());
    }

    [Fact]
    public void A_new_session_starts_from_its_own_timeout_not_the_last_one_set_in_the_process()
    {
        // a timeout set in one context is left in the process's parameters ...
        Assert.Equal("777", Z3Native.Eval("(set-option :timeout 777)\n(get-option :timeout)\n", 5_000).Trim());

        // ... and a session reads its own
        using var session = new Z3Native.Session(4_321);
        Assert.Equal("4321", session.Eval("(get-option :timeout)\n").Trim());
    }

    [Theory]
    [InlineData("(set-option :produce-models true)\n(set-option :timeout 5)\n(check-sat)\n", null)]
    [InlineData("(set-option :TIMEOUT 5)", null)]
    [InlineData("(check-sat)", null)]
    [InlineData("(set-option :timeout 5)\n(set-option  \n :smt.random_seed 3)", ":smt.random_seed")]
    [InlineData("(set-option :sat.random_seed 1)", ":sat.random_seed")]
    [InlineData("(set-option :smt.mbqi false)(set-option :timeout 1)", ":smt.mbqi")]
    [InlineData("(set-option :timeouts 1)", ":timeouts")]
    public void Every_set_option_outside_the_context_options_is_named(string script, string? expected)
    {
        Assert.Equal(expected, Z3Native.ProcessWideOption(script));
    }
}
