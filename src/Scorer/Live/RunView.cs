using AlgoPerf.Contracts.Events;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Live;

/// <summary>
/// What a person sees of a run at one moment (<see cref="RunProjection.View"/>): trials by state, every trial with its
/// curve, every study, the provisional scores with their bounds, the device time spent inside trials and an estimate
/// of the time left. Immutable; the terminal view, <c>algoperf status</c> and the dashboard all render it.
/// </summary>
/// <param name="AsOf">When the view was made.</param>
/// <param name="Version">Journal events applied so far: a view with the same version shows the same journal.</param>
/// <param name="TotalTrials">Trials the benchmark plans (submissions x workloads x studies x trials).</param>
/// <param name="TrialsByState">State (<see cref="TrialStates"/>) to count; trials not yet planned count as pending.</param>
/// <param name="Studies">Every study, in submission, workload and study order.</param>
/// <param name="Trials">Every planned trial, in the same order, then by trial number.</param>
/// <param name="Scores">Provisional scores (final once every study is decided) with best and worst cases.</param>
/// <param name="AllDecided">True when every planned study is decided.</param>
/// <param name="DeviceBusyFraction">Trainer time inside trials over the trainers' time in the run's sessions; null without a session record.</param>
/// <param name="Trainers">Trainers of the latest session (0 when unknown).</param>
/// <param name="StartedAt">When the run's first session started (null when unknown).</param>
/// <param name="ProfileResult">The provisional scoring result behind <paramref name="Scores"/>: the performance profile to plot.</param>
/// <param name="EtaSec">Estimated wall time left: the open trials' remaining budgets at the wall-per-submission-second rate seen so far, over the trainers; null when nothing is known yet or the run is decided.</param>
public sealed record RunView(
    DateTimeOffset AsOf,
    long Version,
    int TotalTrials,
    IReadOnlyDictionary<string, int> TrialsByState,
    IReadOnlyList<StudyView> Studies,
    IReadOnlyList<TrialView> Trials,
    ScoresChanged Scores,
    bool AllDecided,
    double? DeviceBusyFraction,
    int Trainers,
    DateTimeOffset? StartedAt,
    double? EtaSec,
    ScoringResult? ProfileResult = null)
{
    /// <summary>Trials that ended (finished or failed).</summary>
    public int Ended => Count(TrialStates.Finished) + Count(TrialStates.Failed);

    /// <summary>The count of one state.</summary>
    public int Count(string state) => TrialsByState.TryGetValue(state, out var n) ? n : 0;
}

/// <summary>The states of a trial in a <see cref="RunView"/>.</summary>
public static class TrialStates
{
    /// <summary>Planned (or still to be planned) and never started.</summary>
    public const string Pending = "pending";

    /// <summary>Started on a trainer and not ended, in a run that is going.</summary>
    public const string Running = "running";

    /// <summary>Started and not ended, in a run that is not going (interrupted; it resumes from its checkpoint).</summary>
    public const string Paused = "paused";

    /// <summary>Ended normally (targets reached, budget spent, stopped early, ...).</summary>
    public const string Finished = "finished";

    /// <summary>Ended with an error (scores infinity).</summary>
    public const string Failed = "failed";

    /// <summary>Every state, in display order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Running, Paused, Finished, Failed];
}

/// <summary>One study of a <see cref="RunView"/>.</summary>
/// <param name="Submission">Submission.</param>
/// <param name="Workload">Workload.</param>
/// <param name="Study">Study number (from 0).</param>
/// <param name="Trials">Trials the study plans.</param>
/// <param name="Ended">Trials that ended.</param>
/// <param name="Decided">True once <c>StudyDecided</c> is stored.</param>
/// <param name="ChosenTrial">The decided study's chosen trial; null when none reached the target or undecided.</param>
/// <param name="TimeToTargetSec">The decided study's time to target (+infinity when none reached it); null while undecided.</param>
public sealed record StudyView(string Submission, string Workload, int Study, int Trials, int Ended, bool Decided, int? ChosenTrial, double? TimeToTargetSec);

/// <summary>One point of a trial's validation curve.</summary>
/// <param name="TimeSec">Submission time at the eval.</param>
/// <param name="Metric">The workload's validation target metric.</param>
public sealed record CurvePoint(double TimeSec, double Metric);

/// <summary>One trial of a <see cref="RunView"/>.</summary>
/// <param name="Submission">Submission.</param>
/// <param name="Workload">Workload.</param>
/// <param name="Study">Study number (from 0).</param>
/// <param name="Trial">Trial number (from 1).</param>
/// <param name="State">One of <see cref="TrialStates"/>.</param>
/// <param name="BudgetSec">Its submission-time budget.</param>
/// <param name="Step">Global step at its latest eval.</param>
/// <param name="SubmissionTimeSec">Submission time at its latest eval (or at its end).</param>
/// <param name="Metric">The validation target metric's key.</param>
/// <param name="Target">The validation target.</param>
/// <param name="Minimize">True when lower is better.</param>
/// <param name="Latest">The latest value of the metric; null before the first eval.</param>
/// <param name="HitTimeSec">Submission time of the first eval that met the target; null when none did.</param>
/// <param name="Attempts">Starts on a trainer (1 + resumes).</param>
/// <param name="EndReason">Why it finished, or the failure's message; null while open.</param>
/// <param name="Chosen">True when its study chose it.</param>
/// <param name="Curve">The validation metric against submission time, in eval order.</param>
public sealed record TrialView(
    string Submission,
    string Workload,
    int Study,
    int Trial,
    string State,
    double BudgetSec,
    long Step,
    double SubmissionTimeSec,
    string Metric,
    double Target,
    bool Minimize,
    double? Latest,
    double? HitTimeSec,
    int Attempts,
    string? EndReason,
    bool Chosen,
    IReadOnlyList<CurvePoint> Curve)
{
    /// <summary><c>submission/workload/study_k/trial_n</c>.</summary>
    public string Id => $"{Submission}/{Workload}/study_{Study}/trial_{Trial}";
}
