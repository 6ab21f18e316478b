namespace AlgoPerf.Trainer.Distributed;

/// <summary>How every reducer's <see cref="IGradientReducer.AllReduce"/> combines the ranks' values: in rank order, so every rank and every reducer gets bit-identical results.</summary>
public static class RankOrder
{
    /// <summary>
    /// Writes into <paramref name="values"/> the element-wise sum or maximum over the ranks of <paramref name="gathered"/>,
    /// which holds every rank's values one rank after the other (rank 0's first), combined in rank order.
    /// </summary>
    /// <exception cref="ArgumentException">The gathered values are not <paramref name="worldSize"/> times as many.</exception>
    public static void Combine(ReadOnlySpan<double> gathered, Span<double> values, int worldSize, ReduceOp op)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (gathered.Length != values.Length * worldSize)
        {
            throw new ArgumentException($"{gathered.Length} gathered values are not {worldSize} ranks of {values.Length}", nameof(gathered));
        }

        for (var i = 0; i < values.Length; i++)
        {
            var result = gathered[i];
            for (var r = 1; r < worldSize; r++)
            {
                var v = gathered[(r * values.Length) + i];
                result = op == ReduceOp.Max ? Math.Max(result, v) : result + v;
            }

            values[i] = result;
        }
    }
}
