namespace CoreSlice;

/// <summary>Lifecycle of a slice-table slot: Free → Created → Running → Destroying → Free.</summary>
public enum SliceState : byte
{
    /// <summary>The slot holds nothing.</summary>
    Free = 0,
    /// <summary>Resources are assigned and exclusive; the image may be loaded; no core runs it yet.</summary>
    Created = 1,
    /// <summary>The slice's cores run the guest behind locked filter registers.</summary>
    Running = 2,
    /// <summary>Being torn down, or quarantined after a fault: resources stay held until scrubbed.</summary>
    Destroying = 3,
}
