using System.Diagnostics;
using System.Net;
using AlgoPerf.DistributedRankHost;
using AlgoPerf.Trainer.Distributed;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>The Gloo reducer across processes: rank 0 on a thread of the test process, rank 1 in the rank host (tests/DistributedRankHost).</summary>
[Collection("Torch")]
public sealed class GlooReducerProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a rank host may run in all: starting .NET and LibTorch, connecting, its work.</summary>
    private static readonly TimeSpan HostLimit = TimeSpan.FromSeconds(120);

    private static string NewGang() => $"gang-{Guid.NewGuid():N}";

    private static Task<T> OnThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// The check of InProcessReducerTests across processes: two ranks on half batches, averaged through Gloo, give the
    /// parameters of one rank on the global batch after 20 steps of SGD with momentum, and both ranks end bit-identical.
    /// </summary>
    [Fact]
    public async Task Training_TwoRanksInTwoProcessesOnHalfBatchesAveraged_SameParametersAsOneRankOnTheGlobalBatchAfter20Steps()
    {
        using var store = new GlooStoreServer(IPAddress.Loopback);
        var gang = NewGang();
        using var child = RankHostProcess.Start("parity", rank: 1, world: 2, store.Address, gang, Timeout);
        using var initial = ParityTraining.Mlp();
        List<Tensor> start;
        using (NewDisposeScope())
        {
            start = [.. initial.parameters().Select(p => p.detach().clone().MoveToOuterDisposeScope())];
        }

        float[] one;
        using (var solo = new InProcessReducerGroup(1, Timeout).Rank(0))
        {
            one = ParityTraining.Train(solo, start);
        }

        var rank0 = OnThread(() =>
        {
            using var reducer = GlooReducer.Connect(0, 2, store.Address, gang, "127.0.0.1", Timeout);
            return ParityTraining.Train(reducer, start);
        });
        var (code, stdout, stderr) = await child.WaitForExitAsync(HostLimit);
        var two = await rank0;
        start.ForEach(s => s.Dispose());

        Assert.True(code == 0, $"rank 1 exited with {code}: {stderr}");
        Assert.Equal($"parameters {ParityTraining.Digest(two)}", stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(one.Length, two.Length);
        for (var i = 0; i < one.Length; i++)
        {
            Assert.True(Math.Abs(one[i] - two[i]) <= 1e-5 * Math.Max(1.0, Math.Abs(one[i])), $"parameter element {i}: {one[i]} on one rank, {two[i]} on two");
        }
    }

    [Fact]
    public async Task AverageInPlace_PeerProcessKilledWhileTheRankWaits_GangFailedExceptionWithinTheTimeout()
    {
        var timeout = TimeSpan.FromSeconds(20);
        using var store = new GlooStoreServer(IPAddress.Loopback);
        var gang = NewGang();
        using var child = RankHostProcess.Start("stall", rank: 1, world: 2, store.Address, gang, timeout);
        using var reducer = await OnThread(() =>
        {
            var connected = GlooReducer.Connect(0, 2, store.Address, gang, "127.0.0.1", timeout);
            var handshake = new double[] { 0 };
            connected.AllReduce(handshake, ReduceOp.Max);
            return connected;
        });
        Assert.Equal("ready", await child.ReadLineAsync(HostLimit));
        using var g = ones(1 << 20);
        var entering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = Stopwatch.StartNew();

        // The child never joins this all-reduce; it is killed once rank 0 is on its way in (or already waits).
        var averaging = OnThread(() =>
        {
            entering.SetResult();
            return Record.Exception(() => reducer.AverageInPlace([g]));
        });
        await entering.Task;
        child.Kill();
        var error = await averaging;
        var elapsed = watch.Elapsed;

        var e = Assert.IsType<GangFailedException>(error);
        Assert.True(elapsed < timeout + TimeSpan.FromSeconds(5), $"failed after {elapsed}");
        Assert.StartsWith($"rank 0 of gang {gang} (2 ranks): the size check failed (timeout 20 s): ", e.Message, StringComparison.Ordinal);
        Assert.True(reducer.HasFailed);
        Assert.Equal(e.Message, Assert.Throws<GangFailedException>(() => reducer.AverageInPlace([g])).Message);
    }
}
