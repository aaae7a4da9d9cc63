namespace CoreSlice.Hardware;

/// <summary>
/// One per-core memory range register. A core's access is allowed only when some
/// enabled register covers the address with the needed permission. Reset value:
/// all zero (disabled).
/// </summary>
public readonly record struct RangeRegister(ulong Base, ulong Size, Permissions Permissions)
{
    /// <summary>A register that allows nothing.</summary>
    public static RangeRegister Disabled => default;

    /// <summary>True when the register allows anything at all.</summary>
    public bool Enabled => Permissions != Permissions.None && Size != 0;

    /// <summary>True when this register lets its core perform <paramref name="need"/> at <paramref name="address"/>.</summary>
    public bool Allows(ulong address, Permissions need) =>
        (Permissions & need) == need && need != Permissions.None && address >= Base && address - Base < Size;
}
