namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// State that goes into a trial checkpoint and comes back from one: a submission's optimizer state (moments, step
/// counts, its own random generators), or anything else the runner is handed that changes during training.
/// <see cref="Save"/> names every tensor and scalar it writes; <see cref="Load"/> reads the same names back into a
/// freshly initialised instance (same workload, hyperparameters and seed), so lazily created state must be created
/// by <see cref="Load"/> when the checkpoint has it.
/// </summary>
public interface ICheckpointable
{
    /// <summary>Writes the state. Tensors are read when the checkpoint is written, before this call's caller returns.</summary>
    void Save(CheckpointWriter writer);

    /// <summary>Restores the state written by <see cref="Save"/>.</summary>
    /// <exception cref="TensorFileCorruptException">A field is missing or does not fit; the message names the file and the field.</exception>
    void Load(CheckpointReader reader);
}
