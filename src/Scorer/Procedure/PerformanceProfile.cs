using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Procedure;

/// <summary>
/// Performance ratios, profiles and the benchmark score, as the reference computes them (<c>algoperf-rules.md</c>
/// §7.7 to §7.9).
/// </summary>
public static class PerformanceProfile
{
    /// <summary>
    /// Ratios to the column best: <c>t / min</c> (NaN skipped in the min). As with pandas <c>update</c>, a NaN ratio
    /// (inf/inf when nobody solved the workload, 0/0, or a missing time) keeps the time it came from.
    /// </summary>
    public static TimeTable Ratios(TimeTable times)
    {
        ArgumentNullException.ThrowIfNull(times);
        var r = times.Clone();
        for (var w = 0; w < r.Workloads.Count; w++)
        {
            var best = times.ColumnMin(w);
            for (var s = 0; s < r.Submissions.Count; s++)
            {
                var ratio = times[s, w] / best;
                if (!double.IsNaN(ratio))
                {
                    r[s, w] = ratio;
                }
            }
        }

        return r;
    }

    /// <summary>
    /// ρ(τ) of one row: <c>(#workloads with r &lt;= τ) / numBaseWorkloads</c> at each τ. The denominator is the fixed
    /// number of base workloads, so a missing workload counts as a failure.
    /// </summary>
    public static double[] Rho(TimeTable ratios, int row, IReadOnlyList<double> tau, int numBaseWorkloads)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        ArgumentNullException.ThrowIfNull(tau);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBaseWorkloads);
        var rho = new double[tau.Count];
        for (var k = 0; k < tau.Count; k++)
        {
            var count = 0;
            for (var w = 0; w < ratios.Workloads.Count; w++)
            {
                if (ratios[row, w] <= tau[k])
                {
                    count++;
                }
            }

            rho[k] = (double)count / numBaseWorkloads;
        }

        return rho;
    }

    /// <summary>
    /// The benchmark score: <c>np.trapezoid(ρ, x=τ) / (τ_max − τ_min)</c>. The profile frame the reference integrates
    /// is column-major (pandas builds it column by column), so NumPy sums each row's trapezoids left to right when
    /// there are several submissions and pairwise when there is one; <paramref name="poolSize"/> selects that order.
    /// </summary>
    public static double Score(IReadOnlyList<double> rho, IReadOnlyList<double> tau, int poolSize)
    {
        ArgumentNullException.ThrowIfNull(rho);
        ArgumentNullException.ThrowIfNull(tau);
        var area = NumPy.Trapezoid(rho, tau, pairwise: poolSize == 1);
        return area / (tau[^1] - tau[0]);
    }

    /// <summary>Profiles and scores for every row of the ratio table on the standard τ grid (<see cref="RulesVersion.TauGrid"/>).</summary>
    public static (double[] Tau, double[][] Rho, double[] Scores) Compute(TimeTable ratios, int numBaseWorkloads)
    {
        ArgumentNullException.ThrowIfNull(ratios);
        var tau = RulesVersion.TauGrid();
        var rho = new double[ratios.Submissions.Count][];
        var scores = new double[ratios.Submissions.Count];
        for (var s = 0; s < rho.Length; s++)
        {
            rho[s] = Rho(ratios, s, tau, numBaseWorkloads);
            scores[s] = Score(rho[s], tau, ratios.Submissions.Count);
        }

        return (tau, rho, scores);
    }
}
