using System.Reflection;
using System.Security.Cryptography;
using CoreSlice.Attestation;

namespace CoreSlice.Simulation;

/// <summary>
/// What the simulated platform's boot chain measures before it starts the
/// slicevisor, handed to it as its <see cref="PlatformIdentity"/>:
/// <list type="bullet">
/// <item>the slicevisor: SHA-384 of the CoreSlice assembly file's bytes (the whole
/// trusted core: slicevisor, sliceloader, table, validator);</item>
/// <item>the sliceloader: SHA-384 of the IL bodies of the <see cref="Sliceloader"/>
/// type's methods, in metadata-token order (the boot code each core runs).</item>
/// </list>
/// A real platform would measure the images it loads; this is the simulation's stand-in.
/// </summary>
public static class PlatformMeasurements
{
    /// <summary>Measures the CoreSlice assembly and its sliceloader as loaded in this process.</summary>
    public static PlatformIdentity Measure()
    {
        Assembly tcb = typeof(Sliceloader).Assembly;
        byte[] slicevisor = string.IsNullOrEmpty(tcb.Location)
            ? SHA384.HashData(System.Text.Encoding.UTF8.GetBytes(tcb.FullName ?? "CoreSlice")) // single-file: no file to hash
            : SHA384.HashData(File.ReadAllBytes(tcb.Location));
        using var loader = IncrementalHash.CreateHash(HashAlgorithmName.SHA384);
        MethodInfo[] methods = typeof(Sliceloader).GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance);
        Array.Sort(methods, (a, b) => a.MetadataToken.CompareTo(b.MetadataToken));
        foreach (MethodInfo method in methods)
        {
            byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is not null)
            {
                loader.AppendData(il);
            }
        }
        return new PlatformIdentity(slicevisor, loader.GetHashAndReset());
    }
}
