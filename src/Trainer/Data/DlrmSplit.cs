namespace AlgoPerf.Trainer.Data;

/// <summary>One split of the synthetic click data, as flat managed arrays.</summary>
/// <param name="Name">The split's name.</param>
/// <param name="Dense">Dense features, <c>Count × DenseFeatures</c>, row-major.</param>
/// <param name="Categorical">Category ids, <c>Count × CategoricalFeatures</c>, row-major, each in <c>[0, Vocabulary)</c>.</param>
/// <param name="Labels">Click labels, 0 or 1.</param>
public sealed record DlrmSplit(string Name, float[] Dense, int[] Categorical, float[] Labels)
{
    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Copies the examples at <paramref name="indices"/>: dense features, 64-bit category ids, labels.</summary>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<float> dense, Span<long> categorical, Span<float> labels)
    {
        const int d = DlrmSynthetic.DenseFeatures;
        const int c = DlrmSynthetic.CategoricalFeatures;
        for (var k = 0; k < indices.Length; k++)
        {
            var i = indices[k];
            Dense.AsSpan(i * d, d).CopyTo(dense.Slice(k * d, d));
            for (var j = 0; j < c; j++)
            {
                categorical[(k * c) + j] = Categorical[(i * c) + j];
            }

            labels[k] = Labels[i];
        }
    }
}
