namespace AlgoPerf.Trainer.Timing;

/// <summary>How a timed loop ended, and everything the runner would return or log about it.</summary>
/// <param name="Reason">Why the loop ended.</param>
/// <param name="GlobalStep">Completed steps.</param>
/// <param name="FinalState">The <c>train_state</c> at the end.</param>
/// <param name="EvalResults">All evals, oldest first.</param>
/// <param name="Failure">The exception that ended the trial (<see cref="LoopEndReason.Failed"/>), otherwise null.</param>
/// <param name="EvalErrors">Evals that threw and were skipped, as the reference skips an eval that raises RuntimeError.</param>
/// <param name="DivergedLoss">The non-finite loss that ended a diverged trial, otherwise null.</param>
public sealed record TrialOutcome(
    LoopEndReason Reason,
    long GlobalStep,
    TrainState FinalState,
    IReadOnlyList<EvalRecord> EvalResults,
    TrialFailure? Failure,
    IReadOnlyList<TrialFailure> EvalErrors,
    double? DivergedLoss)
{
    /// <summary>The runner's return value: the accumulated submission time.</summary>
    public double Score => FinalState.AccumulatedSubmissionTime;
}
