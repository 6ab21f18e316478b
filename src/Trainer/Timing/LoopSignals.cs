namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// What one rank of a data-parallel gang saw in a step, for <see cref="TimedLoopCallbacks{TBatch}.Agree"/>: the
/// ranks or their signals together, so every rank ends the loop at the same step for the same reason.
/// </summary>
[Flags]
public enum LoopSignals
{
    /// <summary>Nothing: train on.</summary>
    None = 0,

    /// <summary>Cancellation was requested (the whole gang pauses before its next step).</summary>
    Cancel = 1,

    /// <summary>The submission raised <c>TrainingCompleteError</c>.</summary>
    TrainingComplete = 2,

    /// <summary>The update's loss is not finite.</summary>
    Diverged = 4,
}
