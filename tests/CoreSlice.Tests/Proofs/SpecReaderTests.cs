using CoreSlice.Proofs;
using Xunit;

namespace CoreSlice.Tests.Proofs;

/// <summary>The s-expression reader every proof tool uses: malformed text is an error, never a hang.</summary>
public sealed class SpecReaderTests
{
    [Theory]
    [InlineData(")")]
    [InlineData("(define-fun a () Bool true))")]
    [InlineData("(and true")]
    public void Unbalanced_parentheses_are_refused_not_looped_on(string text) =>
        Assert.Throws<FormatException>(() => Sx.ParseAll(text));

    [Fact]
    public void Balanced_text_reads_every_top_level_form() =>
        Assert.Equal(2, Sx.ParseAll("(a b) ; c\n(d (e))").Count);
}
