using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>
/// Hyperparameters of the Shampoo baseline. The first seven follow the v0.5 external-tuning winner's points; the
/// optional rest are its fixed settings (overridable by the search space).
/// </summary>
/// <param name="LearningRate"><c>learning_rate</c>.</param>
/// <param name="OneMinusBeta1"><c>one_minus_beta1</c>: momentum of the grafted direction.</param>
/// <param name="OneMinusBeta2"><c>one_minus_beta2</c>: decay of the factor matrices and the Adam grafting state.</param>
/// <param name="WeightDecay"><c>weight_decay</c> (decoupled).</param>
/// <param name="WarmupFactor"><c>warmup_factor</c>.</param>
/// <param name="LabelSmoothing"><c>label_smoothing</c>, 0 when absent.</param>
/// <param name="DropoutRate"><c>dropout_rate</c>, the workload default when absent.</param>
/// <param name="GradClip"><c>grad_clip</c>, no clipping when absent.</param>
/// <param name="StepHintFactor"><c>step_hint_factor</c>: the schedule runs over <c>int(factor·step_hint)</c> steps.</param>
/// <param name="SgdGrafting"><c>sgd_grafting</c>: 1 for SGD grafting, 0 (default) for Adam grafting.</param>
/// <param name="MaxPreconditionerDim"><c>max_preconditioner_dim</c>: largest block side (1024).</param>
/// <param name="PreconditionFrequency"><c>precondition_frequency</c>: steps between inverse-root recomputations (100).</param>
/// <param name="StartPreconditioningStep"><c>start_preconditioning_step</c>; −1 (default) means <c>precondition_frequency</c>, as in Distributed Shampoo.</param>
/// <param name="Epsilon"><c>epsilon</c>: added to the factors' eigenvalues (1e-8).</param>
/// <param name="GraftingEpsilon"><c>grafting_epsilon</c>: Adam grafting's epsilon (1e-8).</param>
public sealed record ShampooHyperparameters(
    double LearningRate,
    double OneMinusBeta1,
    double OneMinusBeta2,
    double WeightDecay,
    double WarmupFactor,
    double LabelSmoothing = 0,
    double? DropoutRate = null,
    double? GradClip = null,
    double StepHintFactor = 1.0,
    bool SgdGrafting = false,
    int MaxPreconditionerDim = 1024,
    int PreconditionFrequency = 100,
    int StartPreconditioningStep = -1,
    double Epsilon = 1e-8,
    double GraftingEpsilon = 1e-8) : IBaselineHyperparameters;

/// <summary>
/// Shampoo as the v0.5 external-tuning winner configures it, on our blocked Shampoo (<c>docs/trainer.md</c> §5):
/// blocks of at most <c>max_preconditioner_dim</c>, inverse roots by eigendecomposition every
/// <c>precondition_frequency</c> steps, Adam or SGD grafting, bias-corrected momentum, decoupled weight decay, linear
/// warmup then cosine decay over <c>step_hint_factor·step_hint</c>. Not Meta's Distributed Shampoo (no Nesterov, no
/// separate instance for huge embeddings, no distributed preconditioners).
/// </summary>
public sealed class ShampooSubmission : BaselineSubmission<ShampooHyperparameters>
{
    /// <inheritdoc/>
    public override string Name => "shampoo";

    /// <inheritdoc/>
    protected override Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, ShampooHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        CosineWarmupSteps(hp.WarmupFactor, ScheduleLength(hp, workload));
        var start = hp.StartPreconditioningStep < 0 ? hp.PreconditionFrequency : hp.StartPreconditioningStep;
        return new BlockedShampoo(
            parameters,
            1 - hp.OneMinusBeta1,
            1 - hp.OneMinusBeta2,
            hp.WeightDecay,
            hp.MaxPreconditionerDim,
            hp.PreconditionFrequency,
            start,
            hp.SgdGrafting ? ShampooGrafting.Sgd : ShampooGrafting.Adam,
            hp.Epsilon,
            hp.GraftingEpsilon);
    }

    /// <inheritdoc/>
    protected override double LearningRate(OptimizerState state, ShampooHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        var length = ScheduleLength(hp, workload);
        return LearningRateSchedules.WarmupCosine(hp.LearningRate, length, CosineWarmupSteps(hp.WarmupFactor, length), state.Optimizer.StepCount);
    }

    private static int ScheduleLength(ShampooHyperparameters hp, Workload workload) => (int)(hp.StepHintFactor * workload.StepHint);
}
