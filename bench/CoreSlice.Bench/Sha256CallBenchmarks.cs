using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace CoreSlice.Bench;

/// <summary>
/// Why the decision log reuses one IncrementalHash: SHA-256 of one 88-byte log entry through the
/// one-shot <c>SHA256.HashData</c> (baseline; sets up a digest context per call on OpenSSL) and
/// through a reused <c>IncrementalHash</c> (append + finalize-and-reset).
/// </summary>
[MemoryDiagnoser]
public class Sha256CallBenchmarks
{
    private readonly byte[] entry = new byte[88];
    private readonly byte[] hash = new byte[32];
    private readonly IncrementalHash reused = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    [GlobalCleanup]
    public void Cleanup() => reused.Dispose();

    [Benchmark(Baseline = true)]
    public byte OneShot()
    {
        _ = SHA256.HashData(entry, hash);
        return hash[0];
    }

    [Benchmark]
    public byte ReusedIncrementalHash()
    {
        reused.AppendData(entry);
        reused.GetHashAndReset(hash);
        return hash[0];
    }
}
