using CoreSlice.Attestation;

namespace CoreSlice.Manager.Verification;

/// <summary>
/// A decision-log file checked as <c>coreslice log verify</c> checks it: the chain (from the genesis of the
/// identity in the file's header, or from an anchor), the file's own problem (its header's entry count
/// disagrees with what it holds), and everything left unchecked. Printed by <see cref="LogVerificationWriter"/>.
/// </summary>
/// <param name="Chain">The chain's verification.</param>
/// <param name="FileProblem">What is wrong with the file though its entries were read (null: nothing).</param>
/// <param name="NotChecked">What these inputs could not show, one sentence each: the chain's, then the file's.</param>
public sealed record DecisionLogFileVerification(LogVerification Chain, string? FileProblem, IReadOnlyList<string> NotChecked)
{
    /// <summary>What a check from the genesis leaves to the reader: the genesis comes from the file itself.</summary>
    public const string IdentityNotChecked =
        "the platform identity: the genesis comes from the identity in the file's header; compare it with an attestation report's measurements and log boot count";

    /// <summary>True when the chain holds and the file has no problem.</summary>
    public bool Valid => Chain.Valid && FileProblem is null;

    /// <summary>
    /// Checks a file's <paramref name="entries"/> (as <see cref="DecisionLogFileFormat.Decode(ReadOnlySpan{byte}, out string?, out PlatformIdentity?)"/> returned them, with its
    /// <paramref name="identity"/> and <paramref name="fileProblem"/>): from the identity's genesis, or from
    /// <paramref name="anchor"/> when given; against <paramref name="expectedHead"/> when given.
    /// </summary>
    public static DecisionLogFileVerification Verify(ReadOnlySpan<byte> entries, PlatformIdentity identity, string? fileProblem, byte[]? anchor, byte[]? expectedHead)
    {
        LogVerification chain = anchor is null
            ? DecisionLogVerifier.VerifyFromGenesis(entries, identity, expectedHead)
            : DecisionLogVerifier.VerifyFromAnchor(entries, anchor, expectedHead);
        var notChecked = new List<string>(chain.NotChecked);
        if (anchor is null)
        {
            notChecked.Add(IdentityNotChecked);
        }
        return new DecisionLogFileVerification(chain, fileProblem, notChecked);
    }
}
