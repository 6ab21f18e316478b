namespace AlgoPerf.Scorer.Model;

/// <summary>
/// One trial's result, as a row of the trial table
/// (<c>ruleset,submission,workload,study,trial,time_to_target_sec,first_hit_eval_index</c>).
/// </summary>
/// <param name="Ruleset"><c>external_tuning</c> or <c>self_tuning</c>.</param>
/// <param name="Submission">Submission name.</param>
/// <param name="Workload">Workload name, framework suffix stripped.</param>
/// <param name="Study">Study key (e.g. <c>0</c> or <c>study_0</c>); studies are told apart by it, never ordered by it.</param>
/// <param name="Trial">Trial number (1-based).</param>
/// <param name="TimeToTargetSec">Submission time at the first eval that met the target; +infinity when none did.</param>
/// <param name="FirstHitEvalIndex">0-based index of that eval; null when none did.</param>
public sealed record TrialRecord(
    string Ruleset,
    string Submission,
    string Workload,
    string Study,
    int Trial,
    double TimeToTargetSec,
    int? FirstHitEvalIndex);
