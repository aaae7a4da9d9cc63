namespace CoreSlice.Attestation;

/// <summary>
/// What a report's DMA ranges mean (<see cref="ReportLayout.DmaScopeField"/>). Both values are
/// nonzero on purpose: a zero byte, a field the writer forgot, is neither, so a decoder refuses it
/// rather than reading it as one of the two meanings.
/// </summary>
public enum DmaScope : byte
{
    /// <summary>No DMA ranges listed: every device of the slice reaches every private range with that range's Read/Write permissions.</summary>
    AllPrivateRanges = 1,

    /// <summary>DMA ranges listed: a device reaches exactly the ranges that name it (none when none does).</summary>
    Listed = 2,
}
