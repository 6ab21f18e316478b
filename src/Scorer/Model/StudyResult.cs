namespace AlgoPerf.Scorer.Model;

/// <summary>One study's decision.</summary>
/// <param name="Submission">Submission name.</param>
/// <param name="Workload">Workload name.</param>
/// <param name="Study">Study key.</param>
/// <param name="Trials">Number of trials with measurements in the study.</param>
/// <param name="ChosenTrial">The trial the selection rule picked; null when no trial reached the target.</param>
/// <param name="ChosenFirstHitEvalIndex">That trial's first-hit eval index; null when none.</param>
/// <param name="TimeToTargetSec">The study's time; +infinity when no trial reached the target.</param>
public sealed record StudyResult(
    string Submission,
    string Workload,
    string Study,
    int Trials,
    int? ChosenTrial,
    int? ChosenFirstHitEvalIndex,
    double TimeToTargetSec);
