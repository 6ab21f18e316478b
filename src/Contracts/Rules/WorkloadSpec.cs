namespace AlgoPerf.Contracts.Rules;

/// <summary>
/// One workload of a rules version: target, budget and schedule constants as the reference code defines them
/// (<c>algoperf-rules.md</c> §4). Variants ("held-out" workloads) name their base and inherit its budget,
/// step hint and eval period.
/// </summary>
/// <param name="Name">Workload name, e.g. <c>imagenet_resnet</c> or <c>wmt_glu_tanh</c>.</param>
/// <param name="BaseName">The base workload of a variant; null for a base workload.</param>
/// <param name="TargetMetric">Metric name without the split prefix, e.g. <c>accuracy</c>.</param>
/// <param name="Direction">Whether the metric is minimised or maximised.</param>
/// <param name="ValidationTarget">Target on <c>validation/&lt;metric&gt;</c>; the scored target.</param>
/// <param name="TestTarget">Target on <c>test/&lt;metric&gt;</c>.</param>
/// <param name="MaxRuntimeSec">External-tuning budget (<c>max_allowed_runtime_sec</c>).</param>
/// <param name="StepHint">The workload's <c>step_hint</c>.</param>
/// <param name="EvalPeriodSec">The workload's <c>eval_period_time_sec</c>.</param>
public sealed record WorkloadSpec(
    string Name,
    string? BaseName,
    string TargetMetric,
    MetricDirection Direction,
    double ValidationTarget,
    double TestTarget,
    double MaxRuntimeSec,
    int StepHint,
    double EvalPeriodSec)
{
    /// <summary>True for a variant (held-out) workload.</summary>
    public bool IsVariant => BaseName is not null;

    /// <summary>The metric key the scorer reads, e.g. <c>validation/accuracy</c>.</summary>
    public string ValidationMetricKey => "validation/" + TargetMetric;

    /// <summary>The test-split metric key, e.g. <c>test/accuracy</c>.</summary>
    public string TestMetricKey => "test/" + TargetMetric;

    /// <summary>The runner's strict stop rule (<c>has_reached_validation_target</c>): <c>&lt;</c> or <c>&gt;</c>.</summary>
    public bool RunnerReachedValidation(double value) => RunnerReached(value, ValidationTarget);

    /// <summary>The runner's strict stop rule on the test split.</summary>
    public bool RunnerReachedTest(double value) => RunnerReached(value, TestTarget);

    /// <summary>The scorer's non-strict hit rule on the validation split.</summary>
    public bool ScorerMeetsValidation(double value) => MetricDirections.Meets(Direction, value, ValidationTarget);

    private bool RunnerReached(double value, double target) =>
        !double.IsNaN(value) && (Direction == MetricDirection.Minimize ? value < target : value > target);
}
