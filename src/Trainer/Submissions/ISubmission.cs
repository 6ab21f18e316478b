using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions;

/// <summary>
/// A training algorithm, as AlgoPerf v0.6's submission module (<c>algoperf-rules.md</c> §1). The runner calls, per
/// trial: <see cref="GetBatchSize"/> once, <see cref="InitOptimizerState"/> once (before the clock starts), then per
/// step <see cref="DataSelection"/> and <see cref="UpdateParams"/> (timed), and <see cref="PrepareForEval"/> before
/// each eval when <see cref="HasPrepareForEval"/> (timed). All calls come from the trial's one training thread.
/// </summary>
/// <remarks>
/// <para>The model holds the parameters and the model state (batch-norm statistics) and is updated in place, as the
/// PyTorch reference does; parameter types are <see cref="Workload.ParamTypes"/>. A submission must not identify the
/// workload (it may branch on the loss type, shapes and parameter types).</para>
/// <para><c>rng</c> arguments are the iteration's seeds (<see cref="StepSeeds"/>), to seed a
/// TorchSharp <see cref="TorchSharp.torch.Generator"/> for dropout or sampling.</para>
/// <para>Hyperparameters are null in the self-tuning ruleset.</para>
/// </remarks>
public interface ISubmission
{
    /// <summary>
    /// <c>get_batch_size</c>: the global training batch size for <paramref name="workloadName"/>. Throw
    /// <see cref="ArgumentException"/> for a name it does not know; the runner then asks again with the base
    /// workload's name (for variants), as the reference does on <c>ValueError</c>.
    /// </summary>
    int GetBatchSize(string workloadName);

    /// <summary>
    /// <c>init_optimizer_state</c>: builds the optimizer state over <paramref name="model"/>'s parameters. Must not
    /// re-initialise the model.
    /// </summary>
    IOptimizerState InitOptimizerState(Workload workload, WorkloadModel model, Hyperparameters? hyperparameters, ulong rng);

    /// <summary>
    /// <c>update_params</c>: one training step on <paramref name="batch"/> (owned by the runner, disposed after this
    /// call), updating the model in place. Throw <see cref="TrainingCompleteException"/> to end training early.
    /// </summary>
    /// <param name="workload">The workload (model and loss functions, step hint, ...).</param>
    /// <param name="model">The model: parameters and model state, updated in place.</param>
    /// <param name="hyperparameters">The trial's hyperparameters; null in self-tuning.</param>
    /// <param name="batch">The batch <see cref="DataSelection"/> returned.</param>
    /// <param name="lossType">The workload's loss type.</param>
    /// <param name="optimizerState">The state from the previous call (or from init).</param>
    /// <param name="evalResults">Every eval so far, oldest first (<c>eval_results</c>).</param>
    /// <param name="globalStep">Completed steps before this one.</param>
    /// <param name="rng">This iteration's update seed.</param>
    /// <param name="trainState">The runner's read-only <c>train_state</c> (v0.6).</param>
    UpdateOutput UpdateParams(
        Workload workload,
        WorkloadModel model,
        Hyperparameters? hyperparameters,
        Batch batch,
        LossType lossType,
        IOptimizerState optimizerState,
        IReadOnlyList<EvalRecord> evalResults,
        long globalStep,
        ulong rng,
        TrainState trainState);

    /// <summary>
    /// <c>data_selection</c>: the next training batch, normally <c>inputQueue.Next()</c>. Must not update the
    /// parameters or the optimizer state. The returned batch is owned by the runner.
    /// </summary>
    Batch DataSelection(
        Workload workload,
        TrainingInput inputQueue,
        IOptimizerState optimizerState,
        WorkloadModel model,
        Hyperparameters? hyperparameters,
        long globalStep,
        ulong rng);

    /// <summary>Whether the submission has <c>prepare_for_eval</c> (the runner skips the call when not).</summary>
    bool HasPrepareForEval => false;

    /// <summary>
    /// <c>prepare_for_eval</c> (v0.6): called when an eval is due, timed; may change the parameters (e.g. swap in
    /// averaged weights), the model state and the optimizer state. The default returns the state unchanged.
    /// </summary>
    IOptimizerState PrepareForEval(
        Workload workload,
        WorkloadModel model,
        Hyperparameters? hyperparameters,
        LossType lossType,
        IOptimizerState optimizerState,
        IReadOnlyList<EvalRecord> evalResults,
        long globalStep,
        ulong rng) => optimizerState;
}
