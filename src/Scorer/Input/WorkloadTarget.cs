using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Scorer.Input;

/// <summary>What the scorer checks for one workload: the validation metric column, its direction and the target.</summary>
/// <param name="Workload">Workload name (no framework suffix).</param>
/// <param name="MetricKey">The <c>eval_measurements.csv</c> column, e.g. <c>validation/accuracy</c>.</param>
/// <param name="Direction">Whether the metric is minimised or maximised.</param>
/// <param name="Target">The validation target value.</param>
public sealed record WorkloadTarget(string Workload, string MetricKey, MetricDirection Direction, double Target);
