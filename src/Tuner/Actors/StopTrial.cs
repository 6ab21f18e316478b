using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Tuner.Actors;

/// <summary>
/// Tuner → runner: stop this trial, it can no longer change its study's result (score-preserving early stopping).
/// The runner ends it with <c>TrialFinished(StoppedEarly)</c> sent back to the tuner. The tuner sends it again after a
/// recovery for every trial that should be stopped and has not ended, so a runner that is not running the trial (it
/// restarted too) must still answer with <c>TrialFinished(StoppedEarly)</c> (its last checkpoint's steps and time), or
/// the study never ends. The tuner sends no <see cref="RunTrial"/> for such a trial.
/// </summary>
/// <param name="Trial">The trial.</param>
public sealed record StopTrial(TrialId Trial);
