using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Contracts.Scoring;

/// <summary>
/// The trial rule of the reference scorer (<c>algoperf-rules.md</c> §5.4, §7.3): a trial's time to target is the
/// <c>score</c> at the first eval whose validation metric meets the target (<see cref="MetricDirections.Meets"/>:
/// <c>&lt;=</c> when minimised, <c>&gt;=</c> when maximised, NaN never meets); later evals do not matter. A trial
/// that never meets the target takes +infinity.
/// </summary>
public static class TrialTime
{
    /// <summary>The first hit over a trial's evals, given as parallel lists in eval order.</summary>
    /// <param name="validationMetric">The validation metric per eval (NaN where it was not logged).</param>
    /// <param name="submissionTimes">The <c>score</c> column per eval.</param>
    /// <param name="direction">Whether the metric is minimised or maximised.</param>
    /// <param name="target">The validation target.</param>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public static TrialHit FirstHit(IReadOnlyList<double> validationMetric, IReadOnlyList<double> submissionTimes, MetricDirection direction, double target)
    {
        ArgumentNullException.ThrowIfNull(validationMetric);
        ArgumentNullException.ThrowIfNull(submissionTimes);
        if (validationMetric.Count != submissionTimes.Count)
        {
            throw new ArgumentException(
                $"{validationMetric.Count} metric values but {submissionTimes.Count} submission times", nameof(submissionTimes));
        }

        for (var i = 0; i < validationMetric.Count; i++)
        {
            if (MetricDirections.Meets(direction, validationMetric[i], target))
            {
                return new TrialHit(i, submissionTimes[i]);
            }
        }

        return TrialHit.None;
    }
}
