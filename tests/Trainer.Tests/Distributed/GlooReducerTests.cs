using System.Diagnostics;
using System.Net;
using AlgoPerf.Trainer.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>The Gloo reducer with its ranks as threads of the test process, each with its own Gloo context over 127.0.0.1.</summary>
[Collection("Torch")]
public sealed class GlooReducerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static float[] Values(int rank, int count, int salt) =>
        [.. Enumerable.Range(0, count).Select(i => (float)Math.Sin((rank * 1000) + (i * 7.3) + salt))];

    private static string NewGang() => $"gang-{Guid.NewGuid():N}";

    private static T[] OnGlooRanks<T>(int ranks, Func<IGradientReducer, T> body, long bucketBytes = GlooReducer.DefaultBucketBytes, TimeSpan? timeout = null)
    {
        using var store = new GlooStoreServer(IPAddress.Loopback);
        var gang = NewGang();
        return RankThreads.Run(ranks, r =>
        {
            using var reducer = GlooReducer.Connect(r, ranks, store.Address, gang, "127.0.0.1", timeout ?? Timeout, bucketBytes);
            return body(reducer);
        });
    }

    [Theory]
    [InlineData(32)] // 8 floats a bucket: 49 floats in 7 buckets, some inside one tensor, some across two
    [InlineData(GlooReducer.DefaultBucketBytes)]
    public void AverageInPlace_TwoRanksWithUnevenTensorsAndBuckets_EveryRankHoldsTheRankOrderAverage(long bucketBytes)
    {
        int[] sizes = [3, 35, 11];

        var averaged = OnGlooRanks(2, reducer =>
        {
            var tensors = sizes.Select((n, k) => tensor(Values(reducer.Rank, n, k))).ToList();
            reducer.AverageInPlace(tensors);
            var values = tensors.Select(t => t.ToArray<float>()).ToList();
            tensors.ForEach(t => t.Dispose());
            return values;
        }, bucketBytes);

        for (var k = 0; k < sizes.Length; k++)
        {
            var (a, b) = (Values(0, sizes[k], k), Values(1, sizes[k], k));
            float[] expected = [.. a.Zip(b, (x, y) => (x + y) * (1.0f / 2))];
            Assert.All(averaged, rank => Assert.Equal(expected, rank[k]));
        }
    }

    [Fact]
    public void AverageInPlace_ThreeRanks_EveryRankHoldsBitIdenticalValuesWithinRoundingOfTheRankOrderAverage()
    {
        const int Count = 1001;

        var averaged = OnGlooRanks(3, reducer =>
        {
            using var g = tensor(Values(reducer.Rank, Count, 5));
            reducer.AverageInPlace([g]);
            return g.ToArray<float>();
        });

        Assert.Equal(averaged[0], averaged[1]);
        Assert.Equal(averaged[0], averaged[2]);
        for (var i = 0; i < Count; i++)
        {
            var expected = (Values(0, Count, 5)[i] + Values(1, Count, 5)[i] + Values(2, Count, 5)[i]) * (1.0f / 3);
            Assert.True(Math.Abs(averaged[0][i] - expected) <= 1e-6, $"element {i}: {averaged[0][i]}, rank order gives {expected}");
        }
    }

    [Fact]
    public void BroadcastInPlace_TensorsOfSeveralTypesFromRank1_EveryRankHoldsRank1sBytes()
    {
        // 12 + 40 + 3 bytes in 16-byte chunks: chunks inside one tensor and across tensors.
        static List<Tensor> Make(int rank) =>
        [
            tensor(new[] { rank + 0.5f, rank + 1.5f, rank + 2.5f }),
            tensor(Enumerable.Range(0, 5).Select(i => (long)((rank * 100) + i)).ToArray()),
            tensor(new byte[] { (byte)rank, 7, (byte)(rank + 1) }),
        ];

        var received = OnGlooRanks(2, reducer =>
        {
            var tensors = Make(reducer.Rank);
            reducer.BroadcastInPlace(tensors, root: 1);
            var bytes = tensors.Select(t => t.bytes.ToArray()).ToList();
            tensors.ForEach(t => t.Dispose());
            return bytes;
        }, bucketBytes: 16);

        var root = Make(1);
        var expected = root.Select(t => t.bytes.ToArray()).ToList();
        root.ForEach(t => t.Dispose());
        Assert.All(received, rank => Assert.Equal(expected, rank));
    }

    [Theory]
    [InlineData(ReduceOp.Sum)]
    [InlineData(ReduceOp.Max)]
    public void AllReduce_DoublesOfTwoRanks_EveryRankHoldsTheRankOrderResult(ReduceOp op)
    {
        static double[] Of(int rank) => [0.1 + rank, -3.0 * rank, 1e300, rank == 0 ? 2.5 : -7.25];

        var results = OnGlooRanks(2, reducer =>
        {
            var values = Of(reducer.Rank);
            reducer.AllReduce(values, op);
            return values;
        });

        double[] expected = [.. Of(0).Zip(Of(1), (a, b) => op == ReduceOp.Max ? Math.Max(a, b) : a + b)];
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void AverageInPlace_RanksWithDifferentSizes_EveryRankRefusesAndNoGradientChanges()
    {
        var outcomes = OnGlooRanks(2, reducer =>
        {
            var r = reducer.Rank;
            using var g = full(r == 0 ? 4 : 5, r + 1.0f);
            var error = Record.Exception(() => reducer.AverageInPlace([g]));
            return (error?.Message, Unchanged: g.ToArray<float>().All(v => v == r + 1.0f));
        });

        Assert.All(outcomes, o => Assert.Contains("the ranks pass different sizes (4, 5 floats of gradients)", o.Message, StringComparison.Ordinal));
        Assert.All(outcomes, o => Assert.True(o.Unchanged));
    }

    [Fact]
    public void AverageInPlace_ConnectedRankNeverCalls_TheWaitingRankFailsWithinTheTimeoutAndStaysFailed()
    {
        var timeout = TimeSpan.FromMilliseconds(500);
        using var rank1Done = new ManualResetEventSlim();
        var outcomes = OnGlooRanks(2, reducer =>
        {
            if (reducer.Rank == 1)
            {
                // Connected, but never joins the collective: its end stays open until rank 0 has given up.
                rank1Done.Wait(Timeout);
                return (Message: (string?)null, Elapsed: TimeSpan.Zero, Again: (string?)null, Failed: false);
            }

            using var g = ones(4);
            var watch = Stopwatch.StartNew();
            var e = Assert.Throws<GangFailedException>(() => reducer.AverageInPlace([g]));
            var elapsed = watch.Elapsed;
            rank1Done.Set();
            var again = Assert.Throws<GangFailedException>(() => reducer.AverageInPlace([g])).Message;
            return (Message: (string?)e.Message, Elapsed: elapsed, Again: (string?)again, Failed: ((GlooReducer)reducer).HasFailed);
        }, timeout: timeout);

        var (message, elapsed, again, failed) = outcomes[0];
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.StartsWith("rank 0 of gang gang-", message, StringComparison.Ordinal);
        Assert.Contains(" (2 ranks): the size check failed (timeout 0.5 s): ", message, StringComparison.Ordinal);
        Assert.Contains("Timed out waiting 500ms", message, StringComparison.Ordinal);
        Assert.Equal(message, again);
        Assert.True(failed);
    }

    [Fact]
    public void Connect_PeerNeverConnects_FailsWithGangFailedExceptionNamingTheTimeout()
    {
        using var store = new GlooStoreServer(IPAddress.Loopback);
        var watch = Stopwatch.StartNew();

        var e = Assert.Throws<GangFailedException>(() =>
            GlooReducer.Connect(0, 2, store.Address, "lonely", "127.0.0.1", TimeSpan.FromMilliseconds(500)));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.Equal(
            $"rank 0 of gang lonely (2 ranks) could not connect through the rendezvous store at {store.Address} within its timeout of 0.5 s: "
            + $"the rendezvous store at {store.Address}: timed out after 500 ms waiting for lonely/1: a rank of the gang did not connect",
            e.Message);
    }

    [Fact]
    public void Connect_StoreNotListening_FailsNamingTheStoreAddress()
    {
        string address;
        using (var closed = new GlooStoreServer(IPAddress.Loopback))
        {
            address = closed.Address;
        }

        var e = Assert.Throws<GangFailedException>(() => GlooReducer.Connect(1, 2, address, "nowhere", "127.0.0.1", Timeout));

        Assert.StartsWith($"rank 1 of gang nowhere (2 ranks) could not connect through the rendezvous store at {address} within its timeout of 30 s: the rendezvous store at {address}: cannot connect (connect: Connection refused)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_GangIdOfAnEarlierAttempt_RefusedByTheStore()
    {
        using var store = new GlooStoreServer(IPAddress.Loopback);
        RankThreads.Run(2, r =>
        {
            using var reducer = GlooReducer.Connect(r, 2, store.Address, "attempt", "127.0.0.1", Timeout);
            return r;
        });

        var e = Assert.Throws<GangFailedException>(() => GlooReducer.Connect(0, 2, store.Address, "attempt", "127.0.0.1", Timeout));

        Assert.Equal(
            $"rank 0 of gang attempt (2 ranks) could not connect through the rendezvous store at {store.Address} within its timeout of 30 s: "
            + $"the rendezvous store at {store.Address}: refused set attempt/rank_0: key attempt/rank_0 is set already: every attempt of a gang needs a gang id of its own",
            e.Message);
    }

    [Fact]
    public void AverageInPlace_NonFloatTensor_RefusedNamingItsType()
    {
        using var reducer = GlooReducer.Connect(0, 1, "unused:1", "solo", "127.0.0.1", Timeout);
        using var g = ones(new long[] { 3 }, dtype: ScalarType.Float64);

        var e = Assert.Throws<ArgumentException>(() => reducer.AverageInPlace([g]));

        Assert.StartsWith("rank 0: the Gloo reducer averages contiguous float32 CPU tensors (got Float64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_BothReducersAtTwoRanks_PositiveBandwidth()
    {
        using var store = new GlooStoreServer(IPAddress.Loopback);
        var gang = NewGang();
        var group = new InProcessReducerGroup(2, Timeout);

        var inProcess = ReducerBandwidth.Measure(group.Rank, 2, 1 << 16, TimeSpan.FromMilliseconds(50));
        var gloo = ReducerBandwidth.Measure(r => GlooReducer.Connect(r, 2, store.Address, gang, "127.0.0.1", Timeout), 2, 1 << 16, TimeSpan.FromMilliseconds(50));

        Assert.True(inProcess > 0, $"in-process: {inProcess} GB/s");
        Assert.True(gloo > 0, $"Gloo: {gloo} GB/s");
    }
}
