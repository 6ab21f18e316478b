using System.Globalization;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Reports;

/// <summary>One trial's validation curve.</summary>
/// <param name="Submission">Submission.</param>
/// <param name="Study">Study number.</param>
/// <param name="Trial">Trial number.</param>
/// <param name="Chosen">True when its study chose it.</param>
/// <param name="Points">Validation metric against submission time, in eval order.</param>
public sealed record CurveSeries(string Submission, int Study, int Trial, bool Chosen, IReadOnlyList<CurvePoint> Points);

/// <summary>Every trial's validation curve of one workload, with its target.</summary>
/// <param name="Workload">Workload.</param>
/// <param name="Metric">The validation metric's key.</param>
/// <param name="Minimize">True when lower is better.</param>
/// <param name="Target">The validation target.</param>
/// <param name="Submissions">The submissions in colour order (the score table's order).</param>
/// <param name="Series">One curve per trial.</param>
public sealed record WorkloadCurves(string Workload, string Metric, bool Minimize, double Target, IReadOnlyList<string> Submissions, IReadOnlyList<CurveSeries> Series);

/// <summary>
/// The training curves of a run, per workload: from the run's AlgoPerf-format logs (the report) or from the live
/// <see cref="RunView"/> (the dashboard). Both render through <see cref="TrainingCurvesSvg"/>.
/// </summary>
public static class TrainingCurves
{
    /// <summary>
    /// The curves in <paramref name="logs"/> (<c>&lt;submission&gt;/study_&lt;k&gt;/&lt;workload&gt;_&lt;framework&gt;/trial_&lt;n&gt;/eval_measurements.csv</c>)
    /// of <paramref name="workloads"/>, with the chosen trials of <paramref name="result"/> marked.
    /// </summary>
    public static IReadOnlyList<WorkloadCurves> FromLogs(string logs, WorkloadTargets targets, IReadOnlyList<string> workloads, ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(logs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(result);
        var series = workloads.ToDictionary(w => w, _ => new List<CurveSeries>(), StringComparer.Ordinal);
        var chosen = result.Studies
            .Where(s => s.ChosenTrial is not null)
            .Select(s => (s.Submission, s.Workload, s.Study, Trial: s.ChosenTrial!.Value))
            .ToHashSet();
        foreach (var trial in Directory.Exists(logs) ? ExperimentDirectoryImporter.Trials(logs) : [])
        {
            var file = Path.Combine(trial.Directory, ExperimentDirectoryImporter.MeasurementsFile);
            if (!series.TryGetValue(trial.Workload, out var list) || targets.Find(trial.Workload) is not { } target || !File.Exists(file))
            {
                continue;
            }

            var (metric, score) = EvalMeasurements.Read(file, target.MetricKey);
            var points = metric.Zip(score, (m, t) => new CurvePoint(t, m)).Where(p => double.IsFinite(p.Metric) && double.IsFinite(p.TimeSec)).ToList();
            list.Add(new CurveSeries(trial.Submission, StudyNumber(trial.Study), trial.Trial, chosen.Contains((trial.Submission, trial.Workload, trial.Study, trial.Trial)), points));
        }

        return [.. workloads.Where(w => targets.Find(w) is not null).Select(w =>
        {
            var t = targets.Find(w)!;
            var ordered = series[w].OrderBy(s => s.Submission, StringComparer.Ordinal).ThenBy(s => s.Study).ThenBy(s => s.Trial).ToList();
            return new WorkloadCurves(w, t.MetricKey, t.Direction == Contracts.Rules.MetricDirection.Minimize, t.Target, result.Submissions, ordered);
        })];
    }

    /// <summary>The curves of a live view, per workload in the run's order.</summary>
    public static IReadOnlyList<WorkloadCurves> FromView(RunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var submissions = view.Scores.Scores.Keys.ToList();
        return [.. view.Trials
            .GroupBy(t => t.Workload)
            .Select(g => new WorkloadCurves(
                g.Key,
                g.First().Metric,
                g.First().Minimize,
                g.First().Target,
                submissions,
                [.. g.Select(t => new CurveSeries(t.Submission, t.Study, t.Trial, t.Chosen, t.Curve))]))];
    }

    private static int StudyNumber(string study) =>
        int.TryParse(study.StartsWith("study_", StringComparison.Ordinal) ? study["study_".Length..] : study, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : -1;
}
