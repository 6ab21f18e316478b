namespace AlgoPerf.Contracts.Scoring;

/// <summary>One trial of a study as the study selection sees it.</summary>
/// <param name="Trial">The trial number (1-based, as the reference's <c>trial_k</c>).</param>
/// <param name="FirstHitEvalIndex">0-based index of the trial's first eval that met the target; null when none did.</param>
/// <param name="TimeToTargetSec">Submission time at that eval; +infinity when none did.</param>
public sealed record TrialOutcome(int Trial, int? FirstHitEvalIndex, double TimeToTargetSec)
{
    /// <summary>True when the trial met the target.</summary>
    public bool Reached => FirstHitEvalIndex.HasValue;

    /// <summary>A trial's outcome from its first hit.</summary>
    public static TrialOutcome From(int trial, TrialHit hit) => new(trial, hit.EvalIndex, hit.TimeSec);
}
