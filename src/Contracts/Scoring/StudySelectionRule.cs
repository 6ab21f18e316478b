namespace AlgoPerf.Contracts.Scoring;

/// <summary>How a study picks its trial among the trials that reached the target.</summary>
public enum StudySelectionRule
{
    /// <summary>
    /// The reference scorer's rule (<c>get_best_trial_index</c>): the trial whose first hit has the smallest eval
    /// index; ties go to the fastest of the tied trials, then to the first in trial order. Published scores use it.
    /// </summary>
    Reference,

    /// <summary>The rules' wording: the trial with the smallest time to target; ties go to the first in trial order.</summary>
    Fastest,
}
