namespace CoreSlice.Faults;

/// <summary>
/// Known-bad variants of the trusted core, for the bug-injection tests (tests/README.md):
/// each names one realistic mistake at one site. They exist to show that the
/// checks (model checking, the simulate scenario, the audit, properties) catch them.
/// </summary>
internal enum Bug : byte
{
    /// <summary>The correct code.</summary>
    None = 0,
    /// <summary>RequestValidator: the overlap test between a request's own ranges stops one range early (j &lt; i - 1).</summary>
    RequestOverlapOffByOne,
    /// <summary>MemoryOwnershipIndex.FindOverlap: off by one at the top, so the highest guest interval is never reported.</summary>
    ExistingOverlapOffByOne,
    /// <summary>RequestValidator: no wrap check, and "inside RAM" computed as base + size (which wraps).</summary>
    RangeWrapOverflow,
    /// <summary>RequestValidator: a core another slice owns is accepted.</summary>
    CoreInUseUnchecked,
    /// <summary>RequestValidator: a cache way another slice (or the control slice) owns is accepted.</summary>
    WayInUseUnchecked,
    /// <summary>CreateSlice: cores are claimed once their checks pass; a later failing check returns without releasing them.</summary>
    CreateFailureLeaksCores,
    /// <summary>CreateSlice: the free slot's ways and entry point are written before validation, so a rejected call changes the table.</summary>
    RejectedCreateMutatesEntry,
    /// <summary>LoadImage: the bounds check is off by one, so one byte past the slice's range may be written.</summary>
    ImageBoundsOffByOne,
    /// <summary>Sliceloader: enters the guest without locking the filter registers.</summary>
    LoaderSkipsLock,
    /// <summary>Sliceloader: ignores a readback that differs from the entry and enters the guest anyway.</summary>
    LoaderIgnoresReadback,
    /// <summary>Sliceloader: builds the IPI mask from the wrong slot (0-based index into a 1-based table).</summary>
    IpiMaskWrongSlot,
    /// <summary>StartSlice: a core that did not come back from its secure reset is booted anyway and the start reports success.</summary>
    StartIgnoresResetFault,
    /// <summary>DestroySlice: the slice's cores are not reset, so they keep running the guest.</summary>
    DestroySkipsCoreReset,
    /// <summary>DestroySlice: memory is freed without being scrubbed.</summary>
    DestroySkipsScrub,
    /// <summary>DestroySlice: a core that fails to reset is ignored and the slot is freed unscrubbed (the fault path frees instead of quarantining).</summary>
    DestroyFaultFreesUnscrubbed,
    /// <summary>DestroySlice: the devices' IOMMU windows are left open.</summary>
    DestroyLeavesIommuOpen,
}

#if CORESLICE_BUG_INJECTION
/// <summary>
/// The runtime switch for <see cref="Bug"/>: internal (reachable only from
/// CoreSlice.Tests through InternalsVisibleTo), per thread (so a test that turns a
/// bug on affects no other test), and default <see cref="Bug.None"/>. A site reads
/// one thread-static byte and branches; nothing allocates. A shipping build
/// (<c>-p:CoreSliceShipping=true</c>) does not define CORESLICE_BUG_INJECTION, and
/// then <see cref="Active"/> is the constant None and the compiler removes every bug path.
/// </summary>
internal static class InjectedBug
{
    /// <summary>The bug active on this thread.</summary>
    [ThreadStatic]
    internal static Bug Active;
}
#else
/// <summary>Shipping build: no bug can be active; every <c>if (InjectedBug.Active == ...)</c> is constant-false and compiled away.</summary>
internal static class InjectedBug
{
    /// <summary>Always <see cref="Bug.None"/>.</summary>
    internal const Bug Active = Bug.None;
}
#endif
