using AlgoPerf.Contracts.Scoring;

namespace AlgoPerf.Tuner.Studies;

/// <summary>
/// Score-preserving early stopping: when may a running trial be stopped without any chance of changing the study's
/// decision (<see cref="StudySelection.Select"/>), and so the score? Two cases, both exact:
/// <list type="bullet">
/// <item><b>Settled</b>: the trial has met the target. Its outcome is its first hit, which later evals cannot change.</item>
/// <item><b>Dominated</b>: the trial has not met the target and no future hit could beat the best trial so far. Under
/// the reference rule a future hit has an eval index at least the number of evals recorded, so once that number
/// exceeds the best first-hit index the trial can never be chosen. Under the fastest rule a future hit comes at a
/// submission time at least that of the latest eval (the clock only moves forward), so once that time exceeds the
/// best time to target the trial can never be chosen. The best so far only improves, so a dominated trial stays
/// dominated.</item>
/// </list>
/// Trials with no evals yet (pending or just started) are never stopped.
/// </summary>
public static class EarlyStopping
{
    /// <summary>Whether a trial that has not met the target can no longer beat <paramref name="best"/>.</summary>
    /// <param name="evalCount">Evals the trial has recorded, none of which met the target.</param>
    /// <param name="lastEvalTimeSec">Submission time of its latest eval.</param>
    /// <param name="best">The best trial so far under <paramref name="rule"/>, or null when none has met the target.</param>
    /// <param name="rule">The study's selection rule.</param>
    public static bool IsDominated(int evalCount, double lastEvalTimeSec, TrialOutcome? best, StudySelectionRule rule)
    {
        if (best is not { Reached: true } || evalCount == 0)
        {
            return false;
        }

        return rule switch
        {
            StudySelectionRule.Reference => evalCount > best.FirstHitEvalIndex!.Value,
            // Strictly greater: an equal time could still win the tie on eval index or trial order. NaN compares false.
            StudySelectionRule.Fastest => lastEvalTimeSec > best.TimeToTargetSec,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
    }
}
