using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Procedure;

/// <summary>
/// The reference's secondary metric (<c>scoring/compute_speedups.py</c>, <c>algoperf-rules.md</c> §7.10): per base
/// workload <c>t_comparison / t_baseline</c> on the median times, with +infinity replaced by the v0.5 budget + 1 s
/// (x3 under self-tuning), and the geometric mean over workloads. A value below 1 means the comparison is faster.
/// </summary>
public static class Speedup
{
    /// <summary>The geometric-mean speedup of <paramref name="comparison"/> against <paramref name="baseline"/>.</summary>
    /// <param name="times">Median times per workload (the table before the held-out and 4x rules).</param>
    /// <param name="baseWorkloads">The base workloads compared (variants are ignored).</param>
    /// <param name="baseline">The baseline submission.</param>
    /// <param name="comparison">The submission compared.</param>
    /// <param name="ruleset">Self-tuning triples the replacement budget.</param>
    /// <exception cref="KeyNotFoundException">A submission is not in the table, or a workload has no v0.5 budget.</exception>
    public static double GeometricMean(TimeTable times, IReadOnlyList<string> baseWorkloads, string baseline, string comparison, Ruleset ruleset)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(baseWorkloads);
        foreach (var name in new[] { baseline, comparison })
        {
            if (!times.Submissions.Contains(name, StringComparer.Ordinal))
            {
                throw new KeyNotFoundException($"speedup: no submission '{name}' was scored (have: {string.Join(", ", times.Submissions)})");
            }
        }

        var factor = ruleset == Ruleset.SelfTuning ? 3.0 : 1.0;
        var speedups = new double[baseWorkloads.Count];
        for (var i = 0; i < baseWorkloads.Count; i++)
        {
            var budget = (factor * RulesVersions.V05.Workload(baseWorkloads[i]).MaxRuntimeSec) + 1;
            var b = Replace(times.Get(baseline, baseWorkloads[i]), budget);
            var c = Replace(times.Get(comparison, baseWorkloads[i]), budget);
            speedups[i] = c / b;
        }

        return NumPy.GeometricMean(speedups);
    }

    private static double Replace(double t, double budget) => double.IsPositiveInfinity(t) ? budget : t;
}
