namespace AlgoPerf.Trainer.Timing;

/// <summary>Why a trial's timed loop ended.</summary>
public enum LoopEndReason
{
    /// <summary>Both the validation and the test targets were reached (the runner's strict comparison).</summary>
    TargetsReached,

    /// <summary>The accumulated submission time reached the budget.</summary>
    BudgetExhausted,

    /// <summary>The submission ended training early (<c>TrainingCompleteError</c>).</summary>
    TrainingComplete,

    /// <summary>The step limit (<c>--max_global_steps</c>) was reached.</summary>
    MaxSteps,

    /// <summary>A step reported a non-finite loss.</summary>
    Diverged,

    /// <summary>The submission (or the logging after an eval) threw; the outcome carries the stack trace.</summary>
    Failed,

    /// <summary>The trial was cancelled from outside (paused: it can resume from its checkpoint).</summary>
    Cancelled,

    /// <summary>
    /// The tuner stopped the trial for good because it could no longer change its study's result (score-preserving
    /// early stopping). The timed loop itself never returns it: the runner turns a cancellation it was asked to make
    /// final into this reason.
    /// </summary>
    StoppedEarly,
}
