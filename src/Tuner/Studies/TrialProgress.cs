using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Studies;

/// <summary>What the tuner knows about one trial of its study: the plan, the evals so far, and how it ended.</summary>
public sealed class TrialProgress
{
    private readonly SortedDictionary<int, EvalRecorded> _evals = [];
    private readonly Dictionary<int, int> _evalAttempts = [];

    internal TrialProgress(PlannedTrial plan) => Plan = plan;

    /// <summary>The planned trial.</summary>
    public PlannedTrial Plan { get; }

    /// <summary>The trial number within the study (1-based).</summary>
    public int Number => Plan.Trial.Trial;

    /// <summary>The evals recorded so far, in eval-index order.</summary>
    public IReadOnlyCollection<EvalRecorded> Evals => _evals.Values;

    /// <summary>Number of evals recorded.</summary>
    public int EvalCount => _evals.Count;

    /// <summary>True once the trial finished or failed; a terminal trial is never run again.</summary>
    public bool IsTerminal => EndReason is not null || Failure is not null;

    /// <summary>The latest attempt that started the trial (<see cref="TrialStarted.Attempt"/>; 0 before any numbered one).</summary>
    public int CurrentAttempt { get; private set; }

    /// <summary>Why the trial ended normally, or null.</summary>
    public TrialEndReason? EndReason { get; private set; }

    /// <summary>The error of a failed trial, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The submission time of the latest recorded eval (0 before the first).</summary>
    public double LastEvalTimeSec => _evals.Count == 0 ? 0 : _evals.Values.Last().SubmissionTimeSec;

    /// <summary>
    /// The trial's first hit over the evals recorded so far (<see cref="TrialTime.FirstHit"/> on the validation metric;
    /// an eval that lacks the metric counts as NaN, which never meets a target).
    /// </summary>
    public TrialHit FirstHit(string metric, MetricDirection direction, double target)
    {
        var values = _evals.Values.Select(e => e.Metrics.TryGetValue(metric, out var v) ? v : double.NaN).ToList();
        var times = _evals.Values.Select(e => e.SubmissionTimeSec).ToList();
        return TrialTime.FirstHit(values, times, direction, target);
    }

    /// <summary>True when an eval with this index is already recorded with the same step, times and metrics.</summary>
    internal bool HasIdentical(EvalRecorded e)
    {
        if (!_evals.TryGetValue(e.EvalIndex, out var known))
        {
            return false;
        }

        return known.GlobalStep == e.GlobalStep
            && known.SubmissionTimeSec.Equals(e.SubmissionTimeSec)
            && known.EvalTimeSec.Equals(e.EvalTimeSec)
            && known.Metrics.Count == e.Metrics.Count
            && known.Metrics.All(kv => e.Metrics.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));
    }

    /// <summary>True when the eval with this index was recorded during attempt <paramref name="attempt"/> (a re-sent result).</summary>
    internal bool RecordedIn(int evalIndex, int attempt) => _evalAttempts.TryGetValue(evalIndex, out var a) && a == attempt;

    /// <summary>Records an eval; a re-recorded index (a trial resumed from an earlier checkpoint) replaces the old one.</summary>
    internal void Record(EvalRecorded e)
    {
        _evals[e.EvalIndex] = e;
        _evalAttempts[e.EvalIndex] = CurrentAttempt;
    }

    /// <summary>A start of attempt <paramref name="attempt"/>: later results of earlier attempts are superseded.</summary>
    internal void Started(int attempt) => CurrentAttempt = Math.Max(CurrentAttempt, attempt);

    internal void Finish(TrialEndReason reason) => EndReason ??= reason;

    internal void Fail(string error) => Failure ??= error;

    internal TrialProgress Clone()
    {
        var copy = new TrialProgress(Plan) { EndReason = EndReason, Failure = Failure, CurrentAttempt = CurrentAttempt };
        foreach (var (k, v) in _evals)
        {
            copy._evals[k] = v;
        }

        foreach (var (k, v) in _evalAttempts)
        {
            copy._evalAttempts[k] = v;
        }

        return copy;
    }
}
