using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Actors;

/// <summary>
/// Tuner → runner: run (or resume from its latest checkpoint) this planned trial. The runner sends the trial's
/// outcomes (<c>EvalRecorded</c>, then <c>TrialFinished</c> or <c>TrialFailed</c>) back to the sender, as they are or
/// as <see cref="AttemptOutcome"/>s. Sent again for every unfinished trial after the tuner recovers, so the runner
/// must treat a repeat as idempotent.
/// </summary>
/// <param name="Trial">The trial with its hyperparameters, seed and budget.</param>
/// <param name="LastAttempt">The latest attempt of the trial the tuner's journal holds a start of (0: none): a runner
/// that numbers attempts (the fencing token of cluster mode) starts the next one above it, also after a coordinator
/// hand-over that lost its own count.</param>
public sealed record RunTrial(PlannedTrial Trial, int LastAttempt = 0);
