namespace AlgoPerf.Trainer.Timing;

/// <summary>What the timed loop tells its delegates about the current step.</summary>
/// <param name="GlobalStep">
/// The runner's <c>global_step</c>: the number of completed steps when selecting data and updating, and the
/// incremented value when preparing for an eval or evaluating (as the reference passes it).
/// </param>
/// <param name="TrainState">The read-only <c>train_state</c> at that moment.</param>
/// <param name="EvalResults">All evals so far, oldest first (the reference's <c>eval_results</c>).</param>
/// <param name="Seeds">The iteration's seeds, the same for every call of one iteration.</param>
public sealed record StepContext(long GlobalStep, TrainState TrainState, IReadOnlyList<EvalRecord> EvalResults, StepSeeds Seeds);
