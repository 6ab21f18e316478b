namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// A read-only snapshot of the runner's <c>train_state</c> dict, the view v0.6 hands to <c>update_params</c>
/// (<c>algoperf-rules.md</c> §1.3). Times are seconds since the Unix epoch, as <c>time.time()</c> gives them;
/// accumulated times are seconds.
/// </summary>
/// <param name="ValidationGoalReached">Some eval met the validation target (the runner's strict comparison).</param>
/// <param name="TestGoalReached">Some eval met the test target.</param>
/// <param name="IsTimeRemaining">The accumulated submission time was below the budget when last checked.</param>
/// <param name="LastEvalTime">End of the last eval; 0 before the first, which makes the first step evaluate.</param>
/// <param name="TrainingComplete">The submission ended training early, or the step limit was reached.</param>
/// <param name="AccumulatedSubmissionTime">The score clock: timed step windows plus timed <c>prepare_for_eval</c> calls.</param>
/// <param name="AccumulatedEvalTime">Total time of the (untimed) evals.</param>
/// <param name="AccumulatedLoggingTime">Total time of logging and checkpointing after evals (untimed).</param>
/// <param name="LastStepEndTime">When the previous iteration's bookkeeping ended; the next timed window starts here.</param>
public sealed record TrainState(
    bool ValidationGoalReached,
    bool TestGoalReached,
    bool IsTimeRemaining,
    double LastEvalTime,
    bool TrainingComplete,
    double AccumulatedSubmissionTime,
    double AccumulatedEvalTime,
    double AccumulatedLoggingTime,
    double LastStepEndTime)
{
    /// <summary>The state <c>train_once</c> starts from: all times 0, time remaining, no goal reached.</summary>
    public static TrainState Initial { get; } = new(false, false, true, 0, false, 0, 0, 0, 0);

    /// <summary>The runner's loop condition: time remains, not both goals reached, training not complete.</summary>
    public bool ShouldContinue => IsTimeRemaining && !(ValidationGoalReached && TestGoalReached) && !TrainingComplete;
}
