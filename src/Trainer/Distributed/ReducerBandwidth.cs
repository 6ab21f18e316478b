using TorchSharp;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// Measures a reducer's gradient all-reduce: the ranks run as threads of this process, each averaging one float32
/// gradient of the given size over and over, as DDP does once a step.
/// </summary>
public static class ReducerBandwidth
{
    /// <summary>
    /// The all-reduce's algorithm bandwidth in GB/s (10^9 bytes): the gradient's bytes over the seconds one
    /// <see cref="IGradientReducer.AverageInPlace"/> takes, timed over about <paramref name="duration"/> on the slowest
    /// rank. Each rank makes its reducer on its own thread (so Gloo ranks connect concurrently), averages once to warm
    /// up, times one average to size the run (the ranks agree on the slowest), then times that many.
    /// </summary>
    /// <param name="rankFactory">Makes rank r's reducer, on rank r's thread; the measurement disposes it.</param>
    /// <param name="ranks">Ranks (threads).</param>
    /// <param name="bytes">The gradient's size in bytes (at least one float).</param>
    /// <param name="duration">About how long to time.</param>
    /// <param name="timeProvider">The clock (the system's by default).</param>
    /// <exception cref="AggregateException">A rank failed; holds every rank's exception.</exception>
    public static double Measure(Func<int, IGradientReducer> rankFactory, int ranks, long bytes, TimeSpan duration, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(rankFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, sizeof(float));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var time = timeProvider ?? TimeProvider.System;
        var results = RankThreads.Run(ranks, r => MeasureRank(rankFactory, r, bytes / sizeof(float), duration, time), "reducer bandwidth rank");
        return results[0];
    }

    private static double MeasureRank(Func<int, IGradientReducer> rankFactory, int rank, long floats, TimeSpan duration, TimeProvider time)
    {
        using var reducer = rankFactory(rank);
        using var gradient = torch.ones(floats);
        IReadOnlyList<torch.Tensor> gradients = [gradient];
        reducer.AverageInPlace(gradients);

        var start = time.GetTimestamp();
        reducer.AverageInPlace(gradients);
        Span<double> once = [time.GetElapsedTime(start).TotalSeconds];
        reducer.AllReduce(once, ReduceOp.Max);
        var iterations = (int)Math.Clamp(duration.TotalSeconds / Math.Max(once[0], 1e-9), 1, 1_000_000);

        start = time.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            reducer.AverageInPlace(gradients);
        }

        Span<double> seconds = [time.GetElapsedTime(start).TotalSeconds];
        reducer.AllReduce(seconds, ReduceOp.Max);
        return floats * sizeof(float) * (double)iterations / seconds[0] / 1e9;
    }
}
