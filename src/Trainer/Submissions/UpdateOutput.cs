namespace AlgoPerf.Trainer.Submissions;

/// <summary>
/// What <see cref="ISubmission.UpdateParams"/> returns (the reference's <c>(optimizer_state, params, model_state)</c>;
/// parameters and model state are updated in place in the model, so only the state object comes back, which may be
/// the one passed in or a replacement).
/// </summary>
/// <param name="OptimizerState">The optimizer state after the step.</param>
/// <param name="Loss">
/// The step's training loss when the submission computed it; a non-finite value ends the trial as diverged. Null when
/// not reported.
/// </param>
/// <param name="Metrics">
/// Optional scalars for <c>measurements.csv</c> at this step (the baselines report <c>loss</c> and <c>grad_norm</c>
/// on the reference's logging steps); null for none.
/// </param>
public sealed record UpdateOutput(IOptimizerState OptimizerState, double? Loss = null, IReadOnlyList<KeyValuePair<string, double>>? Metrics = null);
