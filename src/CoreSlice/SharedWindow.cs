using CoreSlice.Hardware;

namespace CoreSlice;

/// <summary>
/// A window: control-slice memory shared between the control slice and this one guest.
/// The guest's core reaches it through one range register with <paramref name="Permissions"/>
/// (exactly Read, or Read|Write: never Execute, so a window never carries code from the
/// untrusted manager into the guest); the control slice keeps its own access. At most one
/// live slice holds a given byte as a window. The guest's devices reach a window only through a
/// <see cref="DmaRange"/> inside it that the request lists, with no more than its permissions.
/// </summary>
/// <param name="Range">The shared bytes; must lie in the control slice's memory.</param>
/// <param name="Permissions">What the guest may do there: Read, or Read|Write.</param>
public readonly record struct SharedWindow(MemoryRange Range, Permissions Permissions);
