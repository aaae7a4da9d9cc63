namespace CoreSlice.Hardware;

/// <summary>
/// The narrow port through which the trusted core touches hardware. A platform
/// implements it (CoreSlice.Simulation does, for the simulated machine); the
/// slicevisor takes it as a generic parameter so that a struct implementation
/// is devirtualized and inlined by the JIT.
/// <para>
/// Two parties use it. The slicevisor, in the privileged context, resets cores,
/// programs the IOMMU and writes/scrubs memory. The sliceloader, the first code
/// a core runs after its secure reset, programs and locks that core's filter
/// registers and enters the guest. Hardware must refuse a filter write to a
/// locked core whoever asks: that is the hardware's half of S5.
/// </para>
/// </summary>
public interface IHardwarePort
{
    // ---- Slicevisor, privileged context ----

    /// <summary>
    /// Core-local secure reset: clears and unlocks the core's filter registers
    /// and starts the sliceloader on it (mode <see cref="CoreMode.Loader"/>).
    /// Returns false when the core did not come back (it is then Halted).
    /// </summary>
    bool SecureReset(int core);

    /// <summary>
    /// Lets <paramref name="device"/> DMA to the entries of <paramref name="window"/> only, each with
    /// its permissions (a read needs Read, a write needs Write), replacing any earlier window. The
    /// port copies the entries. False on a device fault (the window is then as it was).
    /// </summary>
    bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window);

    /// <summary>Closes the device's window: it may DMA nowhere. False on a device fault.</summary>
    bool CloseIommuWindow(int device);

    /// <summary>Writes <paramref name="bytes"/> to physical memory (the caller has bounds-checked the range).</summary>
    void WriteMemory(ulong address, ReadOnlySpan<byte> bytes);

    /// <summary>Sets every byte of <paramref name="range"/> to zero.</summary>
    void ScrubMemory(MemoryRange range);

    /// <summary>
    /// Derives key material from the machine's hardware root key, which never
    /// leaves the hardware: fills <paramref name="output"/> (at most 48 bytes) with
    /// a pseudo-random function of the root key and <paramref name="context"/>
    /// (the simulation uses HMAC-SHA384(root key, context)). The slicevisor derives
    /// its attestation signing key with it, once, on first use (the first report or public-key read).
    /// </summary>
    void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output);

    // ---- Sliceloader, on the core it boots ----

    /// <summary>Writes range register <paramref name="index"/>. False (and counted) when the core is locked.</summary>
    bool WriteRangeRegister(int core, int index, RangeRegister value);

    /// <summary>Writes the IPI destination mask. False (and counted) when the core is locked.</summary>
    bool WriteIpiMask(int core, in ResourceSet mask);

    /// <summary>Writes the cache-way mask. False (and counted) when the core is locked.</summary>
    bool WriteWayMask(int core, ulong mask);

    /// <summary>Sets the lock bit: the filter registers are read-only until the next secure reset.</summary>
    void LockFilters(int core);

    /// <summary>True when the core's filter registers are locked.</summary>
    bool IsLocked(int core);

    /// <summary>Reads range register <paramref name="index"/> back.</summary>
    RangeRegister ReadRangeRegister(int core, int index);

    /// <summary>Reads the IPI destination mask back.</summary>
    void ReadIpiMask(int core, out ResourceSet mask);

    /// <summary>Reads the cache-way mask back.</summary>
    ulong ReadWayMask(int core);

    /// <summary>Leaves the sliceloader and runs guest code at <paramref name="entryPoint"/> (mode Guest).</summary>
    void EnterGuest(int core, ulong entryPoint);

    /// <summary>Stays in the sliceloader's wait loop, running no guest code (mode Idle).</summary>
    void Park(int core);

    /// <summary>Stops the core (mode Halted): what the sliceloader does when a readback disagrees.</summary>
    void Halt(int core);
}
