using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Trainer.Timing;

/// <summary>How a <see cref="LoopEndReason"/> is named in files and in the journal's events.</summary>
public static class LoopEndReasons
{
    /// <summary>The snake_case name used in <c>outcome_N.json</c>, e.g. <c>budget_exhausted</c>.</summary>
    public static string ToWire(this LoopEndReason reason) => reason switch
    {
        LoopEndReason.TargetsReached => "targets_reached",
        LoopEndReason.BudgetExhausted => "budget_exhausted",
        LoopEndReason.TrainingComplete => "training_complete",
        LoopEndReason.MaxSteps => "max_steps",
        LoopEndReason.Diverged => "diverged",
        LoopEndReason.Failed => "failed",
        LoopEndReason.Cancelled => "cancelled",
        LoopEndReason.StoppedEarly => "stopped_early",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>
    /// The <see cref="TrialFinished"/> reason of a normal end; null for <see cref="LoopEndReason.Failed"/> (a
    /// <see cref="TrialFailed"/> event) and <see cref="LoopEndReason.Cancelled"/> (the trial is not over).
    /// </summary>
    public static TrialEndReason? ToFinishReason(this LoopEndReason reason) => reason switch
    {
        LoopEndReason.TargetsReached => TrialEndReason.TargetsReached,
        LoopEndReason.BudgetExhausted => TrialEndReason.BudgetExhausted,
        LoopEndReason.TrainingComplete => TrialEndReason.TrainingComplete,
        LoopEndReason.MaxSteps => TrialEndReason.MaxSteps,
        LoopEndReason.Diverged => TrialEndReason.Diverged,
        LoopEndReason.StoppedEarly => TrialEndReason.StoppedEarly,
        LoopEndReason.Failed or LoopEndReason.Cancelled => null,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
