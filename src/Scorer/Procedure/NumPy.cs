namespace AlgoPerf.Scorer.Procedure;

/// <summary>
/// The few NumPy reductions the reference scorer uses, with NumPy's order of floating-point operations, so results
/// match to the last bit rather than merely to printed precision.
/// </summary>
public static class NumPy
{
    /// <summary>
    /// <c>np.median</c>: NaN when any value is NaN; the middle value of the sorted values, or <c>(a + b) / 2</c> of the
    /// two middle ones (so inf + inf = inf and inf + finite = inf); NaN for no values.
    /// </summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0 || sorted.Any(double.IsNaN))
        {
            return double.NaN;
        }

        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    /// <summary>
    /// <c>np.add.reduce</c> over a contiguous run: pairwise summation (blocks of 8 partial sums below 128 values,
    /// halving above), as NumPy's <c>pairwise_sum</c>.
    /// </summary>
    public static double PairwiseSum(ReadOnlySpan<double> a)
    {
        const int blockSize = 128;
        if (a.Length < 8)
        {
            var res = 0.0;
            foreach (var v in a)
            {
                res += v;
            }

            return res;
        }

        if (a.Length <= blockSize)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            var i = 8;
            for (; i < a.Length - (a.Length % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += a[i + j];
                }
            }

            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < a.Length; i++)
            {
                res += a[i];
            }

            return res;
        }

        var n2 = a.Length / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }

    /// <summary>Plain left-to-right summation: what a NumPy reduction does along a strided (non-inner) axis.</summary>
    public static double SequentialSum(ReadOnlySpan<double> a)
    {
        var res = 0.0;
        foreach (var v in a)
        {
            res += v;
        }

        return res;
    }

    /// <summary>
    /// <c>np.trapezoid(y, x)</c> terms: <c>d * (y[1:] + y[:-1]) / 2.0</c> with <c>d = diff(x)</c>, summed by
    /// <paramref name="pairwise"/> (contiguous rows) or sequentially (rows of a column-major frame).
    /// </summary>
    public static double Trapezoid(IReadOnlyList<double> y, IReadOnlyList<double> x, bool pairwise)
    {
        if (y.Count != x.Count)
        {
            throw new ArgumentException($"{y.Count} y values but {x.Count} x values", nameof(x));
        }

        if (y.Count < 2)
        {
            return 0.0;
        }

        var terms = new double[y.Count - 1];
        for (var k = 0; k < terms.Length; k++)
        {
            var d = x[k + 1] - x[k];
            terms[k] = d * (y[k + 1] + y[k]) / 2.0;
        }

        return pairwise ? PairwiseSum(terms) : SequentialSum(terms);
    }

    /// <summary><c>scipy.stats.gmean</c>: <c>exp(mean(log(a)))</c>, the mean as NumPy computes it (pairwise sum / n).</summary>
    public static double GeometricMean(IReadOnlyList<double> a)
    {
        var logs = a.Select(v => Math.Log(v)).ToArray();
        return Math.Exp(PairwiseSum(logs) / logs.Length);
    }
}
