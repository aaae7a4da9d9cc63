using CoreSlice.Simulation.Audit;
using Xunit;

namespace CoreSlice.Tests.Support;

/// <summary>
/// A caller that rewrites its request's arrays from another thread while CreateSlice reads them: for
/// 1.5 s, CreateSlice is called again and again while <c>rewriteOnce</c> runs in a loop; every accepted
/// slice is checked by <c>checkAccepted</c> (what the table holds must be sound, whatever mixture was
/// read), then started, audited and destroyed. At least one request must be read whole and accepted.
/// </summary>
public static class RewriteRace
{
    public static void Run(Rig rig, SliceRequest request, Action rewriteOnce, Action<int, SliceEntry> checkAccepted)
    {
        bool stop = false;
        var rewriter = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                rewriteOnce();
            }
        });
        rewriter.Start();
        int accepted = 0;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 1500)
            {
                rig.KeepLogRoom();
                SliceResult created = rig.Visor.CreateSlice(request);
                if (!created.Ok)
                {
                    continue;
                }
                accepted++;
                checkAccepted(created.Slot, rig.Entry(created.Slot));
                Assert.Empty(new InvariantAudit(rig.Visor, rig.Machine).CheckAll());
                Assert.True(rig.Visor.DestroySlice(created.Slot).Ok);
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            rewriter.Join();
        }
        Assert.True(accepted > 0, "no request was read whole");
    }
}
