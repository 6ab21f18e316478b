using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>Hyperparameters of the NAdamW and AdamW baselines (warmup + cosine decay over <c>step_hint</c>).</summary>
/// <param name="LearningRate"><c>learning_rate</c>: the peak rate.</param>
/// <param name="OneMinusBeta1"><c>one_minus_beta1</c>.</param>
/// <param name="Beta2"><c>beta2</c>.</param>
/// <param name="WeightDecay"><c>weight_decay</c> (decoupled, times the learning rate).</param>
/// <param name="WarmupFactor"><c>warmup_factor</c>: warmup steps = <c>int(warmup_factor·step_hint)</c>.</param>
/// <param name="LabelSmoothing"><c>label_smoothing</c>, 0 when absent.</param>
/// <param name="DropoutRate"><c>dropout_rate</c>, the workload default when absent.</param>
/// <param name="GradClip"><c>grad_clip</c>, no clipping when absent.</param>
public sealed record AdamWHyperparameters(
    double LearningRate,
    double OneMinusBeta1,
    double Beta2,
    double WeightDecay,
    double WarmupFactor,
    double LabelSmoothing = 0,
    double? DropoutRate = null,
    double? GradClip = null) : IBaselineHyperparameters;

/// <summary>
/// The AlgoPerf baseline (<c>algorithms/baselines</c>, PyTorch <c>nadamw_full_budget</c>): NAdamW with decoupled weight
/// decay and bias correction, linear warmup from 1e-10 then cosine decay over <c>step_hint</c>, optional gradient
/// clipping, label smoothing and dropout from the hyperparameters.
/// </summary>
public class NAdamWSubmission : BaselineSubmission<AdamWHyperparameters>
{
    /// <inheritdoc/>
    public override string Name => "nadamw";

    /// <summary>Whether the numerator is NAdam's look-ahead.</summary>
    protected virtual bool Nesterov => true;

    /// <inheritdoc/>
    protected override Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, AdamWHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        CosineWarmupSteps(hp.WarmupFactor, workload.StepHint);
        return new AdamW(parameters, 1 - hp.OneMinusBeta1, hp.Beta2, hp.WeightDecay, eps: 1e-8, nesterov: Nesterov);
    }

    /// <inheritdoc/>
    protected override double LearningRate(OptimizerState state, AdamWHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        return LearningRateSchedules.WarmupCosine(hp.LearningRate, workload.StepHint, CosineWarmupSteps(hp.WarmupFactor, workload.StepHint), state.Optimizer.StepCount);
    }
}

/// <summary>The archived AdamW baseline: <c>torch.optim.AdamW</c> with the NAdamW baseline's schedule.</summary>
public sealed class AdamWSubmission : NAdamWSubmission
{
    /// <inheritdoc/>
    public override string Name => "adamw";

    /// <inheritdoc/>
    protected override bool Nesterov => false;
}
