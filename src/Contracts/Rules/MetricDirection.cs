namespace AlgoPerf.Contracts.Rules;

/// <summary>Whether a lower or a higher value of a metric is better.</summary>
public enum MetricDirection
{
    /// <summary>Lower is better (losses, error rates, WER).</summary>
    Minimize,

    /// <summary>Higher is better (accuracy, SSIM, BLEU, mAP).</summary>
    Maximize,
}
