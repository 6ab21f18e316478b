using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Procedure;

/// <summary>
/// The whole reference procedure from trial results to scores (<c>algoperf-rules.md</c> §7): study selection, median
/// over studies, held-out and 4x rules, ratios, profiles, scores. Pure and deterministic.
/// </summary>
public static class ScoringPipeline
{
    /// <summary>Scores one pool of submissions (one ruleset).</summary>
    /// <param name="ruleset">The ruleset name, carried into the result.</param>
    /// <param name="trials">The pool's trials; submissions keep their first-appearance order, trials their order in a study.</param>
    /// <param name="options">Base and held-out workloads, study selection.</param>
    public static ScoringResult Score(string ruleset, IEnumerable<TrialRecord> trials, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(options);
        var studies = DecideStudies(trials, options.Selection);
        return FromMedians(ruleset, studies, MedianTable(studies, options), options);
    }

    /// <summary>The whole result (rules, ratios, profile, scores) from studies already decided and their median table.</summary>
    public static ScoringResult FromMedians(string ruleset, IReadOnlyList<StudyResult> studies, TimeTable times, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var afterRules = HeldOutRules.Apply(times, options);
        var ratios = PerformanceProfile.Ratios(afterRules);
        var (tau, rho, scores) = PerformanceProfile.Compute(ratios, options.BaseWorkloads.Count);
        return new ScoringResult(ruleset, options, studies, times, afterRules, ratios, tau, rho, scores);
    }

    /// <summary>Scores straight from a median-time table (held-out and 4x rules, ratios, profile, trapezoid score).</summary>
    /// <param name="medians">Median times; columns must include the base and held-out workloads (NaN = missing).</param>
    /// <param name="options">Base and held-out workloads.</param>
    public static double[] ScoresFromMedians(TimeTable medians, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ratios = PerformanceProfile.Ratios(HeldOutRules.Apply(medians, options));
        return PerformanceProfile.Compute(ratios, options.BaseWorkloads.Count).Scores;
    }

    /// <summary>Each study's decision, studies in first-appearance order.</summary>
    public static IReadOnlyList<StudyResult> DecideStudies(IEnumerable<TrialRecord> trials, StudySelectionRule rule)
    {
        ArgumentNullException.ThrowIfNull(trials);
        return trials
            .GroupBy(t => (t.Submission, t.Workload, t.Study))
            .Select(g =>
            {
                var outcomes = g.Select(t => new TrialOutcome(t.Trial, t.FirstHitEvalIndex, t.TimeToTargetSec)).ToList();
                var chosen = StudySelection.Select(outcomes, rule);
                return new StudyResult(
                    g.Key.Submission, g.Key.Workload, g.Key.Study, outcomes.Count,
                    chosen?.Trial, chosen?.FirstHitEvalIndex, chosen?.TimeToTargetSec ?? double.PositiveInfinity);
            })
            .ToList();
    }

    /// <summary>
    /// The time-to-target table: per submission and workload the median over its studies (infinity included);
    /// columns are the base and held-out workloads in alphabetical order (as the reference sorts them), NaN where a
    /// submission has no study of a workload. Workloads outside both lists are ignored.
    /// </summary>
    public static TimeTable MedianTable(IReadOnlyList<StudyResult> studies, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(studies);
        ArgumentNullException.ThrowIfNull(options);
        var submissions = studies.Select(s => s.Submission).Distinct(StringComparer.Ordinal).ToList();
        var table = new TimeTable(submissions, Columns(options));
        foreach (var g in studies.GroupBy(s => (s.Submission, s.Workload)))
        {
            var w = table.WorkloadIndex(g.Key.Workload);
            if (w >= 0)
            {
                table[submissions.IndexOf(g.Key.Submission), w] = NumPy.Median(g.Select(s => s.TimeToTargetSec));
            }
        }

        return table;
    }

    /// <summary>The time-table columns: base and held-out workloads in alphabetical order, as the reference sorts them.</summary>
    public static IReadOnlyList<string> Columns(ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.BaseWorkloads.Concat(options.HeldOutWorkloads)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
