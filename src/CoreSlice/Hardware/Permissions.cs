namespace CoreSlice.Hardware;

/// <summary>What a range register lets its core do in its range.</summary>
[Flags]
public enum Permissions : byte
{
    /// <summary>Nothing: a disabled register.</summary>
    None = 0,
    /// <summary>Loads.</summary>
    Read = 1,
    /// <summary>Stores.</summary>
    Write = 2,
    /// <summary>Instruction fetch.</summary>
    Execute = 4,
    /// <summary>Read and write: the most a device (DMA) or a writable window may have.</summary>
    ReadWrite = Read | Write,
    /// <summary>All three: what the sliceloader grants on a slice's own memory.</summary>
    ReadWriteExecute = Read | Write | Execute,
}
