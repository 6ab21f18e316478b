using AlgoPerf.Trainer.Input;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// A workload's training input iterator: the checkpointable seeded order of <see cref="ShuffledBatches"/> (drop-last,
/// a fresh permutation per epoch) turned into tensor batches. <see cref="Position"/> and <see cref="Restore"/>
/// continue exactly; per-epoch randomness in a batch (the denoising noise) is a function of the seed, the epoch and
/// the example, so it is restored too.
/// </summary>
public sealed class TrainingInput
{
    private readonly Workload _workload;
    private readonly ShuffledBatches _order;
    private readonly ulong _seed;
    private readonly int[] _indices;
    private readonly int _rank;

    internal TrainingInput(Workload workload, ShuffledBatches order, ulong seed, int rank = 0, int ranks = 1)
    {
        _workload = workload;
        _order = order;
        _seed = seed;
        _indices = new int[order.BatchSize];
        _rank = rank;
        BatchSize = order.BatchSize / ranks;
    }

    /// <summary>Examples per batch this iterator yields: the global batch, or in a data-parallel gang this rank's shard of it.</summary>
    public int BatchSize { get; }

    /// <summary>Examples per global batch (over all ranks of a gang).</summary>
    public int GlobalBatchSize => _order.BatchSize;

    /// <summary>The position to checkpoint.</summary>
    public InputPosition Position => _order.Position;

    /// <summary>The next training batch (owned by the caller, and by the dispose scope open on this thread, if any).</summary>
    public Batch Next()
    {
        _order.Next(_indices);
        var shard = _indices.AsSpan(_rank * BatchSize, BatchSize);
        return _workload.MakeBatch(DataSplit.Train, shard, _order.Epoch, _seed).To(_workload.Device);
    }

    /// <summary>Continues from a saved position.</summary>
    public void Restore(InputPosition position) => _order.Restore(position);
}
