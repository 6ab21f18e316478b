using System.Globalization;
using System.Text.RegularExpressions;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Seed.Targets;

/// <summary>One eval of a target-setting run: when (step, accumulated submission time) and what it measured.</summary>
/// <param name="GlobalStep">The <c>global_step</c> column.</param>
/// <param name="SubmissionTime">The <c>score</c> column: accumulated submission time, seconds.</param>
/// <param name="Validation">The <c>validation/&lt;metric&gt;</c> column (NaN when empty).</param>
/// <param name="Test">The <c>test/&lt;metric&gt;</c> column (NaN when empty).</param>
internal readonly record struct EvalPoint(long GlobalStep, double SubmissionTime, double Validation, double Test);

/// <summary>
/// One trial's evals as read from its <c>eval_measurements.csv</c>, with where it lives
/// (<c>&lt;dir&gt;/&lt;submission&gt;/study_k/&lt;workload&gt;_pytorch/trial_n/</c>).
/// </summary>
internal sealed partial record TrialCurve(string Submission, int Study, int Trial, string Directory, IReadOnlyList<EvalPoint> Evals)
{
    /// <summary>The trial's best validation value over its evals in <paramref name="direction"/>; NaN when it has none.</summary>
    public double BestValidation(MetricDirection direction) => Best(Evals.Select(e => e.Validation), direction);

    /// <summary>The trial's best test value over its evals; NaN when it has none.</summary>
    public double BestTest(MetricDirection direction) => Best(Evals.Select(e => e.Test), direction);

    /// <summary>
    /// Every trial of <paramref name="workload"/> under <paramref name="directory"/> that has an
    /// <c>eval_measurements.csv</c>, ordered by submission name (ordinal), study and trial index.
    /// </summary>
    /// <exception cref="InvalidDataException">A CSV is malformed or lacks a needed column (the message names file and column).</exception>
    public static IReadOnlyList<TrialCurve> ReadAll(string directory, WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(workload);
        var curves = new List<TrialCurve>();
        if (!System.IO.Directory.Exists(directory))
        {
            return curves;
        }

        foreach (var submissionDir in System.IO.Directory.EnumerateDirectories(directory))
        {
            foreach (var studyDir in System.IO.Directory.EnumerateDirectories(submissionDir))
            {
                var study = StudyName().Match(Path.GetFileName(studyDir));
                var workloadDir = Path.Combine(studyDir, workload.Name + "_" + TrialLogLayout.Framework);
                if (!study.Success || !System.IO.Directory.Exists(workloadDir))
                {
                    continue;
                }

                foreach (var trialDir in System.IO.Directory.EnumerateDirectories(workloadDir))
                {
                    var trial = TrialName().Match(Path.GetFileName(trialDir));
                    var csv = Path.Combine(trialDir, ExperimentDirectoryImporter.MeasurementsFile);
                    if (trial.Success && File.Exists(csv))
                    {
                        curves.Add(new TrialCurve(
                            Path.GetFileName(submissionDir),
                            int.Parse(study.Groups[1].Value, CultureInfo.InvariantCulture),
                            int.Parse(trial.Groups[1].Value, CultureInfo.InvariantCulture),
                            trialDir,
                            Read(csv, workload)));
                    }
                }
            }
        }

        return [.. curves.OrderBy(c => c.Submission, StringComparer.Ordinal).ThenBy(c => c.Study).ThenBy(c => c.Trial)];
    }

    /// <summary>The evals of one <c>eval_measurements.csv</c> (an empty file: a trial killed before its first eval).</summary>
    /// <exception cref="InvalidDataException">Malformed CSV, a missing column, or a non-numeric value (file:line:column).</exception>
    public static IReadOnlyList<EvalPoint> Read(string path, WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(workload);
        var text = File.ReadAllText(path);
        if (text.Trim().Length == 0)
        {
            return [];
        }

        var csv = CsvDocument.Parse(path, text);
        var step = csv.RequireColumn("global_step");
        var time = csv.RequireColumn(EvalMeasurements.ScoreColumn);
        var validation = csv.RequireColumn(workload.ValidationMetricKey);
        var test = csv.RequireColumn(workload.TestMetricKey);
        return [.. csv.Records.Select(r => new EvalPoint(
            r.Integer(step, allowEmpty: false) ?? 0,
            r.Number(time, empty: double.NaN),
            r.Number(validation, empty: double.NaN),
            r.Number(test, empty: double.NaN)))];
    }

    /// <summary>The best non-NaN value in <paramref name="direction"/>; NaN when there is none.</summary>
    public static double Best(IEnumerable<double> values, MetricDirection direction)
    {
        var finite = values.Where(v => !double.IsNaN(v)).ToList();
        return finite.Count == 0 ? double.NaN
            : direction == MetricDirection.Maximize ? finite.Max() : finite.Min();
    }

    [GeneratedRegex("^study_([0-9]+)$")]
    private static partial Regex StudyName();

    [GeneratedRegex("^trial_([0-9]+)$")]
    private static partial Regex TrialName();
}
