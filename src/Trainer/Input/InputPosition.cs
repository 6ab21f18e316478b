using AlgoPerf.Trainer.Data;

namespace AlgoPerf.Trainer.Input;

/// <summary>
/// Where a training input iterator stands, small enough to checkpoint: restoring it continues the exact batch
/// sequence (see <see cref="ShuffledBatches.Restore"/>).
/// </summary>
/// <param name="Epoch">Epochs started so far minus one (0 during the first epoch).</param>
/// <param name="Index">Position in the current epoch's order: examples already handed out in this epoch.</param>
/// <param name="EpochStartRng">The generator's state just before it drew the current epoch's permutation.</param>
public sealed record InputPosition(long Epoch, int Index, RandomState EpochStartRng);
