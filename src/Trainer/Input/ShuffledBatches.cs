using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Input;

/// <summary>
/// The training input order: every epoch is a fresh permutation of the split drawn from one seeded
/// <see cref="Xoshiro256StarStar"/> stream, cut into batches with drop-last semantics (the tail of an epoch shorter
/// than a batch is skipped and the next epoch starts), as the reference's PyTorch loaders do
/// (<c>DataLoader(drop_last=True)</c> over a shuffling sampler, cycled).
/// </summary>
public sealed class ShuffledBatches
{
    private readonly Xoshiro256StarStar _rng;
    private readonly int[] _order;
    private RandomState _epochStart;

    /// <summary>Creates the iterator at the start of epoch 0.</summary>
    /// <param name="exampleCount">Examples in the split.</param>
    /// <param name="batchSize">Examples per batch; at most <paramref name="exampleCount"/>.</param>
    /// <param name="seed">The seed of the order.</param>
    public ShuffledBatches(int exampleCount, int batchSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exampleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (batchSize > exampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"a batch of {batchSize} cannot be drawn from {exampleCount} examples with drop-last");
        }

        ExampleCount = exampleCount;
        BatchSize = batchSize;
        _rng = new Xoshiro256StarStar(seed);
        _order = new int[exampleCount];
        StartEpoch(0);
    }

    /// <summary>Examples in the split.</summary>
    public int ExampleCount { get; }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches per epoch (the remainder is dropped).</summary>
    public int BatchesPerEpoch => ExampleCount / BatchSize;

    /// <summary>The current epoch (0-based).</summary>
    public long Epoch { get; private set; }

    /// <summary>Examples of the current epoch already handed out.</summary>
    public int Index { get; private set; }

    /// <summary>The position to checkpoint.</summary>
    public InputPosition Position => new(Epoch, Index, _epochStart);

    /// <summary>Writes the next batch's example indices into <paramref name="indices"/> (length <see cref="BatchSize"/>).</summary>
    public void Next(Span<int> indices)
    {
        if (indices.Length != BatchSize)
        {
            throw new ArgumentException($"expected a span of {BatchSize} indices, got {indices.Length}", nameof(indices));
        }

        if (Index + BatchSize > ExampleCount)
        {
            StartEpoch(Epoch + 1);
        }

        _order.AsSpan(Index, BatchSize).CopyTo(indices);
        Index += BatchSize;
    }

    /// <summary>The next batch's example indices as a new array.</summary>
    public int[] Next()
    {
        var indices = new int[BatchSize];
        Next(indices);
        return indices;
    }

    /// <summary>Continues exactly from a saved position: regenerates that epoch's permutation and skips to the index.</summary>
    /// <exception cref="ArgumentException">The position does not fit this iterator (index beyond the split).</exception>
    public void Restore(InputPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        if (position.Epoch < 0 || position.Index < 0 || position.Index > ExampleCount)
        {
            throw new ArgumentException($"input position (epoch {position.Epoch}, index {position.Index}) does not fit a split of {ExampleCount} examples", nameof(position));
        }

        _rng.State = position.EpochStartRng;
        StartEpoch(position.Epoch);
        Index = position.Index;
    }

    private void StartEpoch(long epoch)
    {
        _epochStart = _rng.State;
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _rng.Shuffle(_order.AsSpan());
        Epoch = epoch;
        Index = 0;
    }
}
