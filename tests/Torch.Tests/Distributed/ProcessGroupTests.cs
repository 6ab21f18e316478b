using System.Diagnostics;
using AlgoPerf.Torch.Distributed;

namespace AlgoPerf.Torch.Tests.Distributed;

using Tensor = AlgoPerf.Torch.Tensor;

/// <summary>Two Gloo ranks as two threads of this process, rendezvousing over a loopback TCPStore.</summary>
[Collection("Sequential")]
public sealed class ProcessGroupTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(2);

    /// <summary>Scheduling delay allowed past a timeout (2 shared cores in CI).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task AllReduce_SumOverTwoRanks_EveryRankHoldsExactSum()
    {
        var results = await RunRanks(2, pg =>
        {
            var r = pg.Rank + 1;
            var x = Tensor.FromArray([r, 10f * r, 0.25f * r], 3);
            var n = Tensor.FromArray([(long)r << 40, -r], 2);

            pg.AllReduce(x, AllReduceOp.Sum);
            pg.AllReduce(n);

            return (x.ToArray<float>(), n.ToArray<long>());
        });

        foreach (var (x, n) in results)
        {
            Assert.Equal([3f, 30f, 0.75f], x);
            Assert.Equal([3L << 40, -3L], n);
        }
    }

    [Fact]
    public async Task AllReduce_AverageOverTwoRanks_EveryRankHoldsExactMean()
    {
        var results = await RunRanks(2, pg =>
        {
            var x = pg.Rank == 0 ? Tensor.FromArray([1.0, 2.0, -3.0], 3) : Tensor.FromArray([4.0, 8.0, 3.0], 3);
            pg.AllReduce(x, AllReduceOp.Average);
            return x.ToArray<double>();
        });

        Assert.All(results, x => Assert.Equal([2.5, 5.0, 0.0], x));
    }

    [Fact]
    public async Task AllReduce_AverageOfIntegers_ThrowsOnEveryRankAndGroupStaysUsable()
    {
        var results = await RunRanks(2, pg =>
        {
            var n = Tensor.FromArray([1, 2], 2);
            var e = Assert.Throws<TorchException>(() => pg.AllReduce(n, AllReduceOp.Average));
            pg.AllReduce(n);
            return (e.Export, e.NativeMessage, n.ToArray<int>());
        });

        Assert.All(results, r =>
        {
            Assert.Equal("ats_dist_allreduce", r.Export);
            Assert.StartsWith("average needs a floating-point tensor, got Int", r.NativeMessage, StringComparison.Ordinal);
            Assert.Equal([2, 4], r.Item3);
        });
    }

    [Fact]
    public async Task Broadcast_FromRank1_EveryRankHoldsRank1Values()
    {
        var results = await RunRanks(2, pg =>
        {
            var x = pg.Rank == 1 ? Tensor.FromArray([7f, 8f, 9f, 10f], 2, 2) : Tensor.Zeros([2, 2]);
            pg.Broadcast(x, root: 1);
            return (pg.Rank, pg.Size, x.ToArray<float>());
        });

        Assert.Equal([0, 1], results.Select(r => r.Rank));
        Assert.All(results, r => Assert.Equal(2, r.Size));
        Assert.All(results, r => Assert.Equal([7f, 8f, 9f, 10f], r.Item3));
    }

    [Fact]
    public async Task AllReduce_SeveralTensorsOneNonContiguous_EveryTensorHoldsExactAverage()
    {
        var results = await RunRanks(2, pg =>
        {
            var r = (double)pg.Rank;
            var a = Tensor.FromArray([1 + r, 2 + r, 3 + r, 4 + r], 2, 2);
            var t = Tensor.FromArray([10 * r, 20 * r, 30 * r, 40 * r, 50 * r, 60 * r], 2, 3).Transpose(0, 1);
            var b = Tensor.FromArray([-r], 1);
            Assert.False(t.IsContiguous);

            pg.AllReduce([a, t, b], AllReduceOp.Average);

            return (a.ToArray<double>(), t.Contiguous().ToArray<double>(), t.Shape, b.ToArray<double>());
        });

        Assert.All(results, r =>
        {
            Assert.Equal([1.5, 2.5, 3.5, 4.5], r.Item1);
            Assert.Equal([5.0, 20.0, 10.0, 25.0, 15.0, 30.0], r.Item2);
            Assert.Equal([3L, 2L], r.Shape);
            Assert.Equal([-0.5], r.Item4);
        });
    }

    [Fact]
    public async Task AllReduce_MixedDtypes_ThrowsOnEveryRankBeforeAnyTraffic()
    {
        var results = await RunRanks(2, pg =>
        {
            var f = Tensor.FromArray([1f], 1);
            var d = Tensor.FromArray([1.0], 1);
            var e = Assert.Throws<TorchException>(() => pg.AllReduce([f, d]));
            pg.Barrier();
            return e.NativeMessage;
        });

        Assert.All(results, m => Assert.Equal("tensor 1 is Double on cpu but tensor 0 is Float on cpu; one collective takes one dtype and device", m));
    }

    [Fact]
    public async Task Broadcast_SeveralTensorsFromRank0_EveryRankHoldsRank0Values()
    {
        var results = await RunRanks(2, pg =>
        {
            var w = pg.Rank == 0 ? Tensor.FromArray([1L, 2L, 3L], 3) : Tensor.Zeros([3], ScalarType.Int64);
            var b = pg.Rank == 0 ? Tensor.FromArray([4L], 1) : Tensor.Zeros([1], ScalarType.Int64);
            pg.Broadcast([w, b], root: 0);
            return (w.ToArray<long>(), b.ToArray<long>());
        });

        Assert.All(results, r =>
        {
            Assert.Equal([1L, 2L, 3L], r.Item1);
            Assert.Equal([4L], r.Item2);
        });
    }

    [Fact]
    public async Task Barrier_TwoRanks_NoRankLeavesBeforeBothArrived()
    {
        var arrived = 0;

        var seenAfterBarrier = await RunRanks(2, pg =>
        {
            Interlocked.Increment(ref arrived);
            pg.Barrier();
            return Volatile.Read(ref arrived);
        });

        Assert.Equal([2, 2], seenAfterBarrier);
    }

    [Fact]
    public void CreateGloo_PeerNeverJoins_ThrowsWithinTimeoutNamingRank()
    {
        var before = HandleStatistics.Live;
        var watch = Stopwatch.StartNew();
        using (var store = TcpStore.Host("127.0.0.1", 0, 2, Short))
        {
            var e = Assert.Throws<TorchException>(() => ProcessGroup.CreateGloo(store, 0, 2, Short));

            Assert.Equal("ats_dist_gloo_create", e.Export);
            Assert.StartsWith("rank 0 of 2 could not join the Gloo group within 2000 ms: ", e.NativeMessage, StringComparison.Ordinal);
        }

        AssertTookAboutTimeout(watch.Elapsed);
        Assert.Equal(before, HandleStatistics.Live);
    }

    [Fact]
    public async Task AllReduce_PeerSkipsIt_ThrowsWithinTimeoutNamingCollective()
    {
        using var rank0Done = new ManualResetEventSlim();
        var elapsed = TimeSpan.Zero;

        var results = await RunRanks(2, pg =>
        {
            if (pg.Rank == 1)
            {
                // Stay in the group (a closed connection would fail rank 0 at once) until rank 0 gave up.
                rank0Done.Wait(Generous);
                return null;
            }

            var x = Tensor.FromArray([1f], 1);
            var watch = Stopwatch.StartNew();
            var e = Assert.Throws<TorchException>(() => pg.AllReduce(x, timeout: Short));
            elapsed = watch.Elapsed;
            rank0Done.Set();
            return e;
        });

        Assert.Null(results[1]);
        Assert.Equal("ats_dist_allreduce", results[0]!.Export);
        Assert.StartsWith("allreduce on rank 0 of 2 failed (timeout 2000 ms): ", results[0]!.NativeMessage, StringComparison.Ordinal);
        AssertTookAboutTimeout(elapsed);
    }

    [Fact]
    public void Connect_NoStoreListening_ThrowsWithinTimeout()
    {
        var before = HandleStatistics.Live;
        var port = FreePort();
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<TorchException>(() => TcpStore.Connect("127.0.0.1", port, 2, Short));

        Assert.Equal("ats_dist_store_create", e.Export);
        Assert.Equal($"The client socket has timed out after 2s while trying to connect to (127.0.0.1, {port}).", e.NativeMessage);
        // c10d retries with back-off and gives up once the next try would pass the deadline, so only the bound holds.
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, Short + Slack);
        Assert.Equal(before, HandleStatistics.Live);
    }

    [Fact]
    public void Host_PortZero_ReportsTheFreePortItBound()
    {
        using var store = TcpStore.Host("127.0.0.1", 0, 1, Short);

        Assert.InRange(store.Port, 1, 65535);
        Assert.Equal("127.0.0.1", store.Address);
    }

    /// <summary>The wait lasted the configured timeout, give or take scheduling.</summary>
    private static void AssertTookAboutTimeout(TimeSpan elapsed) => Assert.InRange(elapsed, Short * 0.9, Short + Slack);

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// Runs <paramref name="body"/> as every rank of a fresh Gloo group, each on its own thread with its own dispose
    /// scope, and returns the ranks' results in rank order. Every native handle is released by the end.
    /// </summary>
    private static async Task<T[]> RunRanks<T>(int size, Func<ProcessGroup, T> body)
    {
        var before = HandleStatistics.Live;
        using var server = TcpStore.Host("127.0.0.1", 0, size, Generous);
        var ranks = Enumerable.Range(0, size).Select(rank => Task.Factory.StartNew(
            () =>
            {
                using var store = rank == 0 ? null : TcpStore.Connect("127.0.0.1", server.Port, size, Generous);
                using var pg = ProcessGroup.CreateGloo(store ?? server, rank, size, Generous);
                using var scope = TorchRuntime.NewDisposeScope();
                return body(pg);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));

        var results = await Task.WhenAll(ranks);
        server.Dispose();
        Assert.Equal(before, HandleStatistics.Live);
        return results;
    }
}
