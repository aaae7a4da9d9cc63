using System.Security.Cryptography;
using CoreSlice.Attestation;
using CoreSlice.Hardware;
using CoreSlice.Manager.Verification;
using Xunit;

namespace CoreSlice.Tests.Attestation;

/// <summary>
/// S8's signing key: a P-384 scalar the hardware derives from its root key, accepted only in
/// [1, n − 1] and otherwise derived again with the next counter byte, at most 16 times; a
/// hardware that never gives a valid scalar makes every report an <see cref="SliceError.AttestationKeyFault"/>
/// (never a throw) and the public key empty. The port here answers with a chosen scalar per attempt.
/// </summary>
public sealed class KeyDerivationTests
{
    private static readonly int CounterAt = "CoreSlice attestation key v1"u8.Length;

    // The order n of P-384, big-endian.
    private static readonly byte[] Order = Convert.FromHexString(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");

    private static byte[] OrderPlus(int delta)
    {
        var n = new System.Numerics.BigInteger(Order, isUnsigned: true, isBigEndian: true) + delta;
        byte[] b = n.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[48 - b.Length], .. b];
    }

    /// <summary>FakePort with DeriveKey answered by <paramref name="scalar"/>(attempt), or the fake's HMAC when it returns null.</summary>
    private readonly struct ScalarPort(FakeMachine m, Func<int, byte[]?> scalar, List<int> attempts) : IHardwarePort
    {
        private readonly FakePort inner = new(m);

        public void DeriveKey(ReadOnlySpan<byte> context, Span<byte> output)
        {
            int attempt = context[CounterAt];
            attempts.Add(attempt);
            byte[]? chosen = scalar(attempt);
            if (chosen is null)
            {
                inner.DeriveKey(context, output);
                return;
            }
            chosen.CopyTo(output);
        }

        public bool SecureReset(int core) => inner.SecureReset(core);
        public bool SetIommuWindow(int device, ReadOnlySpan<IommuMapping> window) => inner.SetIommuWindow(device, window);
        public bool CloseIommuWindow(int device) => inner.CloseIommuWindow(device);
        public void WriteMemory(ulong address, ReadOnlySpan<byte> bytes) => inner.WriteMemory(address, bytes);
        public void ScrubMemory(MemoryRange range) => inner.ScrubMemory(range);
        public bool WriteRangeRegister(int core, int index, RangeRegister value) => inner.WriteRangeRegister(core, index, value);
        public bool WriteIpiMask(int core, in ResourceSet mask) => inner.WriteIpiMask(core, mask);
        public bool WriteWayMask(int core, ulong mask) => inner.WriteWayMask(core, mask);
        public void LockFilters(int core) => inner.LockFilters(core);
        public bool IsLocked(int core) => inner.IsLocked(core);
        public RangeRegister ReadRangeRegister(int core, int index) => inner.ReadRangeRegister(core, index);
        public void ReadIpiMask(int core, out ResourceSet mask) => inner.ReadIpiMask(core, out mask);
        public ulong ReadWayMask(int core) => inner.ReadWayMask(core);
        public void EnterGuest(int core, ulong entryPoint) => inner.EnterGuest(core, entryPoint);
        public void Park(int core) => inner.Park(core);
        public void Halt(int core) => inner.Halt(core);
    }

    private sealed class Case : IDisposable
    {
        public Case(Func<int, byte[]?> scalar)
        {
            Visor = new Slicevisor<ScalarPort>(AttestationRig.Config, new ScalarPort(new FakeMachine(), scalar, Attempts),
                new PlatformIdentity(AttestationRig.SlicevisorMeasurement, AttestationRig.SliceloaderMeasurement), 64);
            SliceResult created = Visor.CreateSlice(AttestationRig.Request);
            Assert.True(created.Ok);
            Assert.True(Visor.StartSlice(created.Slot).Ok);
            Slot = created.Slot;
        }

        public List<int> Attempts { get; } = [];

        public Slicevisor<ScalarPort> Visor { get; }

