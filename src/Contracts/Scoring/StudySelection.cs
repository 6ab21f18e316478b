namespace AlgoPerf.Contracts.Scoring;

/// <summary>
/// Picks a study's trial and so its time to target (<c>algoperf-rules.md</c> §7.3). This is the one implementation
/// shared by the tuner (which decides studies live) and the scorer (which reproduces published scores), so both
/// always agree. Trials that did not reach the target never win; a study none of whose trials reached it takes
/// +infinity.
/// </summary>
public static class StudySelection
{
    /// <summary>
    /// The chosen trial, or null when no trial reached the target. Trials are given in trial order; that order breaks
    /// the remaining ties.
    /// </summary>
    /// <param name="trials">The study's trials, in trial (directory) order.</param>
    /// <param name="rule">
    /// <see cref="StudySelectionRule.Reference"/>: smallest first-hit eval index, ties to the smallest time.
    /// <see cref="StudySelectionRule.Fastest"/>: smallest time, ties to the smallest eval index. A NaN time ranks last.
    /// </param>
    public static TrialOutcome? Select(IEnumerable<TrialOutcome> trials, StudySelectionRule rule)
    {
        ArgumentNullException.ThrowIfNull(trials);
        TrialOutcome? best = null;
        foreach (var trial in trials)
        {
            if (trial is { Reached: true } && (best is null || Beats(trial, best, rule)))
            {
                best = trial;
            }
        }

        return best;
    }

    /// <summary>The study's time to target: the chosen trial's time, or +infinity when no trial reached the target.</summary>
    public static double StudyTime(IEnumerable<TrialOutcome> trials, StudySelectionRule rule) =>
        Select(trials, rule)?.TimeToTargetSec ?? double.PositiveInfinity;

    /// <summary>Whether <paramref name="candidate"/> strictly beats <paramref name="incumbent"/> (both reached) under the rule.</summary>
    public static bool Beats(TrialOutcome candidate, TrialOutcome incumbent, StudySelectionRule rule)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(incumbent);
        var ci = candidate.FirstHitEvalIndex ?? int.MaxValue;
        var ii = incumbent.FirstHitEvalIndex ?? int.MaxValue;
        return rule switch
        {
            StudySelectionRule.Reference => ci < ii || (ci == ii && TimeLess(candidate.TimeToTargetSec, incumbent.TimeToTargetSec)),
            StudySelectionRule.Fastest => TimeLess(candidate.TimeToTargetSec, incumbent.TimeToTargetSec)
                || (TimeEqual(candidate.TimeToTargetSec, incumbent.TimeToTargetSec) && ci < ii),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
        };
    }

    // NaN ranks after every number (double.CompareTo would rank it first).
    private static bool TimeLess(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));

    private static bool TimeEqual(double a, double b) => a.Equals(b);
}
