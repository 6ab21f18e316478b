namespace AlgoPerf.Trainer.Timing;

/// <summary>What one update step reports back to the timed loop.</summary>
/// <param name="Loss">
/// The training loss of the step when known. A non-finite value ends the trial as
/// <see cref="LoopEndReason.Diverged"/>; null means the step did not report one.
/// </param>
public readonly record struct UpdateResult(double? Loss)
{
    /// <summary>A step that reported no loss.</summary>
    public static UpdateResult NoLoss => default;
}
