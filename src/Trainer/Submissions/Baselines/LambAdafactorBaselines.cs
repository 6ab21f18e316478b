using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>Hyperparameters of the LAMB baseline (warmup + cosine).</summary>
/// <param name="LearningRate"><c>learning_rate</c>.</param>
/// <param name="OneMinusBeta1"><c>one_minus_beta1</c>.</param>
/// <param name="Beta2"><c>beta2</c>.</param>
/// <param name="WeightDecay"><c>weight_decay</c> (added to the direction before the trust ratio).</param>
/// <param name="WarmupFactor"><c>warmup_factor</c>.</param>
/// <param name="LabelSmoothing"><c>label_smoothing</c>, 0 when absent.</param>
/// <param name="DropoutRate"><c>dropout_rate</c>, the workload default when absent.</param>
/// <param name="GradClip"><c>grad_clip</c>, no clipping when absent.</param>
public sealed record LambHyperparameters(
    double LearningRate,
    double OneMinusBeta1,
    double Beta2,
    double WeightDecay,
    double WarmupFactor,
    double LabelSmoothing = 0,
    double? DropoutRate = null,
    double? GradClip = null) : IBaselineHyperparameters;

/// <summary>The archived LAMB baseline: bias-corrected Adam direction plus <c>wd·p</c>, per-tensor trust ratio, warmup + cosine.</summary>
public sealed class LambSubmission : BaselineSubmission<LambHyperparameters>
{
    /// <inheritdoc/>
    public override string Name => "lamb";

    /// <inheritdoc/>
    protected override Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, LambHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        CosineWarmupSteps(hp.WarmupFactor, workload.StepHint);
        return new Lamb(parameters, 1 - hp.OneMinusBeta1, hp.Beta2, hp.WeightDecay);
    }

    /// <inheritdoc/>
    protected override double LearningRate(OptimizerState state, LambHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        return LearningRateSchedules.WarmupCosine(hp.LearningRate, workload.StepHint, CosineWarmupSteps(hp.WarmupFactor, workload.StepHint), state.Optimizer.StepCount);
    }
}

/// <summary>Hyperparameters of the Adafactor baseline (warmup + cosine).</summary>
/// <param name="LearningRate"><c>learning_rate</c>.</param>
/// <param name="OneMinusBeta1"><c>one_minus_beta1</c>: momentum of the scaled update.</param>
/// <param name="WeightDecay"><c>weight_decay</c>.</param>
/// <param name="WarmupFactor"><c>warmup_factor</c>.</param>
/// <param name="LabelSmoothing"><c>label_smoothing</c>, 0 when absent.</param>
/// <param name="DropoutRate"><c>dropout_rate</c>, the workload default when absent.</param>
/// <param name="GradClip"><c>grad_clip</c>, no clipping when absent.</param>
public sealed record AdafactorHyperparameters(
    double LearningRate,
    double OneMinusBeta1,
    double WeightDecay,
    double WarmupFactor,
    double LabelSmoothing = 0,
    double? DropoutRate = null,
    double? GradClip = null) : IBaselineHyperparameters;

/// <summary>The archived Adafactor baseline (HF transformers' rule, β2 = 0.99), warmup + cosine.</summary>
public sealed class AdafactorSubmission : BaselineSubmission<AdafactorHyperparameters>
{
    /// <inheritdoc/>
    public override string Name => "adafactor";

    /// <inheritdoc/>
    protected override Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, AdafactorHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        CosineWarmupSteps(hp.WarmupFactor, workload.StepHint);
        return new Adafactor(parameters, 1 - hp.OneMinusBeta1, hp.WeightDecay);
    }

    /// <inheritdoc/>
    protected override double LearningRate(OptimizerState state, AdafactorHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        return LearningRateSchedules.WarmupCosine(hp.LearningRate, workload.StepHint, CosineWarmupSteps(hp.WarmupFactor, workload.StepHint), state.Optimizer.StepCount);
    }
}
