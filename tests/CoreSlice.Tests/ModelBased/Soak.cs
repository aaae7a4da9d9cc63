namespace CoreSlice.Tests.ModelBased;

/// <summary>
/// Long mode for soak runs: CORESLICE_LONG=1 multiplies every model-based test's volume by 100
/// (e.g. <c>CORESLICE_LONG=1 dotnet test tests/CoreSlice.Tests -c Release --filter "FullyQualifiedName~ModelBased"</c>).
/// </summary>
public static class Soak
{
    public static bool Long { get; } = Environment.GetEnvironmentVariable("CORESLICE_LONG") is "1" or "true";

    public static int Factor => Long ? 100 : 1;
}
