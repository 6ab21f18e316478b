using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Scorer.Live;

/// <summary>What the live scorer knows of one trial: its evals by index and whether it ended.</summary>
internal sealed class TrialProgress
{
    private readonly SortedDictionary<int, (double Time, double Metric)> _evals = [];

    /// <summary>True after TrialFinished or TrialFailed.</summary>
    public bool Ended { get; set; }

    /// <summary>Adds an eval; false when that index is already known (a redelivery).</summary>
    public bool TryAdd(int evalIndex, double time, double metric) => _evals.TryAdd(evalIndex, (time, metric));

    /// <summary>The first recorded eval, in index order, that meets the target.</summary>
    public TrialHit FirstHit(MetricDirection direction, double target)
    {
        foreach (var (index, e) in _evals)
        {
            if (MetricDirections.Meets(direction, e.Metric, target))
            {
                return new TrialHit(index, e.Time);
            }
        }

        return TrialHit.None;
    }

    /// <summary>The smallest index a future eval can have.</summary>
    public int NextIndex => _evals.Count == 0 ? 0 : _evals.Keys.Max() + 1;

    /// <summary>A lower bound on any future eval's submission time: the latest recorded one (time only grows).</summary>
    public double LastTime => _evals.Count == 0 ? 0.0 : _evals.Values.Max(e => double.IsNaN(e.Time) ? 0.0 : e.Time);
}
