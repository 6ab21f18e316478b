namespace AlgoPerf.Trainer.Timing;

/// <summary>
/// One eval as the runner appends it to <c>eval_results</c> and logs it: the workload's metrics
/// (<c>train/…</c>, <c>validation/…</c>, <c>test/…</c>) followed by <c>score</c>, <c>total_duration</c>,
/// <c>accumulated_submission_time</c>, <c>accumulated_eval_time</c> and <c>accumulated_logging_time</c>, in that order.
/// </summary>
/// <param name="GlobalStep">The step count when the eval ran.</param>
/// <param name="Metrics">Metric name to value, in insertion order.</param>
public sealed record EvalRecord(long GlobalStep, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The score of this eval: the accumulated submission time when it ran.</summary>
    public double Score => Metrics.TryGetValue("score", out var s) ? s : double.NaN;

    /// <summary>A metric's value, or NaN when the eval did not produce it.</summary>
    public double Get(string name) => Metrics.TryGetValue(name, out var v) ? v : double.NaN;
}
