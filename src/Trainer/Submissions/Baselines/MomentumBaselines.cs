using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>Hyperparameters of the heavy-ball and Nesterov baselines (warmup + linear decay to <c>end_factor</c>).</summary>
/// <param name="LearningRate"><c>learning_rate</c>.</param>
/// <param name="OneMinusBeta1"><c>one_minus_beta1</c>: momentum = 1 − it.</param>
/// <param name="WeightDecay"><c>weight_decay</c> (coupled L2, added to the gradient).</param>
/// <param name="WarmupFactor"><c>warmup_factor</c>.</param>
/// <param name="DecayStepsFactor"><c>decay_steps_factor</c>: decay over <c>int((step_hint − warmup)·factor)</c> steps.</param>
/// <param name="EndFactor"><c>end_factor</c>: the final rate is <c>lr·end_factor</c>.</param>
/// <param name="LabelSmoothing"><c>label_smoothing</c>, 0 when absent.</param>
/// <param name="DropoutRate"><c>dropout_rate</c>, the workload default when absent.</param>
/// <param name="GradClip"><c>grad_clip</c>, no clipping when absent.</param>
public sealed record MomentumHyperparameters(
    double LearningRate,
    double OneMinusBeta1,
    double WeightDecay,
    double WarmupFactor,
    double DecayStepsFactor,
    double EndFactor,
    double LabelSmoothing = 0,
    double? DropoutRate = null,
    double? GradClip = null) : IBaselineHyperparameters;

/// <summary>
/// The archived heavy-ball momentum baseline: <c>add_decayed_weights(wd)</c> then SGD with momentum
/// <c>1 − one_minus_beta1</c>, linear warmup then linear decay to <c>lr·end_factor</c>.
/// </summary>
public class MomentumSubmission : BaselineSubmission<MomentumHyperparameters>
{
    /// <inheritdoc/>
    public override string Name => "momentum";

    /// <summary>Whether the momentum is Nesterov's.</summary>
    protected virtual bool Nesterov => false;

    /// <inheritdoc/>
    protected override Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, MomentumHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hp);
        return new Sgd(parameters, 1 - hp.OneMinusBeta1, hp.WeightDecay, Nesterov);
    }

    /// <inheritdoc/>
    protected override double LearningRate(OptimizerState state, MomentumHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        return LearningRateSchedules.WarmupLinearDecay(hp.LearningRate, workload.StepHint, hp.WarmupFactor, hp.DecayStepsFactor, hp.EndFactor, state.Optimizer.StepCount);
    }
}

/// <summary>The archived Nesterov baseline: as <see cref="MomentumSubmission"/> with Nesterov momentum.</summary>
public sealed class NesterovSubmission : MomentumSubmission
{
    /// <inheritdoc/>
    public override string Name => "nesterov";

    /// <inheritdoc/>
    protected override bool Nesterov => true;
}
