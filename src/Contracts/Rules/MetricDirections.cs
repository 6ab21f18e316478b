namespace AlgoPerf.Contracts.Rules;

/// <summary>
/// The reference scorer's metric-direction registry (<c>MINIMIZE_REGISTRY</c> in
/// <c>scoring/performance_profile.py</c>): a metric is minimised when its name contains one of the minimised
/// names, and maximised when it contains one of the maximised names, matched by substring as the reference does.
/// </summary>
public static class MetricDirections
{
    /// <summary>Substrings of metric names that are minimised (the reference list, plus <c>ppl</c> from the submissions repo).</summary>
    public static IReadOnlyList<string> Minimized { get; } = ["ce_loss", "error_rate", "ctc_loss", "wer", "l1_loss", "loss", "ppl"];

    /// <summary>Substrings of metric names that are maximised.</summary>
    public static IReadOnlyList<string> Maximized { get; } = ["mean_average_precision", "ssim", "accuracy", "bleu"];

    /// <summary>The direction of a metric such as <c>validation/accuracy</c> or <c>loss</c>.</summary>
    /// <param name="metricName">The metric name, with or without a split prefix.</param>
    /// <exception cref="ArgumentException">The name matches neither registry.</exception>
    public static MetricDirection Of(string metricName)
    {
        ArgumentNullException.ThrowIfNull(metricName);
        // Maximised names are tested first: "mean_average_precision" etc. never contain a minimised substring,
        // but checking the longer, more specific names first keeps the rule obvious.
        foreach (var name in Maximized)
        {
            if (metricName.Contains(name, StringComparison.Ordinal))
            {
                return MetricDirection.Maximize;
            }
        }

        foreach (var name in Minimized)
        {
            if (metricName.Contains(name, StringComparison.Ordinal))
            {
                return MetricDirection.Minimize;
            }
        }

        throw new ArgumentException($"metric '{metricName}' is in neither the minimised nor the maximised registry", nameof(metricName));
    }

    /// <summary>
    /// The scorer's hit test: <c>value &lt;= target</c> when minimised, <c>value &gt;= target</c> when maximised.
    /// NaN never meets a target. (The runner's own stop rule is strict; see <see cref="WorkloadSpec"/>.)
    /// </summary>
    public static bool Meets(MetricDirection direction, double value, double target) =>
        !double.IsNaN(value) && (direction == MetricDirection.Minimize ? value <= target : value >= target);
}
