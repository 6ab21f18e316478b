using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Running;

/// <summary>What <see cref="TrialRunner.Run"/> returns.</summary>
/// <param name="Outcome">How the timed loop ended, with every eval (restored ones first) and any failure.</param>
/// <param name="TrialDirectory">Where the trial's files are.</param>
/// <param name="PreemptionCount">0 for a fresh trial, +1 per resume.</param>
/// <param name="ResumedFromStep">The step of the checkpoint resumed from, or 0.</param>
/// <param name="StoppedEarly">The trial was stopped for good (<see cref="TrialControl.StopEarly"/>) rather than paused.</param>
/// <param name="Checkpoints">Checkpoints written by this run, oldest first.</param>
/// <param name="RejectedCheckpoints">Checkpoints found unusable on resume (renamed to <c>*.corrupt</c>), with the reason.</param>
public sealed record TrialRunResult(
    TrialOutcome Outcome,
    string TrialDirectory,
    int PreemptionCount,
    long ResumedFromStep,
    bool StoppedEarly,
    IReadOnlyList<CheckpointInfo> Checkpoints,
    IReadOnlyList<string> RejectedCheckpoints);
