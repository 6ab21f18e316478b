using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Contracts.Events;

/// <summary>A study's result is final.</summary>
/// <param name="Study">The study.</param>
/// <param name="Selection">The selection rule used: <c>reference</c> or <c>fastest</c>.</param>
/// <param name="ChosenTrial">The trial the rule picked (1-based), or null when no trial reached the target.</param>
/// <param name="FirstHitEvalIndex">The chosen trial's first-hit eval index, or null.</param>
/// <param name="TimeToTargetSec">The study's time to target; <see cref="double.PositiveInfinity"/> when none hit.</param>
[EventContract("study-decided", 1)]
public sealed record StudyDecided(StudyId Study, string Selection, int? ChosenTrial, int? FirstHitEvalIndex, double TimeToTargetSec) : IEvent;
