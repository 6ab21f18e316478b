using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Tuner.Studies;

/// <summary>The result of replaying one simulated study through <see cref="StudyState"/>.</summary>
/// <param name="Decision">The study's decision.</param>
/// <param name="TimeUsedSec">Submission time the trials actually ran (up to their last delivered eval, or their end).</param>
/// <param name="TimeFullSec">Submission time had every trial run to its end.</param>
/// <param name="TrialsStopped">How many trials the tuner stopped early.</param>
public sealed record SimulationOutcome(StudyDecided Decision, double TimeUsedSec, double TimeFullSec, int TrialsStopped);