        public int Slot { get; }

        public SliceResult Attest(byte[] report) => Visor.Attest(Slot, AttestationRig.Nonce(3), report);

        public void Dispose() => Visor.Dispose();
    }

    private static void AssertSignsWithKey(Case c, byte[] expectedPrivate)
    {
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.Equal(SliceResult.Success(c.Slot), c.Attest(report));
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP384, D = expectedPrivate });
        Assert.Equal(ecdsa.ExportSubjectPublicKeyInfo(), c.Visor.AttestationPublicKey.ToArray());
        ReportVerification v = ReportVerifier.Verify(report, c.Visor.AttestationPublicKey.ToArray(), new ReportExpectations { Nonce = AttestationRig.Nonce(3) });
        Assert.True(v.Valid, string.Join("; ", v.Mismatches));
    }

    private static void AssertNoKey(Case c)
    {
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.Equal(SliceResult.Fail(SliceError.AttestationKeyFault, c.Slot, -1), c.Attest(report));
        Assert.All(report, b => Assert.Equal(0, b));
    }

    [Fact]
    public void S8_the_largest_valid_scalar_n_minus_1_is_the_key()
    {
        byte[] top = OrderPlus(-1);
        using var c = new Case(_ => top);
        AssertSignsWithKey(c, top);
        Assert.Equal([0], c.Attempts);
    }

    [Fact]
    public void S8_the_smallest_valid_scalar_1_is_the_key()
    {
        byte[] one = new byte[48];
        one[^1] = 1;
        using var c = new Case(_ => one);
        AssertSignsWithKey(c, one);
        Assert.Equal([0], c.Attempts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void S8_a_scalar_at_or_above_the_order_is_derived_again_with_the_next_counter(int above)
    {
        byte[] bad = OrderPlus(above);
        byte[] good = OrderPlus(-2);
        using var c = new Case(attempt => attempt < 3 ? bad : good);
        AssertSignsWithKey(c, good);
        Assert.Equal([0, 1, 2, 3], c.Attempts);
    }

    [Fact]
    public void S8_a_zero_scalar_is_derived_again_and_the_sixteenth_attempt_is_the_last()
    {
        using var c = new Case(attempt => attempt < 15 ? new byte[48] : null);
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.True(c.Attest(report).Ok);
        Assert.Equal(Enumerable.Range(0, 16), c.Attempts);
        Assert.False(c.Visor.AttestationPublicKey.IsEmpty);
    }

    [Fact]
    public void S8_a_scalar_whose_only_nonzero_byte_is_the_last_or_the_first_is_not_zero()
    {
        byte[] first = new byte[48];
        first[0] = 0x01;
        using var c = new Case(_ => first);
        AssertSignsWithKey(c, first);
    }

    [Fact]
    public void S8_no_valid_scalar_in_16_attempts_is_a_key_fault_every_time_and_never_a_throw()
    {
        byte[] ones = [.. Enumerable.Repeat((byte)0xFF, 48)];
        using var c = new Case(_ => ones);
        AssertNoKey(c);
        Assert.Equal(Enumerable.Range(0, 16), c.Attempts);
        // Each later use tries again (the fault may be transient), and still fails as a value.
        Assert.True(c.Visor.AttestationPublicKey.IsEmpty);
        AssertNoKey(c);
        Assert.Equal(16 * 3, c.Attempts.Count);
        byte[] guest = new byte[ReportLayout.ReportSize];
        Assert.Equal(SliceError.AttestationKeyFault, c.Visor.GuestAttest(2, AttestationRig.Nonce(3), guest).Error);
    }

    [Fact]
    public void S8_the_key_is_derived_once_and_kept()
    {
        using var c = new Case(_ => null);
        byte[] report = new byte[ReportLayout.ReportSize];
        Assert.True(c.Attest(report).Ok);
        Assert.True(c.Attest(report).Ok);
        _ = c.Visor.AttestationPublicKey;
        Assert.Equal([0], c.Attempts);
    }
}
