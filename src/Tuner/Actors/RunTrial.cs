using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Actors;

/// <summary>
/// Tuner → runner: run (or resume from its latest checkpoint) this planned trial. The runner sends the trial's
/// outcomes (<c>EvalRecorded</c>, then <c>TrialFinished</c> or <c>TrialFailed</c>) back to the sender. Sent again for
/// every unfinished trial after the tuner recovers, so the runner must treat a repeat as idempotent.
/// </summary>
/// <param name="Trial">The trial with its hyperparameters, seed and budget.</param>
public sealed record RunTrial(PlannedTrial Trial);
