using AlgoPerf.Trainer.Input;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>
/// What the runner itself keeps in a checkpoint besides the tensors: which trial it belongs to, the step, the
/// clock's accumulated times (<c>train_state</c>), where the training input stands and every eval so far.
/// </summary>
/// <param name="Workload">The workload's name (checked on resume).</param>
/// <param name="Submission">The submission's name (checked on resume).</param>
/// <param name="Seed">The trial's seed (checked on resume).</param>
/// <param name="GlobalStep">Completed steps.</param>
/// <param name="PreemptionCount">The preemption count of the run that wrote the checkpoint.</param>
/// <param name="TrainState">The clock's state after the eval that triggered the checkpoint.</param>
/// <param name="InputPosition">The training input's position.</param>
/// <param name="EvalHistory">Every eval so far, oldest first.</param>
public sealed record CheckpointHeader(
    string Workload,
    string Submission,
    ulong Seed,
    long GlobalStep,
    int PreemptionCount,
    TrainState TrainState,
    InputPosition InputPosition,
    IReadOnlyList<EvalRecord> EvalHistory);
