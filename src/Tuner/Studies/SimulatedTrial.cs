namespace AlgoPerf.Tuner.Studies;

/// <summary>A trial's full eval history in a simulated study: what it would log if it ran to its end.</summary>
/// <param name="ValidationMetric">The validation metric at each eval (NaN allowed).</param>
/// <param name="SubmissionTimes">The accumulated submission time at each eval (non-decreasing).</param>
/// <param name="Fails">True when the trial ends with <c>TrialFailed</c> after its last eval instead of finishing.</param>
public sealed record SimulatedTrial(IReadOnlyList<double> ValidationMetric, IReadOnlyList<double> SubmissionTimes, bool Fails)
{
    /// <summary>The trial's submission time if it runs to its end.</summary>
    public double FullTimeSec => SubmissionTimes.Count == 0 ? 0 : SubmissionTimes[^1];
}
