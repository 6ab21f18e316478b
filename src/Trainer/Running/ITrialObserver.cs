using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Running;

/// <summary>
/// What a running trial reports as it goes, called on the trial's thread (implementations must not block; the trainer
/// actor turns each call into a message). Every method has an empty default.
/// </summary>
public interface ITrialObserver
{
    /// <summary>Model, input and optimizer are ready (restored when resuming); the clock starts next.</summary>
    /// <param name="preemptionCount">0 for a fresh trial, +1 per resume.</param>
    /// <param name="resumedFromStep">The step of the checkpoint resumed from, or 0.</param>
    void Started(int preemptionCount, long resumedFromStep)
    {
    }

    /// <summary>A step ended (after its time accounting). Called every step: keep it cheap.</summary>
    void StepEnded(long globalStep, double accumulatedSubmissionTime)
    {
    }

    /// <summary>An eval was recorded (and logged).</summary>
    /// <param name="evalIndex">0-based index over the trial's evals, restored ones included.</param>
    /// <param name="record">The eval row.</param>
    void EvalRecorded(int evalIndex, EvalRecord record)
    {
    }

    /// <summary>A checkpoint was written.</summary>
    void CheckpointSaved(CheckpointInfo checkpoint)
    {
    }

    /// <summary>A checkpoint could not be used and an older one (or none) is tried instead.</summary>
    void CheckpointRejected(string path, Exception error)
    {
    }
}
