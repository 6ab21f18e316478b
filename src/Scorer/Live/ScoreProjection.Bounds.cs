using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;

namespace AlgoPerf.Scorer.Live;

/// <summary>
/// Scoring the projection. A study is decided by its <see cref="StudyDecided"/> event when there is one, else by
/// <see cref="StudySelection"/> over its trials' first hits so far. Planned trials without events count as running.
/// <list type="bullet">
/// <item>Provisional score: every unfinished study as it stands (no further hit; infinite until a first hit).</item>
/// <item>Best case of a submission: its unfinished studies end as well as they still can (a running trial without a
/// hit may still hit at its next eval index, no sooner than its latest submission time; it counts where that alone
/// would beat the study's current choice), while the other submissions' studies stand.</item>
/// <item>Worst case of a submission: its unfinished studies get no further hit, while the others' end at their best.</item>
/// </list>
/// Scores are monotone in these times (a slower own time or a faster rival can only lower a score), so the range
/// holds the final score under the <c>fastest</c> rule. Under the <c>reference</c> rule a later hit at a smaller eval
/// index can make a study slower than "no further hit", so the worst case is the contract's definition, not a bound.
/// </summary>
public sealed partial class ScoreProjection
{
    /// <summary>The current scores, with best and worst cases, as the event the scorer emits.</summary>
    public ScoresChanged Snapshot()
    {
        var columns = ScoringPipeline.Columns(Setup.Options);
        var current = new TimeTable(_submissions.ToList(), columns);
        var best = new TimeTable(current.Submissions, columns);
        var final = _submissions.Count > 0;
        for (var s = 0; s < current.Submissions.Count; s++)
        {
            for (var w = 0; w < columns.Count; w++)
            {
                var studies = StudiesOf(current.Submissions[s], columns[w]).Select(StudyTimes).ToList();
                current[s, w] = NumPy.Median(studies.Select(t => t.Current));
                best[s, w] = NumPy.Median(studies.Select(t => t.BestCase));
                final &= studies.All(t => t.Finished);
            }
        }

        var scores = ScoringPipeline.ScoresFromMedians(current, Setup.Options);
        var result = new Dictionary<string, SubmissionScore>(StringComparer.Ordinal);
        for (var s = 0; s < scores.Length; s++)
        {
            var bestCase = final ? scores[s] : ScoringPipeline.ScoresFromMedians(Mix(own: s, ownFrom: best, othersFrom: current), Setup.Options)[s];
            var worstCase = final ? scores[s] : ScoringPipeline.ScoresFromMedians(Mix(own: s, ownFrom: current, othersFrom: best), Setup.Options)[s];
            result[current.Submissions[s]] = new SubmissionScore(scores[s], bestCase, worstCase);
        }

        return new ScoresChanged(Setup.Ruleset, result, final);
    }

    /// <summary>
    /// The provisional scoring result (every unfinished study as it stands), for the performance-profile plot of a
    /// run that is still going; its scores are <see cref="Snapshot"/>'s provisional ones.
    /// </summary>
    public ScoringResult Provisional()
    {
        var columns = ScoringPipeline.Columns(Setup.Options);
        var current = new TimeTable(_submissions.ToList(), columns);
        for (var s = 0; s < current.Submissions.Count; s++)
        {
            for (var w = 0; w < columns.Count; w++)
            {
                current[s, w] = NumPy.Median(StudiesOf(current.Submissions[s], columns[w]).Select(StudyTimes).Select(t => t.Current));
            }
        }

        return ScoringPipeline.FromMedians(Setup.Ruleset, [], current, Setup.Options);
    }

    /// <summary>One study's current time, best case and whether it is finished.</summary>
    public LiveStudyTimes StudyTimes(StudyId study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (_decided.TryGetValue(study, out var decided))
        {
            return new LiveStudyTimes(decided.TimeToTargetSec, decided.TimeToTargetSec, true);
        }

        var target = Setup.Targets.Find(study.Workload);
        var hits = new List<TrialOutcome>();
        var open = new List<TrialOutcome>();
        foreach (var n in TrialNumbers(study))
        {
            if (!_trials.TryGetValue(study.Trial(n), out var trial))
            {
                open.Add(new TrialOutcome(n, 0, 0.0));
                continue;
            }

            var hit = target is null ? TrialHit.None : trial.FirstHit(target.Direction, target.Target);
            if (hit.Reached)
            {
                hits.Add(TrialOutcome.From(n, hit));
            }
            else if (!trial.Ended)
            {
                open.Add(new TrialOutcome(n, trial.NextIndex, trial.LastTime));
            }
        }

        var choice = StudySelection.Select(hits, Rule);
        var current = choice?.TimeToTargetSec ?? double.PositiveInfinity;
        var bestCase = current;
        foreach (var candidate in open)
        {
            if ((choice is null || StudySelection.Beats(candidate, choice, Rule)) && candidate.TimeToTargetSec < bestCase)
            {
                bestCase = candidate.TimeToTargetSec;
            }
        }

        return new LiveStudyTimes(current, bestCase, open.Count == 0);
    }

    private IEnumerable<StudyId> StudiesOf(string submission, string workload)
    {
        var planned = Enumerable.Range(0, Setup.StudiesPerWorkload).Select(i => new StudyId(submission, workload, i));
        var seen = _trialsByStudy.Keys.Concat(_decided.Keys).Where(k => k.Submission == submission && k.Workload == workload);
        return planned.Concat(seen).Distinct().OrderBy(k => k.Study);
    }

    private IEnumerable<int> TrialNumbers(StudyId study)
    {
        var planned = Enumerable.Range(1, Setup.TrialsPerStudy);
        return _trialsByStudy.TryGetValue(study, out var seen) ? planned.Union(seen).Order() : planned;
    }

    private static TimeTable Mix(int own, TimeTable ownFrom, TimeTable othersFrom)
    {
        var mixed = othersFrom.Clone();
        for (var s = 0; s < mixed.Submissions.Count; s++)
        {
            var from = s == own ? ownFrom : othersFrom;
            for (var w = 0; w < mixed.Workloads.Count; w++)
            {
                mixed[s, w] = from[s, w];
            }
        }

        return mixed;
    }
}
