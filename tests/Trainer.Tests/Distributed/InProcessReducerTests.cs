using AlgoPerf.DistributedRankHost;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Distributed;

[Collection("Torch")]
public sealed class InProcessReducerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static float[] Values(int rank, int count, int salt) =>
        [.. Enumerable.Range(0, count).Select(i => (float)Math.Sin((rank * 1000) + (i * 7.3) + salt))];

    [Theory]
    [InlineData(2, 32)] // 8 floats a bucket: 49 floats in 7 buckets, bucket ends inside tensors
    [InlineData(3, 20)] // 5 floats a bucket: chunks of 2, 2, 1
    [InlineData(2, InProcessReducerGroup.DefaultBucketBytes)]
    public void AverageInPlace_RanksWithUnevenTensorsAndBuckets_EveryRankHoldsTheRankOrderAverage(int ranks, long bucketBytes)
    {
        var group = new InProcessReducerGroup(ranks, Timeout, bucketBytes);
        int[] sizes = [3, 35, 11];

        var averaged = RankThreads.Run(ranks, r =>
        {
            using var reducer = group.Rank(r);
            var tensors = sizes.Select((n, k) => tensor(Values(r, n, k))).ToList();
            reducer.AverageInPlace(tensors);
            var values = tensors.Select(t => t.ToArray<float>()).ToList();
            tensors.ForEach(t => t.Dispose());
            return values;
        });

        for (var k = 0; k < sizes.Length; k++)
        {
            var expected = new float[sizes[k]];
            for (var i = 0; i < sizes[k]; i++)
            {
                var sum = 0.0f;
                for (var r = 0; r < ranks; r++)
                {
                    sum += Values(r, sizes[k], k)[i];
                }

                expected[i] = sum * (1.0f / ranks);
            }

            Assert.All(averaged, rank => Assert.Equal(expected, rank[k]));
        }
    }

    [Fact]
    public void AverageInPlace_OneRankNeverArrives_TheWaitingRankFailsTheGangWithinTheTimeoutAndStaysFailed()
    {
        var group = new InProcessReducerGroup(2, TimeSpan.FromMilliseconds(300));
        using var reducer = group.Rank(0);
        using var g = ones(4);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var e = Assert.Throws<GangFailedException>(() => reducer.AverageInPlace([g]));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.Equal("rank 0 waited 0.3 s at the publish for the other ranks of the gang of 2; a rank died or hangs", e.Message);
        Assert.Equal(e.Message, Assert.Throws<GangFailedException>(() => reducer.AverageInPlace([g])).Message);
    }

    [Fact]
    public void AverageInPlace_RanksWithDifferentSizes_EveryRankRefusesAndNoGradientChanges()
    {
        var group = new InProcessReducerGroup(2, Timeout);

        var outcomes = RankThreads.Run(2, r =>
        {
            using var reducer = group.Rank(r);
            using var g = full(r == 0 ? 4 : 5, r + 1.0f);
            var error = Record.Exception(() => reducer.AverageInPlace([g]));
            return (error?.Message, Unchanged: g.ToArray<float>().All(v => v == r + 1.0f));
        });

        Assert.All(outcomes, o => Assert.Contains("the ranks pass different sizes (4, 5 floats of gradients)", o.Message, StringComparison.Ordinal));
        Assert.All(outcomes, o => Assert.True(o.Unchanged));
    }

    [Fact]
    public void AverageInPlace_NonFloatTensor_RefusedNamingItsType()
    {
        using var reducer = new InProcessReducerGroup(1, Timeout).Rank(0);
        using var g = ones(new long[] { 3 }, dtype: ScalarType.Float64);

        var e = Assert.Throws<ArgumentException>(() => reducer.AverageInPlace([g]));

        Assert.StartsWith("rank 0: the in-process reducer averages contiguous float32 CPU tensors (got Float64", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Data-parallel SGD with momentum on an MLP (no batch norm, no dropout): the same global batches, once on one rank
    /// and once split over two ranks whose gradients are averaged, give the same parameters after 20 steps.
    /// </summary>
    [Fact]
    public void Training_TwoRanksOnHalfBatchesAveraged_SameParametersAsOneRankOnTheGlobalBatchAfter20Steps()
    {
        using var initial = ParityTraining.Mlp();
        List<Tensor> start;
        using (var copy = NewDisposeScope())
        {
            // Copies that outlive the scope; the detached views do not (a tensor left to the finalizer would change
            // the live-tensor counts other tests of this collection check).
            start = [.. initial.parameters().Select(p => p.detach().clone().MoveToOuterDisposeScope())];
        }

        float[][] Train(int ranks)
        {
            var group = new InProcessReducerGroup(ranks, Timeout, bucketBytes: 256);
            var results = RankThreads.Run(ranks, r =>
            {
                using var reducer = group.Rank(r);
                return ParityTraining.Train(reducer, r == 0 ? start : null);
            });
            Assert.All(results, x => Assert.Equal(results[0], x)); // every rank ends with the same parameters, bit for bit
            return [results[0]];
        }

        var one = Train(1)[0];
        var two = Train(2)[0];
        start.ForEach(s => s.Dispose());

        Assert.Equal(one.Length, two.Length);
        for (var i = 0; i < one.Length; i++)
        {
            Assert.True(Math.Abs(one[i] - two[i]) <= 1e-5 * Math.Max(1.0, Math.Abs(one[i])), $"parameter element {i}: {one[i]} on one rank, {two[i]} on two");
        }
    }
}
