using CoreSlice.Hardware;

namespace CoreSlice.Harness.Check;

/// <summary>Permissions as layouts and reports write them: "r", "rw", "rx", "rwx" ("none" for the empty set).</summary>
internal static class PermissionText
{
    /// <summary>The permission one letter stands for, or None for any other character.</summary>
    public static Permissions Bit(char letter) => letter switch
    {
        'r' => Permissions.Read,
        'w' => Permissions.Write,
        'x' => Permissions.Execute,
        _ => Permissions.None,
    };

    /// <summary>"rw", in the order r, w, x; "none" when empty. Bits outside rwx are not written.</summary>
    public static string Of(Permissions p)
    {
        string text = ((p & Permissions.Read) != 0 ? "r" : "")
            + ((p & Permissions.Write) != 0 ? "w" : "")
            + ((p & Permissions.Execute) != 0 ? "x" : "");
        return text.Length == 0 ? "none" : text;
    }
}
