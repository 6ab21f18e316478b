namespace AlgoPerf.Trainer.Input;

/// <summary>
/// Eval iteration (<c>algoperf-rules.md</c> §3): a split is evaluated in order, in batches of the workload's
/// <c>eval_batch_size</c>, the last one partial (padded and masked by the model code); the eval_train subset is the
/// first <see cref="EvalTrainCount"/> examples of the train split.
/// </summary>
public static class EvalBatches
{
    /// <summary>The batches covering the first <paramref name="count"/> examples of a split, in order.</summary>
    public static IEnumerable<EvalBatch> Over(int count, int evalBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evalBatchSize);
        return Iterate(count, evalBatchSize);
    }

    /// <summary>
    /// The reference's default <c>num_eval_train_examples</c>: <c>num_validation</c> rounded up to a multiple of
    /// <c>eval_batch_size</c>; capped at the train split's size, which the reference never needs to do.
    /// </summary>
    public static int EvalTrainCount(int validationCount, int evalBatchSize, int trainCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(validationCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(evalBatchSize);
        var rounded = (long)((validationCount + (long)evalBatchSize - 1) / evalBatchSize) * evalBatchSize;
        return (int)Math.Min(rounded, trainCount);
    }

    private static IEnumerable<EvalBatch> Iterate(int count, int size)
    {
        for (var start = 0; start < count; start += size)
        {
            yield return new EvalBatch(start, Math.Min(size, count - start), size);
        }
    }
}
