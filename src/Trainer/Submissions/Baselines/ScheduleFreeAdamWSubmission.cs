using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Optimizers;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Submissions.Baselines;

/// <summary>
/// Hyperparameters of Schedule-Free AdamW. Every one has the v0.5 self-tuning winner's hard-coded value as its
/// default, so a self-tuning trial (no hyperparameters) and an external-tuning trial (its search space's points) bind
/// the same record.
/// </summary>
/// <param name="LearningRate"><c>learning_rate</c> (0.0025).</param>
/// <param name="OneMinusBeta1"><c>one_minus_beta1</c> (0.1).</param>
/// <param name="Beta2"><c>beta2</c> (0.9955159689799007).</param>
/// <param name="WeightDecay"><c>weight_decay</c> (0.08121616522670176).</param>
/// <param name="WarmupFactor"><c>warmup_factor</c> (0.02): warmup = <c>int(warmup_factor·step_hint·0.75)</c>.</param>
/// <param name="WeightLrPower"><c>weight_lr_power</c> (2).</param>
/// <param name="R"><c>r</c> (0.75).</param>
/// <param name="LabelSmoothing"><c>label_smoothing</c> (0.2).</param>
/// <param name="DropoutRate"><c>dropout_rate</c> (0.1).</param>
/// <param name="GradClip"><c>grad_clip</c> (none).</param>
public sealed record ScheduleFreeHyperparameters(
    double LearningRate = 0.0025,
    double OneMinusBeta1 = 0.1,
    double Beta2 = 0.9955159689799007,
    double WeightDecay = 0.08121616522670176,
    double WarmupFactor = 0.02,
    double WeightLrPower = 2,
    double R = 0.75,
    double LabelSmoothing = 0.2,
    double? DropoutRate = 0.1,
    double? GradClip = null) : IBaselineHyperparameters;

/// <summary>
/// The v0.5 self-tuning winner, Schedule-Free AdamW (<c>algoperf-rules.md</c> §8.4), including its reset heuristic:
/// after <c>0.1·step_hint</c> steps, on each new eval once at least 4 exist, with the validation target metric
/// (negated for <c>loss</c>/<c>wer</c>) and margin 0.01: if the latest eval is less than 0.01 better than the first
/// and each of the last three successive changes is under 0.01, the weights go back to x0, the optimizer resets and
/// the base learning rate halves. The base rate and the heuristic's bookkeeping are checkpointed
/// (<c>submission.lr</c>, <c>submission.max_checked_eval_step</c>, <c>submission.resets</c>).
/// </summary>
public sealed class ScheduleFreeAdamWSubmission : BaselineSubmission<ScheduleFreeHyperparameters>
{
    /// <summary>The heuristic's margin.</summary>
    public const double ResetMargin = 0.01;

    private const string LrScalar = "lr";
    private const string MaxCheckedScalar = "max_checked_eval_step";
    private const string ResetsScalar = "resets";
    private static readonly ScheduleFreeHyperparameters s_selfTuning = new();

    /// <inheritdoc/>
    public override string Name => "schedule_free_adamw";

    /// <summary>
    /// Whether the heuristic fires for these evals (oldest first) of <paramref name="validationMetric"/>
    /// (<c>validation/&lt;metric&gt;</c>), <paramref name="metricName"/> deciding the sign.
    /// </summary>
    public static bool ShouldReset(IReadOnlyList<EvalRecord> evalResults, string metricName, string validationMetric)
    {
        ArgumentNullException.ThrowIfNull(evalResults);
        if (evalResults.Count < 4)
        {
            return false;
        }

        var sign = metricName is "loss" or "wer" ? -1.0 : 1.0;
        double At(int fromEnd) => sign * evalResults[evalResults.Count - fromEnd].Get(validationMetric);
        var initial = sign * evalResults[0].Get(validationMetric);
        var (latest, second, third, fourth) = (At(1), At(2), At(3), At(4));
        return latest - initial < ResetMargin && latest - second < ResetMargin && second - third < ResetMargin && third - fourth < ResetMargin;
    }

    /// <inheritdoc/>
    protected override ScheduleFreeHyperparameters Bind(Hyperparameters? hyperparameters) =>
        hyperparameters is null ? s_selfTuning : base.Bind(hyperparameters);

    /// <inheritdoc/>
    protected override Optimizer CreateOptimizer(IReadOnlyList<Tensor> parameters, ScheduleFreeHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(hp);
        ArgumentNullException.ThrowIfNull(workload);
        return new ScheduleFreeAdamW(
            parameters,
            1 - hp.OneMinusBeta1,
            hp.Beta2,
            hp.WeightDecay,
            (int)(hp.WarmupFactor * workload.StepHint * 0.75),
            hp.WeightLrPower,
            hp.R);
    }

    /// <inheritdoc/>
    protected override void InitScalars(OptimizerState state, ScheduleFreeHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(hp);
        state.Scalars[LrScalar] = hp.LearningRate;
        state.Scalars[MaxCheckedScalar] = 0;
        state.Scalars[ResetsScalar] = 0;
    }

    /// <inheritdoc/>
    protected override void BeforeStep(OptimizerState state, ScheduleFreeHyperparameters hp, Workload workload, IReadOnlyList<EvalRecord> evalResults, long globalStep)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(evalResults);
        var evalCount = evalResults.Count;
        if (!(globalStep > workload.StepHint * 0.10) || !(state.Scalars[MaxCheckedScalar] < evalCount))
        {
            return;
        }

        state.Scalars[MaxCheckedScalar] = evalCount;
        if (ShouldReset(evalResults, workload.TargetMetricName, workload.Spec.ValidationMetricKey))
        {
            ((ScheduleFreeAdamW)state.Optimizer).Reset();
            state.Scalars[LrScalar] /= 2.0;
            state.Scalars[ResetsScalar] += 1;
        }
    }

    /// <inheritdoc/>
    protected override void BeforeForward(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        ((ScheduleFreeAdamW)state.Optimizer).MoveToGradientPoint();
    }

    /// <inheritdoc/>
    protected override double LearningRate(OptimizerState state, ScheduleFreeHyperparameters hp, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Scalars[LrScalar];
    }
}
