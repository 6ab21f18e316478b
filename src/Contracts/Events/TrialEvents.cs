using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Contracts.Events;

/// <summary>A trial was added to the plan, with its hyperparameters (in search-space key order) and its seed.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="Hyperparameters">Name to value, in search-space order; empty for self-tuning.</param>
/// <param name="Seed">The trial's RNG seed (see the tuner's seed derivation).</param>
/// <param name="BudgetSec">The submission-time budget the runner enforces for this trial.</param>
[EventContract("trial-planned", 1)]
public sealed record TrialPlanned(TrialId Trial, IReadOnlyList<KeyValuePair<string, double>> Hyperparameters, ulong Seed, double BudgetSec) : IEvent;

/// <summary>A worker took ownership of a trial under a lease epoch.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="Owner">The owning worker/trainer id.</param>
/// <param name="Epoch">The lease epoch (fencing token).</param>
[EventContract("trial-leased", 1)]
public sealed record TrialLeased(TrialId Trial, string Owner, long Epoch) : IEvent;

/// <summary>Training of a trial started (or resumed after a preemption).</summary>
/// <param name="Trial">The trial.</param>
/// <param name="PreemptionCount">0 for a fresh start, incremented on each resume.</param>
/// <param name="ResumedFromStep">The global step of the checkpoint resumed from, or 0.</param>
/// <param name="Attempt">The scheduler's attempt number of this run of the trial (1, 2, ... per trial, the fencing
/// token: results of an earlier attempt are refused once a later one started); 0 in journals written before attempts
/// were numbered (trial-started/1).</param>
[EventContract("trial-started", 2)]
public sealed record TrialStarted(TrialId Trial, int PreemptionCount, long ResumedFromStep, int Attempt = 0) : IEvent;

/// <summary>
/// One official eval of a trial, as a row of the reference's <c>eval_measurements.csv</c>.
/// </summary>
/// <param name="Trial">The trial.</param>
/// <param name="EvalIndex">0-based index of this eval within the trial.</param>
/// <param name="GlobalStep">The step after which the eval ran.</param>
/// <param name="SubmissionTimeSec">Accumulated submission time at the eval: the reference's <c>score</c> column.</param>
/// <param name="EvalTimeSec">Accumulated eval time.</param>
/// <param name="Metrics">Metric key (e.g. <c>validation/accuracy</c>) to value.</param>
[EventContract("eval-recorded", 1)]
public sealed record EvalRecorded(TrialId Trial, int EvalIndex, long GlobalStep, double SubmissionTimeSec, double EvalTimeSec, IReadOnlyDictionary<string, double> Metrics) : IEvent;

/// <summary>A checkpoint of a trial was written durably.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="GlobalStep">The step of the checkpoint.</param>
/// <param name="Path">Path of the checkpoint file, relative to the run directory.</param>
/// <param name="Sha256">Hex SHA-256 of the file.</param>
[EventContract("checkpoint-saved", 1)]
public sealed record CheckpointSaved(TrialId Trial, long GlobalStep, string Path, string Sha256) : IEvent;

/// <summary>Why a trial ended normally.</summary>
public enum TrialEndReason
{
    /// <summary>Both validation and test targets were reached.</summary>
    TargetsReached,

    /// <summary>The budget was exhausted.</summary>
    BudgetExhausted,

    /// <summary>The submission ended training early (<c>TrainingCompleteError</c>).</summary>
    TrainingComplete,

    /// <summary><c>max_global_steps</c> was reached.</summary>
    MaxSteps,

    /// <summary>The loss became non-finite.</summary>
    Diverged,

    /// <summary>Stopped by the tuner because it could no longer change the study's result.</summary>
    StoppedEarly,
}

/// <summary>A trial ended.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="Reason">Why it ended.</param>
/// <param name="GlobalSteps">Steps taken.</param>
/// <param name="SubmissionTimeSec">Final accumulated submission time.</param>
[EventContract("trial-finished", 1)]
public sealed record TrialFinished(TrialId Trial, TrialEndReason Reason, long GlobalSteps, double SubmissionTimeSec) : IEvent;

/// <summary>A trial failed: the submission threw, or the trainer could not run it. It scores infinity.</summary>
/// <param name="Trial">The trial.</param>
/// <param name="Error">The error message.</param>
/// <param name="StackTrace">The stack trace, when there is one.</param>
[EventContract("trial-failed", 1)]
public sealed record TrialFailed(TrialId Trial, string Error, string? StackTrace) : IEvent;
