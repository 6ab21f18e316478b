namespace AlgoPerf.Contracts.Scoring;

/// <summary>Where a trial first met its target: the eval index and the submission time there, or no hit at all.</summary>
/// <param name="EvalIndex">0-based index of the first eval that met the target; null when none did.</param>
/// <param name="TimeSec">The <c>score</c> (accumulated submission time) at that eval; +infinity when none did.</param>
public readonly record struct TrialHit(int? EvalIndex, double TimeSec)
{
    /// <summary>No eval met the target: no index, infinite time.</summary>
    public static TrialHit None { get; } = new(null, double.PositiveInfinity);

    /// <summary>True when some eval met the target.</summary>
    public bool Reached => EvalIndex.HasValue;
}
