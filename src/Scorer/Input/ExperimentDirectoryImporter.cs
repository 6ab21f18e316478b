using System.Globalization;
using System.Text.RegularExpressions;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Input;

/// <summary>
/// Reads AlgoPerf experiment directories into trial records, accepting the layouts the reference's
/// <c>get_experiment_df</c> reads (<c>algoperf-rules.md</c> §7.1, §9):
/// <list type="bullet">
/// <item><c>DIR/&lt;submission&gt;/&lt;study&gt;/&lt;workload&gt;_&lt;framework&gt;/trial_&lt;n&gt;/eval_measurements.csv</c>;</item>
/// <item><c>DIR/&lt;submission&gt;-YYYY-MM-DD-HH-MM-SS/...</c>, merged into <c>&lt;submission&gt;</c> (same-named studies merge);</item>
/// <item><c>DIR/&lt;submission&gt;/&lt;workload&gt;_&lt;framework&gt;/trial_&lt;n&gt;/...</c> without study directories: one study, <c>study_0</c>.</item>
/// </list>
/// A trial without <c>eval_measurements.csv</c> is skipped; the <c>_jax</c>/<c>_pytorch</c> suffix is stripped; the
/// time column is <c>score</c>. Trials are taken in trial-number order (the reference uses directory-listing order,
/// which only matters for complete ties).
/// </summary>
public static partial class ExperimentDirectoryImporter
{
    /// <summary>The per-trial measurements file.</summary>
    public const string MeasurementsFile = "eval_measurements.csv";

    /// <summary>Imports every submission under <paramref name="dir"/>.</summary>
    /// <param name="dir">The directory holding one directory per submission.</param>
    /// <param name="targets">Metric, direction and target per workload.</param>
    /// <param name="ruleset">The ruleset name written into the records.</param>
    /// <param name="warnings">Receives one line per skipped trial or workload.</param>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    /// <exception cref="InvalidDataException">A malformed measurements file.</exception>
    public static IReadOnlyList<TrialRecord> Import(string dir, WorkloadTargets targets, string ruleset, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(warnings);
        var records = new List<TrialRecord>();
        foreach (var study in Trials(dir).GroupBy(t => (t.Submission, t.Workload, t.Study)))
        {
            var target = targets.Find(study.Key.Workload);
            if (target is null)
            {
                warnings.Add($"{study.Key.Submission}/{study.Key.Study}/{study.Key.Workload}: no target for workload '{study.Key.Workload}', skipped");
                continue;
            }

            foreach (var trial in study)
            {
                var file = Path.Combine(trial.Directory, MeasurementsFile);
                if (!File.Exists(file))
                {
                    warnings.Add($"{file}: missing, trial skipped");
                    continue;
                }

                var hit = EvalMeasurements.FirstHit(file, target);
                records.Add(new TrialRecord(ruleset, study.Key.Submission, study.Key.Workload, study.Key.Study, trial.Trial, hit.TimeSec, hit.EvalIndex));
            }
        }

        return records;
    }

    /// <summary>
    /// Every trial directory under <paramref name="dir"/> in any of the layouts above (whether or not it holds its
    /// measurements file): submissions in name order (timestamped directories merged), then per submission its studies
    /// by workload and study key, each study's trials by number. What <see cref="Import"/> reads, and the report's
    /// training curves.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such directory.</exception>
    public static IReadOnlyList<LoggedTrial> Trials(string dir)
    {
        ArgumentNullException.ThrowIfNull(dir);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"experiment directory '{dir}' does not exist");
        }

        var result = new List<LoggedTrial>();
        var submissions = SortedDirs(dir).GroupBy(d => TimestampSuffix().Replace(Path.GetFileName(d), string.Empty), StringComparer.Ordinal);
        foreach (var submission in submissions)
        {
            var trials = new List<(string Study, string Workload, int Trial, string Path)>();
            foreach (var experiment in submission)
            {
                CollectTrials(experiment, trials);
            }

            foreach (var study in trials.GroupBy(t => (t.Workload, t.Study)).OrderBy(g => g.Key.Workload, StringComparer.Ordinal).ThenBy(g => g.Key.Study, StringComparer.Ordinal))
            {
                foreach (var trial in study.OrderBy(t => t.Trial).ThenBy(t => t.Path, StringComparer.Ordinal))
                {
                    result.Add(new LoggedTrial(submission.Key, study.Key.Study, study.Key.Workload, trial.Trial, trial.Path));
                }
            }
        }

        return result;
    }

    /// <summary>The workload name of a <c>&lt;workload&gt;_&lt;framework&gt;</c> directory.</summary>
    public static string StripFramework(string directoryName) => FrameworkSuffix().Replace(directoryName, string.Empty);

    private static void CollectTrials(string experiment, List<(string, string, int, string)> trials)
    {
        foreach (var child in SortedDirs(experiment))
        {
            if (TrialDirs(child).Any())
            {
                // Flat layout: <workload>_<framework>/trial_n directly under the submission.
                AddWorkload("study_0", child, trials);
                continue;
            }

            foreach (var workload in SortedDirs(child))
            {
                AddWorkload(Path.GetFileName(child), workload, trials);
            }
        }
    }

    private static void AddWorkload(string study, string workloadDir, List<(string, string, int, string)> trials)
    {
        var workload = StripFramework(Path.GetFileName(workloadDir));
        foreach (var (trialDir, n) in TrialDirs(workloadDir))
        {
            trials.Add((study, workload, n, trialDir));
        }
    }

    private static IEnumerable<(string Dir, int Trial)> TrialDirs(string dir)
    {
        foreach (var d in SortedDirs(dir))
        {
            var m = TrialName().Match(Path.GetFileName(d));
            if (m.Success && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                yield return (d, n);
            }
        }
    }

    private static IEnumerable<string> SortedDirs(string dir) =>
        Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal);

    [GeneratedRegex(@"-\d{4}(-\d{2}){5}.*$")]
    private static partial Regex TimestampSuffix();

    [GeneratedRegex(@"_(jax|pytorch)$")]
    private static partial Regex FrameworkSuffix();

    // The reference uses re.match(r'trial_(\d+)'), a prefix match.
    [GeneratedRegex(@"^trial_(\d+)")]
    private static partial Regex TrialName();
}

/// <summary>One trial directory of an experiment directory.</summary>
/// <param name="Submission">Submission (a timestamp suffix stripped).</param>
/// <param name="Study">Study key (<c>study_0</c> for the flat layout).</param>
/// <param name="Workload">Workload (the framework suffix stripped).</param>
/// <param name="Trial">Trial number.</param>
/// <param name="Directory">The trial's directory.</param>
public sealed record LoggedTrial(string Submission, string Study, string Workload, int Trial, string Directory);
